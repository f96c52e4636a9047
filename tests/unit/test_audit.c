// SPDX-License-Identifier: GPL-2.0
/* The pin audit's verdicts on synthetic counter readings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "audit.h"

static struct audit_result judge(int64_t acq, int64_t rel, int foll_pin, int exact, int64_t slack)
{
	struct audit_input in = { acq, rel, foll_pin, exact, slack, -1 };
	struct audit_result r;

	audit_judge(&in, &r);
	return r;
}

static void test_balanced(void **state)
{
	struct audit_result r = judge(5120, 5120, 1, 1, 0);
	char buf[64];

	(void)state;
	assert_int_equal(r.verdict, AUDIT_BALANCED);
	assert_string_equal(audit_verdict_str(&r, buf, sizeof(buf)), "balanced");
}

static void test_leaked(void **state)
{
	struct audit_result r = judge(5120, 4608, 1, 1, 0);
	char buf[64];

	(void)state;
	assert_int_equal(r.verdict, AUDIT_LEAKED);
	assert_int_equal(r.leaked, 512);
	assert_string_equal(audit_verdict_str(&r, buf, sizeof(buf)), "leaked 512 pages");
}

static void test_lagging_percpu_caches(void **state)
{
	char buf[64];
	struct audit_result r;

	(void)state;
	/* Not folded: a difference within the per-CPU slack is not a leak... */
	r = judge(5120, 5000, 1, 0, 250);
	assert_int_equal(r.verdict, AUDIT_BALANCED);
	/* ...but beyond it is. */
	r = judge(5120, 4000, 1, 0, 250);
	assert_int_equal(r.verdict, AUDIT_LEAKED);
	assert_int_equal(r.leaked, 1120);
	/* Folded: the slack does not apply. */
	r = judge(5120, 5000, 1, 1, 250);
	assert_int_equal(r.verdict, AUDIT_LEAKED);
	/* More released than acquired: said as such, never a negative leak. */
	r = judge(100, 103, 1, 1, 0);
	assert_int_equal(r.verdict, AUDIT_OVER_RELEASED);
	assert_string_equal(audit_verdict_str(&r, buf, sizeof(buf)), "over-released 3 pages");
}

static void test_not_counted(void **state)
{
	char buf[64];
	struct audit_result r;

	(void)state;
	r = judge(0, 0, 1, 1, 0);	/* FOLL_PIN method, kernel did not count (e.g. FOLL_GET path) */
	assert_int_equal(r.verdict, AUDIT_NOT_COUNTED);
	assert_string_equal(audit_verdict_str(&r, buf, sizeof(buf)), "not counted");
	r = judge(512, 0, 0, 1, 0);	/* not a FOLL_PIN method: others' pins are not its leak */
	assert_int_equal(r.verdict, AUDIT_NOT_COUNTED);
	r = judge(-1, -1, 1, 1, 0);	/* no counters in /proc/vmstat */
	assert_int_equal(r.verdict, AUDIT_NOT_COUNTED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_balanced),
		cmocka_unit_test(test_leaked),
		cmocka_unit_test(test_lagging_percpu_caches),
		cmocka_unit_test(test_not_counted),
	};

	return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
