// SPDX-License-Identifier: GPL-2.0
/* Statistics against values computed by hand (R's quantile type 7). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "stats.h"

static void test_known_sample(void **state)
{
	double v[] = { 9, 1, 8, 2, 7, 3, 6, 4, 5, 10 };
	struct stats s;

	(void)state;
	stats_compute(v, 10, &s);
	assert_int_equal(s.n, 10);
	assert_float_equal(s.min, 1, 1e-12);
	assert_float_equal(s.max, 10, 1e-12);
	assert_float_equal(s.p50, 5.5, 1e-12);
	assert_float_equal(s.p90, 9.1, 1e-12);
	assert_float_equal(s.p99, 9.91, 1e-12);
	assert_float_equal(s.mean, 5.5, 1e-12);
	assert_float_equal(s.stddev, 3.0276503540974917, 1e-12);
}

static void test_single_and_empty(void **state)
{
	double one[] = { 42 };
	struct stats s;

	(void)state;
	stats_compute(one, 1, &s);
	assert_float_equal(s.p50, 42, 0);
	assert_float_equal(s.p99, 42, 0);
	assert_float_equal(s.stddev, 0, 0);
	stats_compute(NULL, 0, &s);
	assert_int_equal(s.n, 0);
	assert_true(isnan(s.p50));
}

static void test_percentile_ends(void **state)
{
	double v[] = { 10, 20, 30 };

	(void)state;
	assert_float_equal(stats_percentile_sorted(v, 3, 0), 10, 0);
	assert_float_equal(stats_percentile_sorted(v, 3, 100), 30, 0);
	assert_float_equal(stats_percentile_sorted(v, 3, 25), 15, 1e-12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_sample),
		cmocka_unit_test(test_single_and_empty),
		cmocka_unit_test(test_percentile_ends),
	};

	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
