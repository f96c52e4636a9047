/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the writers of a comparison share: report_md*.c (report.md),
 * report_csv.c (compare.csv), report_boots.c (boots.csv), report_plot.c
 * (gnuplot data). Inside the report only; report.h is the interface.
 */
#ifndef PB_REPORT_COMMON_H
#define PB_REPORT_COMMON_H

#include <stdint.h>
#include <stdio.h>

#include "comparison.h"

/* A time per 4 KiB page of a call of size bytes. */
double report_per_4k(double ns, uint64_t size);
/* A CSV number and its comma; NaN: the empty field. */
void report_csv_num(FILE *f, double v);
/* Boot i of the comparison, NULL when none. */
const struct pb_boot *report_boot_at(const struct comparison *c, int i);

/* Sections of report.md (report_md_boots.c, report_md_audit.c). */
int report_md_boots_listed(const struct comparison *c);
void report_md_boots(FILE *f, const struct comparison *c);
void report_md_disagree(FILE *f, const struct comparison *c);
void report_md_audit(FILE *f, const struct comparison *c);

#endif
