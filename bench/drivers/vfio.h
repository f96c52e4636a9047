/* SPDX-License-Identifier: GPL-2.0 */
/* The testable pieces of drivers/vfio.c. */
#ifndef PB_DRIVERS_VFIO_H
#define PB_DRIVERS_VFIO_H

#include <stddef.h>
#include <stdint.h>

/*
 * From the names in /dev/vfio, the only numeric one (a group; "vfio" is the
 * container, "noiommu-N" groups cannot use type1). 0 and *group, or -ENOENT
 * (none) / -EEXIST (several, listed in why: pick one with --vfio-group).
 */
int vfio_pick_group(const char *const *names, size_t n, int *group, char *why, size_t len);
/* --context per-thread: thread nth's group, the nth lowest number; -ENOENT when too few. */
int vfio_pick_nth_group(const char *const *names, size_t n, int nth, int *group, char *why, size_t len);

struct vfio_range {
	uint64_t start, end;	/* inclusive, as VFIO reports them */
};

/*
 * Is [iova, iova + size) inside one valid range? 1 if so; else 0 and, in
 * *suggest, the lowest multiple of align above iova (else the lowest of all)
 * where a range can hold size (UINT64_MAX if none can).
 */
int vfio_iova_fits(const struct vfio_range *r, size_t n, uint64_t iova, uint64_t size,
		   uint64_t align, uint64_t *suggest);

#endif
