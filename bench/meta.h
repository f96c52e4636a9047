/* SPDX-License-Identifier: GPL-2.0 */
#ifndef PB_META_H
#define PB_META_H

#include <stdint.h>
#include "driver.h"
#include "options.h"
#include "region.h"
#include "results.h"

struct meta_info {
	const struct options *opt;
	const struct region *r;
	const struct pin_driver *drv;
	int cpu, cpu_node, audit;
	uint64_t clock_ns;
	int argc;
	char **argv;
};

/* Everything a reader needs to know where the rows came from. */
void meta_write(struct results_out *out, const struct meta_info *mi);
/*
 * The boot measured in: the kernel's boot_id ("" when unreadable) and the
 * boot_seq of --boot-seq or PINBENCH_BOOT_SEQ (-1: none), as the metadata
 * and every row name it.
 */
void meta_boot(const struct options *o, char *id, size_t len, int *seq);

#endif
