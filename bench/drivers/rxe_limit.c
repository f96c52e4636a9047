// SPDX-License-Identifier: GPL-2.0
/* Soft-RoCE's bytes per memory region, by kernel release: see rxe_limit.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "drivers/rxe_limit.h"
#include "pb.h"

/* How rxe_mr.c keeps a user MR's pages. */
enum rxe_pages {
	RXE_MAP_SETS,	/* up to 6.2: rxe_map pointers, one per 256 pages */
	RXE_XARRAY,	/* 6.3 on, until the fix below */
	RXE_PAGE_INFO,	/* the iova-to-va fix: one array of struct rxe_mr_page */
};

/* The largest kmalloc: KMALLOC_MAX_SIZE, PAGE_SIZE << 10 on x86-64 (MAX_PAGE_ORDER 10). */
#define RXE_KMALLOC_MAX_PAGES_SHIFT 10
/* sizeof(struct rxe_mr_page): a page pointer and an unsigned int offset, padded. */
#define RXE_PAGE_INFO_BYTES 16
/* sizeof(struct rxe_phys_buf), RXE_BUF_PER_MAP = PAGE_SIZE / this; and a map pointer. */
#define RXE_PHYS_BUF_BYTES 16
#define RXE_MAP_PTR_BYTES 8

/* "7.3.4+deb13-amd64" -> 7, 3, 4; "6.1.0-57-amd64" -> 6, 1, 0; "6.12" -> 6, 12, 0. */
static int parse_release(const char *rel, unsigned long v[3])
{
	const char *p = rel;
	char *end;

	for (int i = 0; i < 3; i++) {
		v[i] = 0;
		if (i == 2 && *p != '.')
			return 0;
		if (i)
			p++;
		if (*p < '0' || *p > '9')
			return i == 2 ? 0 : -EINVAL;
		errno = 0;
		v[i] = strtoul(p, &end, 10);
		if (errno || v[i] > 100000)
			return -EINVAL;
		p = end;
		if (i == 0 && *p != '.')
			return -EINVAL;
	}
	return 0;
}

static int rxe_pages_of(const char *rel, enum rxe_pages *how)
{
	unsigned long v[3];

	if (!rel || parse_release(rel, v))
		return -EINVAL;
	if (v[0] < 6 || (v[0] == 6 && v[1] < 3))
		*how = RXE_MAP_SETS;
	else if (v[0] >= 7 || v[1] >= 20 || (v[1] == 19 && v[2] >= 4) || (v[1] == 18 && v[2] >= 14) ||
		 (v[1] == 12 && v[2] >= 115))
		*how = RXE_PAGE_INFO;
	else
		*how = RXE_XARRAY;
	return 0;
}

int rxe_max_mr_bytes_ps(const char *device_name, const char *kernel_release, uint64_t page_size,
			uint64_t *max)
{
	enum rxe_pages how;
	uint64_t kmax = page_size << RXE_KMALLOC_MAX_PAGES_SHIFT;

	if (!device_name || !max || page_size < RXE_PHYS_BUF_BYTES || (page_size & (page_size - 1)))
		return -EINVAL;
	if (rxe_pages_of(kernel_release, &how))
		return -EINVAL;
	if (strncmp(device_name, "rxe", 3))
		return -ENOENT;
	switch (how) {
	case RXE_PAGE_INFO:
		*max = kmax / RXE_PAGE_INFO_BYTES * page_size;
		return 0;
	case RXE_MAP_SETS:
		*max = kmax / RXE_MAP_PTR_BYTES * (page_size / RXE_PHYS_BUF_BYTES) * page_size;
		return 0;
	case RXE_XARRAY:
		break;
	}
	return -ENOENT;
}

int rxe_max_mr_bytes(const char *device_name, const char *kernel_release, uint64_t *max)
{
	long ps = sysconf(_SC_PAGESIZE);

	return rxe_max_mr_bytes_ps(device_name, kernel_release, ps > 0 ? (uint64_t)ps : 4096, max);
}

const char *rxe_limit_reason(const char *kernel_release)
{
	enum rxe_pages how;

	if (rxe_pages_of(kernel_release, &how))
		return "";
	switch (how) {
	case RXE_PAGE_INFO:
		return "rdma_rxe keeps 16 bytes per page of an MR in one kcalloc (rxe_mr_init_user), and kmalloc stops at 4 MiB";
	case RXE_MAP_SETS:
		return "rdma_rxe keeps one pointer per 256 pages of an MR in one kmalloc_array (rxe_mr_alloc), and kmalloc stops at 4 MiB";
	case RXE_XARRAY:
		break;
	}
	return "";
}

int rxe_mr_len_check(const char *device_name, uint64_t len)
{
	struct utsname u;
	uint64_t max;
	char a[16], b[16];

	if (uname(&u) || rxe_max_mr_bytes(device_name, u.release, &max) || len <= max)
		return 0;
	pb_err("%s cannot register %s in one memory region on %s: at most %s (%s); use --sizes up to %s for soft-RoCE, or a real RDMA NIC; size skipped",
	       device_name, pb_fmt_size(len, a, sizeof(a)), u.release, pb_fmt_size(max, b, sizeof(b)),
	       rxe_limit_reason(u.release), b);
	return -E2BIG;
}
