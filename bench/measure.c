// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/range.h"
#include "many.h"
#include "measure.h"
#include "options.h"
#include "pb.h"

static void counts_read(struct measure *m, struct pin_counts *c)
{
	if (!m->audit || audit_read(c))
		c->acquired = c->released = -1;
}

static int64_t delta(int64_t before, int64_t after)
{
	return before < 0 || after < 0 ? -1 : after - before;
}

void measure_counts(struct measure *m, struct pin_counts *c)
{
	counts_read(m, c);
}

int measure_row(struct measure *m, struct row *row, int rep, const char *op, uint64_t size, uint64_t ns,
		int err, const struct pin_counts *b, const struct pin_counts *a)
{
	int rc;

	if (rep < 0)
		return 0;	/* warm-up: not recorded */
	row->size = size;
	row->rep = rep;
	snprintf(row->op, sizeof(row->op), "%s", op);
	row->ns = ns;
	snprintf(row->status, sizeof(row->status), "%s", err ? pb_errno_name(err) : "ok");
	row->pins_acq = b ? delta(b->acquired, a->acquired) : -1;
	row->pins_rel = b ? delta(b->released, a->released) : -1;
	if ((rc = results_row(m->out, row))) {
		pb_err("cannot write to %s: %s", m->out->tmp, strerror(-rc));
		return rc;
	}
	if (!err)
		m->ok_rows++;
	/* The file has the row; only the printed summary would miss it. */
	if (m->keep)
		rowset_push(m->keep, row);
	return 0;
}

static int emit(struct measure *m, int rep, const char *op, uint64_t size, uint64_t ns,
		int err, const struct pin_counts *b, const struct pin_counts *a)
{
	struct row row = m->base;

	return measure_row(m, &row, rep, op, size, ns, err, b, a);
}

/* PIN_CHUNKED: one timed pin() per chunk, an "io" row each; the pin row is their sum. */
static int pin_chunked(struct measure *m, int rep, char *addr, uint64_t size, uint64_t *total)
{
	struct pin_ctx *ctx = &m->ctx;
	uint64_t chunk = ctx->chunk && ctx->chunk < size ? ctx->chunk : size;
	int rc;

	*total = 0;
	for (uint64_t off = 0; off < size; off += chunk) {
		uint64_t n = size - off < chunk ? size - off : chunk;
		struct pin_call c = { .addr = addr + off, .len = n };
		uint64_t t0 = pb_now_ns();

		rc = ctx->drv->pin(ctx, &c);
		uint64_t t1 = pb_now_ns();

		if (rc)
			return rc;
		*total += t1 - t0;
		if ((rc = emit(m, rep, "io", n, t1 - t0, 0, NULL, NULL)))
			return rc;
	}
	return 0;
}

/* rep >= 0 and traced: a breakdown rep; its timings go to the breakdown file only. */
static int do_unpin(struct measure *m, struct pin_call *c, int rep, uint64_t size, int traced)
{
	const struct pin_driver *drv = m->ctx.drv;
	struct pin_counts b, a;
	uint64_t t0, t1;
	int rc, bd_rc = 0;

	counts_read(m, &b);
	if (traced)
		bd_rc = breakdown_begin(m->bd);
	t0 = pb_now_ns();
	rc = drv->unpin(&m->ctx, c);
	t1 = pb_now_ns();
	counts_read(m, &a);
	m->pinned = 0;
	if (traced && !rc && !bd_rc)
		bd_rc = breakdown_end(m->bd, &m->base, size, rep, "unpin", t1 - t0);
	if (traced)
		rep = -1;	/* not a result row */
	if (rc) {
		pb_err("%s: unpin of %llu bytes failed: %s; the pages may still be pinned",
		       drv->name, (unsigned long long)size, strerror(-rc));
		emit(m, rep < 0 ? 0 : rep, "unpin", size, t1 - t0, -rc, &b, &a);
		return rc;
	}
	if (bd_rc)
		return bd_rc;
	return emit(m, rep, "unpin", size, t1 - t0, 0, &b, &a);
}

/* One call per rep: the pin and unpin rows carry the counter deltas themselves. */
static int measure_one(struct measure *m, struct pin_call *cp, uint64_t size, int warmup, int reps)
{
	const struct pin_driver *drv = m->ctx.drv;
	struct pin_ctx *ctx = &m->ctx;
	char *addr = m->r->addr;
	struct pin_call c = *cp;
	int rc = 0;

	for (int rep = -warmup; rep < reps + (m->bd ? m->bd->reps : 0); rep++) {
		struct pin_counts b, a;
		uint64_t t0, t1, ns;
		int traced = rep >= reps, out = traced ? -1 : rep;

		if (pb_stop_signal)
			return -EINTR;
		if (drv->prepare && (rc = drv->prepare(ctx, &c))) {
			pb_err("%s: cannot prepare a pin of %llu bytes: %s", drv->name,
			       (unsigned long long)size, strerror(-rc));
			return rc;
		}
		c.kget_ns = c.kput_ns = -1;
		counts_read(m, &b);
		if (traced && (rc = breakdown_begin(m->bd)))
			return rc;
		if (drv->flags & PIN_CHUNKED) {
			rc = pin_chunked(m, out, addr, size, &ns);
		} else {
			t0 = pb_now_ns();
			rc = drv->pin(ctx, &c);
			t1 = pb_now_ns();
			ns = t1 - t0;
		}
		counts_read(m, &a);
		if (rc) {
			emit(m, rep < 0 ? 0 : rep, "pin", size, ns, -rc, &b, &a);
			return rc;
		}
		m->pinned = !!drv->unpin;
		if (traced && (rc = breakdown_end(m->bd, &m->base, size, rep - reps, "pin", ns)))
			break;
		if ((rc = emit(m, out, "pin", size, ns, 0, &b, &a)))
			break;
		if (c.kget_ns >= 0 && (rc = emit(m, out, "kget", size, (uint64_t)c.kget_ns, 0, NULL, NULL)))
			break;
		if (c.kput_ns >= 0 && (rc = emit(m, out, "kput", size, (uint64_t)c.kput_ns, 0, NULL, NULL)))
			break;
		if (m->pinned && (rc = do_unpin(m, &c, traced ? rep - reps : rep, size, traced)))
			return rc;
	}
	if (m->pinned) {
		int rc2 = drv->unpin(ctx, &c);

		m->pinned = 0;
		if (rc2)
			pb_err("%s: unpin failed: %s", drv->name, strerror(-rc2));
	}
	return rc;
}

int measure_size(struct measure *m, uint64_t size, int warmup, int reps)
{
	const struct pin_driver *drv = m->ctx.drv;
	struct pin_ctx *ctx = &m->ctx;
	char *addr = m->r->addr;
	struct pin_call c = { .addr = addr, .len = size };
	int rc = 0;

	/* Every method, before any syscall: whole pages of the region's align. */
	if ((rc = pin_range_check(drv->name, m->r, addr, size)))
		return rc;
	if (drv->check_len && (rc = drv->check_len(ctx, m->many ? many_longest_call(m, size) : size)))
		return rc;
	if (m->many)
		return measure_many(m, size, warmup, reps);
	if (drv->call_size && !(c.arg = calloc(1, drv->call_size)))
		return -ENOMEM;
	rc = measure_one(m, &c, size, warmup, reps);
	free(c.arg);
	return rc;
}
