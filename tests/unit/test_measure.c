// SPDX-License-Identifier: GPL-2.0
/*
 * The one measuring loop (bench/measure.c) with the null method, which pins
 * nothing: one pin and one unpin row per rep, warm-ups not recorded, every
 * row ok and of its setting, nothing left held, and the pin audit around
 * each op balanced.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "audit.h"
#include "driver.h"
#include "measure.h"
#include "pb.h"
#include "region.h"
#include "results.h"

static const struct region_kind anon_kind = { .name = "anon" };

static void test_null_size(void **state)
{
	const uint64_t size = 64 * PB_KIB;
	const int reps = 5;
	struct results_out out;
	struct rowset keep = { 0 };
	struct measure m = { 0 };
	struct region r = { 0 };
	struct audit_input in = { .foll_pin = 1, .expected = 0 };
	struct audit_result res;
	char path[64];
	int seen[5] = { 0 };

	(void)state;
	pb_quiet = 1;
	m.ctx.drv = driver_find("null");
	assert_non_null(m.ctx.drv);
	r.kind = &anon_kind;
	snprintf(r.backing, sizeof(r.backing), "anon");
	r.align = 4096;
	r.len = size;
	r.addr = aligned_alloc(4096, size);
	assert_non_null(r.addr);
	snprintf(path, sizeof(path), "/tmp/pb-test-measure-%d.csv", (int)getpid());
	assert_int_equal(results_open(&out, path), 0);
	m.ctx.r = m.r = &r;
	m.out = &out;
	m.keep = &keep;
	m.audit = 1;
	m.base.threads = 1;
	snprintf(m.base.method, sizeof(m.base.method), "null");
	snprintf(m.base.region, sizeof(m.base.region), "anon");
	assert_int_equal(m.ctx.drv->open(&m.ctx, &r), 0);

	assert_int_equal(measure_size(&m, size, 2, reps), 0);
	assert_int_equal(m.pinned, 0);
	assert_int_equal(keep.n, 2 * reps);
	assert_int_equal(m.ok_rows, 2 * reps);
	for (size_t i = 0; i < keep.n; i++) {
		const struct row *row = &keep.rows[i];

		/* pin, unpin, pin, ...: rep k's pair, warm-ups left out. */
		assert_string_equal(row->op, i % 2 ? "unpin" : "pin");
		assert_int_equal(row->rep, (int)(i / 2));
		seen[row->rep]++;
		assert_int_equal(row->size, size);
		assert_string_equal(row->status, "ok");
		assert_string_equal(row->method, "null");
		assert_true(row->ns < PB_GIB);	/* no call takes a second */
		if (row->pins_acq < 0 || row->pins_rel < 0) {
			in.acquired = in.released = -1;	/* no counters here */
		} else if (in.acquired >= 0) {
			in.acquired += row->pins_acq;
			in.released += row->pins_rel;
		}
	}
	for (int k = 0; k < reps; k++)
		assert_int_equal(seen[k], 2);
	/* Pinning nothing leaves the counters as others leave them: balanced. */
	in.exact = audit_exact();
	in.slack = audit_slack();
	audit_judge(&in, &res);
	assert_true(res.verdict == AUDIT_BALANCED || res.verdict == AUDIT_NOT_COUNTED);

	m.ctx.drv->close(&m.ctx);
	results_abandon(&out, 0);
	rowset_free(&keep);
	free(r.addr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_null_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
