// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event-parse.h>
#include <tracefs.h>

#include "breakdown_trace.h"
#include "pb.h"

#define BD_MAX_FUNCS 32
#define BD_BUFFER_KB 32768	/* per CPU while tracing; put back after */

struct ip_phase {
	unsigned long long ip;
	int phase;
};

struct bd_tracer {
	struct tracefs_instance *inst;	/* NULL: the top-level tracer */
	char where[64];
	int top_was_on;		/* top-level: tracing_on before */
	ssize_t top_buf_kb;	/* top-level: buffer_size_kb per CPU before */
	int changed;		/* tracer, filter or buffer were set */
	struct tep_handle *tep;
	struct tep_event *exit_ev;
	struct tep_format_field *f_func, *f_call, *f_ret, *f_over;
	const char *funcs[BD_MAX_FUNCS];
	int phase[BD_MAX_FUNCS];
	size_t nfuncs;
	struct ip_phase cache[BD_MAX_FUNCS * 2];
	size_t ncache;
	int ncpus;
	int64_t *lost_before;
	struct bd_call *calls;
	size_t n, cap;
	int64_t depth_overruns;	/* funcgraph_exit's own overrun field */
	int oom;
	int pid;
};

static struct bd_tracer *open_tracer;	/* for the atexit safety net */

static int64_t cpu_lost(struct bd_tracer *t, int cpu)
{
	char file[64];
	char *s;
	int64_t v;

	snprintf(file, sizeof(file), "per_cpu/cpu%d/stats", cpu);
	s = tracefs_instance_file_read(t->inst, file, NULL);
	if (!s)
		return 0;	/* an offline CPU */
	v = bd_stats_lost(s);
	free(s);
	return v < 0 ? 0 : v;
}

/* Is the top-level tracer free: nop, no function filter, no events? */
static int top_in_use(char *why, size_t len)
{
	char *tr = tracefs_instance_file_read(NULL, "current_tracer", NULL);
	char *filt = tracefs_instance_file_read(NULL, "set_ftrace_filter", NULL);
	char *ev = tracefs_instance_file_read(NULL, "set_event", NULL);
	int busy = 0;

	if (tr && strncmp(tr, "nop", 3)) {
		snprintf(why, len, "the top-level tracer is in use (current_tracer %.*s)",
			 (int)strcspn(tr, "\n"), tr);
		busy = 1;
	} else if (filt && filt[0] && filt[0] != '#') {
		snprintf(why, len, "the top-level set_ftrace_filter is in use (%.*s...)",
			 (int)strcspn(filt, "\n"), filt);
		busy = 1;
	} else if (ev && ev[0] && ev[0] != '\n') {
		snprintf(why, len, "top-level trace events are enabled (%.*s...)", (int)strcspn(ev, "\n"), ev);
		busy = 1;
	}
	free(tr);
	free(filt);
	free(ev);
	return busy;
}

/* A private instance if it offers function_graph; else NULL (top-level). */
static struct tracefs_instance *private_instance(char *name, size_t len)
{
	struct tracefs_instance *inst;
	char *tracers;
	int ok;

	snprintf(name, len, "pinbench-%d", (int)getpid());
	inst = tracefs_instance_create(name);
	if (!inst)
		return NULL;
	tracers = tracefs_instance_file_read(inst, "available_tracers", NULL);
	ok = tracers && strstr(tracers, "function_graph");
	free(tracers);
	if (ok)
		return inst;
	tracefs_instance_destroy(inst);
	tracefs_instance_free(inst);
	return NULL;
}

/* The listed functions of METHOD this kernel has; report the others. */
static int pick_functions(struct bd_tracer *t, const char *method)
{
	const struct phase_fn *lines;
	int present[BD_MAX_FUNCS];
	size_t n = phases_of(method, &lines);
	char *avail = bd_available_functions();

	if (!avail)
		return -errno ? -errno : -EIO;
	if (n > BD_MAX_FUNCS)
		n = BD_MAX_FUNCS;
	phases_resolve(avail, lines, n, present);
	free(avail);
	for (size_t k = 0; k < n; k++) {
		const struct phase_fn *p = &lines[k];
		size_t j;

		if (!present[k]) {
			pb_err("warning: breakdown: %s %s: phase %s loses %s: the kernel cannot trace it (%s); its time goes to the enclosing listed call or to other",
			       method, p->op, phase_name(p->phase), p->func, p->note);
			continue;
		}
		for (j = 0; j < t->nfuncs && strcmp(t->funcs[j], p->func); j++)
			;
		if (j == t->nfuncs) {
			t->funcs[t->nfuncs] = p->func;
			t->phase[t->nfuncs++] = p->phase;
		}
	}
	return 0;
}

static int load_kallsyms(struct tep_handle *tep)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	size_t len = 0, cap = 0;
	char *buf = NULL, *nb;
	size_t got;
	int rc;

	if (!f)
		return -errno;
	do {
		if (!(nb = pb_grow(buf, &cap, len + 65536, 1, 1 << 20))) {
			free(buf);
			fclose(f);
			return -ENOMEM;
		}
		buf = nb;
		got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
	} while (got);
	fclose(f);
	buf[len] = '\0';
	/* kptr_restrict hides addresses from non-root: _stext reads 0. */
	nb = strstr(buf, " T _stext\n");
	if (!nb || nb - buf < 16 || !strncmp(nb - 16, "0000000000000000", 16))
		rc = -EPERM;
	else
		rc = tep_parse_kallsyms(tep, buf);
	free(buf);
	return rc ? (rc < 0 ? rc : -EINVAL) : 0;
}

static int setup_events(struct bd_tracer *t)
{
	const char *systems[] = { "ftrace", NULL };

	t->tep = tracefs_local_events_system(NULL, systems);
	if (!t->tep)
		return -ENOENT;
	t->exit_ev = tep_find_event_by_name(t->tep, "ftrace", "funcgraph_exit");
	if (!t->exit_ev)
		return -ENOENT;
	t->f_func = tep_find_field(t->exit_ev, "func");
	t->f_call = tep_find_field(t->exit_ev, "calltime");
	t->f_ret = tep_find_field(t->exit_ev, "rettime");
	t->f_over = tep_find_field(t->exit_ev, "overrun");
	if (!t->f_func || !t->f_call || !t->f_ret)
		return -ENOENT;
	return load_kallsyms(t->tep);
}

static int configure(struct bd_tracer *t)
{
	t->changed = 1;
	if (tracefs_trace_off(t->inst))
		return -EIO;
	if (tracefs_instance_set_buffer_size(t->inst, BD_BUFFER_KB, -1))
		pb_info("breakdown: could not grow the trace buffer to %d KiB per CPU; overruns are still detected",
			BD_BUFFER_KB);
	for (size_t i = 0; i < t->nfuncs; i++) {
		unsigned fl = (i == 0 ? TRACEFS_FL_RESET : 0) | (i + 1 < t->nfuncs ? TRACEFS_FL_CONTINUE : 0);

		if (tracefs_function_filter(t->inst, t->funcs[i], NULL, fl)) {
			pb_err("breakdown: cannot add %s to set_ftrace_filter", t->funcs[i]);
			return -EIO;
		}
	}
	if (tracefs_tracer_set(t->inst, TRACEFS_TRACER_FUNCTION_GRAPH))
		return -EIO;
	return tracefs_instance_file_clear(t->inst, "trace") ? -EIO : 0;
}

static void on_fatal(int sig)
{
	pb_stop_signal = sig;
}

/* Signals that would otherwise end pinbench with the tracer left on: stop the loop instead. */
static void catch_more_signals(void)
{
	static const int sigs[] = { SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a closed stdout: EPIPE, then the normal end */
}

static void close_at_exit(void)
{
	bd_tracer_close(open_tracer);
}

int bd_tracer_open(struct bd_tracer **out, const char *method, char *why, size_t len)
{
	static int atexit_done;
	struct bd_tracer *t;
	const char *dir;
	char name[48];
	int rc;

	*out = NULL;
	if (!(dir = tracefs_tracing_dir()) || access(dir, F_OK)) {
		snprintf(why, len, "no tracefs: mount it (mount -t tracefs none /sys/kernel/tracing; needs CONFIG_FTRACE) and run as root");
		return -ENODEV;
	}
	if (!tracefs_tracer_available(dir, "function_graph")) {
		snprintf(why, len, "this kernel has no function_graph tracer in %s/available_tracers (CONFIG_FUNCTION_GRAPH_TRACER=y)", dir);
		return -ENODEV;
	}
	if (!(t = calloc(1, sizeof(*t))))
		return -ENOMEM;
	t->pid = (int)getpid();
	t->ncpus = (int)sysconf(_SC_NPROCESSORS_CONF);
	if (t->ncpus < 1)
		t->ncpus = 1;
	if (!(t->lost_before = calloc((size_t)t->ncpus, sizeof(*t->lost_before)))) {
		free(t);
		return -ENOMEM;
	}
	if ((rc = pick_functions(t, method)))
		goto fail_why;
	if (!t->nfuncs) {
		snprintf(why, len, "none of %s's phase functions is traceable in this kernel (see pinbench list -v)", method);
		rc = -ENODEV;
		goto fail;
	}
	if ((rc = setup_events(t))) {
		snprintf(why, len, "cannot read the funcgraph_exit event format or /proc/kallsyms (%s): run as root",
			 strerror(-rc));
		rc = -ENODEV;
		goto fail;
	}
	t->inst = private_instance(name, sizeof(name));
	if (t->inst) {
		snprintf(t->where, sizeof(t->where), "instance %s", name);
	} else {
		if (top_in_use(why, len)) {
			size_t l = strlen(why);

			snprintf(why + l, len - l, "; this kernel allows function_graph only there: stop the other user, or reset it (echo nop > %s/current_tracer)", dir);
			rc = -EBUSY;
			goto fail;
		}
		snprintf(t->where, sizeof(t->where), "top-level tracer");
		t->top_was_on = tracefs_trace_is_on(NULL) == 1;
		t->top_buf_kb = tracefs_instance_get_buffer_size(NULL, 0);
	}
	open_tracer = t;
	if (!atexit_done++)
		atexit(close_at_exit);
	*out = t;
	return 0;
fail_why:
	snprintf(why, len, "cannot read available_filter_functions: %s (run as root)", strerror(-rc));
fail:
	bd_tracer_close(t);
	return rc;
}

int bd_tracer_arm(struct bd_tracer *t, char *why, size_t len)
{
	int rc;

	catch_more_signals();
	if ((rc = configure(t)))
		snprintf(why, len, "cannot set function_graph with its filter in the %s: %s", t->where, strerror(-rc));
	return rc;
}

int bd_tracer_traces(const struct bd_tracer *t, const char *func)
{
	for (size_t i = 0; i < t->nfuncs; i++)
		if (!strcmp(t->funcs[i], func))
			return 1;
	return 0;
}

const char *bd_tracer_where(const struct bd_tracer *t)
{
	return t->where;
}

int bd_tracer_begin(struct bd_tracer *t)
{
	t->n = 0;
	t->depth_overruns = 0;
	t->oom = 0;
	/*
	 * No clearing here: end() reads trace_pipe_raw, which consumes, so the
	 * buffer is empty already; clearing it would wait for RCU and leave
	 * callbacks to run inside the timed op.
	 */
	for (int c = 0; c < t->ncpus; c++)
		t->lost_before[c] = cpu_lost(t, c);
	return tracefs_trace_on(t->inst) ? -EIO : 0;
}

static int phase_of_ip(struct bd_tracer *t, unsigned long long ip)
{
	const char *name;
	int ph = -1;

	for (size_t i = 0; i < t->ncache; i++)
		if (t->cache[i].ip == ip)
			return t->cache[i].phase;
	name = tep_find_function(t->tep, ip);
	for (size_t i = 0; name && i < t->nfuncs; i++)
		if (!strcmp(name, t->funcs[i]))
			ph = t->phase[i];
	if (t->ncache < sizeof(t->cache) / sizeof(t->cache[0]))
		t->cache[t->ncache++] = (struct ip_phase){ ip, ph };
	return ph;
}

static int on_event(struct tep_event *ev, struct tep_record *rec, int cpu, void *arg)
{
	struct bd_tracer *t = arg;
	unsigned long long ip, call, ret, over = 0;
	struct bd_call *nc;

	(void)cpu;
	if (ev->id != t->exit_ev->id || tep_data_pid(t->tep, rec) != t->pid)
		return 0;
	if (tep_read_number_field(t->f_func, rec->data, &ip) ||
	    tep_read_number_field(t->f_call, rec->data, &call) ||
	    tep_read_number_field(t->f_ret, rec->data, &ret))
		return 0;
	if (t->f_over && !tep_read_number_field(t->f_over, rec->data, &over) && over)
		t->depth_overruns++;
	if (!(nc = pb_grow(t->calls, &t->cap, t->n, sizeof(*t->calls), 4096))) {
		t->oom = 1;
		return 1;
	}
	t->calls = nc;
	t->calls[t->n++] = (struct bd_call){ phase_of_ip(t, ip), call, ret };
	return 0;
}

int bd_tracer_end(struct bd_tracer *t, struct bd_call **calls, size_t *n, int64_t *lost)
{
	int64_t sum = 0;

	if (tracefs_trace_off(t->inst))
		return -EIO;
	for (int c = 0; c < t->ncpus; c++) {
		int64_t d = cpu_lost(t, c) - t->lost_before[c];

		sum += d > 0 ? d : 0;
	}
	if (tracefs_iterate_raw_events(t->tep, t->inst, NULL, 0, on_event, t) < 0 && !t->oom)
		return -EIO;
	if (t->oom)
		return -ENOMEM;
	*calls = t->calls;
	*n = t->n;
	*lost = sum + t->depth_overruns;
	return 0;
}

char *bd_available_functions(void)
{
	return tracefs_instance_file_read(NULL, "available_filter_functions", NULL);
}

void bd_tracer_close(struct bd_tracer *t)
{
	if (!t)
		return;
	if (t->changed) {
		tracefs_trace_off(t->inst);
		tracefs_tracer_clear(t->inst);
		tracefs_function_filter(t->inst, NULL, NULL, TRACEFS_FL_RESET);
		if (!t->inst) {
			if (t->top_buf_kb > 0)
				tracefs_instance_set_buffer_size(NULL, (size_t)t->top_buf_kb, -1);
			tracefs_instance_file_clear(NULL, "trace");
			if (t->top_was_on)
				tracefs_trace_on(NULL);
		}
	}
	if (t->inst) {
		tracefs_instance_destroy(t->inst);
		tracefs_instance_free(t->inst);
	}
	if (t->tep)
		tep_free(t->tep);
	if (open_tracer == t)
		open_tracer = NULL;
	free(t->calls);
	free(t->lost_before);
	free(t);
}
