// SPDX-License-Identifier: GPL-2.0
/* thp - private anonymous DRAM, 2M aligned, madvise(MADV_HUGEPAGE). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "pb.h"
#include "regions/dram.h"

#define THP_ENABLED "/sys/kernel/mm/transparent_hugepage/enabled"

static int thp_describe(struct region *r, const struct region_opts *o)
{
	char mode[128];

	(void)o;
	if (r->arg[0]) {
		pb_err("thp takes no argument (got 'thp:%s'): use --region thp", r->arg);
		return -EINVAL;
	}
	if (pb_read_file(THP_ENABLED, mode, sizeof(mode))) {
		pb_err("this kernel has no transparent huge pages (%s is missing)", THP_ENABLED);
		return -ENODEV;
	}
	if (strstr(mode, "[never]")) {
		pb_err("transparent huge pages are off: `echo madvise > %s` (as root)", THP_ENABLED);
		return -ENODEV;
	}
	r->align = 2 * PB_MIB;
	snprintf(r->backing, sizeof(r->backing), "thp");
	return 0;
}

static int thp_map(struct region *r, const struct region_opts *o)
{
	(void)o;
	return dram_map(r, 0, MADV_HUGEPAGE);
}

static void thp_list(void)
{
	char mode[128];

	if (pb_read_file(THP_ENABLED, mode, sizeof(mode)))
		printf("  thp            not supported by this kernel\n");
	else
		printf("  thp            transparent huge pages: %s\n", mode);
}

const struct region_kind region_thp = {
	.name = "thp",
	.usage = "thp",
	.what = "DRAM in transparent huge pages (2M)",
	.describe = thp_describe,
	.map = thp_map,
	.unmap = dram_unmap,
	.list = thp_list,
};
