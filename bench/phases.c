// SPDX-License-Identifier: GPL-2.0
/*
 * The phase table: which kernel functions make each phase of each method's
 * pin and unpin. Chosen to be called once per batch or per contiguous run,
 * not once per 4 KiB page, so that tracing them costs little. Functions the
 * running kernel cannot trace (inlined, static in a module, or in lib/, which
 * is built without ftrace hooks) are reported by `pinbench run --breakdown`
 * and `pinbench list -v`; their time then falls to the enclosing listed call
 * or to "other".
 */
#include <string.h>

#include "phases.h"

static const char *const names[PHASE_COUNT] = {
	[PHASE_GUP] = "gup", [PHASE_RELEASE] = "release", [PHASE_ACCOUNT] = "account",
	[PHASE_SG] = "sg", [PHASE_DMA] = "dma", [PHASE_IOMMU] = "iommu",
	[PHASE_DRIVER] = "driver", [PHASE_CORE] = "core", [PHASE_OTHER] = "other",
	[PHASE_WALL] = "wall",
};

static const char *const whats[PHASE_COUNT] = {
	[PHASE_GUP] = "GUP: page-table walk and page references",
	[PHASE_RELEASE] = "releasing the page references",
	[PHASE_ACCOUNT] = "locked-memory accounting (RLIMIT_MEMLOCK, pinned_vm, locked_vm)",
	[PHASE_SG] = "building or freeing the scatterlist",
	[PHASE_DMA] = "DMA mapping or unmapping",
	[PHASE_IOMMU] = "IOMMU page-table writes, unmaps, IOTLB flushes",
	[PHASE_DRIVER] = "the method's driver's own work (rxe page map, vfio type1 pfn loop, io_uring buffer table)",
	[PHASE_CORE] = "the shared layer's own work between syscall and GUP (ib_umem, the bio)",
	[PHASE_OTHER] = "wall minus the named phases: syscall, dispatch, allocations, untraceable functions",
	[PHASE_WALL] = "wall time of the traced op",
};

const char *phase_name(int phase)
{
	return phase >= 0 && phase < PHASE_COUNT ? names[phase] : "?";
}

const char *phase_what(int phase)
{
	return phase >= 0 && phase < PHASE_COUNT ? whats[phase] : "?";
}

#define LIB "lib/, built without ftrace hooks: not traceable"

const struct phase_fn phase_table[] = {
	/* rdma: ibv_reg_mr -> ib_uverbs_reg_mr -> rxe_reg_user_mr -> rxe_mr_init_user -> ib_umem_get */
	{ "rdma", "pin", PHASE_GUP, "pin_user_pages_fast", "ib_umem_get, per 512 pages; slow path inside on 6.1 devdax" },
	{ "rdma", "pin", PHASE_SG, "sg_alloc_append_table_from_pages", "ib_umem_get, per batch; " LIB },
	{ "rdma", "pin", PHASE_DMA, "dma_map_sgtable", "ib_dma_map_sgtable_attrs; rxe uses virtual DMA and never calls it" },
	{ "rdma", "pin", PHASE_IOMMU, "iommu_map_sg_atomic", "iommu_dma_map_sg (6.1), for a NIC behind the IOMMU" },
	{ "rdma", "pin", PHASE_IOMMU, "iommu_map_sg", "iommu_dma_map_sg (6.3+)" },
	{ "rdma", "pin", PHASE_DRIVER, "rxe_reg_user_mr", "rdma_rxe: the MR object from its pool, around rxe_mr_init_user" },
	{ "rdma", "pin", PHASE_DRIVER, "rxe_mr_init_user", "rdma_rxe: its page map, minus the ib_umem_get it calls" },
	{ "rdma", "pin", PHASE_CORE, "ib_umem_get", "ib_uverbs (6.1): its loop, inline pinned_vm accounting, the sg build" },
	/* ibv_dereg_mr -> rxe_dereg_mr -> rxe_mr_cleanup -> ib_umem_release -> __ib_umem_release */
	{ "rdma", "unpin", PHASE_RELEASE, "__ib_umem_release", "unpin_user_page_range_dirty_lock per sg entry, inside" },
	{ "rdma", "unpin", PHASE_DMA, "dma_unmap_sg_attrs", "__ib_umem_release; not with rxe" },
	{ "rdma", "unpin", PHASE_SG, "sg_free_append_table", "__ib_umem_release; " LIB },
	{ "rdma", "unpin", PHASE_CORE, "ib_umem_release", "inline pinned_vm accounting, mmdrop, kfree" },
	{ "rdma", "unpin", PHASE_DRIVER, "rxe_dereg_mr", "rdma_rxe: dropping the MR from its pool (waits for its references)" },
	{ "rdma", "unpin", PHASE_DRIVER, "rxe_mr_cleanup", "rdma_rxe: freeing its page map" },

	/* rdma-odp: no GUP, only the notifier */
	{ "rdma-odp", "pin", PHASE_CORE, "ib_umem_odp_get", "mmu_interval_notifier_insert inside" },
	{ "rdma-odp", "unpin", PHASE_CORE, "ib_umem_odp_release", "" },

	/* vfio: VFIO_IOMMU_MAP_DMA -> vfio_dma_do_map -> vfio_pin_map_dma */
	{ "vfio", "pin", PHASE_GUP, "pin_user_pages_remote", "vaddr_get_pfns, per 512 pages, under mmap_read_lock" },
	{ "vfio", "pin", PHASE_ACCOUNT, "vfio_lock_acct", "vfio_pin_pages_remote; inlined in 6.1; skipped for PageReserved (devdax on 6.1)" },
	{ "vfio", "pin", PHASE_IOMMU, "iommu_map", "vfio_iommu_map, per contiguous run (intel_iommu_map_pages inside)" },
	{ "vfio", "pin", PHASE_DRIVER, "vfio_pin_pages_remote", "vfio_iommu_type1: the per-page contiguity loop" },
	/* VFIO_IOMMU_UNMAP_DMA -> vfio_remove_dma -> vfio_unmap_unpin */
	{ "vfio", "unpin", PHASE_IOMMU, "iommu_unmap_fast", "vfio_unmap_unpin, per contiguous run" },
	{ "vfio", "unpin", PHASE_IOMMU, "iommu_unmap", "vfio_unmap_unpin fallback" },
	{ "vfio", "unpin", PHASE_IOMMU, "intel_iommu_tlb_sync", "IOTLB flush (iommu_iotlb_sync)" },
	{ "vfio", "unpin", PHASE_RELEASE, "vfio_unpin_pages_remote", "put_pfn per page (6.1: skips PageReserved devdax pages)" },
	{ "vfio", "unpin", PHASE_ACCOUNT, "vfio_lock_acct", "vfio_unpin_pages_remote; inlined in 6.1" },
	{ "vfio", "unpin", PHASE_DRIVER, "vfio_unmap_unpin", "vfio_iommu_type1: its unmap loop" },

	/* iouring: io_uring_register_buffers -> io_sqe_buffers_register -> io_sqe_buffer_register */
	{ "iouring", "pin", PHASE_GUP, "pin_user_pages", "io_pin_pages, one call per iovec (up to 6.7)" },
	{ "iouring", "pin", PHASE_GUP, "pin_user_pages_fast", "io_pin_pages, one call per iovec (6.8+)" },
	{ "iouring", "pin", PHASE_ACCOUNT, "io_buffer_account_pin", "headpage_already_acct scan; inlined in 6.1" },
	{ "iouring", "pin", PHASE_ACCOUNT, "__io_account_mem", "RLIMIT_MEMLOCK check and user->locked_vm" },
	{ "iouring", "pin", PHASE_DRIVER, "io_sqe_buffer_register", "io_uring: vma check, bvec table (per 4 KiB page before 6.10)" },
	{ "iouring", "unpin", PHASE_RELEASE, "io_buffer_unmap", "unpin_user_page per bvec entry" },
	{ "iouring", "unpin", PHASE_ACCOUNT, "__io_unaccount_mem", "inlined in 6.1" },
	{ "iouring", "unpin", PHASE_DRIVER, "__io_sqe_buffers_unregister", "io_uring: its loop, freeing the table" },

	/* odirect: one pin row is the sum of the O_DIRECT writes */
	{ "odirect", "pin", PHASE_GUP, "get_user_pages_fast", "iov_iter_get_pages2 (6.1)" },
	{ "odirect", "pin", PHASE_GUP, "pin_user_pages_fast", "iov_iter_extract_pages (6.5+)" },
	{ "odirect", "pin", PHASE_RELEASE, "__bio_release_pages", "at completion" },
	{ "odirect", "pin", PHASE_CORE, "bio_iov_iter_get_pages", "building the bio around GUP" },

	/* gup_test: the pin row is the whole ioctl, references taken and dropped */
	{ "gup-fast", "pin", PHASE_GUP, "get_user_pages_fast", "per --gup-batch pages" },
	{ "gup-pin", "pin", PHASE_GUP, "pin_user_pages_fast", "per --gup-batch pages" },
	{ "gup-pin", "pin", PHASE_RELEASE, "unpin_user_pages", "once for the whole range" },
	{ "gup-longterm", "pin", PHASE_GUP, "pin_user_pages", "per --gup-batch pages, under mmap_read_lock" },
	{ "gup-longterm", "pin", PHASE_RELEASE, "unpin_user_pages", "once for the whole range" },
};
const size_t phase_table_len = sizeof(phase_table) / sizeof(phase_table[0]);

size_t phases_of(const char *method, size_t *idx, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < phase_table_len && n < max; i++)
		if (!strcmp(phase_table[i].method, method))
			idx[n++] = i;
	return n;
}

/* Does line [s, e) name FUNC, alone or followed by " [module]"? */
static int line_names(const char *s, const char *e, const char *func)
{
	size_t len = strlen(func);

	return (size_t)(e - s) >= len && !memcmp(s, func, len) &&
	       (s + len == e || s[len] == ' ' || s[len] == '\t');
}

size_t phases_resolve(const char *avail, const size_t *idx, size_t n, int *present)
{
	size_t missing = 0;

	for (size_t k = 0; k < n; k++)
		present[k] = 0;
	for (const char *s = avail; s && *s;) {
		const char *e = strchr(s, '\n');

		if (!e)
			e = s + strlen(s);
		for (size_t k = 0; k < n; k++)
			if (!present[k] && line_names(s, e, phase_table[idx[k]].func))
				present[k] = 1;
		s = *e ? e + 1 : e;
	}
	for (size_t k = 0; k < n; k++)
		missing += !present[k];
	return missing;
}

void phases_print(FILE *f, const char *method, const char *avail)
{
	for (size_t i = 0; i < phase_table_len; i++) {
		const struct phase_fn *p = &phase_table[i];
		int present;

		if (method && strcmp(p->method, method))
			continue;
		phases_resolve(avail ? avail : "", &i, 1, &present);
		if (method)
			fprintf(f, "%24s", "");
		else
			fprintf(f, "  %-12s ", p->method);
		fprintf(f, "%-5s %-7s %-32s %s%s\n", p->op, phase_name(p->phase), p->func,
			avail && !present ? "NOT TRACEABLE HERE: " : "", p->note);
	}
}
