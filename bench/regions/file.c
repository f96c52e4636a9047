// SPDX-License-Identifier: GPL-2.0
/*
 * file:PATH - a regular file mapped shared from the page cache. Opened
 * read-write because pins ask for write access (pinning for write marks the
 * pages dirty, so unchanged data may be written back); nothing is stored
 * into it without --write.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pb.h"
#include "driver.h"
#include "region.h"

static int file_describe(struct region *r, const struct region_opts *o)
{
	struct stat st;

	(void)o;
	if (!r->arg[0]) {
		pb_err("--region file needs a path: file:PATH (a regular file at least as large as the largest size)");
		return -EINVAL;
	}
	if (stat(r->arg, &st)) {
		int rc = -errno;

		pb_err("cannot use %s: %s; create it first (e.g. fallocate -l 1G %s)", r->arg, strerror(-rc), r->arg);
		return rc == -ENOENT ? -ENODEV : rc;
	}
	if (!S_ISREG(st.st_mode)) {
		pb_err("%s is not a regular file: file: wants one (for /dev/daxX.Y use devdax:)", r->arg);
		return -EINVAL;
	}
	snprintf(r->backing, sizeof(r->backing), "%s", r->arg);
	r->align = 4096;
	r->dev_size = (uint64_t)st.st_size;
	r->bounded = 1;
	return 0;
}

static int file_map(struct region *r, const struct region_opts *o)
{
	int rc;

	(void)o;
	r->fd = open(r->arg, O_RDWR | O_CLOEXEC);
	if (r->fd < 0) {
		rc = -errno;
		pb_err("cannot open %s read-write: %s (pins need a writable mapping; nothing is stored without --write)",
		       r->arg, strerror(-rc));
		return rc;
	}
	r->addr = mmap(NULL, r->len, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (r->addr == MAP_FAILED) {
		rc = -errno;
		r->addr = NULL;
		pb_err("cannot map %s: %s", r->arg, strerror(-rc));
		return rc;
	}
	return 0;
}

static void file_unmap(struct region *r)
{
	munmap(r->addr, r->len);
}

static int file_explain(const struct region *r, const struct pin_driver *drv, int err, char *msg, size_t len)
{
	if (err != EFAULT || !(drv->flags & PIN_LONGTERM))
		return 0;
	snprintf(msg, len, "%s: the kernel refuses long-term pins for write of a shared page-cache file (%s; since 6.5, writable_file_mapping_allowed): writeback could not track the pages. Use odirect or gup-fast on file:, or devdax/hugetlb/anon for %s",
		 drv->name, r->backing, drv->name);
	return PB_EXPLAINED;
}

const struct region_kind region_file = {
	.name = "file",
	.usage = "file:PATH",
	.what = "a regular file in the page cache, mapped shared",
	.describe = file_describe,
	.map = file_map,
	.unmap = file_unmap,
	.explain = file_explain,
	.list = NULL,
};
