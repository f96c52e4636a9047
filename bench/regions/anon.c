// SPDX-License-Identifier: GPL-2.0
/* anon - private anonymous DRAM in 4 KiB pages (MADV_NOHUGEPAGE). */
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>

#include "pb.h"
#include "regions/dram.h"

static int anon_describe(struct region *r, const struct region_opts *o)
{
	(void)o;
	if (r->arg[0]) {
		pb_err("anon takes no argument (got 'anon:%s'): use --region anon", r->arg);
		return -EINVAL;
	}
	r->align = 4096;
	snprintf(r->backing, sizeof(r->backing), "anon");
	return 0;
}

static int anon_map(struct region *r, const struct region_opts *o)
{
	(void)o;
	return dram_map(r, 0, MADV_NOHUGEPAGE);
}

static void anon_list(FILE *f)
{
	fprintf(f, "  anon           4 KiB anonymous pages: always available\n");
}

const struct region_kind region_anon = {
	.name = "anon",
	.usage = "anon",
	.what = "DRAM in 4 KiB pages, THP off",
	.describe = anon_describe,
	.map = anon_map,
	.unmap = dram_unmap,
	.list = anon_list,
};
