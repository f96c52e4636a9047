// SPDX-License-Identifier: GPL-2.0
/*
 * The breakdown's arithmetic on synthetic trace events: attribution of nested
 * listed calls (innermost wins), other = wall - named, improper nesting,
 * functions missing from available_filter_functions, trace buffer losses,
 * the breakdown file's name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "breakdown.h"
#include "breakdown_compare.h"
#include "breakdown_run.h"
#include "driver.h"
#include "phases.h"

static void test_flat_calls(void **state)
{
	struct bd_call c[] = {
		{ PHASE_GUP, 100, 300 }, { PHASE_GUP, 400, 600 }, { PHASE_SG, 300, 350 },
	};
	struct bd_split s;

	(void)state;
	bd_attribute(c, 3, 1000, &s);
	assert_int_equal(s.ns[PHASE_GUP], 400);
	assert_int_equal(s.calls[PHASE_GUP], 2);
	assert_int_equal(s.ns[PHASE_SG], 50);
	assert_int_equal(s.named, 450);
	assert_int_equal(s.ns[PHASE_OTHER], 550);
	assert_int_equal(s.ns[PHASE_WALL], 1000);
	assert_int_equal(s.bad_nesting, 0);
	assert_true(bd_coverage(&s, 1000) > 44.9 && bd_coverage(&s, 1000) < 45.1);
}

/* ib_umem_get (core) 0..1000 holds two GUP batches and an sg build; rxe (driver) holds it all. */
static void test_nested_innermost_wins(void **state)
{
	struct bd_call c[] = {
		/* exit events arrive innermost first: any order must do */
		{ PHASE_GUP, 110, 400 }, { PHASE_SG, 400, 450 }, { PHASE_GUP, 500, 900 },
		{ PHASE_CORE, 100, 1000 }, { PHASE_DRIVER, 50, 1200 },
	};
	struct bd_split s;

	(void)state;
	bd_attribute(c, 5, 1300, &s);
	assert_int_equal(s.ns[PHASE_GUP], 290 + 400);
	assert_int_equal(s.ns[PHASE_SG], 50);
	assert_int_equal(s.ns[PHASE_CORE], 900 - 290 - 50 - 400);
	assert_int_equal(s.ns[PHASE_DRIVER], 1150 - 900);
	/* Nested calls are counted once: named is the outermost call's duration. */
	assert_int_equal(s.named, 1150);
	assert_int_equal(s.ns[PHASE_OTHER], 150);
	assert_false(bd_exceeds_wall(&s, 1300));
}

/* A phase nested in itself (a recursive or wrapping listed function) is not counted twice. */
static void test_same_phase_nested(void **state)
{
	struct bd_call c[] = { { PHASE_GUP, 0, 100 }, { PHASE_GUP, 10, 90 }, { PHASE_GUP, 20, 30 } };
	struct bd_split s;

	(void)state;
	bd_attribute(c, 3, 100, &s);
	assert_int_equal(s.ns[PHASE_GUP], 100);
	assert_int_equal(s.calls[PHASE_GUP], 3);
	assert_int_equal(s.ns[PHASE_OTHER], 0);
}

/* Same start: the longer call is the outer one. */
static void test_equal_start(void **state)
{
	struct bd_call c[] = { { PHASE_IOMMU, 0, 40 }, { PHASE_DRIVER, 0, 100 } };
	struct bd_split s;

	(void)state;
	bd_attribute(c, 2, 100, &s);
	assert_int_equal(s.ns[PHASE_IOMMU], 40);
	assert_int_equal(s.ns[PHASE_DRIVER], 60);
}

/* Calls that overlap without nesting cannot be from one thread: flagged, counted whole. */
static void test_bad_nesting(void **state)
{
	struct bd_call c[] = { { PHASE_GUP, 0, 100 }, { PHASE_SG, 50, 150 } };
	struct bd_split s;

	(void)state;
	bd_attribute(c, 2, 200, &s);
	assert_int_equal(s.bad_nesting, 1);
	assert_int_equal(s.ns[PHASE_GUP], 100);
	assert_int_equal(s.ns[PHASE_SG], 100);
}

/* Phases above wall: other goes negative, and beyond the tracer's error it is flagged. */
static void test_exceeds_wall(void **state)
{
	struct bd_call c[] = { { PHASE_GUP, 0, 1000000 } };
	struct bd_split s;

	(void)state;
	bd_attribute(c, 1, 990000, &s);
	assert_int_equal(s.ns[PHASE_OTHER], -10000);
	assert_false(bd_exceeds_wall(&s, 990000));	/* within 1% + 5 us per call */
	bd_attribute(c, 1, 500000, &s);
	assert_true(bd_exceeds_wall(&s, 500000));
}

static void test_no_calls(void **state)
{
	struct bd_split s;

	(void)state;
	bd_attribute(NULL, 0, 777, &s);
	assert_int_equal(s.named, 0);
	assert_int_equal(s.ns[PHASE_OTHER], 777);
	assert_true(bd_coverage(&s, 0) == 0.0);
}

/* Functions missing from available_filter_functions are found, module suffixes understood. */
static void test_missing_functions(void **state)
{
	const char *avail = "pin_user_pages_fast\n"
			    "pin_user_pages_fast_only\n"
			    "ib_umem_get [ib_uverbs]\n"
			    "rxe_mr_init_user_x [rdma_rxe]\n"
			    "dma_map_sgtable";
	const struct phase_fn *lines;
	int present[64];
	size_t n = phases_of("rdma", &lines), missing;

	(void)state;
	assert_true(n >= 8 && n <= 64);
	missing = phases_resolve(avail, lines, n, present);
	for (size_t k = 0; k < n; k++) {
		const char *f = lines[k].func;
		int want = !strcmp(f, "pin_user_pages_fast") || !strcmp(f, "ib_umem_get") ||
			   !strcmp(f, "dma_map_sgtable");

		assert_int_equal(present[k], want);
	}
	assert_int_equal(missing, n - 3);
	/* Each method has its own lines; an unknown method has none. */
	assert_int_equal(phases_of("no-such-method", &lines), 0);
	assert_null(lines);
	assert_true(phases_of("vfio", &lines) >= 5);
}

/* Every method's lines name an op, a named phase and a function. */
static void test_table_sane(void **state)
{
	size_t with_phases = 0;

	(void)state;
	for (int d = 0; pin_drivers[d]; d++) {
		const struct phase_fn *lines;
		size_t n = phases_of(pin_drivers[d]->name, &lines);

		with_phases += n > 0;
		for (size_t i = 0; i < n; i++) {
			const struct phase_fn *p = &lines[i];

			assert_non_null(p->func);
			assert_non_null(p->note);
			assert_true(p->phase >= 0 && p->phase < PHASE_NAMED);
			assert_true(!strcmp(p->op, "pin") || !strcmp(p->op, "unpin"));
			/* An ftrace filter name: not empty, no blanks. */
			assert_true(p->func[0] != '\0' && !strpbrk(p->func, " \t"));
			/* The page walk only ever splits a pin's wall time. */
			if (p->phase == PHASE_GUP)
				assert_string_equal(p->op, "pin");
			/* One line per (op, function): a second one would make the
			 * function's time land in whichever phase the lookup finds first. */
			for (size_t j = 0; j < i; j++)
				assert_false(!strcmp(lines[j].op, p->op) && !strcmp(lines[j].func, p->func));
		}
	}
	/* rdma, rdma-odp, vfio, iouring, odirect and the three gup_test methods. */
	assert_true(with_phases >= 8);
	assert_string_equal(phase_name(PHASE_OTHER), "other");
	assert_string_equal(phase_name(PHASE_WALL), "wall");
	assert_string_equal(phase_name(99), "?");
}

static void test_stats_lost(void **state)
{
	const char *clean = "entries: 12\noverrun: 0\ncommit overrun: 0\nbytes: 4000\n"
			    "oldest event ts: 1.0\nnow ts: 2.0\ndropped events: 0\nread events: 3\n";
	const char *lost = "entries: 12\noverrun: 40\ncommit overrun: 2\nbytes: 4000\ndropped events: 7\n";

	(void)state;
	assert_int_equal(bd_stats_lost(clean), 0);
	assert_int_equal(bd_stats_lost(lost), 49);
	assert_int_equal(bd_stats_lost("entries: 3\n"), -1);
	assert_int_equal(bd_stats_lost(""), -1);
	assert_int_equal(bd_stats_lost("overrun: x\n"), -1);
}

static void test_path(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(breakdown_path(buf, sizeof(buf), "results/a/x-rdma.csv"), 0);
	assert_string_equal(buf, "results/a/x-rdma.breakdown");
	assert_int_equal(breakdown_path(buf, sizeof(buf), "out"), 0);
	assert_string_equal(buf, "out.breakdown");
	assert_int_not_equal(breakdown_path(buf, 8, "results/a/x-rdma.csv"), 0);
}

/* A breakdown row as pinbench compare reads it back. */
static void test_parse_line(void **state)
{
	struct bd_sample_set k;
	double ns;
	int ok;

	(void)state;
	assert_int_equal(bd_parse_line("bd,6.1.0-57-amd64,vfio,devdax,/dev/dax0.0,2097152,1,67108864,0,pin,iommu,49775,1,ok\n",
				       &k, &ns, &ok), 0);
	assert_string_equal(k.label, "bd");
	assert_string_equal(k.method, "vfio");
	assert_string_equal(k.op, "pin");
	assert_int_equal(k.phase, PHASE_IOMMU);
	assert_int_equal(k.align, 2097152);
	assert_int_equal(k.size, 67108864);
	assert_true(ns == 49775.0);
	assert_int_equal(ok, 1);
	assert_int_equal(bd_parse_line("a,k,rdma,devdax,/d,4096,0,4096,2,unpin,other,-300,0,overrun", &k, &ns, &ok), 0);
	assert_true(ns == -300.0);
	assert_int_equal(ok, 0);
	assert_int_equal(k.phase, PHASE_OTHER);
	/* wrong phase, too few or too many fields, a non-number */
	assert_int_not_equal(bd_parse_line("a,k,rdma,devdax,/d,4096,0,4096,2,unpin,nosuch,1,0,ok", &k, &ns, &ok), 0);
	assert_int_not_equal(bd_parse_line("a,k,rdma,devdax,/d,4096,0,4096,2,unpin,gup,1,0", &k, &ns, &ok), 0);
	assert_int_not_equal(bd_parse_line("a,k,rdma,devdax,/d,4096,0,4096,2,unpin,gup,1,0,ok,x", &k, &ns, &ok), 0);
	assert_int_not_equal(bd_parse_line("a,k,rdma,devdax,/d,4096,0,4K,2,unpin,gup,1,0,ok", &k, &ns, &ok), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flat_calls),
		cmocka_unit_test(test_nested_innermost_wins),
		cmocka_unit_test(test_same_phase_nested),
		cmocka_unit_test(test_equal_start),
		cmocka_unit_test(test_bad_nesting),
		cmocka_unit_test(test_exceeds_wall),
		cmocka_unit_test(test_no_calls),
		cmocka_unit_test(test_missing_functions),
		cmocka_unit_test(test_table_sane),
		cmocka_unit_test(test_stats_lost),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_parse_line),
	};

	return cmocka_run_group_tests_name("breakdown", tests, NULL, NULL);
}
