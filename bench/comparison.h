/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Comparing result sets: the same settings measured under two or more
 * labels (typically two kernels, "before" and "after" a patch).
 *
 * A setting is matched across labels on method, region, backing kind, align,
 * size and op. The backing path itself (/dev/dax0.0 vs /dev/dax1.0) and the
 * NUMA node may differ between two kernels' runs: they are not part of the
 * match, and the report says when they differ. Within one label, groups that
 * differ only in backing path, node or kernel are pooled into one cell.
 *
 * comparison.c builds it; report_*.c write it out (report.md, compare.csv,
 * gnuplot data); compare.c is the `pinbench compare` command.
 */
#ifndef PB_COMPARISON_H
#define PB_COMPARISON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "boots.h"
#include "results.h"
#include "stats.h"

#define CMP_DEFAULT_SEED 20240601ULL
#define CMP_DEFAULT_ITERS 2000U

/* One setting of one label: its samples pooled over every matching group. */
struct cmp_cell {
	struct row key;		/* setting of the first group (its backing, node, kernel) */
	double *ns;		/* ok samples; sorted once the cell is finished */
	size_t n, cap;
	size_t failed;		/* rows whose status was not ok */
	int pooled;		/* groups merged into this cell */
	int mixed;		/* those groups differed in backing or node */
	int64_t pins_acq, pins_rel;	/* summed counter deltas, -1: none counted */
	struct stats st;	/* NaNs when n == 0 */
	double p10;
	int slot;		/* colour slot of its series (region + align), 1.. */
	struct boot_split split;	/* its samples by boot (only with cmp_opts.boots) */
};

struct cmp_label {
	char name[128];
	char kernels[256];	/* the distinct kernels of its rows, ", "-separated */
	struct cmp_cell *cells;
	size_t n, cap;
};

/* One setting measured under the baseline (a) and another label (b). */
struct cmp_pair {
	const struct cmp_cell *a, *b;
	struct ratio_ci ci;	/* b/a: below 1 means b is faster */
	int hier;		/* ci is over boots (a side has 2+ boots); reps: reps only */
	struct ratio_ci reps;
};

/* A setting that could not be compared, and why. */
struct cmp_only {
	const struct cmp_cell *cell;
	size_t label;		/* index of the label it belongs to */
	int failed;		/* 0: the other label lacks it; 1: no ok sample */
};

/* The baseline against one other label. */
struct cmp_vs {
	size_t other;		/* label index */
	struct cmp_pair *pairs;	/* biggest change (|log ratio|) first */
	size_t npairs;
	struct cmp_only *only;
	size_t nonly;
	size_t nsignificant;
};

struct comparison {
	struct cmp_label *labels;	/* labels[0] is the baseline */
	size_t nlabels;
	struct cmp_vs *vs;		/* labels[0] vs labels[i], i = 1.. */
	size_t nvs;
	uint64_t seed;
	unsigned iters;
	const struct pb_boots *boots;	/* from cmp_opts, may be NULL */
	int hier;			/* some setting has 2+ boots in a label */
};

struct cmp_opts {
	const char *baseline;	/* NULL: the first label seen */
	uint64_t seed;
	unsigned iters;
	int allow_single;	/* one label is fine (plot data only) */
	/* Optional: the boots, each row's boot (row.boot) an index in them. */
	const struct pb_boots *boots;
};

/*
 * Build the comparison of every label in rs against the baseline. 0, or
 * -EINVAL after one pb_err() line (fewer than two labels, unknown baseline,
 * a label sharing no setting with the baseline), or -ENOMEM.
 */
int compare_build(struct comparison *c, const struct rowset *rs, const struct cmp_opts *o);
void compare_free(struct comparison *c);

/* Same setting for matching purposes (label, kernel, backing path, node ignored). */
int compare_same_setting(const struct row *a, const struct row *b);
/* "devdax" for /dev/daxX.Y, "file" for another path, else the backing itself. */
const char *compare_backing_kind(const char *backing);

#endif
