/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How much soft-RoCE (rdma_rxe) registers in one memory region, by kernel
 * release. Not a device attribute (max_mr_size says 2^64 - 1): a kernel
 * allocation that has to be contiguous, so a longer ibv_reg_mr() ends in a
 * kernel warning and ENOMEM. From drivers/infiniband/sw/rxe/rxe_mr.c:
 *
 *   up to 6.2        map sets: an array of one pointer per 256 pages
 *                    (kmalloc_array, at most KMALLOC_MAX_SIZE = 4 MiB):
 *                    512 GiB with 4K pages
 *   6.3 .. 6.17      an xarray of pages: no limit of its own
 *   7.0 on, 6.19.4+, 6.18.14+, 6.12.115+
 *                    "Fix iova-to-va conversion for MR page sizes !=
 *                    PAGE_SIZE": one kcalloc'd struct rxe_mr_page (16 bytes)
 *                    per page (__alloc_mr_page_info), at most 4 MiB:
 *                    1 GiB with 4K pages
 *
 * The 6.12 point release is the first Debian 6.12 whose rdma_rxe.ko has no
 * xarray store (6.12.113 has it, 6.12.115 does not); 6.18.14 and 6.19.4 are
 * where the fix entered those stable series.
 */
#ifndef PB_DRIVERS_RXE_LIMIT_H
#define PB_DRIVERS_RXE_LIMIT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Bytes one memory region of DEVICE_NAME may span on KERNEL_RELEASE (as
 * uname -r prints it, e.g. "6.12.118+deb12-amd64", "7.3.4+deb13-amd64").
 * A device is soft-RoCE when its name starts with "rxe" (rdma link add
 * rxe0 type rxe ...). 0 and *max set when a limit is known; -ENOENT when
 * none is (another device, or a kernel without one); -EINVAL on NULL or a
 * release that does not start with MAJOR.MINOR.
 */
int rxe_max_mr_bytes(const char *device_name, const char *kernel_release, uint64_t *max);

/* The same for a page size other than this machine's (for tests). */
int rxe_max_mr_bytes_ps(const char *device_name, const char *kernel_release, uint64_t page_size,
			uint64_t *max);

/* Why the limit is what it is, in a few words ("" when none is known). */
const char *rxe_limit_reason(const char *kernel_release);

/*
 * For the rdma driver, before ibv_reg_mr(): 0 when LEN fits in one memory
 * region of DEVICE_NAME on the running kernel (or no limit is known);
 * -E2BIG after one pb_err() line naming the device, the limit, the kernel
 * and the fix (smaller --sizes, or a real RDMA NIC).
 */
int rxe_mr_len_check(const char *device_name, uint64_t len);

#endif
