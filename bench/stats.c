// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double stats_percentile_sorted(const double *v, size_t n, double p)
{
	double h, lo;
	size_t i;

	if (!n)
		return NAN;
	h = (double)(n - 1) * p / 100.0;
	lo = floor(h);
	i = (size_t)lo;
	if (i + 1 >= n)
		return v[n - 1];
	return v[i] + (h - lo) * (v[i + 1] - v[i]);
}

void stats_compute(double *v, size_t n, struct stats *s)
{
	double sum = 0, sq = 0;

	memset(s, 0, sizeof(*s));
	s->n = n;
	if (!n) {
		s->min = s->p50 = s->p90 = s->p99 = s->max = s->mean = s->stddev = NAN;
		return;
	}
	qsort(v, n, sizeof(*v), cmp_double);
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	s->mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		sq += (v[i] - s->mean) * (v[i] - s->mean);
	s->stddev = n > 1 ? sqrt(sq / (double)(n - 1)) : 0;
	s->min = v[0];
	s->max = v[n - 1];
	s->p50 = stats_percentile_sorted(v, n, 50);
	s->p90 = stats_percentile_sorted(v, n, 90);
	s->p99 = stats_percentile_sorted(v, n, 99);
}

/* splitmix64: small, seedable, the same sequence everywhere. */
static uint64_t rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Partially order a so that a[k] is the k-th smallest (Hoare's selection). */
static void select_kth(double *a, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;

	while (lo < hi) {
		double pivot = a[lo + (hi - lo) / 2];
		size_t i = lo, j = hi;

		while (i <= j) {
			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i <= j) {
				double t = a[i];

				a[i] = a[j];
				a[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return;
	}
}

/* The median of a resample, in linear time: resamples of 20000 I/O rows are common. */
static double resampled_median(const double *v, size_t n, double *tmp, uint64_t *rng)
{
	size_t k = (n - 1) / 2;
	double lo, hi;

	for (size_t i = 0; i < n; i++)
		tmp[i] = v[rng_next(rng) % n];
	select_kth(tmp, n, k);
	lo = tmp[k];
	if (n % 2)
		return lo;
	hi = tmp[k + 1];
	for (size_t i = k + 2; i < n; i++)
		if (tmp[i] < hi)
			hi = tmp[i];
	return (lo + hi) / 2;
}

uint64_t stats_rng_next(uint64_t *state)
{
	return rng_next(state);
}

double stats_median_select(double *v, size_t n)
{
	size_t k = (n - 1) / 2;
	double hi;

	if (!n)
		return NAN;
	select_kth(v, n, k);
	if (n % 2)
		return v[k];
	hi = v[k + 1];
	for (size_t i = k + 2; i < n; i++)
		if (v[i] < hi)
			hi = v[i];
	return (v[k] + hi) / 2;
}

void stats_ratio_ci(const double *a, size_t na, const double *b, size_t nb,
		    unsigned iters, uint64_t seed, struct ratio_ci *out)
{
	double *ta, *tb, *ratios;
	uint64_t rng = seed;
	unsigned k = 0;

	memset(out, 0, sizeof(*out));
	out->ratio = out->lo = out->hi = NAN;
	if (!na || !nb || !iters)
		return;
	ta = malloc(na * sizeof(*ta));
	tb = malloc(nb * sizeof(*tb));
	ratios = malloc(iters * sizeof(*ratios));
	if (!ta || !tb || !ratios)
		goto out;

	memcpy(ta, a, na * sizeof(*ta));
	memcpy(tb, b, nb * sizeof(*tb));
	qsort(ta, na, sizeof(*ta), cmp_double);
	qsort(tb, nb, sizeof(*tb), cmp_double);
	double ma = stats_percentile_sorted(ta, na, 50);
	double mb = stats_percentile_sorted(tb, nb, 50);
	out->ratio = ma > 0 ? mb / ma : NAN;

	for (unsigned i = 0; i < iters; i++) {
		double ra = resampled_median(a, na, ta, &rng);
		double rb = resampled_median(b, nb, tb, &rng);

		if (ra > 0)
			ratios[k++] = rb / ra;
	}
	stats_ratio_interval(ratios, k, out);
out:
	free(ta);
	free(tb);
	free(ratios);
}

void stats_sort(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
}

void stats_ratio_interval(double *ratios, size_t k, struct ratio_ci *out)
{
	if (!k)
		return;
	stats_sort(ratios, k);
	out->lo = stats_percentile_sorted(ratios, k, 2.5);
	out->hi = stats_percentile_sorted(ratios, k, 97.5);
	out->significant = out->lo > 1.0 || out->hi < 1.0;
}
