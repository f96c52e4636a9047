// SPDX-License-Identifier: GPL-2.0
/*
 * vfio - VFIO_IOMMU_MAP_DMA / VFIO_IOMMU_UNMAP_DMA of the range at one IOVA
 * (--vfio-iova, default 4G) in a type1v2 container holding one group
 * (--vfio-group, default the only one in /dev/vfio). The group's devices
 * must all be bound to vfio-pci; the device is never opened or touched.
 *
 * MAP_DMA pins every page long-term (vfio_pin_pages_remote ->
 * pin_user_pages_remote(FOLL_WRITE | FOLL_LONGTERM), slow GUP under
 * mmap_lock, in batches of 512 pages), charges RLIMIT_MEMLOCK and writes
 * the IOMMU page table (iommu_map per physically contiguous run, using 2M/1G
 * IOMMU pages where the IOMMU and the memory allow). UNMAP_DMA unmaps, flushes
 * the IOTLB and unpins.
 *
 * Every address and length must be a multiple of the IOMMU page size (4K);
 * the loop passes multiples of the region's align.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "driver.h"
#include "drivers/vfio.h"
#include "options.h"
#include "pb.h"
#include "phases.h"
#include "region.h"

#define VFIO_DIR "/dev/vfio"
#define VFIO_BIND_HINT \
	"bind a device to vfio-pci: echo vfio-pci > /sys/bus/pci/devices/ADDR/driver_override; " \
	"echo ADDR > /sys/bus/pci/devices/ADDR/driver/unbind; echo ADDR > /sys/bus/pci/drivers_probe " \
	"(needs an IOMMU: intel_iommu=on or amd_iommu=on)"
#define VFIO_MAX_RANGES 64
#define VFIO_LIMIT_PARAM "/sys/module/vfio_iommu_type1/parameters/dma_entry_limit"

/* Its options (options.h), filled by pinbench run when this is the method. */
static struct vfio_opts {
	int group;		/* --vfio-group, -1: the only one */
	uint64_t iova;		/* --vfio-iova */
} vfo;

static const struct opt_def vfio_opts[] = {
	{ "vfio-group", OPT_INT, offsetof(struct vfio_opts, group), 0, "-1", -1, INT_MAX, "N",
	  "group number (default: the only one)" },
	{ "vfio-iova", OPT_SIZE, offsetof(struct vfio_opts, iova), 0, "4G", 0, LLONG_MAX, "ADDR",
	  "IOVA to map at (4G: above x86's MSI window at 0xfee00000)" },
	{ 0 },
};

struct vfio {
	int container, group, group_nr;
	long avail;		/* DMA mapping entries left, -1: not said */
};

/* The ioctl arguments of one call, in pin_call.arg. */
struct vfio_call {
	struct vfio_iommu_type1_dma_map map;
	struct vfio_iommu_type1_dma_unmap unmap;
};

static int is_number(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int vfio_pick_group(const char *const *names, size_t n, int *group, char *why, size_t len)
{
	size_t found = 0, used = 0;
	int first = -1;

	for (size_t i = 0; i < n; i++) {
		if (!is_number(names[i]))
			continue;
		if (!found++)
			first = atoi(names[i]);
	}
	if (found == 1) {
		*group = first;
		return 0;
	}
	if (!found) {
		snprintf(why, len, "no VFIO group in %s: %s", VFIO_DIR, VFIO_BIND_HINT);
		return -ENOENT;
	}
	used = (size_t)snprintf(why, len, "%zu VFIO groups in %s (", found, VFIO_DIR);
	for (size_t i = 0; i < n && used < len; i++)
		if (is_number(names[i]))
			used += (size_t)snprintf(why + used, len - used, "%s%s", names[i],
						 --found ? " " : "");
	if (used < len)
		snprintf(why + used, len - used, "): pick one with --vfio-group N");
	return -EEXIST;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

int vfio_pick_nth_group(const char *const *names, size_t n, int nth, int *group, char *why, size_t len)
{
	int nums[256];
	size_t found = 0;

	for (size_t i = 0; i < n && found < 256; i++)
		if (is_number(names[i]))
			nums[found++] = atoi(names[i]);
	if ((size_t)nth >= found) {
		snprintf(why, len,
			 "--context per-thread: thread %d needs a VFIO group of its own, but %s has %zu: bind one more device per thread to vfio-pci (%s), or use --context shared",
			 nth, VFIO_DIR, found, VFIO_BIND_HINT);
		return -ENOENT;
	}
	qsort(nums, found, sizeof(nums[0]), cmp_int);
	*group = nums[nth];
	return 0;
}

static uint64_t vfio_lowest_fit(const struct vfio_range *r, size_t n, uint64_t from, uint64_t size,
				uint64_t align)
{
	uint64_t best = UINT64_MAX;

	for (size_t i = 0; i < n; i++) {
		uint64_t lo = r[i].start > from ? r[i].start : from;
		uint64_t s = align ? (lo + align - 1) / align * align : lo;

		if (s < lo || s + size < s || s + size - 1 > r[i].end)
			continue;
		if (s < best)
			best = s;
	}
	return best;
}

int vfio_iova_fits(const struct vfio_range *r, size_t n, uint64_t iova, uint64_t size,
		   uint64_t align, uint64_t *suggest)
{
	*suggest = UINT64_MAX;
	if (!size || iova + size < iova)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (iova >= r[i].start && iova + size - 1 <= r[i].end)
			return 1;
	/* The nearest start above the one asked for, else the lowest one. */
	*suggest = vfio_lowest_fit(r, n, iova, size, align);
	if (*suggest == UINT64_MAX)
		*suggest = vfio_lowest_fit(r, n, 0, size, align);
	return 0;
}

/* The names in /dev/vfio -> the group to use, or an error naming the fix. */
static int vfio_find_group(int want, int nth, int *group, char *why, size_t len)
{
	const char *names[256];
	char store[256][32];
	size_t n = 0;
	struct dirent *e;
	DIR *d;
	int rc;

	if (want >= 0 && nth > 0) {
		snprintf(why, len, "--vfio-group %d names one group, but --context per-thread needs one per thread: leave --vfio-group out",
			 want);
		return -EINVAL;
	}
	if (want >= 0) {
		*group = want;
		return 0;
	}
	d = opendir(VFIO_DIR);
	if (!d) {
		rc = -errno;
		snprintf(why, len, "no %s (%s): modprobe vfio-pci, and boot with an IOMMU (intel_iommu=on)",
			 VFIO_DIR, strerror(-rc));
		return rc == -EACCES ? rc : -ENOENT;
	}
	while ((e = readdir(d)) && n < 256) {
		size_t l = strlen(e->d_name);

		if (l >= sizeof(store[n]))
			continue;	/* not a group number */
		memcpy(store[n], e->d_name, l + 1);
		names[n] = store[n];
		n++;
	}
	closedir(d);
	if (nth >= 0)
		return vfio_pick_nth_group(names, n, nth, group, why, len);
	return vfio_pick_group(names, n, group, why, len);
}

/* The container: open, API version, type1v2. fd or -errno with why filled. */
static int vfio_container_open(char *why, size_t len)
{
	int fd = open(VFIO_DIR "/vfio", O_RDWR | O_CLOEXEC);
	int rc, v;

	if (fd < 0) {
		rc = -errno;
		if (rc == -ENOENT)
			snprintf(why, len, "no %s/vfio: modprobe vfio-pci vfio_iommu_type1", VFIO_DIR);
		else
			snprintf(why, len, "cannot open %s/vfio: %s%s", VFIO_DIR, strerror(-rc),
				 rc == -EACCES ? " (run as root)" : "");
		return rc == -ENOENT ? -ENODEV : rc;
	}
	v = ioctl(fd, VFIO_GET_API_VERSION);
	if (v != VFIO_API_VERSION) {
		snprintf(why, len, "VFIO API version %d, pinbench knows %d", v, VFIO_API_VERSION);
		close(fd);
		return -EPROTO;
	}
	if (ioctl(fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) <= 0) {
		snprintf(why, len, "the VFIO container has no type1v2 IOMMU: modprobe vfio_iommu_type1");
		close(fd);
		return -ENODEV;
	}
	return fd;
}

static int vfio_probe(char *why, size_t len)
{
	int fd = vfio_container_open(why, len), group, rc;

	if (fd < 0)
		return fd;
	close(fd);
	rc = vfio_find_group(-1, -1, &group, why, len);
	if (rc == -EEXIST) {
		/* Several groups: usable, --vfio-group picks one. */
		return 0;
	}
	if (rc)
		return rc == -ENOENT ? -ENODEV : rc;
	snprintf(why, len, "group %d", group);
	return 0;
}

/*
 * VFIO_IOMMU_GET_INFO with its capability chain: valid IOVA ranges and DMA
 * entries left. Returns 0 (n = 0 and avail = -1 when the kernel does not say).
 */
static int vfio_iommu_info(int container, struct vfio_range *ranges, size_t *n, long *avail)
{
	struct vfio_iommu_type1_info *info;
	size_t sz = sizeof(*info);

	*n = 0;
	*avail = -1;
	info = calloc(1, sz);
	if (!info)
		return -ENOMEM;
	info->argsz = (uint32_t)sz;
	if (ioctl(container, VFIO_IOMMU_GET_INFO, info)) {
		free(info);
		return -errno;
	}
	if (info->argsz > sz) {
		struct vfio_iommu_type1_info *big;

		sz = info->argsz;
		big = realloc(info, sz);
		if (!big) {
			free(info);
			return -ENOMEM;
		}
		info = big;
		memset(info, 0, sz);
		info->argsz = (uint32_t)sz;
		if (ioctl(container, VFIO_IOMMU_GET_INFO, info)) {
			free(info);
			return -errno;
		}
	}
	if (info->flags & VFIO_IOMMU_INFO_CAPS) {
		for (uint32_t off = info->cap_offset; off && off + sizeof(struct vfio_info_cap_header) <= sz;) {
			struct vfio_info_cap_header *h = (void *)((char *)info + off);

			if (h->id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) {
				struct vfio_iommu_type1_info_cap_iova_range *c = (void *)h;

				for (uint32_t i = 0; i < c->nr_iovas && *n < VFIO_MAX_RANGES; i++) {
					ranges[*n].start = c->iova_ranges[i].start;
					ranges[*n].end = c->iova_ranges[i].end;
					(*n)++;
				}
			} else if (h->id == VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL) {
				*avail = ((struct vfio_iommu_type1_info_dma_avail *)h)->avail;
			}
			if (h->next <= off)
				break;
			off = h->next;
		}
	}
	free(info);
	return 0;
}

/* Before anything is mapped: the IOVA range, DMA entries, RLIMIT_MEMLOCK. */
static int vfio_check_room(struct vfio *v, const struct options *o, const struct region *r)
{
	struct vfio_range ranges[VFIO_MAX_RANGES];
	uint64_t want = o->nsizes ? o->sizes[o->nsizes - 1] : r->len, suggest;
	size_t n;
	struct rlimit rl;
	char a[16], b[16];
	int rc;

	if ((rc = vfio_iommu_info(v->container, ranges, &n, &v->avail))) {
		pb_err("Couldn't get IOMMU info of VFIO group %d: %s", v->group_nr, strerror(-rc));
		return rc;
	}
	if (vfo.iova % 4096) {
		pb_err("--vfio-iova %#llx is not a multiple of the 4K IOMMU page: use e.g. 4G",
		       (unsigned long long)vfo.iova);
		return -EINVAL;
	}
	if (n && !vfio_iova_fits(ranges, n, vfo.iova, want, r->align, &suggest)) {
		if (suggest == UINT64_MAX)
			pb_err("no valid IOVA range of VFIO group %d holds %s: use smaller --sizes",
			       v->group_nr, pb_fmt_size(want, a, sizeof(a)));
		else
			pb_err("--vfio-iova %#llx + %s leaves the IOMMU's valid IOVA ranges (reserved regions such as the MSI window at 0xfee00000): use --vfio-iova %#llx",
			       (unsigned long long)vfo.iova, pb_fmt_size(want, a, sizeof(a)),
			       (unsigned long long)suggest);
		return -EINVAL;
	}
	if (v->avail == 0) {
		uint64_t limit = 0;

		pb_read_u64(VFIO_LIMIT_PARAM, &limit);
		pb_err("the VFIO container has no DMA mapping entries left (dma_entry_limit %llu): raise it: echo 65535 > %s",
		       (unsigned long long)limit, VFIO_LIMIT_PARAM);
		return -ENOSPC;
	}
	/* run.c raised the soft limit as far as it could; root has CAP_IPC_LOCK. */
	if (geteuid() && !getrlimit(RLIMIT_MEMLOCK, &rl) && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		pb_err("RLIMIT_MEMLOCK is %s but VFIO_IOMMU_MAP_DMA of %s charges all of it: raise it (`ulimit -l unlimited`) or run as root",
		       pb_fmt_size(rl.rlim_cur, a, sizeof(a)), pb_fmt_size(want, b, sizeof(b)));
		return -ENOMEM;
	}
	return 0;
}

static int vfio_open(struct pin_ctx *ctx, const struct region *r)
{
	const struct options *o = ctx->opt;
	struct vfio_group_status st = { .argsz = sizeof(st) };
	char why[512], path[64];
	struct vfio *v;
	int rc;

	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->container = vfio_container_open(why, sizeof(why));
	if (v->container < 0) {
		rc = v->container;
		pb_err("%s", why);
		goto free_v;
	}
	if ((rc = vfio_find_group(vfo.group, o->per_thread_ctx ? ctx->thread : -1, &v->group_nr, why,
				  sizeof(why)))) {
		pb_err("%s", why);
		rc = rc == -ENOENT ? -ENODEV : rc == -EEXIST ? -EINVAL : rc;
		goto close_container;
	}
	snprintf(path, sizeof(path), "%s/%d", VFIO_DIR, v->group_nr);
	v->group = open(path, O_RDWR | O_CLOEXEC);
	if (v->group < 0) {
		rc = -errno;
		if (rc == -ENOENT)
			pb_err("--vfio-group %d: no %s; `pinbench list` shows the groups, or %s",
			       v->group_nr, path, VFIO_BIND_HINT);
		else if (rc == -EBUSY)
			pb_err("Couldn't open VFIO group %s: busy, another process (a VM?) holds it", path);
		else
			pb_err("Couldn't open VFIO group %s: %s", path, strerror(-rc));
		rc = rc == -ENOENT ? -ENODEV : rc;
		goto close_container;
	}
	if (ioctl(v->group, VFIO_GROUP_GET_STATUS, &st)) {
		rc = -errno;
		pb_err("Couldn't get status of VFIO group %d: %s", v->group_nr, strerror(-rc));
		goto close_group;
	}
	if (!(st.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		pb_err("VFIO group %d is not viable: bind every device of the group to vfio-pci (ls /sys/kernel/iommu_groups/%d/devices)",
		       v->group_nr, v->group_nr);
		rc = -EINVAL;
		goto close_group;
	}
	if (ioctl(v->group, VFIO_GROUP_SET_CONTAINER, &v->container)) {
		rc = -errno;
		pb_err("Couldn't set container of VFIO group %d: %s", v->group_nr, strerror(-rc));
		goto close_group;
	}
	if (ioctl(v->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)) {
		rc = -errno;
		pb_err("Couldn't set the type1v2 IOMMU on VFIO group %d: %s", v->group_nr, strerror(-rc));
		goto unset_container;
	}
	if ((rc = vfio_check_room(v, o, r)))
		goto unset_container;
	ctx->priv = v;
	return 0;

unset_container:
	ioctl(v->group, VFIO_GROUP_UNSET_CONTAINER);
close_group:
	close(v->group);
close_container:
	close(v->container);
free_v:
	free(v);
	return rc;
}

/* Each call maps at --vfio-iova plus its offset in the region: chunks and threads never overlap. */
static int vfio_prepare(struct pin_ctx *ctx, struct pin_call *c)
{
	struct vfio_call *a = c->arg;

	c->iova = vfo.iova + (uint64_t)(c->addr - (char *)ctx->r->addr);
	memset(a, 0, sizeof(*a));
	a->map.argsz = sizeof(a->map);
	a->map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	a->map.iova = c->iova;
	a->map.vaddr = (uintptr_t)c->addr;
	a->map.size = c->len;
	a->unmap.argsz = sizeof(a->unmap);
	a->unmap.iova = c->iova;
	a->unmap.size = c->len;
	return 0;
}

static int vfio_pin(struct pin_ctx *ctx, struct pin_call *c)
{
	struct vfio *v = ctx->priv;

	struct vfio_call *a = c->arg;

	return ioctl(v->container, VFIO_IOMMU_MAP_DMA, &a->map) ? -errno : 0;
}

static int vfio_unpin(struct pin_ctx *ctx, struct pin_call *c)
{
	struct vfio *v = ctx->priv;
	struct vfio_call *a = c->arg;
	struct vfio_iommu_type1_dma_unmap *u = &a->unmap;

	u->size = c->len;
	if (ioctl(v->container, VFIO_IOMMU_UNMAP_DMA, u))
		return -errno;
	/* The kernel writes back how much it unmapped. */
	if (u->size != c->len)
		return -EIO;
	return 0;
}

/* Each MAP_DMA is one entry of the container's dma_entry_limit. */
static int vfio_limits(struct pin_ctx *ctx, struct pin_limits *l)
{
	struct vfio *v = ctx->priv;

	l->max_calls = v->avail > 0 ? (uint64_t)v->avail : 0;
	snprintf(l->why, sizeof(l->why),
		 "a VFIO container holds %ld DMA mappings (dma_entry_limit): use a larger --chunk, or raise %s",
		 v->avail, VFIO_LIMIT_PARAM);
	return 0;
}

static void vfio_close(struct pin_ctx *ctx)
{
	struct vfio *v = ctx->priv;

	if (!v)
		return;
	/* Closing the container unmaps and unpins whatever is still mapped. */
	ioctl(v->group, VFIO_GROUP_UNSET_CONTAINER);
	close(v->group);
	close(v->container);
	free(v);
	ctx->priv = NULL;
}

/* --breakdown: the kernel functions of each phase (phases.h). */
static const struct phase_fn vfio_phases[] = {
	/* VFIO_IOMMU_MAP_DMA -> vfio_dma_do_map -> vfio_pin_map_dma */
	{ "pin", PHASE_GUP, "pin_user_pages_remote", "vaddr_get_pfns, per 512 pages, under mmap_read_lock" },
	{ "pin", PHASE_ACCOUNT, "vfio_lock_acct", "vfio_pin_pages_remote; inlined in 6.1; skipped for PageReserved (devdax on 6.1)" },
	{ "pin", PHASE_IOMMU, "iommu_map", "vfio_iommu_map, per contiguous run (intel_iommu_map_pages inside)" },
	{ "pin", PHASE_DRIVER, "vfio_pin_pages_remote", "vfio_iommu_type1: the per-page contiguity loop" },
	/* VFIO_IOMMU_UNMAP_DMA -> vfio_remove_dma -> vfio_unmap_unpin */
	{ "unpin", PHASE_IOMMU, "iommu_unmap_fast", "vfio_unmap_unpin, per contiguous run" },
	{ "unpin", PHASE_IOMMU, "iommu_unmap", "vfio_unmap_unpin fallback" },
	{ "unpin", PHASE_IOMMU, "intel_iommu_tlb_sync", "IOTLB flush (iommu_iotlb_sync)" },
	{ "unpin", PHASE_RELEASE, "vfio_unpin_pages_remote", "put_pfn per page (6.1: skips PageReserved devdax pages)" },
	{ "unpin", PHASE_ACCOUNT, "vfio_lock_acct", "vfio_unpin_pages_remote; inlined in 6.1" },
	{ "unpin", PHASE_DRIVER, "vfio_unmap_unpin", "vfio_iommu_type1: its unmap loop" },
	{ 0 },
};

const struct pin_driver driver_vfio = {
	.name = "vfio",
	.what = "VFIO type1v2 DMA mapping: VFIO_IOMMU_MAP_DMA / UNMAP_DMA of the range (--vfio-group, --vfio-iova)",
	.path = "vfio_pin_pages_remote -> pin_user_pages_remote(FOLL_WRITE | FOLL_LONGTERM), slow GUP; + IOMMU page table and IOTLB flush",
	.title = "VFIO DMA mapping (VFIO_IOMMU_MAP_DMA / UNMAP_DMA)",
	.flags = PIN_FOLL_PIN | PIN_LONGTERM | PIN_SHARED,
	.phases = vfio_phases,
	.opts = vfio_opts,
	.opts_store = &vfo,
	.call_size = sizeof(struct vfio_call),
	.probe = vfio_probe,
	.open = vfio_open,
	.limits = vfio_limits,
	.prepare = vfio_prepare,
	.pin = vfio_pin,
	.unpin = vfio_unpin,
	.close = vfio_close,
};
