/* SPDX-License-Identifier: GPL-2.0 */
/* What the private-DRAM region kinds (hugetlb, thp, anon) share. */
#ifndef PB_REGIONS_DRAM_H
#define PB_REGIONS_DRAM_H

#include "region.h"

/*
 * Map r->len bytes of private anonymous memory with extra mmap flags, aligned
 * to r->align, then madvise(advice) when advice >= 0. These kinds are always
 * prefaulted by writing: reading would map the shared zero page, and a pin
 * for write would then time copy-on-write faults instead of pinning.
 */
int dram_map(struct region *r, int mmap_flags, int advice);
void dram_unmap(struct region *r);

#endif
