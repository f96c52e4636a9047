/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How graphs draw a series (a region kind at one align): a colour slot,
 * which is a linetype of scripts/plot/style.gp, and that linetype's colour.
 * A table of data only, so that compare and the plots need no pinning
 * library; tests/plot/style_table.sh holds style.gp to it and test_series
 * holds its kind names to the region kinds.
 */
#ifndef PB_SERIES_H
#define PB_SERIES_H

#include <stdint.h>

struct series_style {
	const char *kind;	/* a region kind's name; NULL ends the table */
	uint64_t align;		/* the series' page size */
	int slot;		/* 1..SERIES_FIXED_SLOTS, each slot claimed by one series */
	const char *colour;	/* "#rrggbb" */
};

/* Slots the table claims; style.gp's 10..12 take the series it lacks. */
#define SERIES_FIXED_SLOTS 9
#define SERIES_SLOTS 12

extern const struct series_style series_styles[];

/* KIND's style at ALIGN, or NULL. */
const struct series_style *series_style_of(const char *kind, uint64_t align);
/* Colour slot of the series KIND + ALIGN: its style's, else one of 10..12, stable per series. */
int series_slot(const char *kind, uint64_t align);

#endif
