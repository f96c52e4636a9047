/* SPDX-License-Identifier: GPL-2.0 */
/* The one measuring loop: every method is timed here, the same way. */
#ifndef PB_MEASURE_H
#define PB_MEASURE_H

#include "audit.h"
#include "breakdown_run.h"
#include "driver.h"
#include "region.h"
#include "results.h"

struct measure {
	struct pin_ctx ctx;
	const struct region *r;
	struct results_out *out;
	struct rowset *keep;	/* every row written, for the end-of-run summary */
	struct row base;	/* label, kernel, method, region, backing, align, node */
	int audit;		/* read the pin counters around each op */
	int pinned;		/* a pin is held: unpin before leaving */
	long ok_rows;		/* measured rows whose status is ok */
	struct breakdown *bd;	/* --breakdown: traced reps after the timed ones, else NULL */
};

/*
 * Warm up, then measure --reps pins and unpins of [r->addr, r->addr + size),
 * writing one row per op. Stops early (-EINTR) when a signal was caught,
 * after releasing what it pinned. 0, or -errno of the failing call (after
 * pb_err() and a row with its status). With m->bd, m->bd->reps more reps
 * follow, traced: the same timing, no result rows, a breakdown per op.
 */
int measure_size(struct measure *m, uint64_t size, int warmup, int reps);

#endif
