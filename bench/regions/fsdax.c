// SPDX-License-Identifier: GPL-2.0
/*
 * fsdax:FILE - a file on a filesystem mounted with -o dax (ext4, xfs), mapped
 * shared with libpmem2. The kernel refuses FOLL_LONGTERM pins of fsdax pages
 * (rdma, vfio, iouring fail with EOPNOTSUPP); odirect and gup-fast work.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libpmem2.h>

#include "pb.h"
#include "driver.h"
#include "regions/pmem.h"

#ifndef STATX_ATTR_DAX
#define STATX_ATTR_DAX 0x00200000
#endif

static int fsdax_describe(struct region *r, const struct region_opts *o)
{
	struct statx stx;

	(void)o;
	if (!r->arg[0]) {
		pb_err("--region fsdax needs a file on a DAX filesystem: fsdax:/mnt/pmem/FILE");
		return -EINVAL;
	}
	if (statx(AT_FDCWD, r->arg, 0, STATX_BASIC_STATS, &stx)) {
		int rc = -errno;

		pb_err("cannot use %s: %s; create it first (e.g. fallocate -l 1G %s on the DAX mount)",
		       r->arg, strerror(-rc), r->arg);
		return rc == -ENOENT ? -ENODEV : rc;
	}
	if (!S_ISREG(stx.stx_mode)) {
		pb_err("%s is not a regular file: fsdax wants a file on a DAX filesystem (for /dev/daxX.Y use devdax:)", r->arg);
		return -EINVAL;
	}
	if (!(stx.stx_attributes_mask & STATX_ATTR_DAX) || !(stx.stx_attributes & STATX_ATTR_DAX)) {
		pb_err("%s is not on a DAX filesystem: mount the pmem filesystem with -o dax, or use file:%s for page-cache memory",
		       r->arg, r->arg);
		return -EINVAL;
	}
	snprintf(r->backing, sizeof(r->backing), "%s", r->arg);
	r->align = 4096;
	r->dev_size = stx.stx_size;
	r->bounded = 1;
	r->pmem = 1;
	snprintf(r->mode, sizeof(r->mode), "fsdax");
	return 0;
}

static int fsdax_map(struct region *r, const struct region_opts *o)
{
	struct pmem2_source *src = NULL;
	int rc;

	(void)o;
	if ((rc = pmem_map(r)))
		return rc;
	if (!pmem2_source_from_fd(&src, r->fd)) {
		int node;

		if (!pmem2_source_numa_node(src, &node))
			r->node = node;
		pmem2_source_delete(&src);
	}
	return 0;
}

static int fsdax_explain(const struct region *r, const struct pin_driver *drv, int err, char *msg, size_t len)
{
	if (err != EOPNOTSUPP)
		return 0;
	snprintf(msg, len, "%s: the kernel refuses long-term pins (FOLL_LONGTERM) of fsdax memory (%s): the filesystem may move or free its blocks under a DMA. Use a devdax namespace (`scripts/provision.sh`) for %s",
		 drv->name, r->backing, drv->name);
	return PB_EXPLAINED_UNSUPPORTED;
}

const struct region_kind region_fsdax = {
	.name = "fsdax",
	.usage = "fsdax:FILE",
	.what = "a file on a DAX filesystem (long-term pins are refused)",
	.describe = fsdax_describe,
	.map = fsdax_map,
	.unmap = pmem_unmap,
	.explain = fsdax_explain,
	.list = NULL,
};
