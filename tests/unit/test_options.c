// SPDX-License-Identifier: GPL-2.0
/*
 * pinbench run's options: the general table and each method's own (its
 * driver's .opts): names unique over all tables, a method's options stored
 * with its defaults when it is the method, and refused with any other.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "driver.h"
#include "options.h"
#include "pb.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int parse(struct options *o, char **argv, int argc)
{
	return options_parse(o, argc, argv);
}

/* The value of DRV's own option NAME, as pinbench run stored it. */
static const void *stored(const char *method, const char *name)
{
	const struct pin_driver *d = driver_find(method);

	assert_non_null(d);
	for (const struct opt_def *o = d->opts; o && o->name; o++)
		if (!strcmp(o->name, name))
			return (const char *)d->opts_store + o->off;
	fail_msg("%s has no option %s", method, name);
	return NULL;
}

static void test_names_unique(void **state)
{
	const char *name, *other;
	size_t n = 0;

	(void)state;
	for (size_t i = 0; (name = options_name(i, NULL)); i++, n++)
		for (size_t j = 0; j < i; j++) {
			other = options_name(j, NULL);
			assert_string_not_equal(name, other);
		}
	assert_true(n > 20);
	assert_null(options_owner("reps"));
	assert_ptr_equal(options_owner("rdma-access"), driver_find("rdma"));
	assert_true(options_of_method(driver_find("rdma-odp"), "rdma-dev"));
	assert_false(options_of_method(driver_find("vfio"), "rdma-dev"));
	assert_true(options_of_method(driver_find("vfio"), "reps"));
	assert_string_equal(options_default("io-size"), "1M");
}

static void test_method_options_stored(void **state)
{
	char *given[] = { "run", "--io-size", "64K", "--region", "anon", "--method", "odirect", NULL };
	char *plain[] = { "run", "--region", "anon", "--method", "odirect", NULL };
	char *gup[] = { "run", "--method", "gup-pin", "--gup-batch", "7", "--region", "anon", NULL };
	struct options o;

	(void)state;
	/* Given before --method: kept until the method is known. */
	assert_int_equal(parse(&o, given, N(given) - 1), 0);
	assert_int_equal(*(const uint64_t *)stored("odirect", "io-size"), 64 * PB_KIB);
	/* Not given: the default, whatever an earlier parse left. */
	assert_int_equal(parse(&o, plain, N(plain) - 1), 0);
	assert_int_equal(*(const uint64_t *)stored("odirect", "io-size"), PB_MIB);
	assert_string_equal((const char *)stored("odirect", "target"), "");
	assert_int_equal(o.reps, 10);
	/* A table shared by several methods. */
	assert_int_equal(parse(&o, gup, N(gup) - 1), 0);
	assert_int_equal(*(const int *)stored("gup-fast", "gup-batch"), 7);
}

static void test_other_method_refused(void **state)
{
	char *rdma_on_vfio[] = { "run", "--region", "anon", "--method", "vfio", "--rdma-dev", "rxe0", NULL };
	char *unknown[] = { "run", "--region", "anon", "--method", "nosuch", "--vfio-iova", "8G", NULL };
	char *range[] = { "run", "--region", "anon", "--method", "odirect", "--io-size", "1K", NULL };
	char *general[] = { "run", "--region", "anon", "--method", "vfio", "--reps", "3", NULL };
	struct options o;

	(void)state;
	assert_int_equal(parse(&o, rdma_on_vfio, N(rdma_on_vfio) - 1), PB_EXIT_USAGE);
	assert_int_equal(parse(&o, unknown, N(unknown) - 1), PB_EXIT_USAGE);
	assert_int_equal(parse(&o, range, N(range) - 1), PB_EXIT_USAGE);
	assert_int_equal(parse(&o, general, N(general) - 1), 0);
	assert_int_equal(o.reps, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_unique),
		cmocka_unit_test(test_method_options_stored),
		cmocka_unit_test(test_other_method_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
