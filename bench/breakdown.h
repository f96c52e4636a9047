/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arithmetic of `pinbench run --breakdown`, apart from the tracer so that
 * it can be tested on synthetic events: listed calls -> time per phase, the
 * trace buffer's loss counters, coverage.
 */
#ifndef PB_BREAKDOWN_H
#define PB_BREAKDOWN_H

#include <stddef.h>
#include <stdint.h>

#include "phases.h"

/* One completed call of a listed function (a funcgraph_exit event). */
struct bd_call {
	int phase;		/* enum phase of its table line */
	uint64_t call, ret;	/* trace clock, ns */
};

struct bd_split {
	int64_t ns[PHASE_COUNT];	/* per phase; [PHASE_OTHER] may be < 0 */
	uint64_t calls[PHASE_COUNT];	/* listed calls per phase */
	uint64_t named;			/* sum of the named phases */
	uint64_t bad_nesting;		/* calls overlapping without nesting */
};

/*
 * Split WALL ns among the phases of the n calls (one thread's, any order;
 * calls is reordered). Innermost listed call wins: each call counts its
 * duration minus the listed calls directly inside it. other = wall - named.
 */
void bd_attribute(struct bd_call *calls, size_t n, uint64_t wall, struct bd_split *out);

/*
 * Events lost according to one per_cpu/cpuN/stats text: "overrun" +
 * "commit overrun" + "dropped events". -1 when none of them is there.
 */
int64_t bd_stats_lost(const char *stats);

/* Named phases over wall, in percent (0 when wall is 0). */
double bd_coverage(const struct bd_split *s, uint64_t wall);

/*
 * Named phases above wall by more than the tracer's error: per listed call
 * BD_CALL_ERR_NS, plus 1%.
 */
#define BD_CALL_ERR_NS 5000
int bd_exceeds_wall(const struct bd_split *s, uint64_t wall);

#endif
