// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "pb.h"
#include "regions/dram.h"

struct dram_map {
	void *base;
	size_t len;
};

int dram_map(struct region *r, int mmap_flags, int advice)
{
	/* hugetlb mappings come aligned; others get one align of slack. */
	size_t slack = (mmap_flags & MAP_HUGETLB) ? 0 : r->align;
	struct dram_map *m = malloc(sizeof(*m));
	uintptr_t a;
	int rc;

	if (!m)
		return -ENOMEM;
	m->len = r->len + slack;
	m->base = mmap(NULL, m->len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | mmap_flags, -1, 0);
	if (m->base == MAP_FAILED) {
		rc = -errno;
		pb_err("cannot map %llu bytes of %s memory: %s", (unsigned long long)r->len,
		       r->kind->name, strerror(-rc));
		free(m);
		return rc;
	}
	a = ((uintptr_t)m->base + r->align - 1) & ~((uintptr_t)r->align - 1);
	if (advice >= 0 && madvise((void *)a, r->len, advice)) {
		rc = -errno;
		pb_err("madvise on %s memory failed: %s", r->kind->name, strerror(-rc));
		munmap(m->base, m->len);
		free(m);
		return rc;
	}
	r->addr = (void *)a;
	r->written = 1;
	r->priv = m;
	return 0;
}

void dram_unmap(struct region *r)
{
	struct dram_map *m = r->priv;

	if (m) {
		munmap(m->base, m->len);
		free(m);
	}
	r->priv = NULL;
}
