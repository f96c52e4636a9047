/* SPDX-License-Identifier: GPL-2.0 */
/* Summaries derived from result rows, never measured separately. */
#ifndef PB_SUMMARY_H
#define PB_SUMMARY_H

#include <stdio.h>
#include "audit.h"
#include "group.h"

#define SUMMARY_COLUMNS "label,kernel,method,region,backing,align,node,size,op,n,failed," \
	"min,p50,p90,p99,max,mean,stddev,ns_per_4k,pins_acq,pins_rel,foll_pin,verdict,chunk,threads"

/* Audit verdict for the setting of group i. */
void summary_verdict(const struct groups *gs, size_t i, struct audit_result *res);
/* Summary CSV of every group. */
void summary_write_csv(FILE *f, const struct groups *gs);
/* The human table that `pinbench run` prints; returns settings that leaked. */
int summary_print_human(FILE *f, const struct groups *gs);

#endif
