// SPDX-License-Identifier: GPL-2.0
/* `pinbench run`: options -> region -> method -> the measuring loop -> results. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>
#include <numa.h>
#include <unistd.h>

#include "audit.h"
#include "breakdown_run.h"
#include "commands.h"
#include "driver.h"
#include "measure.h"
#include "meta.h"
#include "options.h"
#include "pb.h"
#include "place.h"
#include "region.h"
#include "results.h"
#include "summary.h"

static void on_signal(int sig)
{
	pb_stop_signal = sig;
}

/*
 * OUTDIR/LABEL/DATE-METHOD-REGION[-tN][-cSIZE].csv; a second run in the same
 * second gets -2, -3, ... rather than a refusal.
 */
static int default_out(struct options *o)
{
	char slug[128], date[32], extra[48] = "", sz[16], partial[sizeof(o->out) + 16];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y%m%d-%H%M%S", &tm);
	pb_region_slug(o->region, slug, sizeof(slug));
	if (o->threads > 1)
		snprintf(extra, sizeof(extra), "-t%d%s", o->threads, o->per_thread_ctx ? "p" : "");
	if (o->chunk)
		snprintf(extra + strlen(extra), sizeof(extra) - strlen(extra), "-c%s",
			 pb_fmt_size(o->chunk, sz, sizeof(sz)));
	for (int n = 1; n < 100; n++) {
		char seq[8] = "";

		if (n > 1)
			snprintf(seq, sizeof(seq), "-%d", n);
		if ((size_t)snprintf(o->out, sizeof(o->out), "%s/%s/%s-%s-%s%s%s.csv", o->outdir, o->label, date,
				     o->method, slug, extra, seq) >= sizeof(o->out)) {
			pb_err("--outdir '%s' is too long", o->outdir);
			return -ENAMETOOLONG;
		}
		snprintf(partial, sizeof(partial), "%s.partial", o->out);
		if (access(o->out, F_OK) && access(partial, F_OK))
			return 0;
	}
	return 0;	/* results_open names the clash */
}

/* Long-term pins are charged to RLIMIT_MEMLOCK unless CAP_IPC_LOCK. */
static int raise_memlock(uint64_t need, const struct pin_driver *drv)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_MEMLOCK, &rl) || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
		return 0;
	rl.rlim_cur = rl.rlim_max = RLIM_INFINITY;
	if (!setrlimit(RLIMIT_MEMLOCK, &rl))
		return 0;
	getrlimit(RLIMIT_MEMLOCK, &rl);
	if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need) {
		rl.rlim_cur = rl.rlim_max;
		if (!setrlimit(RLIMIT_MEMLOCK, &rl))
			return 0;
	}
	if (!(drv->flags & PIN_LONGTERM) || geteuid() == 0)
		return 0;
	pb_err("RLIMIT_MEMLOCK is %llu KiB but %s pins up to %llu KiB: raise it (`ulimit -l unlimited`, or memlock in /etc/security/limits.conf) or run as root",
	       (unsigned long long)rl.rlim_cur / 1024, drv->name, (unsigned long long)need / 1024);
	return -ENOMEM;
}

/*
 * What a failed pin means: the method's and the region kind's own
 * explanations first, then the errors users keep asking about. Returns 1
 * when the kernel refuses this memory this way (exit 78).
 */
static int explain_pin_error(const struct pin_driver *drv, const struct region *r, int err, uint64_t size)
{
	char sz[16], al[16], msg[640];
	int how = 0;

	if (drv->explain)
		how = drv->explain(r, err, msg, sizeof(msg));
	if (!how && r->kind->explain)
		how = r->kind->explain(r, drv, err, msg, sizeof(msg));
	if (how) {
		pb_err("%s", msg);
		return how == PB_EXPLAINED_UNSUPPORTED;
	}
	pb_fmt_size(size, sz, sizeof(sz));
	pb_fmt_size(r->align, al, sizeof(al));
	if (err == ENOMEM)
		pb_err("%s: pinning %s failed with ENOMEM: RLIMIT_MEMLOCK (`ulimit -l`) or the method's own limit is too low; run as root or raise it",
		       drv->name, sz);
	else if (err == EINVAL)
		pb_err("%s: pinning %s of %s (align %s) failed with EINVAL: the length or address is not acceptable to the kernel",
		       drv->name, sz, r->backing, al);
	else if (err == EFAULT)
		pb_err("%s: pinning %s of %s failed with EFAULT: part of the range is not mapped for this access",
		       drv->name, sz, r->backing);
	else
		pb_err("%s: pinning %s of %s failed: %s", drv->name, sz, r->backing, strerror(err));
	return 0;
}

/* --threads: thread t on the t-th CPU of the node the run is on, round robin. */
static int *thread_cpus(int n, int node, int all, int first, int *ncpu)
{
	int *cpus = calloc((size_t)n, sizeof(*cpus));
	struct bitmask *m;
	int have[1024], k = 0, at = 0;

	if (!cpus)
		return NULL;
	if (all) {
		/* The caller is bound to one CPU already: count the online ones instead. */
		for (int i = 0; i < get_nprocs() && k < 1024; i++)
			have[k++] = i;
	} else if (numa_available() >= 0 && node >= 0 && (m = numa_allocate_cpumask())) {
		if (!numa_node_to_cpus(node, m))
			for (unsigned i = 0; i < m->size && k < 1024; i++)
				if (numa_bitmask_isbitset(m, i))
					have[k++] = (int)i;
		numa_free_cpumask(m);
	}
	if (!k)
		have[k++] = first;
	/* The caller (thread 0) keeps its CPU; the others follow it round the node. */
	for (int i = 0; i < k; i++)
		if (have[i] == first)
			at = i;
	for (int t = 0; t < n; t++)
		cpus[t] = have[(at + t) % k];
	*ncpu = k;
	return cpus;
}

static int exit_for(int rc)
{
	return rc == -ENODEV || rc == -ENOSYS ? PB_EXIT_SKIP : PB_EXIT_USAGE;
}

/* --chunk/--threads: the split and where the threads ran. */
static void meta_threads(struct results_out *out, const struct measure *m, int per_thread, int ncpu)
{
	char cpus[256] = "", sz[16];
	size_t at = 0;

	for (int t = 0; m->cpus && t < m->threads && at < sizeof(cpus) - 12; t++)
		at += (size_t)snprintf(cpus + at, sizeof(cpus) - at, "%s%d", t ? "," : "", m->cpus[t]);
	results_meta(out, "chunk", "%s", m->chunk ? pb_fmt_size(m->chunk, sz, sizeof(sz)) : "whole slice");
	results_meta(out, "threads", "%d (%s context%s)", m->threads,
		     m->per_thread ? "one" : "a shared", m->per_thread ? " each" : "");
	if (per_thread && !m->per_thread)
		results_meta(out, "context", "per-thread asked");
	if (m->threads > 1)
		results_meta(out, "thread_cpus", "%s%s", cpus,
			     m->threads > ncpu ? " (oversubscribed: more threads than the node's CPUs)" : "");
}

/* End of run: the printed summary, verdicts into metadata; returns leaks found. */
static int finish(struct results_out *out, struct rowset *keep, const struct region *r,
		  const struct pin_driver *drv)
{
	struct groups gs;
	int leaks = 0;

	if (groups_build(&gs, keep))
		return 0;
	printf("%s on %s (%s, align %llu, node %d)\n", drv->name, r->backing, r->kind->name,
	       (unsigned long long)r->align, r->node);
	leaks = summary_print_human(stdout, &gs);
	for (size_t i = 0; i < gs.n; i++) {
		struct audit_result res;
		char v[64], sz[16];

		if (strcmp(gs.g[i].key.op, "pin"))
			continue;
		summary_verdict(&gs, i, &res);
		audit_verdict_str(&res, v, sizeof(v));
		results_meta(out, "audit", "%s %s: %s (acquired %lld, released %lld)",
			     pb_fmt_size(gs.g[i].key.size, sz, sizeof(sz)), drv->name, v,
			     (long long)res.acquired, (long long)res.released);
		if (res.verdict == AUDIT_LEAKED)
			pb_err("warning: pin leak: %s on %s (%s, align %llu), size %s: %s",
			       drv->name, r->backing, r->kind->name, (unsigned long long)r->align, sz, v);
	}
	groups_free(&gs);
	return leaks;
}

int cmd_run(int argc, char **argv)
{
	struct options o;
	struct region r;
	struct region_opts ro = { 0 };
	const struct pin_driver *drv;
	struct results_out out = { 0 };
	struct rowset keep = { 0 };
	struct breakdown bd = { 0 };
	struct measure m;
	struct meta_info mi = { 0 };
	struct pin_counts pc;
	struct utsname u;
	char why[256] = "";
	int rc, status = PB_EXIT_OK, cpu, cpu_node, ncpu = 1, nskipped = 0, unsupported = 0;

	rc = options_parse(&o, argc, argv);
	if (rc)
		return rc < 0 ? PB_EXIT_OK : rc;
	uname(&u);
	if (!o.label[0])
		snprintf(o.label, sizeof(o.label), "%s", u.release);
	if (!pb_label_ok(o.label)) {
		pb_err("--label '%s' may hold only letters, digits and . _ + - @ (it names a folder)", o.label);
		return PB_EXIT_USAGE;
	}
	drv = driver_find(o.method);
	if (!drv) {
		pb_err("unknown method '%s'; known methods:", o.method);
		for (int i = 0; pin_drivers[i]; i++)
			fprintf(stderr, "  %-14s %s\n", pin_drivers[i]->name, pin_drivers[i]->what);
		return PB_EXIT_USAGE;
	}
	if (region_parse(o.region, &r))
		return PB_EXIT_USAGE;
	if ((o.chunk || o.threads > 1) && (drv->flags & PIN_CHUNKED)) {
		pb_err("%s times one I/O per --io-size already: use --io-size instead of --chunk/--threads", drv->name);
		return PB_EXIT_USAGE;
	}
	if ((o.chunk || o.threads > 1) && o.breakdown) {
		pb_err("--breakdown traces one call per op: leave out --chunk and --threads");
		return PB_EXIT_USAGE;
	}
	if ((rc = drv->probe(why, sizeof(why)))) {
		pb_err("method %s cannot run here: %s", drv->name, why);
		return PB_EXIT_SKIP;
	}
	ro.sizes = o.sizes;
	ro.nsizes = o.nsizes;
	ro.want = o.sizes[o.nsizes - 1];
	ro.write = o.write;
	if ((rc = region_describe(&r, &ro)))
		return exit_for(rc);
	if (o.chunk || o.threads > 1) {
		/* The split, before anything is mapped; the method's limits once it is open. */
		struct measure chk = { .r = &r, .threads = o.threads, .chunk = o.chunk };

		chk.ctx.drv = drv;
		for (int i = 0; i < o.nsizes; i++)
			if (measure_check_split(&chk, o.sizes[i], 0))
				return PB_EXIT_USAGE;
	}
	if (place_bind(o.node >= 0 ? o.node : r.node, o.node >= 0, o.cpu, &cpu, &cpu_node))
		return PB_EXIT_USAGE;
	if (raise_memlock(ro.want, drv))
		return PB_EXIT_USAGE;
	if (!o.out[0] && default_out(&o))
		return PB_EXIT_USAGE;

	pb_catch_stop_signals(on_signal);
	pb_info("mapping %s (%s) and prefaulting %llu MiB by %s...", r.backing, r.kind->name,
		(unsigned long long)(ro.want >> 20), o.write || !r.pmem ? "writing" : "reading");
	if ((rc = region_map(&r, &ro))) {
		region_close(&r);
		return exit_for(rc);
	}
	memset(&m, 0, sizeof(m));
	m.ctx.drv = drv;
	m.ctx.opt = &o;
	m.ctx.r = &r;
	m.ctx.chunk = o.chunk;
	m.r = &r;
	m.many = o.chunk || o.threads > 1;
	m.threads = o.threads;
	m.chunk = o.chunk;
	if ((rc = drv->open(&m.ctx, &r))) {
		drv->close(&m.ctx);
		region_close(&r);
		return exit_for(rc);
	}
	if (m.many) {
		for (int i = 0; !rc && i < o.nsizes; i++)
			rc = measure_check_split(&m, o.sizes[i], 1);
		if (!rc && o.threads > 1 && !(m.cpus = thread_cpus(o.threads, cpu_node, !strcmp(o.thread_cpus, "all"), cpu,
									    &ncpu)))
			rc = -ENOMEM;
		if (!rc)
			rc = measure_open_threads(&m, o.per_thread_ctx);
		if (rc) {
			status = exit_for(rc);
			goto close;
		}
	}
	/* --breakdown: the tracer is set up before anything is written. */
	if (o.breakdown && (rc = breakdown_open(&bd, drv->name, o.out, o.breakdown_reps))) {
		status = rc == -ENODEV || rc == -EBUSY ? PB_EXIT_SKIP : PB_EXIT_USAGE;
		goto close;
	}
	if (results_open(&out, o.out)) {
		status = PB_EXIT_USAGE;
		goto close;
	}
	mi = (struct meta_info){ &o, &r, drv, cpu, cpu_node, 0, pb_clock_cost_ns(), argc, argv };
	mi.audit = !o.no_audit && audit_read(&pc) == 0;
	meta_write(&out, &mi);
	if (m.many)
		meta_threads(&out, &m, o.per_thread_ctx, ncpu);
	results_header(&out);

	m.out = &out;
	m.keep = &keep;
	m.audit = mi.audit;
	snprintf(m.base.label, sizeof(m.base.label), "%s", o.label);
	snprintf(m.base.kernel, sizeof(m.base.kernel), "%s", u.release);
	snprintf(m.base.method, sizeof(m.base.method), "%s", drv->name);
	snprintf(m.base.region, sizeof(m.base.region), "%s", r.kind->name);
	snprintf(m.base.backing, sizeof(m.base.backing), "%s", r.backing);
	m.base.align = r.align;
	m.base.node = r.node;
	m.base.threads = 1;
	meta_boot(&o, m.base.boot_id, sizeof(m.base.boot_id), &m.base.boot_seq);
	m.base.foll_pin = !!(drv->flags & PIN_FOLL_PIN);
	m.base.boot = -1;

	for (int i = 0; i < o.nsizes; i++) {
		char sz[16];

		pb_info("[%d/%d] %s %s on %s: %d reps", i + 1, o.nsizes, drv->name,
			pb_fmt_size(o.sizes[i], sz, sizeof(sz)), r.backing, o.reps);
		rc = measure_size(&m, o.sizes[i], o.warmup, o.reps);
		if (rc == -EINTR && pb_stop_signal)
			break;
		if (rc == -E2BIG) {
			/* The method said why, ending "size skipped": a limit of the device. */
			results_meta(&out, "skipped", "%s: more than one call of %s can pin here", sz, drv->name);
			nskipped++;
			rc = 0;
			continue;
		}
		if (rc) {
			if (rc != -ENOSPC && rc != -EIO)
				unsupported = explain_pin_error(drv, &r, -rc, o.sizes[i]);
			status = PB_EXIT_FAIL;
			break;
		}
	}
	/* --breakdown: traced reps of every size, the tracer set only now. */
	if (o.breakdown && status == PB_EXIT_OK && !pb_stop_signal) {
		if (breakdown_arm(&bd))
			status = PB_EXIT_FAIL;
		m.bd = &bd;
		for (int i = 0; status == PB_EXIT_OK && i < o.nsizes; i++) {
			char sz[16];

			pb_info("[%d/%d] %s %s on %s: %d traced reps", i + 1, o.nsizes, drv->name,
				pb_fmt_size(o.sizes[i], sz, sizeof(sz)), r.backing, bd.reps);
			rc = measure_size(&m, o.sizes[i], 1, 0);
			if (rc)
				status = rc == -EINTR && pb_stop_signal ? status : PB_EXIT_FAIL;
			if (rc)
				break;
		}
	}
close:
	breakdown_untrace(&bd);
	measure_close_threads(&m);
	free(m.cpus);
	drv->close(&m.ctx);
	region_close(&r);
	if (!out.f) {
		breakdown_close(&bd, 0, 0);
		rowset_free(&keep);
		return status;
	}
	if (finish(&out, &keep, &r, drv) && status == PB_EXIT_OK)
		status = PB_EXIT_LEAK;
	breakdown_report(&bd, stdout, &keep);
	rowset_free(&keep);
	/* The breakdown file is kept or dropped as the result file is. */
	breakdown_close(&bd, !pb_stop_signal && (status == PB_EXIT_OK || status == PB_EXIT_LEAK), m.ok_rows > 0);
	if (pb_stop_signal) {
		results_abandon(&out, 1);
		pb_err("interrupted by signal %d: every pin was released; %ld rows kept in %s",
		       pb_stop_signal, out.rows, out.rows ? out.tmp : "(none)");
		return pb_stop_signal == SIGTERM ? PB_EXIT_SIGTERM : PB_EXIT_SIGINT;
	}
	if (status != PB_EXIT_OK && status != PB_EXIT_LEAK) {
		/* Nothing measured: nothing kept, and the input was at fault. */
		results_abandon(&out, m.ok_rows > 0);
		/* The kernel will not pin this memory this way: not measurable here. */
		if (!m.ok_rows && unsupported)
			return PB_EXIT_UNSUPPORTED;
		if (!m.ok_rows && rc == -EOPNOTSUPP)
			return PB_EXIT_SKIP;
		if (!m.ok_rows)
			return PB_EXIT_USAGE;
		pb_err("%ld rows measured before the failure are in %s", out.rows, out.tmp);
		return status;
	}
	if (nskipped == o.nsizes) {
		/* Every size beyond what the device can do: nothing to keep, a skip. */
		results_abandon(&out, 0);
		return PB_EXIT_SKIP;
	}
	if (results_commit(&out))
		return PB_EXIT_FAIL;
	printf("results: %s\n", out.path);
	return status;
}
