/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Many pins at once (--chunk, --threads): each size is split into one slice
 * per thread and each slice into calls of --chunk bytes. Threads start
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

/* Shared with measure.c: one result row (rep < 0: not written), and the pin counters. */
int measure_row(struct measure *m, struct row *row, int rep, const char *op, uint64_t size, uint64_t ns,
		int err, const struct pin_counts *b, const struct pin_counts *a);
void measure_counts(struct measure *m, struct pin_counts *c);

/* Calls per thread and bytes per call of size split for threads with chunk (0: whole slices). */
void many_split(uint64_t size, int threads, uint64_t chunk, int iovecs, uint64_t *ncalls, uint64_t *len);

#endif
