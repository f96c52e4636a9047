// SPDX-License-Identifier: GPL-2.0
/* thp - private anonymous DRAM, 2M aligned, madvise(MADV_HUGEPAGE). */
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
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

/* kB of AnonHugePages in the smaps entries overlapping [a, a + len). */
static long thp_huge_kb(uintptr_t a, uint64_t len)
{
	FILE *f = fopen("/proc/self/smaps", "re");
	char line[256];
	int in = 0;
	long kb = 0, v;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
			in = hi > a && lo < a + len;
		else if (in && sscanf(line, "AnonHugePages: %ld kB", &v) == 1)
			kb += v;
	}
	fclose(f);
	return kb;
}

/* Is it really THP? Recorded as the region's mode, warned about when not all. */
static void thp_settle(struct region *r)
{
	long kb = thp_huge_kb((uintptr_t)r->addr, r->len), want = (long)(r->len >> 10);

	if (kb < 0)
		return;
	snprintf(r->mode, sizeof(r->mode), "AnonHugePages %d%%", want ? (int)(kb * 100 / want) : 0);
	if (kb < want)
		pb_info("warning: only %ld of %ld KiB of the thp region are huge pages (AnonHugePages): the rest is 4K pages",
			kb, want);
}

static void thp_list(FILE *f)
{
	char mode[128];

	if (pb_read_file(THP_ENABLED, mode, sizeof(mode)))
		fprintf(f, "  thp            not supported by this kernel\n");
	else
		fprintf(f, "  thp            transparent huge pages: %s\n", mode);
}

const struct region_kind region_thp = {
	.name = "thp",
	.usage = "thp",
	.what = "DRAM in transparent huge pages (2M)",
	.describe = thp_describe,
	.map = thp_map,
	.unmap = dram_unmap,
	.settle = thp_settle,
	.list = thp_list,
};
