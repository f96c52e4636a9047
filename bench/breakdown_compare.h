/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `pinbench compare` for breakdown files: for each result file given, its
 * RESULT.breakdown if there is one. Per (method, region, align, size, op,
 * phase): the median ns of each label and, against the baseline label, the
 * ratio of medians with the same bootstrap 95% interval as the result
 * comparison (stats_ratio_ci, same seed and resamples). Writes
 *   DIR/phases.csv   tidy, one row per (setting, phase, label)
 *   DIR/phases.md    the ratios as tables, one per method and op
 * and, for the stacked bars (scripts/plot/breakdown.gp), PLOTDIR/bd-METHOD-OP.dat:
 * at the size measured under every label that has the method, with the most region/align
 * settings (the larger one at a tie), one line per label x region/align,
 * one column per phase (median ns; other clamped at 0).
 */
#ifndef PB_BREAKDOWN_COMPARE_H
#define PB_BREAKDOWN_COMPARE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "outset.h"
#include "phases.h"

struct bd_sample_set {
	char label[128], method[32], region[32], op[8];
	uint64_t align, size;
	int phase;
	double *ns;
	size_t n, cap;
	size_t failed;		/* rows whose status was not ok */
};

struct bd_compare {
	struct bd_sample_set *sets;
	size_t n, cap;
	char labels[16][128];	/* in order of first appearance; [0] the baseline */
	size_t nlabels;
	size_t files;		/* breakdown files read */
};

/* Parse one data line of a breakdown file into *s's key and *ns. 0 or -EINVAL. */
int bd_parse_line(const char *line, struct bd_sample_set *key, double *ns, int *ok);
/* Read RESULT.breakdown of every result path given (missing ones are fine). 0 or -errno. */
int bd_compare_load(struct bd_compare *c, char *const *results, size_t n, const char *baseline);
/*
 * The bar data into PLOTDIR (a folder of SET being written), and unless
 * plot_only DIR/phases.csv and DIR/phases.md added to SET. 1 when the phases
 * were added, 0 when there is no breakdown, -errno after pb_err().
 */
int bd_compare_write(struct bd_compare *c, struct outset *set, const char *dir, const char *plotdir,
		     int plot_only, unsigned iters, uint64_t seed);
void bd_compare_free(struct bd_compare *c);

#endif
