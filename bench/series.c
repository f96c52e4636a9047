// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "pb.h"
#include "series.h"

/* A region kind without a line here still plots, in a free slot (series_slot). */
const struct series_style series_styles[] = {
	{ "devdax", 4 * PB_KIB, 1, "#d62728" },
	{ "devdax", 2 * PB_MIB, 2, "#ff7f0e" },
	{ "devdax", PB_GIB, 3, "#9467bd" },
	{ "hugetlb", 2 * PB_MIB, 4, "#1f77b4" },
	{ "hugetlb", PB_GIB, 5, "#17becf" },
	{ "thp", 2 * PB_MIB, 6, "#2ca02c" },
	{ "anon", 4 * PB_KIB, 7, "#555555" },
	{ "fsdax", 4 * PB_KIB, 8, "#8c564b" },
	{ "fsdax", 2 * PB_MIB, 9, "#e377c2" },
	{ NULL, 0, 0, NULL },
};

const struct series_style *series_style_of(const char *kind, uint64_t align)
{
	for (const struct series_style *st = series_styles; st->kind; st++)
		if (!strcmp(st->kind, kind) && st->align == align)
			return st;
	return NULL;
}

int series_slot(const char *kind, uint64_t align)
{
	const struct series_style *st = series_style_of(kind, align);
	uint64_t h = align;

	if (st)
		return st->slot;
	for (const char *p = kind; *p; p++)
		h = h * 31 + (unsigned char)*p;
	return SERIES_FIXED_SLOTS + 1 + (int)(h % (SERIES_SLOTS - SERIES_FIXED_SLOTS));
}
