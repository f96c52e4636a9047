/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Many pins at once (--chunk, --threads): each size is dealt out to the
 * threads in chunks (or pages) and each thread pins its share in calls of
 * --chunk bytes (or in one call). Threads start
 * together from a barrier; every call is timed alone and each rep also gets
 * its wall time, first start to last return, as pin-total/unpin-total.
 */
#ifndef PB_MANY_H
#define PB_MANY_H

#include <stdint.h>

#include "audit.h"
#include "results.h"

struct measure;

int measure_many(struct measure *m, uint64_t size, int warmup, int reps);
/* The longest single call of size split the way m says. */
uint64_t many_longest_call(const struct measure *m, uint64_t size);

/* Shared with measure.c: one result row (rep < 0: not written), and the pin counters. */
int measure_row(struct measure *m, struct row *row, int rep, const char *op, uint64_t size, uint64_t ns,
		int err, const struct pin_counts *b, const struct pin_counts *a);
void measure_counts(struct measure *m, struct pin_counts *c);

/*
 * Thread t's share of size, dealt out in units (a chunk, or a page of the
 * region's align) as evenly as they go: the first size/unit % threads
 * threads get one unit more. one_call: the share is one call (no --chunk,
 * or io_uring's iovecs), else one call per unit.
 */
struct many_share {
	uint64_t off, bytes;	/* where the share starts in the region, its length */
	uint64_t ncalls, len;	/* calls and bytes per call */
};
void many_split(uint64_t size, int threads, int t, uint64_t unit, int one_call, struct many_share *sh);

#endif
