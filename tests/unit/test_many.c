// SPDX-License-Identifier: GPL-2.0
/*
 * The many-pins loop (--chunk, --threads) on a fake method that only counts:
 * every call pinned is released, rows per call and per rep, the split rules,
 * a failing call and a signal mid-rep leave nothing held. Also built with
 * ThreadSanitizer (make check-tsan).
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "driver.h"
#include "many.h"
#include "measure.h"
#include "pb.h"
#include "region.h"
#include "results.h"

static atomic_long held, pinned_total, calls_seen;
static atomic_long fail_at = -1, stop_at = -1;
static atomic_long max_calls_limit;

static int fake_pin(struct pin_ctx *ctx, struct pin_call *c)
{
	long n = atomic_fetch_add(&calls_seen, 1);

	(void)ctx;
	if (n == atomic_load(&fail_at))
		return -ENOMEM;
	if (n == atomic_load(&stop_at))
		pb_stop_signal = SIGINT;
	c->h = c->addr;
	atomic_fetch_add(&held, 1);
	atomic_fetch_add(&pinned_total, 1);
	return 0;
}

static int fake_unpin(struct pin_ctx *ctx, struct pin_call *c)
{
	(void)ctx;
	assert_non_null(c->h);
	c->h = NULL;
	atomic_fetch_sub(&held, 1);
	return 0;
}

static int fake_limits(struct pin_ctx *ctx, struct pin_limits *l)
{
	(void)ctx;
	l->max_calls = (uint64_t)atomic_load(&max_calls_limit);
	snprintf(l->why, sizeof(l->why), "fake allows %ld", (long)l->max_calls);
	return 0;
}

static atomic_long max_len_limit;

static int fake_check_len(struct pin_ctx *ctx, uint64_t len)
{
	(void)ctx;
	return atomic_load(&max_len_limit) && len > (uint64_t)atomic_load(&max_len_limit) ? -E2BIG : 0;
}

static const struct pin_driver fake = {
	.name = "fake",
	.flags = PIN_SHARED,
	.check_len = fake_check_len,
	.limits = fake_limits,
	.pin = fake_pin,
	.unpin = fake_unpin,
};

static const struct region_kind fake_kind = { .name = "anon" };

struct fixture {
	struct region r;
	struct measure m;
	struct results_out out;
	struct rowset keep;
	char path[64];
};

static struct fixture *setup(int threads, uint64_t chunk, uint64_t len)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	atomic_store(&held, 0);
	atomic_store(&pinned_total, 0);
	atomic_store(&calls_seen, 0);
	atomic_store(&fail_at, -1);
	atomic_store(&stop_at, -1);
	atomic_store(&max_calls_limit, 0);
	atomic_store(&max_len_limit, 0);
	pb_stop_signal = 0;
	pb_quiet = 1;
	f->r.kind = &fake_kind;
	snprintf(f->r.backing, sizeof(f->r.backing), "anon");
	f->r.align = 4096;
	f->r.len = len;
	f->r.addr = aligned_alloc(4096, len);
	assert_non_null(f->r.addr);
	snprintf(f->path, sizeof(f->path), "/tmp/pb-test-many-%d.csv", (int)getpid());
	assert_int_equal(results_open(&f->out, f->path), 0);
	f->m.ctx.drv = &fake;
	f->m.ctx.r = &f->r;
	f->m.r = &f->r;
	f->m.out = &f->out;
	f->m.keep = &f->keep;
	f->m.many = 1;
	f->m.threads = threads;
	f->m.chunk = chunk;
	f->m.base.threads = 1;
	snprintf(f->m.base.method, sizeof(f->m.base.method), "fake");
	return f;
}

static void teardown(struct fixture *f)
{
	measure_close_threads(&f->m);
	results_abandon(&f->out, 0);
	rowset_free(&f->keep);
	free(f->r.addr);
	free(f);
	pb_stop_signal = 0;
}

static size_t count_op(const struct rowset *s, const char *op)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n; i++)
		n += !strcmp(s->rows[i].op, op);
	return n;
}

static void test_split(void **state)
{
	struct many_share sh;

	(void)state;
	many_split(1 << 30, 1, 0, 2 << 20, 0, &sh);
	assert_int_equal(sh.ncalls, 512);
	assert_int_equal(sh.len, 2 << 20);
	many_split(1 << 30, 2, 1, 2 << 20, 0, &sh);
	assert_int_equal(sh.ncalls, 256);
	assert_int_equal(sh.off, 512 << 20);
	/* Whole shares: one call each. */
	many_split(1 << 30, 2, 1, 2 << 20, 1, &sh);
	assert_int_equal(sh.ncalls, 1);
	assert_int_equal(sh.len, 512 << 20);
	/* 512 pages among 3 threads: 171, 171, 170, back to back. */
	many_split(1 << 30, 3, 0, 2 << 20, 1, &sh);
	assert_int_equal(sh.bytes, 171ULL << 21);
	many_split(1 << 30, 3, 2, 2 << 20, 0, &sh);
	assert_int_equal(sh.ncalls, 170);
	assert_int_equal(sh.off, 342ULL << 21);
	assert_int_equal(sh.off + sh.bytes, 1 << 30);
}

static void run_many(int threads, uint64_t chunk, uint64_t size, int reps)
{
	struct fixture *f = setup(threads, chunk, size);
	uint64_t calls = chunk ? size / chunk : (uint64_t)threads, most = (calls + (uint64_t)threads - 1) / (uint64_t)threads;

	assert_int_equal(measure_check_split(&f->m, size, 1), 0);
	assert_int_equal(measure_open_threads(&f->m, 0), 0);
	assert_int_equal(measure_size(&f->m, size, 1, reps), 0);
	assert_int_equal(atomic_load(&held), 0);
	assert_int_equal(atomic_load(&pinned_total), (long)(calls * (uint64_t)(reps + 1)));
	assert_int_equal(count_op(&f->keep, "pin"), calls * (uint64_t)reps);
	assert_int_equal(count_op(&f->keep, "unpin"), calls * (uint64_t)reps);
	assert_int_equal(count_op(&f->keep, "pin-total"), reps);
	assert_int_equal(count_op(&f->keep, "unpin-total"), reps);
	for (size_t i = 0; i < f->keep.n; i++) {
		const struct row *r = &f->keep.rows[i];

		assert_int_equal(r->threads, threads);
		assert_int_equal(r->chunk, chunk);
		if (strstr(r->op, "total")) {
			assert_int_equal(r->thread, -1);
		} else {
			assert_in_range(r->thread, 0, threads - 1);
			assert_in_range(r->call, 0, (long)most - 1);
		}
	}
	teardown(f);
}

static void test_chunked(void **state)
{
	(void)state;
	run_many(1, 64 << 10, 1 << 20, 3);
}

static void test_threads_whole(void **state)
{
	(void)state;
	run_many(2, 0, 1 << 20, 3);
}

static void test_threads_chunked(void **state)
{
	(void)state;
	run_many(3, 16 << 10, 3 << 20, 4);
}

/* Shares that do not come out even: 256 pages or 16 chunks among 3 threads. */
static void test_threads_uneven(void **state)
{
	(void)state;
	run_many(3, 0, 1 << 20, 2);
	run_many(3, 64 << 10, 1 << 20, 2);
}

static void test_bad_split(void **state)
{
	struct fixture *f = setup(3, 0, 1 << 20);

	(void)state;
	/* 8K is two 4K pages: too few for three threads; 1M deals out unevenly, fine. */
	assert_int_equal(measure_check_split(&f->m, 8 << 10, 1), -EINVAL);
	assert_int_equal(measure_check_split(&f->m, 1 << 20, 1), 0);
	f->m.threads = 1;
	f->m.chunk = 6000;
	assert_int_equal(measure_check_split(&f->m, 1 << 20, 1), -EINVAL);
	f->m.chunk = 12 << 10;	/* a multiple of 4K that does not divide 1M */
	assert_int_equal(measure_check_split(&f->m, 1 << 20, 1), -EINVAL);
	f->m.chunk = 4096;
	atomic_store(&max_calls_limit, 100);
	assert_int_equal(measure_check_split(&f->m, 1 << 20, 1), -EINVAL);
	atomic_store(&max_calls_limit, 256);
	assert_int_equal(measure_check_split(&f->m, 1 << 20, 1), 0);
	teardown(f);
}

/* A call longer than the device takes: the size is skipped before anything is pinned. */
static void test_len_skip(void **state)
{
	struct fixture *f = setup(2, 0, 1 << 20);

	(void)state;
	assert_int_equal(measure_open_threads(&f->m, 0), 0);
	atomic_store(&max_len_limit, 256 << 10);
	assert_int_equal(measure_size(&f->m, 1 << 20, 1, 2), -E2BIG);	/* shares of 512K */
	assert_int_equal(atomic_load(&calls_seen), 0);
	assert_int_equal(f->keep.n, 0);
	assert_int_equal(measure_size(&f->m, 512 << 10, 1, 2), 0);	/* shares of 256K */
	assert_int_equal(atomic_load(&held), 0);
	teardown(f);
}

static void test_failure_releases(void **state)
{
	struct fixture *f = setup(2, 4096, 1 << 20);

	(void)state;
	assert_int_equal(measure_open_threads(&f->m, 0), 0);
	atomic_store(&fail_at, 300);
	assert_int_equal(measure_size(&f->m, 1 << 20, 0, 5), -ENOMEM);
	assert_int_equal(atomic_load(&held), 0);
	teardown(f);
}

static void test_signal_releases(void **state)
{
	struct fixture *f = setup(2, 4096, 1 << 20);

	(void)state;
	assert_int_equal(measure_open_threads(&f->m, 0), 0);
	atomic_store(&stop_at, 700);
	assert_int_equal(measure_size(&f->m, 1 << 20, 0, 5), -EINTR);
	assert_int_equal(atomic_load(&held), 0);
	/* The interrupted rep wrote no rows: only whole reps are kept. */
	assert_int_equal(count_op(&f->keep, "pin-total"), 2);
	teardown(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_chunked),
		cmocka_unit_test(test_threads_whole),
		cmocka_unit_test(test_threads_chunked),
		cmocka_unit_test(test_threads_uneven),
		cmocka_unit_test(test_bad_split),
		cmocka_unit_test(test_len_skip),
		cmocka_unit_test(test_failure_releases),
		cmocka_unit_test(test_signal_releases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
