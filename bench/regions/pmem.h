/* SPDX-License-Identifier: GPL-2.0 */
/* Mapping persistent memory with libpmem2: shared by devdax and fsdax. */
#ifndef PB_REGIONS_PMEM_H
#define PB_REGIONS_PMEM_H

#include "region.h"

/* Open r->arg read-write and map r->len bytes shared. 0 or -errno after pb_err(). */
int pmem_map(struct region *r);
void pmem_unmap(struct region *r);

#endif
