// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "breakdown_run.h"
#include "breakdown_trace.h"
#include "driver.h"
#include "pb.h"
#include "phases.h"
#include "stats.h"

/* Coverage below this (percent) gets a warning. */
#define BD_LOW_COVERAGE 50.0

/* " rdma, vfio, ...": the methods that list phase functions. */
static void phased_methods(char *buf, size_t len)
{
	const struct phase_fn *lines;
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; pin_drivers[i] && used < len; i++)
		if (phases_of(pin_drivers[i]->name, &lines))
			used += (size_t)snprintf(buf + used, len - used, "%s %s", used ? "," : "", pin_drivers[i]->name);
}

int breakdown_open(struct breakdown *b, const char *method, const char *result_path, int reps)
{
	char path[512], why[512] = "";
	const struct phase_fn *lines;
	size_t n = phases_of(method, &lines);
	int rc;

	memset(b, 0, sizeof(*b));
	b->reps = reps;
	if (!n) {
		phased_methods(why, sizeof(why));
		pb_err("--breakdown: method %s lists no phase functions; use --breakdown with%s", method, why);
		return -EINVAL;
	}
	if ((rc = breakdown_path(path, sizeof(path), result_path))) {
		pb_err("--breakdown: the result path '%s' is too long for its breakdown file", result_path);
		return rc;
	}
	if ((rc = bd_tracer_open(&b->tr, method, why, sizeof(why)))) {
		pb_err("--breakdown: %s", why);
		return rc;
	}
	if ((rc = results_open(&b->out, path))) {
		bd_tracer_close(b->tr);
		b->tr = NULL;
		return rc;
	}
	results_meta(&b->out, "breakdown_format", "%d", BREAKDOWN_FORMAT);
	results_meta(&b->out, "result_file", "%s", strrchr(result_path, '/') ? strrchr(result_path, '/') + 1 : result_path);
	results_meta(&b->out, "tracer", "function_graph, %s; innermost listed call wins; %d traced reps after the timed ones",
		     bd_tracer_where(b->tr), reps);
	for (size_t k = 0; k < n; k++) {
		const struct phase_fn *p = &lines[k];
		int on = bd_tracer_traces(b->tr, p->func);

		results_meta(&b->out, "phase_fn", "%s %s %s%s", p->op, phase_name(p->phase), p->func,
			     on ? "" : " (not traceable in this kernel)");
		if (on)
			b->phases[!strcmp(p->op, "unpin")][p->phase] = 1;
	}
	fprintf(b->out.f, "%s\n", BREAKDOWN_COLUMNS);
	fflush(b->out.f);
	return 0;
}

int breakdown_arm(struct breakdown *b)
{
	char why[512] = "";
	int rc = bd_tracer_arm(b->tr, why, sizeof(why));

	if (rc)
		pb_err("--breakdown: %s", why);
	return rc;
}

int breakdown_begin(struct breakdown *b)
{
	int rc = bd_tracer_begin(b->tr);

	if (rc)
		pb_err("--breakdown: cannot start tracing: %s", strerror(-rc));
	return rc;
}

static int write_row(struct breakdown *b, const struct row *r, int phase, int64_t ns, uint64_t calls,
		     const char *status)
{
	char set[1024];

	if (results_format_setting(set, sizeof(set), r))
		return -ENOSPC;
	if (fprintf(b->out.f, "%s,%d,%s,%s,%" PRId64 ",%" PRIu64 ",%s\n", set, r->rep, r->op, phase_name(phase),
		    ns, calls, status) < 0)
		return -EIO;
	b->out.rows++;
	return 0;
}

int breakdown_end(struct breakdown *b, const struct row *base, uint64_t size, int rep, const char *op,
		  uint64_t wall)
{
	struct bd_call *calls;
	struct bd_rec rec = { 0 }, *nr;
	struct row r = *base;
	size_t n;
	int rc;

	if ((rc = bd_tracer_end(b->tr, &calls, &n, &rec.lost))) {
		pb_err("--breakdown: cannot read the trace: %s", strerror(-rc));
		return rc;
	}
	bd_attribute(calls, n, wall, &rec.split);
	rec.size = size;
	snprintf(rec.op, sizeof(rec.op), "%s", op);
	rec.rep = rep;
	rec.wall = wall;
	rec.named = rec.split.named;
	r.size = size;
	r.rep = rep;
	snprintf(r.op, sizeof(r.op), "%s", op);
	for (int p = 0; p < PHASE_COUNT && !rc; p++) {
		const char *st = rec.lost > 0 ? "overrun" : rec.split.bad_nesting ? "nesting" : "ok";

		if (p < PHASE_NAMED && !b->phases[!strcmp(op, "unpin")][p])
			continue;
		rc = write_row(b, &r, p, rec.split.ns[p], p < PHASE_NAMED ? rec.split.calls[p] : 0, st);
	}
	if (rc || fflush(b->out.f)) {
		pb_err("cannot write to %s", b->out.tmp);
		return rc ? rc : -EIO;
	}
	if (rec.lost > 0)
		pb_err("warning: breakdown: the trace buffer lost %" PRId64 " events during %s rep %d of %" PRIu64
		       " bytes: its rows say status overrun (phases undercounted)", rec.lost, op, rep, size);
	if (!(nr = pb_grow(b->recs, &b->cap, b->n, sizeof(*b->recs), 16)))
		return -ENOMEM;
	b->recs = nr;
	b->recs[b->n++] = rec;
	return 0;
}

static double median(double *v, size_t n)
{
	struct stats s;

	if (!n)
		return 0;
	stats_compute(v, n, &s);
	return s.p50;
}

/* Median ns of the timed ok rows of (size, op); 0 when none. */
static double timed_median(const struct rowset *timed, uint64_t size, const char *op)
{
	double *v = timed && timed->n ? malloc(timed->n * sizeof(*v)) : NULL;
	size_t n = 0;
	double m;

	for (size_t i = 0; v && i < timed->n; i++)
		if (timed->rows[i].size == size && !strcmp(timed->rows[i].op, op) &&
		    !strcmp(timed->rows[i].status, "ok"))
			v[n++] = (double)timed->rows[i].ns;
	m = median(v, n);
	free(v);
	return m;
}

static void report_one(struct breakdown *b, FILE *f, const struct rowset *timed, uint64_t size, const char *op,
		       const char *method)
{
	double cov[256], wall[256], share[PHASE_COUNT][256];
	size_t n = 0;
	int64_t lost = 0;
	int exceeds = 0;
	char sz[16], line[512];
	size_t at;
	double untraced, traced;

	for (size_t i = 0; i < b->n && n < 256; i++) {
		struct bd_rec *r = &b->recs[i];

		if (r->size != size || strcmp(r->op, op))
			continue;
		cov[n] = bd_coverage(&r->split, r->wall);
		wall[n] = (double)r->wall;
		for (int p = 0; p <= PHASE_OTHER; p++)
			share[p][n] = r->wall ? 100.0 * (double)r->split.ns[p] / (double)r->wall : 0;
		lost += r->lost > 0 ? r->lost : 0;
		exceeds |= bd_exceeds_wall(&r->split, r->wall);
		n++;
	}
	if (!n)
		return;
	pb_fmt_size(size, sz, sizeof(sz));
	untraced = timed_median(timed, size, op);
	traced = median(wall, n);
	at = (size_t)snprintf(line, sizeof(line), "%s %s %s: named phases cover %.1f%% (median of %zu traced); traced %.3f ms",
			      method, sz, op, median(cov, n), n, traced / 1e6);
	if (untraced > 0)
		at += (size_t)snprintf(line + at, sizeof(line) - at, ", untraced %.3f ms (tracing %+.1f%%)",
				       untraced / 1e6, 100.0 * (traced - untraced) / untraced);
	for (int p = 0, first = 1; p <= PHASE_OTHER && at < sizeof(line); p++)
		if (p == PHASE_OTHER || b->phases[!strcmp(op, "unpin")][p]) {
			at += (size_t)snprintf(line + at, sizeof(line) - at, "%s %s %.1f%%", first ? ":" : ",",
					       phase_name(p), median(share[p], n));
			first = 0;
		}
	fprintf(f, "breakdown %s\n", line);
	results_meta(&b->out, "coverage", "%s", line);
	if (median(cov, n) < BD_LOW_COVERAGE)
		pb_err("warning: breakdown: %s %s %s: the named phases cover only %.1f%% of the wall time; the rest is in other (see pinbench list -v for what is traced)",
		       method, sz, op, median(cov, n));
	if (exceeds)
		pb_err("warning: breakdown: %s %s %s: the named phases exceed the wall time beyond the tracer's error in some reps",
		       method, sz, op);
	if (lost)
		pb_err("warning: breakdown: %s %s %s: %" PRId64 " trace events lost (rows with status overrun)", method,
		       sz, op, lost);
}

void breakdown_report(struct breakdown *b, FILE *f, const struct rowset *timed)
{
	char method[32] = "";

	if (!b->out.f)
		return;
	if (timed && timed->n)
		snprintf(method, sizeof(method), "%s", timed->rows[0].method);
	for (size_t i = 0; i < b->n; i++) {
		size_t j;

		for (j = 0; j < i; j++)	/* first record of its (size, op) */
			if (b->recs[j].size == b->recs[i].size && !strcmp(b->recs[j].op, b->recs[i].op))
				break;
		if (j == i)
			report_one(b, f, timed, b->recs[i].size, b->recs[i].op, method);
	}
}

void breakdown_untrace(struct breakdown *b)
{
	bd_tracer_close(b->tr);
	b->tr = NULL;
}

void breakdown_close(struct breakdown *b, int complete, int keep)
{
	breakdown_untrace(b);
	if (b->out.f) {
		if (complete && b->out.rows && !results_commit(&b->out)) {
			printf("breakdown: %s\n", b->out.path);
		} else {
			results_abandon(&b->out, keep);
			if (keep && b->out.rows)
				pb_err("%ld breakdown rows kept in %s", b->out.rows, b->out.tmp);
		}
	}
	free(b->recs);
	b->recs = NULL;
	b->n = b->cap = 0;
}
