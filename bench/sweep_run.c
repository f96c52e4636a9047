// SPDX-License-Identifier: GPL-2.0
/*
 * Running a sweep's settings: each a child `pinbench run` (a crash or a leak
 * in one method does not stop the others), its outcome read from its exit
 * status, printed in the sweep's words (what make ab and the ladder read) and
 * recorded per result set.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pb.h"
#include "sweep.h"

struct strs {
	char **v;
	size_t n, cap;
};

static void strs_add(struct strs *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void strs_add(struct strs *l, const char *fmt, ...)
{
	char **v = pb_grow(l->v, &l->cap, l->n, sizeof(*v), 16);
	va_list ap;

	if (!v)
		return;
	l->v = v;
	va_start(ap, fmt);
	if (vasprintf(&l->v[l->n], fmt, ap) >= 0)
		l->n++;
	va_end(ap);
}

static void strs_free(struct strs *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

struct tally {
	int measured, present, skipped, failed, leaks, size_skips;
	struct strs files, skips, failures, dirs;
	FILE **recs;		/* per job: its set's sweep-outcomes.txt */
};

/* One progress line on stdout, and in the record of outcomes when rec. */
static void say(FILE *rec, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(FILE *rec, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (rec) {
		va_start(ap, fmt);
		vfprintf(rec, fmt, ap);
		va_end(ap);
		fputc('\n', rec);
		fflush(rec);
	}
}

/* The newest DIR/ *-SLUG.csv (complete; a .partial does not count). */
static int find_done(const char *dir, const char *slug, char *name, size_t len)
{
	char suffix[300];
	struct dirent *e;
	DIR *d = opendir(dir);
	size_t sl;

	name[0] = '\0';
	if (!d)
		return 0;
	snprintf(suffix, sizeof(suffix), "-%s.csv", slug);
	sl = strlen(suffix);
	while ((e = readdir(d))) {
		size_t nl = strlen(e->d_name);

		if (nl >= sl && !strcmp(e->d_name + nl - sl, suffix) && strcmp(e->d_name, name) > 0)
			snprintf(name, len, "%s", e->d_name);
	}
	closedir(d);
	return name[0] != '\0';
}

/* fork + exec argv with stdout and stderr into log; forwards the sweep's stop signal. */
static int run_child(char **argv, const char *log, volatile sig_atomic_t *stop)
{
	int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), st, forwarded = 0;
	pid_t pid, w;

	if (fd < 0) {
		pb_err("cannot write %s: %s", log, strerror(errno));
		return 1;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		execv(argv[0], argv);
		fprintf(stderr, "pinbench: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(1);
	}
	close(fd);
	if (pid < 0) {
		pb_err("fork: %s", strerror(errno));
		return 1;
	}
	/* Polled, so that a signal landing just before a blocking wait is not missed. */
	while ((w = waitpid(pid, &st, WNOHANG)) == 0 || (w < 0 && errno == EINTR)) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };

		if (*stop && !forwarded) {
			kill(pid, *stop);
			forwarded = 1;
		}
		nanosleep(&ts, NULL);
	}
	if (w < 0)
		return 1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* From the child's log: the reason (its last "pinbench: " line) and the sizes it refused. */
static void read_log(const char *log, char *why, size_t len, struct strs *refused)
{
	FILE *f = fopen(log, "re");
	char line[1024], last[1024] = "";
	size_t n;

	why[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[strspn(line, " \t")])
			snprintf(last, sizeof(last), "%s", line);
		if (strncmp(line, "pinbench: ", 10) || !strncmp(line, "pinbench: results:", 18))
			continue;
		snprintf(why, len, "%s", line + 10);
		n = strlen(line);
		if (n > 12 && !strcmp(line + n - 12, "size skipped"))
			strs_add(refused, "%s", line + 10);
	}
	fclose(f);
	if (!why[0])
		snprintf(why, len, "%s", last);
}

static void log_tail(const char *log, int lines)
{
	FILE *f = fopen(log, "re");
	char ring[8][512];
	int n = 0;

	if (!f)
		return;
	while (fgets(ring[n % lines], sizeof(ring[0]), f))
		n++;
	fclose(f);
	for (int i = n > lines ? n - lines : 0; i < n; i++)
		printf("    | %s%s", ring[i % lines], strchr(ring[i % lines], '\n') ? "" : "\n");
}

static int interrupted(int rc)
{
	return rc == PB_EXIT_SIGINT || rc == PB_EXIT_SIGTERM;
}

/* One setting run and told. Returns 1 when the sweep must stop (interrupted). */
static int run_setting(struct sweep_plan *p, struct sweep_setting *s, const char *tag, struct tally *t,
		       volatile sig_atomic_t *stop)
{
	const struct sweep_job *sj = &p->jobs[s->job];
	FILE *rec = t->recs[s->job];
	char date[32], out[1024], log[1600], why[1024];
	struct strs refused = { 0 };
	struct timespec t0, t1;
	time_t now = time(NULL);
	struct tm tm;
	long secs;
	int rc;

	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y%m%d-%H%M%S", &tm);
	snprintf(out, sizeof(out), "%s/%s-%s.csv", sj->dir, date, s->slug);
	snprintf(log, sizeof(log), "%s/.sweep-logs/%s.log", sj->dir, strrchr(out, '/') + 1);
	free(s->argv[s->out_at]);
	if (!(s->argv[s->out_at] = strdup(out)))
		return 1;
	say(NULL, "%s (sizes %s, reps %s) ...", tag, s->sizes, sj->reps);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = run_child(s->argv, log, stop);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (long)(t1.tv_sec - t0.tv_sec);
	read_log(log, why, sizeof(why), &refused);
	if (rc > 128 && !interrupted(rc))
		snprintf(why, sizeof(why), "killed by signal %d (%s)", rc - 128, strsignal(rc - 128));
	if (rc == PB_EXIT_SKIP && refused.n)
		snprintf(why, sizeof(why), "%s", refused.v[refused.n - 1]);
	switch (rc) {
	case PB_EXIT_OK:
	case PB_EXIT_LEAK:
		for (size_t i = 0; i < refused.n; i++) {
			say(rec, "%s: skipped a size: %s", tag, refused.v[i]);
			t->size_skips++;
			strs_add(&t->skips, "%s: %s", tag, refused.v[i]);
		}
		t->measured++;
		strs_add(&t->files, "%s", out);
		if (rc == PB_EXIT_LEAK) {
			t->leaks++;
			say(rec, "%s: measured in %lds, PIN LEAK reported: %s", tag, secs, why);
		} else {
			say(rec, "%s: measured in %lds -> %s/%s", tag, secs, sj->label, strrchr(out, '/') + 1);
		}
		break;
	case PB_EXIT_SKIP:
		t->skipped++;
		strs_add(&t->skips, "%s: %s", tag, why[0] ? why : "not available here");
		say(rec, "%s: skipped: %s", tag, why[0] ? why : "not available here");
		break;
	case PB_EXIT_UNSUPPORTED:
		t->skipped++;
		strs_add(&t->skips, "%s: unsupported by this kernel: %s", tag, why);
		say(rec, "%s: unsupported: %s", tag, why);
		break;
	case PB_EXIT_SIGINT:
	case PB_EXIT_SIGTERM:
		t->failed++;
		say(rec, "%s: interrupted; partial results kept", tag);
		break;
	default:
		t->failed++;
		strs_add(&t->failures, "%s: rc %d: %s", tag, rc, why);
		say(rec, "%s: FAILED (exit %d) after %lds: %s", tag, rc, secs, why);
		log_tail(log, 8);
		break;
	}
	strs_free(&refused);
	return interrupted(rc) || *stop;
}

static void summary_end(const struct tally *t, const char *exe)
{
	printf("sweep: done: %d measured, %d already there, %d skipped, %d failed", t->measured, t->present,
	       t->skipped, t->failed);
	if (t->leaks)
		printf(", %d with pin leaks", t->leaks);
	if (t->size_skips)
		printf(", %d size(s) skipped in measured settings", t->size_skips);
	putchar('\n');
	for (size_t i = 0; i < t->skips.n; i++)
		printf("  skipped %s\n", t->skips.v[i]);
	for (size_t i = 0; i < t->failures.n; i++)
		printf("  failed  %s\n", t->failures.v[i]);
	for (size_t i = 0; i < t->dirs.n; i++)
		printf("sweep: results in %s\n", t->dirs.v[i]);
	if (t->files.n) {
		char **argv = calloc(t->files.n + 3, sizeof(*argv));
		pid_t pid;
		int st;

		if (!argv)
			return;
		argv[0] = (char *)exe;
		argv[1] = "summary";
		memcpy(argv + 2, t->files.v, t->files.n * sizeof(*argv));
		fflush(stdout);
		if ((pid = fork()) == 0) {
			execv(exe, argv);
			_exit(1);
		}
		if (pid > 0)
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
		free(argv);
	}
}

static void header(const struct sweep_plan *p, size_t j)
{
	const struct sweep_job *sj = &p->jobs[j];
	const char *nl;

	printf("sweep: %s%s%slabel %s, %d settings (%d regions x %d methods), reps %s, results in %s\n",
	       p->njobs > 1 ? "job " : "", p->njobs > 1 ? sj->job->name : "", p->njobs > 1 ? ": " : "", sj->label,
	       sj->nregions * sj->nmethods, sj->nregions, sj->nmethods, sj->reps, sj->dir);
	for (const char *n = sj->notes; *n; n = nl + 1) {
		nl = strchr(n, '\n');
		printf("sweep: %.*s\n", (int)(nl - n), n);
	}
}

/* Each job's set: its folder, its logs, a fresh record of outcomes. */
static int open_sets(struct sweep_plan *p, struct tally *t)
{
	for (size_t j = 0; j < p->njobs; j++) {
		char path[600];
		size_t k;

		for (k = 0; k < j && strcmp(p->jobs[k].dir, p->jobs[j].dir); k++)
			;
		if (k < j) {
			t->recs[j] = t->recs[k];
			continue;
		}
		snprintf(path, sizeof(path), "%s/.sweep-logs", p->jobs[j].dir);
		if (pb_mkdir_p(path)) {
			pb_err("cannot create %s: %s", path, strerror(errno));
			return -1;
		}
		snprintf(path, sizeof(path), "%s/sweep-outcomes.txt", p->jobs[j].dir);
		if (!(t->recs[j] = fopen(path, "we"))) {
			pb_err("cannot write %s: %s", path, strerror(errno));
			return -1;
		}
		strs_add(&t->dirs, "%s", p->jobs[j].dir);
	}
	return 0;
}

int sweep_run(struct sweep_plan *p, const struct sweep_opts *so, volatile sig_atomic_t *stop)
{
	struct tally t = { 0 };
	int rc = PB_EXIT_OK, stopped = 0;

	if (!(t.recs = calloc(p->njobs, sizeof(*t.recs))))
		return PB_EXIT_FAIL;
	if (!p->n) {
		for (size_t j = 0; j < p->njobs; j++)
			header(p, j);
		if (!so->dry)
			pb_err("nothing to do: no region of %s is here (see the notes above and pinbench list)", so->jobfile);
		rc = so->dry ? PB_EXIT_OK : PB_EXIT_USAGE;
		goto out;
	}
	if (!so->dry && open_sets(p, &t)) {
		rc = PB_EXIT_FAIL;
		goto out;
	}
	for (size_t i = 0; i < p->n && !stopped; i++) {
		struct sweep_setting *s = &p->s[i];
		const struct sweep_job *sj = &p->jobs[s->job];
		FILE *rec = t.recs[s->job];
		char tag[400], name[256], a[16], c[16];

		if (*stop) {
			stopped = 1;
			break;
		}
		if (!i || s->job != p->s[i - 1].job)
			header(p, s->job);
		snprintf(tag, sizeof(tag), "[%zu/%zu] %s on %s", i + 1, p->n, s->method, s->region);
		if (!s->sizes[0]) {
			say(rec, "%s: skipped, no size fits (align %s, capacity %s)", tag, pb_fmt_size(s->align, a, sizeof(a)),
			    pb_fmt_size(s->cap, c, sizeof(c)));
			t.skipped++;
			strs_add(&t.skips, "%s: no size fits", tag);
		} else if (find_done(sj->dir, s->slug, name, sizeof(name))) {
			say(rec, "%s: already measured (%s), skipped", tag, name);
			t.present++;
			strs_add(&t.files, "%s/%s", sj->dir, name);
		} else if (so->dry) {
			char date[32];
			time_t now = time(NULL);
			struct tm tm;

			localtime_r(&now, &tm);
			strftime(date, sizeof(date), "%Y%m%d-%H%M%S", &tm);
			free(s->argv[s->out_at]);
			if (asprintf(&s->argv[s->out_at], "%s/%s-%s.csv", sj->dir, date, s->slug) < 0)
				s->argv[s->out_at] = NULL;
			say(NULL, "%s (sizes %s, reps %s) ...", tag, s->sizes, sj->reps);
			printf("  would run:");
			for (int k = 0; k < s->argc; k++)
				printf(" %s", s->argv[k] ? s->argv[k] : "?");
			putchar('\n');
		} else {
			stopped = run_setting(p, s, tag, &t, stop);
		}
	}
	if (so->dry)
		goto out;
	summary_end(&t, so->exe);
	rc = stopped ? PB_EXIT_SIGINT : t.failed ? PB_EXIT_FAIL : PB_EXIT_OK;
out:
	for (size_t j = 0; j < p->njobs; j++)
		if (t.recs[j]) {
			size_t k;

			for (k = 0; k < j && t.recs[k] != t.recs[j]; k++)
				;
			if (k == j)
				fclose(t.recs[j]);
		}
	free(t.recs);
	strs_free(&t.files);
	strs_free(&t.skips);
	strs_free(&t.failures);
	strs_free(&t.dirs);
	return rc;
}
