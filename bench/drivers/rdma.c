// SPDX-License-Identifier: GPL-2.0
/*
 * rdma, rdma-odp - ibv_reg_mr() / ibv_dereg_mr() of the range on one
 * protection domain of an RDMA device (--rdma-dev, default the first one
 * libibverbs lists; soft-RoCE rdma_rxe does when there is no NIC).
 *
 * rdma: ib_umem_get() pins every page long-term (pin_user_pages_fast with
 * FOLL_LONGTERM, FOLL_WRITE when the access is writable), builds a
 * scatterlist and DMA-maps it; the driver then builds its own page table
 * (rxe: a map of kernel addresses). Access flags: --rdma-access.
 * rdma-odp: the same with IBV_ACCESS_ON_DEMAND, only on a device whose
 * ibv_query_device_ex() says RC supports on-demand paging. It pins nothing:
 * pages are faulted in by the device, so it is the baseline of what
 * registration costs without pinning.
 *
 * Any address and length work for the verbs; the loop only passes multiples
 * of the region's align.
 */
#include <dirent.h>
#include <errno.h>
#include <infiniband/verbs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver.h"
#include "drivers/rdma.h"
#include "drivers/rxe_limit.h"
#include "options.h"
#include "pb.h"
#include "phases.h"
#include "region.h"

#define RDMA_RXE_HINT "create a soft-RoCE one: modprobe rdma_rxe; rdma link add rxe0 type rxe netdev eth0"

struct rdma {
	struct ibv_context *dev;
	struct ibv_pd *pd;
	int access;
};

static const struct {
	const char *word;
	int bit;
} rdma_access_words[] = {
	{ "local-write", IBV_ACCESS_LOCAL_WRITE },
	{ "remote-read", IBV_ACCESS_REMOTE_READ },
	{ "remote-write", IBV_ACCESS_REMOTE_WRITE },
	{ "remote-atomic", IBV_ACCESS_REMOTE_ATOMIC },
	{ "relaxed", IBV_ACCESS_RELAXED_ORDERING },
};
#define RDMA_NWORDS (sizeof(rdma_access_words) / sizeof(rdma_access_words[0]))

/* Its options (options.h), shared by rdma and rdma-odp, filled by pinbench run. */
static struct rdma_opts {
	char dev[64];		/* --rdma-dev */
	char access[128];	/* --rdma-access */
} rdo;

#define RO(f) offsetof(struct rdma_opts, f), sizeof(rdo.f)
static const struct opt_def rdma_opts[] = {
	{ "rdma-dev", OPT_STR, RO(dev), NULL, 0, 0, "NAME", "device (default: the first)" },
	{ "rdma-access", OPT_STR, RO(access), "local-write,remote-read,remote-write", 0, 0, "FLAGS",
	  "access flags (local-write remote-read remote-write remote-atomic relaxed)" },
	{ 0 },
};

int rdma_parse_access(const char *s, int *access, char *why, size_t len)
{
	const char *p = s;
	int acc = 0;

	if (!strcmp(s, "none")) {
		*access = 0;
		return 0;
	}
	while (*p) {
		size_t n = strcspn(p, ",");
		size_t i;

		for (i = 0; i < RDMA_NWORDS; i++)
			if (strlen(rdma_access_words[i].word) == n &&
			    !strncmp(p, rdma_access_words[i].word, n))
				break;
		if (i == RDMA_NWORDS) {
			snprintf(why, len,
				 "unknown access '%.*s': use a comma-separated list of local-write remote-read remote-write remote-atomic relaxed, or none",
				 (int)(n > 40 ? 40 : n), p);
			return -EINVAL;
		}
		acc |= rdma_access_words[i].bit;
		p += n;
		if (*p == ',' && !*++p) {
			snprintf(why, len, "'%s' ends with a comma: drop it", s);
			return -EINVAL;
		}
	}
	if (p == s) {
		snprintf(why, len, "empty access list: give e.g. local-write, or none");
		return -EINVAL;
	}
	/* The verbs refuse remote write or atomic access without local write. */
	if ((acc & (IBV_ACCESS_REMOTE_WRITE | IBV_ACCESS_REMOTE_ATOMIC)) && !(acc & IBV_ACCESS_LOCAL_WRITE)) {
		snprintf(why, len, "'%s': remote-write and remote-atomic need local-write too: add it", s);
		return -EINVAL;
	}
	*access = acc;
	return 0;
}

/* Does RC on this device support on-demand paging? 1, 0, or -errno. */
static int rdma_has_odp(struct ibv_context *dev)
{
	struct ibv_device_attr_ex attr;
	int rc;

	memset(&attr, 0, sizeof(attr));
	rc = ibv_query_device_ex(dev, NULL, &attr);
	if (rc)
		return -rc;
	return (attr.odp_caps.general_caps & IBV_ODP_SUPPORT) &&
	       (attr.odp_caps.per_transport_caps.rc_odp_caps &
		(IBV_ODP_SUPPORT_SEND | IBV_ODP_SUPPORT_RECV | IBV_ODP_SUPPORT_WRITE | IBV_ODP_SUPPORT_READ));
}

/* RDMA devices the kernel has, with or without the verbs interface. */
static int rdma_sysfs_devices(void)
{
	DIR *d = opendir("/sys/class/infiniband");
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static int rdma_probe_common(char *why, size_t len, int odp)
{
	struct ibv_device **list;
	int n = 0, rc = 0, found = 0;

	list = ibv_get_device_list(&n);
	if (!list || n == 0) {
		if (rdma_sysfs_devices() > 0 && access("/dev/infiniband/uverbs0", F_OK))
			snprintf(why, len, "RDMA devices have no verbs interface: modprobe ib_uverbs");
		else
			snprintf(why, len, "no RDMA device: %s", RDMA_RXE_HINT);
		if (list)
			ibv_free_device_list(list);
		return -ENODEV;
	}
	if (odp) {
		for (int i = 0; i < n && !found; i++) {
			struct ibv_context *dev = ibv_open_device(list[i]);

			if (dev) {
				found = rdma_has_odp(dev) == 1;
				ibv_close_device(dev);
			}
		}
		if (!found) {
			snprintf(why, len, "no RDMA device here supports on-demand paging for RC (%s has none%s)",
				 ibv_get_device_name(list[0]), n > 1 ? ", nor do the others" : "");
			rc = -EOPNOTSUPP;
		}
	}
	if (!rc)
		snprintf(why, len, "%d device%s, first %s", n, n > 1 ? "s" : "", ibv_get_device_name(list[0]));
	ibv_free_device_list(list);
	return rc;
}

static int rdma_probe(char *why, size_t len)
{
	return rdma_probe_common(why, len, 0);
}

static int rdma_odp_probe(char *why, size_t len)
{
	return rdma_probe_common(why, len, 1);
}

static int rdma_open_common(struct pin_ctx *ctx, int odp)
{
	struct ibv_device **list;
	struct ibv_device *want = NULL;
	struct rdma *rd;
	char why[256];
	int n = 0, rc;

	rd = calloc(1, sizeof(*rd));
	if (!rd)
		return -ENOMEM;
	if ((rc = rdma_parse_access(rdo.access, &rd->access, why, sizeof(why)))) {
		pb_err("--rdma-access: %s", why);
		goto free_rd;
	}
	if (odp)
		rd->access |= IBV_ACCESS_ON_DEMAND;

	list = ibv_get_device_list(&n);
	if (!list) {
		rc = -errno;
		pb_err("Couldn't get the RDMA device list: %s", strerror(-rc));
		goto free_rd;
	}
	if (n == 0) {
		pb_err("no RDMA device: %s", RDMA_RXE_HINT);
		rc = -ENODEV;
		goto free_list;
	}
	for (int i = 0; i < n; i++)
		if (!rdo.dev[0] || !strcmp(ibv_get_device_name(list[i]), rdo.dev)) {
			want = list[i];
			break;
		}
	if (!want) {
		pb_err("--rdma-dev %s: no such RDMA device; `pinbench list` or `ibv_devices` shows them (first: %s)",
		       rdo.dev, ibv_get_device_name(list[0]));
		rc = -ENODEV;
		goto free_list;
	}
	rd->dev = ibv_open_device(want);
	if (!rd->dev) {
		rc = errno ? -errno : -ENODEV;
		pb_err("Couldn't get context for %s: %s", ibv_get_device_name(want), strerror(-rc));
		goto free_list;
	}
	if (odp && (rc = rdma_has_odp(rd->dev)) != 1) {
		if (rc < 0)
			pb_err("Couldn't query device %s: %s", ibv_get_device_name(want), strerror(-rc));
		else
			pb_err("%s does not support on-demand paging for RC: use --method rdma, or an ODP-capable --rdma-dev",
			       ibv_get_device_name(want));
		rc = rc < 0 ? rc : -EOPNOTSUPP;
		goto close_dev;
	}
	rd->pd = ibv_alloc_pd(rd->dev);
	if (!rd->pd) {
		rc = errno ? -errno : -ENOMEM;
		pb_err("Couldn't allocate PD on %s: %s", ibv_get_device_name(want), strerror(-rc));
		goto close_dev;
	}
	ibv_free_device_list(list);
	ctx->priv = rd;
	return 0;

close_dev:
	ibv_close_device(rd->dev);
free_list:
	ibv_free_device_list(list);
free_rd:
	free(rd);
	return rc;
}

static int rdma_open(struct pin_ctx *ctx, const struct region *r)
{
	(void)r;
	return rdma_open_common(ctx, 0);
}

static int rdma_odp_open(struct pin_ctx *ctx, const struct region *r)
{
	(void)r;
	return rdma_open_common(ctx, 1);
}

/* Many MRs at once: the device's max_mr (each call is one MR). */
static int rdma_limits(struct pin_ctx *ctx, struct pin_limits *l)
{
	struct rdma *rd = ctx->priv;
	struct ibv_device_attr attr;
	int rc = ibv_query_device(rd->dev, &attr);

	if (rc)
		return -rc;
	l->max_calls = attr.max_mr > 0 ? (uint64_t)attr.max_mr : 0;
	snprintf(l->why, sizeof(l->why), "%s allows %d memory regions (max_mr): use a larger --chunk",
		 ibv_get_device_name(rd->dev->device), attr.max_mr);
	return 0;
}

/* Soft-RoCE cannot hold more than some bytes in one MR, by kernel (rxe_limit.c). */
static int rdma_check_len(struct pin_ctx *ctx, uint64_t len)
{
	struct rdma *rd = ctx->priv;

	return rxe_mr_len_check(ibv_get_device_name(rd->dev->device), len);
}

static int rdma_pin(struct pin_ctx *ctx, struct pin_call *c)
{
	struct rdma *rd = ctx->priv;

	c->h = ibv_reg_mr(rd->pd, c->addr, c->len, rd->access);
	if (!c->h)
		return errno ? -errno : -EIO;
	return 0;
}

static int rdma_unpin(struct pin_ctx *ctx, struct pin_call *c)
{
	int rc = ibv_dereg_mr(c->h);

	(void)ctx;
	if (rc)
		return -rc;
	c->h = NULL;
	return 0;
}

static void rdma_close(struct pin_ctx *ctx)
{
	struct rdma *rd = ctx->priv;

	if (!rd)
		return;
	/* measure.c released every MR; a PD with MRs left would not go. */
	ibv_dealloc_pd(rd->pd);
	ibv_close_device(rd->dev);
	free(rd);
	ctx->priv = NULL;
}

/* --breakdown: the kernel functions of each phase (phases.h). */
static const struct phase_fn rdma_phases[] = {
	/* ibv_reg_mr -> ib_uverbs_reg_mr -> rxe_reg_user_mr -> rxe_mr_init_user -> ib_umem_get */
	{ "pin", PHASE_GUP, "pin_user_pages_fast", "ib_umem_get, per 512 pages; slow path inside on 6.1 devdax" },
	{ "pin", PHASE_SG, "sg_alloc_append_table_from_pages", "ib_umem_get, per batch; " PHASE_NOTE_LIB },
	{ "pin", PHASE_DMA, "dma_map_sgtable", "ib_dma_map_sgtable_attrs; rxe uses virtual DMA and never calls it" },
	{ "pin", PHASE_IOMMU, "iommu_map_sg_atomic", "iommu_dma_map_sg (6.1), for a NIC behind the IOMMU" },
	{ "pin", PHASE_IOMMU, "iommu_map_sg", "iommu_dma_map_sg (6.3+)" },
	{ "pin", PHASE_DRIVER, "rxe_reg_user_mr", "rdma_rxe: the MR object from its pool, around rxe_mr_init_user" },
	{ "pin", PHASE_DRIVER, "rxe_mr_init_user", "rdma_rxe: its page map, minus the ib_umem_get it calls" },
	{ "pin", PHASE_CORE, "ib_umem_get", "ib_uverbs (6.1): its loop, inline pinned_vm accounting, the sg build" },
	/* ibv_dereg_mr -> rxe_dereg_mr -> rxe_mr_cleanup -> ib_umem_release -> __ib_umem_release */
	{ "unpin", PHASE_RELEASE, "__ib_umem_release", "unpin_user_page_range_dirty_lock per sg entry, inside" },
	{ "unpin", PHASE_DMA, "dma_unmap_sg_attrs", "__ib_umem_release; not with rxe" },
	{ "unpin", PHASE_SG, "sg_free_append_table", "__ib_umem_release; " PHASE_NOTE_LIB },
	{ "unpin", PHASE_CORE, "ib_umem_release", "inline pinned_vm accounting, mmdrop, kfree" },
	{ "unpin", PHASE_DRIVER, "rxe_dereg_mr", "rdma_rxe: dropping the MR from its pool (waits for its references)" },
	{ "unpin", PHASE_DRIVER, "rxe_mr_cleanup", "rdma_rxe: freeing its page map" },
	{ 0 },
};

const struct pin_driver driver_rdma = {
	.name = "rdma",
	.what = "RDMA memory registration: ibv_reg_mr / ibv_dereg_mr of the range (--rdma-dev, --rdma-access)",
	.path = "ib_umem_get -> pin_user_pages_fast(FOLL_WRITE | FOLL_LONGTERM), fast GUP with slow fallback; + sg table, DMA map, driver page table",
	.title = "RDMA registration (ibv_reg_mr / ibv_dereg_mr)",
	.flags = PIN_FOLL_PIN | PIN_LONGTERM | PIN_SHARED,
	.phases = rdma_phases,
	.opts = rdma_opts,
	.opts_store = &rdo,
	.probe = rdma_probe,
	.open = rdma_open,
	.check_len = rdma_check_len,
	.limits = rdma_limits,
	.pin = rdma_pin,
	.unpin = rdma_unpin,
	.close = rdma_close,
};

/* --breakdown: the kernel functions of each phase (phases.h). */
static const struct phase_fn rdma_odp_phases[] = {
	/* no GUP, only the notifier */
	{ "pin", PHASE_CORE, "ib_umem_odp_get", "mmu_interval_notifier_insert inside" },
	{ "unpin", PHASE_CORE, "ib_umem_odp_release", "" },
	{ 0 },
};

const struct pin_driver driver_rdma_odp = {
	.name = "rdma-odp",
	.what = "RDMA on-demand-paging registration (IBV_ACCESS_ON_DEMAND): registers without pinning, a baseline",
	.path = "ib_umem_odp_get: no GUP, an mmu_interval_notifier; pages are faulted in by the device later",
	.title = "RDMA on-demand-paging registration (ibv_reg_mr, ODP)",
	.flags = PIN_SHARED,
	.phases = rdma_odp_phases,
	.opts = rdma_opts,
	.opts_store = &rdo,
	.probe = rdma_odp_probe,
	.open = rdma_odp_open,
	.check_len = rdma_check_len,
	.limits = rdma_limits,
	.pin = rdma_pin,
	.unpin = rdma_unpin,
	.close = rdma_close,
};
