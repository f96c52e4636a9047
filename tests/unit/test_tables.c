// SPDX-License-Identifier: GPL-2.0
/*
 * The method and region kind tables hold all a method or a kind needs:
 * every method has its texts, its hooks and a title for its graphs; every
 * series colour slot belongs to one series, and compare numbers the series
 * as the graphs' style.gp does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "comparison.h"
#include "driver.h"
#include "pb.h"
#include "region.h"
#include "series.h"

static void test_methods_complete(void **state)
{
	(void)state;
	for (int i = 0; pin_drivers[i]; i++) {
		const struct pin_driver *d = pin_drivers[i];

		assert_non_null(d->name);
		assert_true(d->name[0] && !strpbrk(d->name, " \t,/"));
		assert_non_null(d->what);
		assert_non_null(d->path);
		assert_non_null(d->title);
		assert_true(d->title[0] != '\0');
		assert_non_null(d->probe);
		assert_non_null(d->open);
		assert_non_null(d->pin);
		assert_non_null(d->close);
		/* A one-shot pin releases its own pins; any other needs unpin(). */
		assert_int_equal(!!(d->flags & PIN_ONESHOT), d->unpin == NULL);
		assert_ptr_equal(driver_find(d->name), d);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(pin_drivers[j]->name, d->name);
	}
	assert_null(driver_find("no-such-method"));
}

static void test_series_slots(void **state)
{
	int owner[SERIES_FIXED_SLOTS + 1] = { 0 };

	(void)state;
	for (const struct series_style *st = series_styles; st->kind; st++) {
		int known = 0;

		for (int i = 0; region_kinds[i]; i++)
			known |= !strcmp(region_kinds[i]->name, st->kind);
		assert_true(known);
		assert_in_range(st->slot, 1, SERIES_FIXED_SLOTS);
		assert_int_equal(owner[st->slot]++, 0);
		assert_int_equal(strlen(st->colour), 7);
		assert_int_equal(st->colour[0], '#');
		assert_int_equal(strspn(st->colour + 1, "0123456789abcdefABCDEF"), 6);
		assert_int_equal(series_slot(st->kind, st->align), st->slot);
	}
	/* The slots the committed plot data carry. */
	assert_int_equal(series_slot("devdax", 4 * PB_KIB), 1);
	assert_int_equal(series_slot("devdax", PB_GIB), 3);
	assert_int_equal(series_slot("anon", 4 * PB_KIB), 7);
	assert_int_equal(series_slot("fsdax", 2 * PB_MIB), 9);
	/* Anything else: one of the shared slots, the same every time. */
	assert_in_range(series_slot("file", 4 * PB_KIB), SERIES_FIXED_SLOTS + 1, SERIES_SLOTS);
	assert_int_equal(series_slot("file", 4 * PB_KIB), series_slot("file", 4 * PB_KIB));
	assert_in_range(series_slot("devdax", 64 * PB_KIB), SERIES_FIXED_SLOTS + 1, SERIES_SLOTS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_methods_complete),
		cmocka_unit_test(test_series_slots),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
