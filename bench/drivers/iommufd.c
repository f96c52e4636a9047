// SPDX-License-Identifier: GPL-2.0
/*
 * iommufd - IOMMU_IOAS_MAP / IOMMU_IOAS_UNMAP of the range at one fixed IOVA
 * (--iommufd-iova, default 4G) in an IO address space (IOAS) of /dev/iommu,
 * with one VFIO device (--iommufd-dev, default the only cdev in
 * /dev/vfio/devices) bound to that iommufd and attached to the IOAS, so every
 * map also writes the IOMMU page table, as vfio's type1 MAP_DMA does.
 *
 * Setup, once: open /dev/iommu; open /dev/vfio/devices/vfioN;
 * VFIO_DEVICE_BIND_IOMMUFD; IOMMU_IOAS_ALLOC; VFIO_DEVICE_ATTACH_IOMMUFD_PT
 * (the kernel allocates the IOMMU domain); IOMMU_IOAS_IOVA_RANGES (the
 * attached device's reserved regions, the MSI window on x86, are holes).
 *
 * IOMMU_IOAS_MAP pins the range long-term (iopt_pages ->
 * pfn_reader_user_pin -> pin_user_pages_fast(FOLL_LONGTERM | FOLL_WRITE),
 * up to 8192 pages per call when the caller's own mm is mapped) and maps it
 * into the attached domain. IOMMU_IOAS_UNMAP unmaps and unpins
 * (unpin_user_page_range_dirty_lock per contiguous run). As root
 * (CAP_IPC_LOCK) nothing is charged to RLIMIT_MEMLOCK.
 *
 * Needs a kernel with CONFIG_IOMMUFD (6.2+) and CONFIG_VFIO_DEVICE_CDEV (6.6+);
 * None of Debian's kernels up to 7.3 has either, so there it is refused (exit 77).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver.h"
#include "drivers/iommufd.h"
#include "drivers/vfio.h"
#include "options.h"
#include "pb.h"
#include "region.h"

#define IOMMUFD_PATH "/dev/iommu"
#define IOMMUFD_MAX_RANGES 64
#define IOMMUFD_NO_KERNEL \
	"no " IOMMUFD_PATH ": this kernel has no iommufd (CONFIG_IOMMUFD, 6.2+; none of Debian's kernels up to 7.3 has it): " \
	"boot one built with it, e.g. scripts/kernel/build.sh compound@7.3"
#define IOMMUFD_BIND_HINT \
	"bind a device to vfio-pci (echo vfio-pci > /sys/bus/pci/devices/ADDR/driver_override; " \
	"echo ADDR > /sys/bus/pci/devices/ADDR/driver/unbind; echo ADDR > /sys/bus/pci/drivers_probe; " \
	"needs an IOMMU and CONFIG_VFIO_DEVICE_CDEV, 6.6+)"

/* Its options (options.h), filled by pinbench run when this is the method. */
static struct iommufd_opts {
	char dev[128];		/* --iommufd-dev vfioN | /dev/vfio/devices/vfioN | PCI address */
	uint64_t iova;		/* --iommufd-iova */
} ifo;

static const struct opt_def iommufd_opts[] = {
	{ "iommufd-dev", OPT_STR, offsetof(struct iommufd_opts, dev), sizeof(ifo.dev), NULL, 0, 0, "DEV",
	  "VFIO device cdev to attach: vfioN, /dev/vfio/devices/vfioN or a PCI address (default: the only one)" },
	{ "iommufd-iova", OPT_SIZE, offsetof(struct iommufd_opts, iova), 0, "4G", 0, LLONG_MAX, "ADDR",
	  "IOVA to map at (4G: above x86's MSI window at 0xfee00000)" },
	{ 0 },
};

struct iommufd {
	int fd, dev;
	uint32_t ioas;
	char name[32];
};

/* The ioctl arguments of one call, in pin_call.arg. */
struct iommufd_call {
	struct pb_iommu_ioas_map map;
	struct pb_iommu_ioas_unmap unmap;
};

/* "vfioN" with N a decimal number. */
static int is_cdev_name(const char *s)
{
	if (strncmp(s, "vfio", 4) || !s[4])
		return 0;
	for (s += 4; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* The cdev names among names, space separated, into buf. */
static void list_names(const char *const *names, size_t n, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && used < len; i++)
		if (is_cdev_name(names[i]))
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? " " : "", names[i]);
}

int iommufd_pick_dev(const char *const *names, size_t n, const char *want, char *dev,
		     size_t devlen, char *why, size_t len)
{
	const char *name = want;
	size_t found = 0;
	char have[256];

	list_names(names, n, have, sizeof(have));
	if (want && *want) {
		size_t dl = strlen(IOMMUFD_DEV_DIR "/");

		if (!strncmp(want, IOMMUFD_DEV_DIR "/", dl))
			name = want + dl;
		if (!is_cdev_name(name) || strlen(name) >= devlen) {
			snprintf(why, len, "--iommufd-dev '%s' is not a VFIO device cdev: give vfioN, %s/vfioN or a PCI address bound to vfio-pci%s%s",
				 want, IOMMUFD_DEV_DIR, have[0] ? " (here: " : "", have[0] ? have : "");
			if (have[0] && strlen(why) + 2 < len)
				strcat(why, ")");
			return -EINVAL;
		}
		for (size_t i = 0; i < n; i++)
			if (!strcmp(names[i], name)) {
				snprintf(dev, devlen, "%s", name);
				return 0;
			}
		if (have[0])
			snprintf(why, len, "--iommufd-dev %s: no %s/%s; the devices here are: %s",
				 want, IOMMUFD_DEV_DIR, name, have);
		else
			snprintf(why, len, "--iommufd-dev %s: no %s/%s and no other VFIO device cdev: %s",
				 want, IOMMUFD_DEV_DIR, name, IOMMUFD_BIND_HINT);
		return -ENOENT;
	}
	for (size_t i = 0; i < n; i++)
		if (is_cdev_name(names[i]) && !found++)
			name = names[i];
	if (found == 1 && strlen(name) < devlen) {
		snprintf(dev, devlen, "%s", name);
		return 0;
	}
	if (!found) {
		snprintf(why, len, "no VFIO device cdev in %s: %s", IOMMUFD_DEV_DIR, IOMMUFD_BIND_HINT);
		return -ENOENT;
	}
	snprintf(why, len, "%zu VFIO devices in %s (%s): pick one with --iommufd-dev vfioN", found,
		 IOMMUFD_DEV_DIR, have);
	return -EEXIST;
}

/* A PCI address -> its VFIO cdev name (the one vfioN in .../vfio-dev/). */
static int iommufd_pci_cdev(const char *addr, char *name, size_t nlen, char *why, size_t len)
{
	char dir[PATH_MAX];
	struct dirent *e;
	struct stat st;
	DIR *d;

	snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s", addr);
	if (stat(dir, &st)) {
		snprintf(why, len, "--iommufd-dev %s: no PCI device %s (lspci -D lists them)", addr, dir);
		return -EINVAL;
	}
	snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s/vfio-dev", addr);
	d = opendir(dir);
	if (!d) {
		snprintf(why, len, "--iommufd-dev %s: the device has no VFIO cdev (no %s): %s", addr, dir,
			 IOMMUFD_BIND_HINT);
		return -ENODEV;
	}
	name[0] = '\0';
	while ((e = readdir(d)))
		if (is_cdev_name(e->d_name) && strlen(e->d_name) < nlen) {
			memcpy(name, e->d_name, strlen(e->d_name) + 1);
			break;
		}
	closedir(d);
	if (!name[0]) {
		snprintf(why, len, "--iommufd-dev %s: no vfioN in %s: %s", addr, dir, IOMMUFD_BIND_HINT);
		return -ENODEV;
	}
	return 0;
}

/* The names in /dev/vfio/devices -> the device to use. */
static int cmp_cdev(const void *a, const void *b)
{
	return atoi(*(const char *const *)a + 4) - atoi(*(const char *const *)b + 4);
}

/* --context per-thread: thread nth's device, the nth lowest vfioN. */
static int iommufd_nth_dev(const char **names, size_t n, int nth, char *dev, size_t devlen, char *why,
			   size_t len)
{
	size_t found = 0;

	for (size_t i = 0; i < n; i++)
		if (is_cdev_name(names[i]))
			names[found++] = names[i];
	if ((size_t)nth >= found) {
		snprintf(why, len,
			 "--context per-thread: thread %d needs a VFIO device of its own, but %s has %zu: %s for each thread, or use --context shared",
			 nth, IOMMUFD_DEV_DIR, found, IOMMUFD_BIND_HINT);
		return -EINVAL;
	}
	qsort(names, found, sizeof(names[0]), cmp_cdev);
	snprintf(dev, devlen, "%s", names[nth]);
	return 0;
}

static int iommufd_find_dev(const char *want, int nth, char *dev, size_t devlen, char *why, size_t len)
{
	char store[256][64], resolved[64];
	const char *names[256];
	const char *arg = want;
	struct dirent *e;
	size_t n = 0;
	DIR *d;
	int rc;

	if (want && strchr(want, ':') && !strchr(want, '/')) {
		if ((rc = iommufd_pci_cdev(want, resolved, sizeof(resolved), why, len)))
			return rc;
		arg = resolved;
	}
	d = opendir(IOMMUFD_DEV_DIR);
	if (!d) {
		rc = -errno;
		snprintf(why, len, "no VFIO device cdev: no %s (%s): %s", IOMMUFD_DEV_DIR, strerror(-rc),
			 IOMMUFD_BIND_HINT);
		return rc == -EACCES ? rc : -ENODEV;
	}
	while ((e = readdir(d)) && n < 256) {
		size_t l = strlen(e->d_name);

		if (l >= sizeof(store[n]))
			continue;	/* not a cdev name */
		memcpy(store[n], e->d_name, l + 1);
		names[n] = store[n];
		n++;
	}
	closedir(d);
	if (nth >= 0) {
		if (want && *want) {
			snprintf(why, len, "--iommufd-dev names one device, but --context per-thread needs one per thread: leave it out");
			return -EINVAL;
		}
		return iommufd_nth_dev(names, n, nth, dev, devlen, why, len);
	}
	rc = iommufd_pick_dev(names, n, arg, dev, devlen, why, len);
	/* A named device that is not there is bad input; none at all is a skip. */
	if (rc == -ENOENT)
		return want && *want ? -EINVAL : -ENODEV;
	if (rc == -EEXIST)
		return -EINVAL;
	return rc;
}

static int iommufd_probe(char *why, size_t len)
{
	char dev[32];
	int rc;

	if (access(IOMMUFD_PATH, F_OK)) {
		snprintf(why, len, "%s", IOMMUFD_NO_KERNEL);
		return -ENODEV;
	}
	rc = iommufd_find_dev(NULL, -1, dev, sizeof(dev), why, len);
	if (rc == -EINVAL) {
		/* Several devices: usable, --iommufd-dev picks one. */
		return 0;
	}
	if (rc)
		return rc;
	snprintf(why, len, "device %s", dev);
	return 0;
}

/* IOMMU_IOAS_IOVA_RANGES: the valid IOVA ranges of the IOAS, as vfio_range. */
static int iommufd_ranges(struct iommufd *f, struct vfio_range *r, size_t *n)
{
	struct pb_iommu_iova_range buf[IOMMUFD_MAX_RANGES];
	struct pb_iommu_ioas_iova_ranges q = {
		.size = sizeof(q), .ioas_id = f->ioas, .num_iovas = IOMMUFD_MAX_RANGES,
		.allowed_iovas = (uintptr_t)buf,
	};

	*n = 0;
	if (ioctl(f->fd, PB_IOMMU_IOAS_IOVA_RANGES, &q) && errno != EMSGSIZE)
		return -errno;
	for (uint32_t i = 0; i < q.num_iovas && i < IOMMUFD_MAX_RANGES; i++) {
		r[*n].start = buf[i].start;
		r[*n].end = buf[i].last;
		(*n)++;
	}
	return 0;
}

/* After attach: the IOVA inside the IOAS's valid ranges for the largest size. */
static int iommufd_check_iova(struct iommufd *f, const struct options *o, const struct region *r)
{
	struct vfio_range ranges[IOMMUFD_MAX_RANGES];
	uint64_t want = o->nsizes ? o->sizes[o->nsizes - 1] : r->len, suggest;
	size_t n;
	char a[16];
	int rc;

	if (ifo.iova % 4096) {
		pb_err("--iommufd-iova %#llx is not a multiple of the 4K IOMMU page: use e.g. 4G",
		       (unsigned long long)ifo.iova);
		return -EINVAL;
	}
	if ((rc = iommufd_ranges(f, ranges, &n))) {
		pb_err("Couldn't get the IOVA ranges of the IOAS (IOMMU_IOAS_IOVA_RANGES): %s", strerror(-rc));
		return rc;
	}
	if (n && !vfio_iova_fits(ranges, n, ifo.iova, want, r->align, &suggest)) {
		if (suggest == UINT64_MAX)
			pb_err("no valid IOVA range of the IOAS (device %s) holds %s: use smaller --sizes",
			       f->name, pb_fmt_size(want, a, sizeof(a)));
		else
			pb_err("--iommufd-iova %#llx + %s leaves the IOAS's valid IOVA ranges (reserved regions of %s such as the MSI window at 0xfee00000): use --iommufd-iova %#llx",
			       (unsigned long long)ifo.iova, pb_fmt_size(want, a, sizeof(a)), f->name,
			       (unsigned long long)suggest);
		return -EINVAL;
	}
	return 0;
}

static int iommufd_open(struct pin_ctx *ctx, const struct region *r)
{
	const struct options *o = ctx->opt;
	struct pb_iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	struct pb_vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	struct pb_vfio_device_attach_iommufd_pt at = { .argsz = sizeof(at) };
	char why[512], path[96];
	struct iommufd *f;
	int rc;

	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->fd = f->dev = -1;
	ctx->priv = f;
	f->fd = open(IOMMUFD_PATH, O_RDWR | O_CLOEXEC);
	if (f->fd < 0) {
		rc = -errno;
		if (rc == -ENOENT)
			pb_err("%s", IOMMUFD_NO_KERNEL);
		else
			pb_err("Couldn't open %s: %s%s", IOMMUFD_PATH, strerror(-rc),
			       rc == -EACCES ? " (run as root)" : "");
		return rc == -ENOENT || rc == -ENXIO ? -ENODEV : rc;
	}
	if ((rc = iommufd_find_dev(ifo.dev, o->per_thread_ctx ? ctx->thread : -1, f->name,
				   sizeof(f->name), why, sizeof(why)))) {
		pb_err("%s", why);
		return rc;
	}
	snprintf(path, sizeof(path), "%s/%s", IOMMUFD_DEV_DIR, f->name);
	f->dev = open(path, O_RDWR | O_CLOEXEC);
	if (f->dev < 0) {
		rc = -errno;
		if (rc == -EBUSY)
			pb_err("Couldn't open %s: busy, its VFIO group or the device is in use (a vfio run, a VM?)", path);
		else
			pb_err("Couldn't open %s: %s%s", path, strerror(-rc), rc == -EACCES ? " (run as root)" : "");
		return rc == -ENOENT ? -ENODEV : rc;
	}
	bind.iommufd = f->fd;
	if (ioctl(f->dev, PB_VFIO_DEVICE_BIND_IOMMUFD, &bind)) {
		rc = -errno;
		if (rc == -EBUSY)
			pb_err("Couldn't bind %s to iommufd: busy, its VFIO group %s is open (a vfio run, a VM?)",
			       path, "in /dev/vfio");
		else
			pb_err("Couldn't bind %s to iommufd (VFIO_DEVICE_BIND_IOMMUFD): %s", path, strerror(-rc));
		return rc == -ENOTTY ? -ENODEV : rc;
	}
	if (ioctl(f->fd, PB_IOMMU_IOAS_ALLOC, &alloc)) {
		rc = -errno;
		pb_err("Couldn't allocate an IOAS (IOMMU_IOAS_ALLOC): %s", strerror(-rc));
		return rc;
	}
	f->ioas = alloc.out_ioas_id;
	at.pt_id = f->ioas;
	if (ioctl(f->dev, PB_VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at)) {
		rc = -errno;
		pb_err("Couldn't attach %s to the IOAS (VFIO_DEVICE_ATTACH_IOMMUFD_PT): %s", path, strerror(-rc));
		return rc;
	}
	return iommufd_check_iova(f, o, r);
}

/* Each call maps at --iommufd-iova plus its offset in the region. */
static int iommufd_prepare(struct pin_ctx *ctx, struct pin_call *c)
{
	struct iommufd *f = ctx->priv;
	struct iommufd_call *a = c->arg;

	c->iova = ifo.iova + (uint64_t)(c->addr - (char *)ctx->r->addr);
	memset(a, 0, sizeof(*a));
	a->map.size = sizeof(a->map);
	a->map.flags = PB_IOMMU_IOAS_MAP_FIXED_IOVA | PB_IOMMU_IOAS_MAP_READABLE | PB_IOMMU_IOAS_MAP_WRITEABLE;
	a->map.ioas_id = f->ioas;
	a->map.user_va = (uintptr_t)c->addr;
	a->map.length = c->len;
	a->map.iova = c->iova;
	a->unmap.size = sizeof(a->unmap);
	a->unmap.ioas_id = f->ioas;
	a->unmap.iova = c->iova;
	a->unmap.length = c->len;
	return 0;
}

static int iommufd_pin(struct pin_ctx *ctx, struct pin_call *c)
{
	struct iommufd *f = ctx->priv;

	struct iommufd_call *a = c->arg;

	return ioctl(f->fd, PB_IOMMU_IOAS_MAP, &a->map) ? -errno : 0;
}

static int iommufd_unpin(struct pin_ctx *ctx, struct pin_call *c)
{
	struct iommufd *f = ctx->priv;
	struct iommufd_call *a = c->arg;
	struct pb_iommu_ioas_unmap *u = &a->unmap;

	u->length = c->len;
	if (ioctl(f->fd, PB_IOMMU_IOAS_UNMAP, u))
		return -errno;
	/* The kernel writes back how much it unmapped. */
	if (u->length != c->len)
		return -EIO;
	return 0;
}

static void iommufd_close(struct pin_ctx *ctx)
{
	struct iommufd *f = ctx->priv;

	if (!f)
		return;
	/*
	 * Closing the device detaches and unbinds it; closing the iommufd then
	 * destroys the IOAS, which unmaps and unpins whatever is still mapped.
	 */
	if (f->dev >= 0)
		close(f->dev);
	if (f->fd >= 0)
		close(f->fd);
	free(f);
	ctx->priv = NULL;
}

const struct pin_driver driver_iommufd = {
	.name = "iommufd",
	.what = "iommufd IOAS mapping with a VFIO device cdev attached: IOMMU_IOAS_MAP / IOMMU_IOAS_UNMAP of the range (--iommufd-dev, --iommufd-iova)",
	.path = "iopt_map_user_pages -> pfn_reader_user_pin -> pin_user_pages_fast(FOLL_WRITE | FOLL_LONGTERM), up to 8192 pages per call; + IOMMU page table and IOTLB flush",
	.title = "iommufd IOAS mapping (IOMMU_IOAS_MAP / IOMMU_IOAS_UNMAP)",
	.flags = PIN_FOLL_PIN | PIN_LONGTERM | PIN_SHARED,
	.opts = iommufd_opts,
	.opts_store = &ifo,
	.call_size = sizeof(struct iommufd_call),
	.probe = iommufd_probe,
	.open = iommufd_open,
	.prepare = iommufd_prepare,
	.pin = iommufd_pin,
	.unpin = iommufd_unpin,
	.close = iommufd_close,
};
