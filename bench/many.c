// SPDX-License-Identifier: GPL-2.0
/*
 * --chunk and --threads: thread 0 is the caller, threads 1.. are started
 * once per size and wait on a barrier for each phase (pin, unpin), so all
 * start together. Only the caller writes rows, after a phase has ended.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "many.h"
#include "measure.h"
#include "pb.h"

enum step { STEP_PIN, STEP_UNPIN, STEP_EXIT };

struct team;

struct worker {
	struct team *team;
	struct pin_ctx *ctx;
	struct pin_call *calls;
	uint64_t *ns;		/* each call's time in the last phase */
	uint64_t ncalls, npinned;	/* calls[0..npinned) are held */
	uint64_t t0, t1;	/* the last phase's start and end */
	uint64_t failed;	/* the call that failed, when rc */
	int rc;
	int cpu;
	pthread_t tid;
};

struct team {
	pthread_barrier_t start, end;
	enum step phase;
	int n, started;
	struct worker *w;
};

void many_split(uint64_t size, int threads, int t, uint64_t unit, int one_call, struct many_share *sh)
{
	uint64_t units = size / unit, each = units / (uint64_t)threads, extra = units % (uint64_t)threads;
	uint64_t before = (uint64_t)t * each + ((uint64_t)t < extra ? (uint64_t)t : extra);
	uint64_t mine = each + ((uint64_t)t < extra);

	sh->off = before * unit;
	sh->bytes = mine * unit;
	sh->ncalls = one_call ? (mine ? 1 : 0) : mine;
	sh->len = one_call ? sh->bytes : unit;
}

static void work_pin(struct worker *w)
{
	const struct pin_driver *drv = w->ctx->drv;

	w->rc = 0;
	w->t0 = pb_now_ns();
	for (uint64_t i = 0; i < w->ncalls; i++) {
		struct pin_call *c = &w->calls[i];
		uint64_t a, b;
		int rc;

		if (pb_stop_signal) {
			w->rc = -EINTR;
			w->failed = i;
			break;
		}
		c->kget_ns = c->kput_ns = -1;
		a = pb_now_ns();
		rc = drv->pin(w->ctx, c);
		b = pb_now_ns();
		w->ns[i] = b - a;
		if (rc) {
			w->rc = rc;
			w->failed = i;
			break;
		}
		if (drv->unpin)
			w->npinned = i + 1;
	}
	w->t1 = pb_now_ns();
}

/* Releases every held call, even past a failure; a signal does not stop it. */
static void work_unpin(struct worker *w)
{
	const struct pin_driver *drv = w->ctx->drv;

	w->rc = 0;
	w->t0 = pb_now_ns();
	for (uint64_t i = 0; i < w->npinned; i++) {
		uint64_t a = pb_now_ns();
		int rc = drv->unpin(w->ctx, &w->calls[i]);

		w->ns[i] = pb_now_ns() - a;
		if (rc && !w->rc) {
			w->rc = rc;
			w->failed = i;
		}
	}
	w->npinned = 0;
	w->t1 = pb_now_ns();
}

static void work(struct worker *w, enum step p)
{
	if (p == STEP_PIN)
		work_pin(w);
	else if (p == STEP_UNPIN)
		work_unpin(w);
}

static void place(int cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct team *t = w->team;

	place(w->cpu);
	for (;;) {
		pthread_barrier_wait(&t->start);
		if (t->phase == STEP_EXIT)
			break;
		work(w, t->phase);
		pthread_barrier_wait(&t->end);
	}
	return NULL;
}

/* One phase on every thread at once; the caller is thread 0. */
static void run_phase(struct team *t, enum step p)
{
	t->phase = p;
	if (t->started)
		pthread_barrier_wait(&t->start);
	work(&t->w[0], p);
	if (t->started)
		pthread_barrier_wait(&t->end);
}

static int team_start(struct team *t)
{
	sigset_t all, old;
	int rc = 0, i;

	if (t->n == 1)
		return 0;
	if (pthread_barrier_init(&t->start, NULL, (unsigned)t->n))
		return -ENOMEM;
	if (pthread_barrier_init(&t->end, NULL, (unsigned)t->n)) {
		pthread_barrier_destroy(&t->start);
		return -ENOMEM;
	}
	/* Signals go to the caller, which stops the team between calls. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (i = 1; i < t->n; i++)
		if ((rc = -pthread_create(&t->w[i].tid, NULL, worker_main, &t->w[i])))
			break;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		pb_err("cannot start thread %d of %d: %s", i, t->n, strerror(-rc));
		/* The ones started wait at the barrier for a phase: cancel them. */
		for (int j = 1; j < i; j++) {
			pthread_cancel(t->w[j].tid);
			pthread_join(t->w[j].tid, NULL);
		}
		pthread_barrier_destroy(&t->start);
		pthread_barrier_destroy(&t->end);
		return rc;
	}
	t->started = 1;
	return 0;
}

static void team_stop(struct team *t)
{
	if (!t->started)
		return;
	t->phase = STEP_EXIT;
	pthread_barrier_wait(&t->start);
	for (int i = 1; i < t->n; i++)
		pthread_join(t->w[i].tid, NULL);
	pthread_barrier_destroy(&t->start);
	pthread_barrier_destroy(&t->end);
	t->started = 0;
}

static uint64_t wall(const struct team *t)
{
	uint64_t t0 = UINT64_MAX, t1 = 0;

	for (int i = 0; i < t->n; i++) {
		if (t->w[i].t0 < t0)
			t0 = t->w[i].t0;
		if (t->w[i].t1 > t1)
			t1 = t->w[i].t1;
	}
	return t1 > t0 ? t1 - t0 : 0;
}

/* The first failure of the phase (a signal only when nothing else failed); NULL if none. */
static struct worker *failure(struct team *t)
{
	struct worker *intr = NULL;

	for (int i = 0; i < t->n; i++) {
		if (t->w[i].rc == -EINTR && !intr)
			intr = &t->w[i];
		else if (t->w[i].rc && t->w[i].rc != -EINTR)
			return &t->w[i];
	}
	return intr;
}

static int call_row(struct measure *m, int rep, const char *op, uint64_t size, int th, uint64_t i,
		    uint64_t ns, int err)
{
	struct row row = m->base;

	row.thread = th;
	row.call = (int)i;
	return measure_row(m, &row, rep, op, size, ns, err, NULL, NULL);
}

/* A phase's rows: every call of every thread, then the total with the counter deltas. */
static int phase_rows(struct measure *m, struct team *t, int rep, int pin, uint64_t size,
		      const struct pin_counts *b, const struct pin_counts *a)
{
	struct row total = m->base;
	int rc;

	for (int th = 0; th < t->n; th++) {
		struct worker *w = &t->w[th];

		for (uint64_t i = 0; i < w->ncalls; i++) {
			const struct pin_call *c = &w->calls[i];

			if ((rc = call_row(m, rep, pin ? "pin" : "unpin", size, th, i, w->ns[i], 0)))
				return rc;
			if (pin && c->kget_ns >= 0 &&
			    (rc = call_row(m, rep, "kget", size, th, i, (uint64_t)c->kget_ns, 0)))
				return rc;
			if (pin && c->kput_ns >= 0 &&
			    (rc = call_row(m, rep, "kput", size, th, i, (uint64_t)c->kput_ns, 0)))
				return rc;
		}
	}
	total.thread = total.call = -1;
	return measure_row(m, &total, rep, pin ? "pin-total" : "unpin-total", size, wall(t), 0, b, a);
}

static int prepare_all(struct measure *m, struct team *t, uint64_t size)
{
	const struct pin_driver *drv = m->ctx.drv;

	if (!drv->prepare)
		return 0;
	for (int th = 0; th < t->n; th++)
		for (uint64_t i = 0; i < t->w[th].ncalls; i++) {
			int rc = drv->prepare(t->w[th].ctx, &t->w[th].calls[i]);

			if (rc) {
				char sz[16];

				pb_err("%s: cannot prepare call %llu of thread %d (%s): %s", drv->name,
				       (unsigned long long)i, th, pb_fmt_size(size, sz, sizeof(sz)), strerror(-rc));
				return rc;
			}
		}
	return 0;
}

static int held(const struct team *t)
{
	for (int i = 0; i < t->n; i++)
		if (t->w[i].npinned)
			return 1;
	return 0;
}

static int reps_loop(struct measure *m, struct team *t, uint64_t size, int warmup, int reps)
{
	const struct pin_driver *drv = m->ctx.drv;
	int rc = 0;

	for (int rep = -warmup; rep < reps; rep++) {
		struct pin_counts b, a;
		struct worker *bad;

		if (pb_stop_signal)
			return -EINTR;
		if ((rc = prepare_all(m, t, size)))
			return rc;
		measure_counts(m, &b);
		run_phase(t, STEP_PIN);
		measure_counts(m, &a);
		if ((bad = failure(t))) {
			rc = bad->rc;
			if (rc != -EINTR) {
				char sz[16];

				pb_err("%s: call %llu of thread %d (%s of %s) failed: %s", drv->name,
				       (unsigned long long)bad->failed, (int)(bad - t->w),
				       pb_fmt_size(bad->calls[bad->failed].len, sz, sizeof(sz)),
				       m->r->backing, strerror(-rc));
				call_row(m, rep < 0 ? 0 : rep, "pin", size, (int)(bad - t->w), bad->failed,
					 bad->ns[bad->failed], -rc);
			}
			return rc;
		}
		if ((rc = phase_rows(m, t, rep, 1, size, &b, &a)))
			return rc;
		if (!held(t))
			continue;
		measure_counts(m, &b);
		run_phase(t, STEP_UNPIN);
		measure_counts(m, &a);
		if ((bad = failure(t))) {
			rc = bad->rc;
			pb_err("%s: unpin call %llu of thread %d failed: %s; its pages may still be pinned", drv->name,
			       (unsigned long long)bad->failed, (int)(bad - t->w), strerror(-rc));
			call_row(m, rep < 0 ? 0 : rep, "unpin", size, (int)(bad - t->w), bad->failed,
				 bad->ns[bad->failed], -rc);
			return rc;
		}
		if ((rc = phase_rows(m, t, rep, 0, size, &b, &a)))
			return rc;
	}
	return 0;
}

/* The unit a size is dealt out in: --chunk, or a page of the region's align. */
static uint64_t many_unit(const struct measure *m, uint64_t size)
{
	uint64_t align = m->r->align ? m->r->align : 4096;

	if (!m->chunk)
		return align;
	return m->chunk < size ? m->chunk : size;
}

uint64_t many_longest_call(const struct measure *m, uint64_t size)
{
	uint64_t unit = many_unit(m, size), longest = 0;
	int one_call = !m->chunk || (m->ctx.drv->flags & PIN_IOVECS);

	for (int th = 0; th < m->threads; th++) {
		struct many_share sh;

		many_split(size, m->threads, th, unit, one_call, &sh);
		if (sh.len > longest)
			longest = sh.len;
	}
	return longest;
}

int measure_many(struct measure *m, uint64_t size, int warmup, int reps)
{
	const struct pin_driver *drv = m->ctx.drv;
	struct team t = { .n = m->threads };
	uint64_t unit = many_unit(m, size), total = 0, at = 0;
	int one_call = !m->chunk || (drv->flags & PIN_IOVECS);
	struct pin_call *calls;
	uint64_t *ns;
	char *args = NULL;
	int rc;

	for (int th = 0; th < t.n; th++) {
		struct many_share sh;

		many_split(size, t.n, th, unit, one_call, &sh);
		total += sh.ncalls;
	}
	t.w = calloc((size_t)t.n, sizeof(*t.w));
	calls = calloc((size_t)total, sizeof(*calls));
	ns = calloc((size_t)total, sizeof(*ns));
	if (drv->call_size)
		args = calloc((size_t)total, drv->call_size);
	if (!t.w || !calls || !ns || (drv->call_size && !args)) {
		pb_err("out of memory for %llu calls", (unsigned long long)total);
		rc = -ENOMEM;
		goto out;
	}
	for (int th = 0; th < t.n; th++) {
		struct worker *w = &t.w[th];
		struct many_share sh;

		many_split(size, t.n, th, unit, one_call, &sh);
		w->team = &t;
		w->ctx = &m->tctx[th];
		w->calls = calls + at;
		w->ns = ns + at;
		w->ncalls = sh.ncalls;
		w->cpu = m->cpus && th ? m->cpus[th] : -1;	/* the caller is placed already */
		for (uint64_t i = 0; i < sh.ncalls; i++) {
			w->calls[i].addr = (char *)m->r->addr + sh.off + i * sh.len;
			w->calls[i].len = sh.len;
			if (args)
				w->calls[i].arg = args + (at + i) * drv->call_size;
		}
		at += sh.ncalls;
	}
	m->base.chunk = m->chunk ? unit : 0;
	m->base.threads = m->threads;
	if ((rc = team_start(&t)))
		goto out;
	rc = reps_loop(m, &t, size, warmup, reps);
	/* Whatever is still held (a failure, a signal) is released before leaving. */
	if (held(&t)) {
		run_phase(&t, STEP_UNPIN);
		if (failure(&t))
			pb_err("%s: releasing after a failure: an unpin failed too; pages may still be pinned",
			       drv->name);
	}
	team_stop(&t);
out:
	free(args);
	free(ns);
	free(calls);
	free(t.w);
	return rc;
}

int measure_check_split(const struct measure *m, uint64_t size, int limits)
{
	const struct pin_driver *drv = m->ctx.drv;
	uint64_t align = m->r->align ? m->r->align : 4096, unit, most = 0, total = 0;
	int one_call = !m->chunk || (drv->flags & PIN_IOVECS);
	struct pin_limits l = { 0 };
	char a[16], b[16], c[16];

	pb_fmt_size(size, a, sizeof(a));
	pb_fmt_size(align, c, sizeof(c));
	if (m->chunk % align) {
		pb_err("--chunk %s is not a multiple of %s's align %s: use a multiple of %s",
		       pb_fmt_size(m->chunk, b, sizeof(b)), m->r->backing, c, c);
		return -EINVAL;
	}
	unit = many_unit(m, size);
	if (size % unit) {
		pb_err("--chunk %s does not divide %s: use a power of two", pb_fmt_size(unit, b, sizeof(b)), a);
		return -EINVAL;
	}
	if (size / unit < (uint64_t)m->threads) {
		pb_err("--threads %d: %s holds only %llu %s of %s, fewer than the threads: use fewer threads or drop %s from --sizes",
		       m->threads, a, (unsigned long long)(size / unit), m->chunk ? "chunks" : "pages",
		       pb_fmt_size(unit, b, sizeof(b)), a);
		return -EINVAL;
	}
	for (int th = 0; th < m->threads; th++) {
		struct many_share sh;

		many_split(size, m->threads, th, unit, one_call, &sh);
		total += sh.ncalls;
		if (sh.ncalls > most)
			most = sh.ncalls;
	}
	if (!limits || !drv->limits || drv->limits((struct pin_ctx *)&m->ctx, &l))
		return 0;
	/* Shared: every thread's calls count against one context. */
	if (m->per_thread || !(drv->flags & PIN_SHARED))
		total = most;
	if (l.max_calls && total > l.max_calls) {
		pb_err("%s: %s in calls of %s needs %llu held at once, more than allowed: %s", drv->name, a,
		       pb_fmt_size(one_call ? size / (uint64_t)m->threads : unit, b, sizeof(b)),
		       (unsigned long long)total, l.why);
		return -EINVAL;
	}
	return 0;
}

int measure_open_threads(struct measure *m, int per_thread)
{
	const struct pin_driver *drv = m->ctx.drv;
	int own = per_thread || !(drv->flags & PIN_SHARED);

	m->per_thread = own;
	m->tctx = calloc((size_t)m->threads, sizeof(*m->tctx));
	if (!m->tctx)
		return -ENOMEM;
	m->tctx[0] = m->ctx;
	for (int i = 1; i < m->threads; i++) {
		int rc;

		m->tctx[i] = m->ctx;
		m->tctx[i].thread = i;
		if (!own)
			continue;
		m->tctx[i].priv = NULL;
		if ((rc = drv->open(&m->tctx[i], m->r))) {
			pb_err("%s: cannot open the context of thread %d of %d (--context per-thread)", drv->name, i,
			       m->threads);
			drv->close(&m->tctx[i]);
			m->tctx[i].drv = NULL;
			return rc;
		}
	}
	return 0;
}

void measure_close_threads(struct measure *m)
{
	if (!m->tctx)
		return;
	if (m->per_thread)
		for (int i = 1; i < m->threads; i++)
			if (m->tctx[i].drv && m->tctx[i].priv)
				m->tctx[i].drv->close(&m->tctx[i]);
	free(m->tctx);
	m->tctx = NULL;
}
