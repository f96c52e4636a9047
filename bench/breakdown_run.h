/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `pinbench run --breakdown`: traced repetitions after the timed ones of
 * every size (the tracer is set only then: no hook during the timed reps),
 * each op split into phases and written to a breakdown file beside the result
 * file (RESULT.csv -> RESULT.breakdown, .partial while running), tidy:
 *
 *   label,kernel,method,region,backing,align,node,size,rep,op,phase,ns,calls,status
 *
 * One row per (setting, size, rep, op, phase): every named phase one of
 * whose functions (phase table, for this op) the kernel can trace, then "other" (wall minus the named phases,
 * may be slightly negative within the tracer's error) and "wall" (the traced
 * op's wall time, same clock as the result rows). calls: listed calls
 * attributed to the phase. status: ok, or "overrun" when the trace buffer
 * lost events during that op (its phases are undercounted: never silently).
 */
#ifndef PB_BREAKDOWN_RUN_H
#define PB_BREAKDOWN_RUN_H

#include <stdint.h>
#include <stdio.h>

#include "breakdown.h"
#include "results.h"

#define BREAKDOWN_FORMAT 1
#define BREAKDOWN_COLUMNS "label,kernel,method,region,backing,align,node,size,rep,op,phase,ns,calls,status"

struct bd_tracer;

struct bd_rec {
	uint64_t size;
	char op[8];
	int rep;
	uint64_t wall, named;
	int64_t lost;
	struct bd_split split;
};

struct breakdown {
	struct bd_tracer *tr;
	struct results_out out;
	int reps;		/* --breakdown-reps */
	int phases[2][PHASE_NAMED];	/* [pin, unpin]: a traced function of the op makes it */
	struct bd_rec *recs;
	size_t n, cap;
};


/*
 * Set up the tracer for METHOD and open the breakdown file beside
 * RESULT_PATH. 0, or -errno after pb_err() (-ENODEV: the tracer is not
 * available here, -EBUSY: in use).
 */
int breakdown_open(struct breakdown *b, const char *method, const char *result_path, int reps);
/* After the timed reps of every size: set the tracer (patches kernel text). 0 or -errno after pb_err(). */
int breakdown_arm(struct breakdown *b);
/* Around one traced op (right outside the timed window). */
int breakdown_begin(struct breakdown *b);
int breakdown_end(struct breakdown *b, const struct row *base, uint64_t size, int rep, const char *op,
		  uint64_t wall);
/*
 * Per (size, op): coverage, the traced wall against the median of the timed
 * (untraced) rows in TIMED, the phase shares; warnings for low coverage,
 * phases above wall and lost events. Also into the file as "# coverage:" lines.
 */
void breakdown_report(struct breakdown *b, FILE *f, const struct rowset *timed);
/* Put the tracer back as it was (as soon as the measuring is done). */
void breakdown_untrace(struct breakdown *b);
/* Restore the tracer; keep the file (renamed when complete) or remove it. */
void breakdown_close(struct breakdown *b, int complete, int keep);

#endif
