/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writers of a comparison, one file each: report_md.c (report.md), report_csv.c
 * (compare.csv), report_boots.c (boots.csv), report_plot.c (gnuplot data).
 */
#ifndef PB_REPORT_H
#define PB_REPORT_H

#include <stdio.h>

#include "comparison.h"

/* 0 or -errno (from the stream). */
int compare_write_report(const struct comparison *c, FILE *f,
			 char *const *inputs, size_t ninputs);
int compare_write_csv(const struct comparison *c, FILE *f);
/* boots.csv: per setting, label and boot, the boot's median and interval (c->hier). */
int compare_write_boots_csv(const struct comparison *c, FILE *f);
/*
 * gnuplot data into DIR (an empty folder: compare.c's temporary, see
 * outset.h): labels.tsv, lat-L<i>-<method>-<op>.dat (a block per series),
 * ratio-L<i>-<method>-<op>.dat (i >= 1, vs labels[0]). Format described in
 * scripts/plot/README.md. 0 or -errno after pb_err().
 */
int compare_write_plotdata(const struct comparison *c, const char *dir);
/* Remove a plot data folder: our files, then the folder (refused when it holds others). */
int compare_clear_plotdata(const char *dir);

/* "850 ns", "12.3 us", "4.56 ms", "1.23 s" */
const char *compare_fmt_ns(double ns, char *buf, size_t len);

#endif
