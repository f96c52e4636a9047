/* SPDX-License-Identifier: GPL-2.0 */
/* Statistics over a sample of latencies: nothing here reads the clock. */
#ifndef PB_STATS_H
#define PB_STATS_H

#include <stddef.h>
#include <stdint.h>

struct stats {
	size_t n;
	double min, p50, p90, p99, max, mean, stddev;
};

/* Sorts v in place. Percentiles interpolate linearly (type 7). */
void stats_compute(double *v, size_t n, struct stats *s);
double stats_percentile_sorted(const double *v, size_t n, double p);

/*
 * Ratio of medians b/a with a percentile-bootstrap 95% interval, resampling
 * each sample independently with a fixed-seed generator, so the same data
 * give the same interval.
 */
struct ratio_ci {
	double ratio, lo, hi;
	int significant;	/* the interval excludes 1.0 */
};
void stats_ratio_ci(const double *a, size_t na, const double *b, size_t nb,
		    unsigned iters, uint64_t seed, struct ratio_ci *out);
/* Sort ascending. */
void stats_sort(double *v, size_t n);
/* lo/hi (2.5th and 97.5th percentiles) and significance of k bootstrap
 * ratios, which it sorts; leaves out untouched when k is 0. */
void stats_ratio_interval(double *ratios, size_t k, struct ratio_ci *out);

/* The generator and the median the bootstrap uses, for other resampling schemes. */
uint64_t stats_rng_next(uint64_t *state);
/* Median of v[0..n) in linear time; reorders v. NaN when n == 0. */
double stats_median_select(double *v, size_t n);

#endif
