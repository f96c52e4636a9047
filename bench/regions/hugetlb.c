// SPDX-License-Identifier: GPL-2.0
/*
 * hugetlb:2M, hugetlb:1G - private anonymous hugetlb memory from the
 * persistent pool of that page size. The pool must hold the largest size.
 */
#include <errno.h>
#include <inttypes.h>
#include <linux/mman.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "pb.h"
#include "regions/dram.h"

static const char *pool_dir(uint64_t align)
{
	return align == PB_GIB ? "/sys/kernel/mm/hugepages/hugepages-1048576kB"
			       : "/sys/kernel/mm/hugepages/hugepages-2048kB";
}

static int hugetlb_describe(struct region *r, const struct region_opts *o)
{
	char path[128];
	uint64_t free_pages, need;

	if (!strcmp(r->arg, "2M") || !strcmp(r->arg, "2m") || !r->arg[0])
		r->align = 2 * PB_MIB;
	else if (!strcmp(r->arg, "1G") || !strcmp(r->arg, "1g"))
		r->align = PB_GIB;
	else {
		pb_err("hugetlb page size '%s' is not supported: use hugetlb:2M or hugetlb:1G", r->arg);
		return -EINVAL;
	}
	snprintf(r->backing, sizeof(r->backing), "hugetlb-%s", r->align == PB_GIB ? "1G" : "2M");
	snprintf(path, sizeof(path), "%s/free_hugepages", pool_dir(r->align));
	if (pb_read_u64(path, &free_pages)) {
		pb_err("this kernel has no %s hugetlb pages (%s is missing)", r->align == PB_GIB ? "1G" : "2M", path);
		return -ENODEV;
	}
	need = (o->want + r->align - 1) / r->align;
	if (free_pages < need) {
		pb_err("hugetlb:%s needs %" PRIu64 " free %s pages, the pool has %" PRIu64
		       ": reserve them with `echo %" PRIu64 " > %s/nr_hugepages` (as root)",
		       r->align == PB_GIB ? "1G" : "2M", need, r->align == PB_GIB ? "1G" : "2M",
		       free_pages, need, pool_dir(r->align));
		return -ENOMEM;
	}
	return 0;
}

static int hugetlb_map(struct region *r, const struct region_opts *o)
{
	(void)o;
	return dram_map(r, MAP_HUGETLB | (r->align == PB_GIB ? MAP_HUGE_1GB : MAP_HUGE_2MB), -1);
}

static void hugetlb_list(FILE *f)
{
	static const uint64_t sizes[] = { 2 * PB_MIB, PB_GIB };

	for (int i = 0; i < 2; i++) {
		char path[128];
		uint64_t total = 0, nfree = 0;

		snprintf(path, sizeof(path), "%s/nr_hugepages", pool_dir(sizes[i]));
		if (pb_read_u64(path, &total)) {
			fprintf(f, "  hugetlb:%s   not supported by this kernel\n", i ? "1G" : "2M");
			continue;
		}
		snprintf(path, sizeof(path), "%s/free_hugepages", pool_dir(sizes[i]));
		pb_read_u64(path, &nfree);
		fprintf(f, "  hugetlb:%s   pool %" PRIu64 " pages, %" PRIu64 " free%s\n", i ? "1G" : "2M", total, nfree,
		       total ? "" : " (reserve: echo N > .../nr_hugepages)");
	}
}

const struct region_kind region_hugetlb = {
	.name = "hugetlb",
	.usage = "hugetlb:2M | hugetlb:1G",
	.what = "DRAM from the hugetlb pool of that page size",
	.describe = hugetlb_describe,
	.map = hugetlb_map,
	.unmap = dram_unmap,
	.list = hugetlb_list,
};
