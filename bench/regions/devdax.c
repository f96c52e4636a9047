// SPDX-License-Identifier: GPL-2.0
/*
 * devdax:/dev/daxX.Y - a device-dax character device, mapped whole pages at
 * its align (4K, 2M or 1G) with libpmem2. Size, align, target node and mode
 * come from libdaxctl. Mapped shared and writable (pins ask for write access)
 * but never stored to without --write: prefaulting reads one byte per align,
 * so the first pin for write takes the write faults: --warmup absorbs them.
 * Lengths must be multiples of the device's align, or mmap fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <daxctl/libdaxctl.h>

#include "pb.h"
#include "regions/pmem.h"

struct devdax_info {
	unsigned long long size;
	unsigned long align;
	int node;
	int system_ram;
};

/* Look the device up by name ("dax0.0") through libdaxctl. */
static int devdax_lookup(const char *devname, struct devdax_info *info)
{
	struct daxctl_ctx *ctx;
	struct daxctl_region *region;
	struct daxctl_dev *dev;
	int rc = -ENOENT;

	if (daxctl_new(&ctx))
		return -ENOMEM;
	daxctl_region_foreach(ctx, region) {
		daxctl_dev_foreach(region, dev) {
			if (strcmp(daxctl_dev_get_devname(dev), devname))
				continue;
			info->size = daxctl_dev_get_size(dev);
			info->align = daxctl_dev_get_align(dev);
			info->node = daxctl_dev_get_target_node(dev);
			info->system_ram = daxctl_dev_get_memory(dev) != NULL;
			rc = 0;
		}
	}
	daxctl_unref(ctx);
	return rc;
}

/*
 * Where the struct pages of an nvdimm dax device live: its parent in sysfs is
 * the nvdimm "dax" (pfn) device, whose mode is "ram" (ndctl create-namespace
 * -M mem) or "pmem" (-M dev, the altmap on the namespace itself). Leaves map
 * empty for dax devices of other origins (hmem, CXL) or when sysfs does not say.
 */
static void devdax_map_mode(const char *devname, char *map, size_t len)
{
	char path[PATH_MAX], real[PATH_MAX], mode[16], *slash;
	int n;

	map[0] = '\0';
	n = snprintf(path, sizeof(path), "/sys/bus/dax/devices/%s", devname);
	if (n < 0 || (size_t)n >= sizeof(path) || !realpath(path, real))
		return;
	slash = strrchr(real, '/');
	if (!slash)
		return;
	*slash = '\0';
	n = snprintf(path, sizeof(path), "%s/mode", real);
	if (n < 0 || (size_t)n >= sizeof(path) || pb_read_file(path, mode, sizeof(mode)))
		return;
	if (!strcmp(mode, "ram"))
		snprintf(map, len, "mem");
	else if (!strcmp(mode, "pmem"))
		snprintf(map, len, "dev");
}

static int devdax_describe(struct region *r, const struct region_opts *o)
{
	struct devdax_info info = { 0 };
	char path[256], name[256];
	struct stat st;
	int rc;

	(void)o;
	if (!r->arg[0]) {
		pb_err("--region devdax needs a device: devdax:/dev/daxX.Y (see pinbench list)");
		return -EINVAL;
	}
	if (stat(r->arg, &st)) {
		rc = -errno;
		pb_err("cannot use %s: %s; list dax devices with `pinbench list` or `daxctl list`",
		       r->arg, strerror(-rc));
		return rc == -ENOENT ? -ENODEV : rc;
	}
	if (!S_ISCHR(st.st_mode)) {
		pb_err("%s is not a character device: devdax wants /dev/daxX.Y (for a file on a DAX filesystem use fsdax:FILE)",
		       r->arg);
		return -EINVAL;
	}
	snprintf(path, sizeof(path), "%s", r->arg);
	snprintf(name, sizeof(name), "%s", basename(path));
	rc = devdax_lookup(name, &info);
	if (rc) {
		pb_err("%s is not a device-dax device libdaxctl knows (%s); check `daxctl list`",
		       r->arg, strerror(-rc));
		return -ENODEV;
	}
	if (info.system_ram) {
		pb_err("%s is in system-ram mode; switch it back with `daxctl reconfigure-device -m devdax %s`",
		       r->arg, name);
		return -EINVAL;
	}
	snprintf(r->backing, sizeof(r->backing), "%s", r->arg);
	/* align 0: the kernel does not say (before 5.10); device-dax then means 2M. */
	r->align = info.align ? info.align : 2 * PB_MIB;
	r->dev_size = info.size;
	r->bounded = 1;
	r->node = info.node;
	r->pmem = 1;
	snprintf(r->mode, sizeof(r->mode), "devdax");
	devdax_map_mode(name, r->map, sizeof(r->map));
	return 0;
}

static int devdax_map(struct region *r, const struct region_opts *o)
{
	(void)o;
	return pmem_map(r);
}

static void devdax_list(FILE *f)
{
	struct daxctl_ctx *ctx;
	struct daxctl_region *region;
	struct daxctl_dev *dev;
	int n = 0;

	if (daxctl_new(&ctx)) {
		fprintf(f, "  devdax: libdaxctl could not start\n");
		return;
	}
	daxctl_region_foreach(ctx, region) {
		daxctl_dev_foreach(region, dev) {
			char sz[16], al[16], map[8];
			unsigned long align = daxctl_dev_get_align(dev);

			if (!daxctl_dev_get_size(dev))
				continue;
			devdax_map_mode(daxctl_dev_get_devname(dev), map, sizeof(map));
			fprintf(f, "  devdax:/dev/%-10s size %s align %s node %d mode %s%s%s\n",
			       daxctl_dev_get_devname(dev),
			       pb_fmt_size(daxctl_dev_get_size(dev), sz, sizeof(sz)),
			       align ? pb_fmt_size(align, al, sizeof(al)) : "unknown",
			       daxctl_dev_get_target_node(dev),
			       daxctl_dev_get_memory(dev) ? "system-ram" : "devdax",
			       map[0] ? " map " : "", map);
			n++;
		}
	}
	if (!n)
		fprintf(f, "  devdax: no dax devices here (pmem host: `scripts/provision.sh`; else `make demo` runs a QEMU guest)\n");
	daxctl_unref(ctx);
}

const struct region_kind region_devdax = {
	.name = "devdax",
	.usage = "devdax:/dev/daxX.Y",
	.what = "device-dax persistent memory at its align (4K, 2M or 1G)",
	.describe = devdax_describe,
	.map = devdax_map,
	.unmap = pmem_unmap,
	.list = devdax_list,
};
