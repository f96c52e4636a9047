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
	/*
	 * --chunk / --threads (many): each size is split into threads slices
	 * of calls of chunk bytes; tctx[t] is thread t's method context
	 * (tctx[0] is ctx; the others share its priv, or opened their own).
	 */
	int many;
	int threads;
	int per_thread;		/* each thread opened its own context */
	uint64_t chunk;		/* 0: one call per slice */
	struct pin_ctx *tctx;
	int *cpus;		/* thread t runs on cpus[t]; NULL: not placed */
};

/*
 * Warm up, then measure --reps pins and unpins of [r->addr, r->addr + size),
 * writing one row per op. Stops early (-EINTR) when a signal was caught,
 * after releasing what it pinned. 0, or -errno of the failing call (after
 * pb_err() and a row with its status). With m->bd, m->bd->reps more reps
 * follow, traced: the same timing, no result rows, a breakdown per op.
 * With m->many, the calls of all threads are timed one by one and each rep
 * adds pin-total/unpin-total rows: barrier to the last return.
 */
int measure_size(struct measure *m, uint64_t size, int warmup, int reps);

/*
 * Can size be split into m->threads slices of calls of m->chunk bytes, and
 * (limits: once the method is open) do its limits allow that many calls? 0,
 * or -EINVAL after one pb_err() naming the value and the fix.
 */
int measure_check_split(const struct measure *m, uint64_t size, int limits);

/*
 * m->many: the contexts of threads 1.. (thread 0 is m->ctx, already open):
 * sharing its priv when the method allows and --context shared, else each
 * opened for itself. 0 or -errno after pb_err(); measure_close_threads()
 * undoes it either way.
 */
int measure_open_threads(struct measure *m, int per_thread);
void measure_close_threads(struct measure *m);

#endif
