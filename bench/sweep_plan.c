// SPDX-License-Identifier: GPL-2.0
/* A job file -> the sweep's settings, every value checked before anything runs. */
#include <errno.h>
#include <glob.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "driver.h"
#include "options.h"
#include "pb.h"
#include "region.h"
#include "sweep_plan.h"

#define MAX_REGIONS 64

/*
 * What pinbench's own checks print (options_parse, region describe) is caught
 * to go into one line naming the job file's line, or a note.
 */
struct errcap {
	int saved;
	FILE *tmp;
};

static void cap_begin(struct errcap *c)
{
	fflush(stderr);
	c->saved = -1;
	if (!(c->tmp = tmpfile()))
		return;
	if ((c->saved = dup(2)) < 0 || dup2(fileno(c->tmp), 2) < 0) {
		if (c->saved >= 0)
			close(c->saved);
		c->saved = -1;
	}
}

/* The first "pinbench: " line caught, without the prefix. */
static void cap_end(struct errcap *c, char *msg, size_t len)
{
	char line[1024];

	fflush(stderr);
	msg[0] = '\0';
	if (c->saved >= 0) {
		dup2(c->saved, 2);
		close(c->saved);
	}
	if (!c->tmp)
		return;
	rewind(c->tmp);
	while (fgets(line, sizeof(line), c->tmp))
		if (!strncmp(line, "pinbench: ", 10)) {
			size_t n = strcspn(line + 10, "\n");

			n = n < len ? n : len - 1;
			memcpy(msg, line + 10, n);
			msg[n] = '\0';
			break;
		}
	fclose(c->tmp);
}

static void note(struct sweep_job *sj, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct sweep_job *sj, const char *fmt, ...)
{
	size_t at = strlen(sj->notes);
	va_list ap;

	if (at + 2 >= sizeof(sj->notes))
		return;
	va_start(ap, fmt);
	vsnprintf(sj->notes + at, sizeof(sj->notes) - at - 1, fmt, ap);
	va_end(ap);
	strcat(sj->notes, "\n");
}

/* Split a comma list into items; an empty item is an error. Returns count or -1. */
static int split(char *s, char **items, int max, const char *where, const char *key, const char *val)
{
	int n = 0;

	for (char *p = s, *c; p; p = c ? c + 1 : NULL) {
		if ((c = strchr(p, ',')))
			*c = '\0';
		if (!*p || strchr(p, ' ') || strchr(p, '\t')) {
			pb_err("%s: %s = %s: %s; separate items with commas only", where, key, val,
			       *p ? "no blanks allowed" : "empty element, remove the stray comma");
			return -1;
		}
		if (n == max) {
			pb_err("%s: %s = %s: more than %d items; split it into several jobs", where, key, val, max);
			return -1;
		}
		items[n++] = p;
	}
	return n;
}

static const char *get(const struct jobfile *jf, const struct job *j, const char *key, const char *def,
		       char *where, size_t wlen)
{
	const struct job_kv *kv;
	const char *v = job_get(j, key, &kv);

	if (v)
		job_where(jf, kv, where, wlen);
	else
		snprintf(where, wlen, "%.200s:%d: [%.63s]", jf->path, j->line, j->name);
	return v ? v : def;
}

/*
 * What a job sweeps is written in the job file, never defaulted here: a key
 * the job lacks (in [global] or its section) is an error. sizes-1g falls back
 * to sizes, reps to pinbench run's own default.
 */
static const char *const required_keys[] = { "regions", "methods", "sizes" };

static int check_required(const struct jobfile *jf, const struct job *j)
{
	for (size_t k = 0; k < sizeof(required_keys) / sizeof(required_keys[0]); k++)
		if (!job_get(j, required_keys[k], NULL)) {
			pb_err("%s:%d: [%s] has no %s: every job names its regions, methods and sizes, in its "
			       "section or in [global] (jobs/demo.job is an example)",
			       jf->path, j->line, j->name, required_keys[k]);
			return -1;
		}
	return 0;
}

/* KEY's value; for the keys with a fallback, that, else NULL (check_required ran). */
static const char *job_value(const struct jobfile *jf, const struct job *j, const char *key, char *where,
			     size_t wlen)
{
	const char *def = NULL;

	if (!strcmp(key, "sizes-1g"))
		def = job_get(j, "sizes", NULL);
	else if (!strcmp(key, "reps"))
		def = options_default("reps");
	else if (!strcmp(key, "outdir"))
		def = SWEEP_DEFAULT_OUTDIR;
	return get(jf, j, key, def, where, wlen);
}

static int check_label(const char *where, const char *label)
{
	if (!pb_label_ok(label)) {
		pb_err("%s: label = %s: use letters, digits and . _ + - @ only, not starting with '.' (it names a folder)",
		       where, label);
		return -1;
	}
	return 0;
}

static int sizes_of(const char *where, const char *key, const char *val, uint64_t *out)
{
	char why[256];
	int n = pb_parse_sizes(val, out, PB_MAX_SIZES, why, sizeof(why));

	if (n < 0)
		pb_err("%s: %s = %s: %s", where, key, val, why);
	return n;
}

/* One `pinbench run` option as the run itself would read it. */
static int check_run_option(const char *where, const char *key, const char *val, int flag)
{
	const struct pin_driver *owner = options_owner(key);
	char opt[80], msg[512];
	/* A method's own option is checked with that method, the others with any. */
	char *argv[] = { "run", "--region", "anon", "--method", (char *)(owner ? owner->name : "null"), opt, (char *)val, NULL };
	struct options o;
	struct errcap c;
	int quiet = pb_quiet, rc;

	snprintf(opt, sizeof(opt), "--%s", key);
	if (flag)
		argv[6] = NULL;
	cap_begin(&c);
	rc = options_parse(&o, flag ? 6 : 7, argv);
	cap_end(&c, msg, sizeof(msg));
	pb_quiet = quiet;
	if (rc) {
		pb_err("%s: %s = %s: %s", where, key, val, msg[0] ? msg : "not accepted by pinbench run");
		return -1;
	}
	return 0;
}

static void append(char *buf, size_t len, const char *s)
{
	size_t at = strlen(buf);

	snprintf(buf + at, len - at, "%s%s", at ? "," : "", s);
}

/* devdax -> every /dev/daxX.Y here; dram -> hugetlb:2M, thp, anon; else as given. */
static int expand_regions(struct sweep_job *sj, char **items, int n, char out[][300], const char *where,
			  const char *val)
{
	int k = 0;

	for (int i = 0; i < n; i++) {
		if (!strcmp(items[i], "devdax")) {
			glob_t g;
			int found = 0;

			if (!glob("/dev/dax*", 0, NULL, &g)) {
				for (size_t e = 0; e < g.gl_pathc && k < MAX_REGIONS; e++) {
					struct stat st;

					if (!stat(g.gl_pathv[e], &st) && S_ISCHR(st.st_mode)) {
						snprintf(out[k++], 300, "devdax:%.290s", g.gl_pathv[e]);
						found++;
					}
				}
				globfree(&g);
			}
			if (!found)
				note(sj, "devdax: no /dev/dax* device here, none measured");
		} else if (!strcmp(items[i], "dram")) {
			static const char *const dram[] = { "hugetlb:2M", "thp", "anon" };

			for (int d = 0; d < 3 && k < MAX_REGIONS; d++)
				snprintf(out[k++], 300, "%s", dram[d]);
		} else {
			struct region r;
			struct errcap c;
			char msg[512];
			int rc;

			cap_begin(&c);
			rc = region_parse(items[i], &r);
			cap_end(&c, msg, sizeof(msg));
			if (rc) {
				char kinds[256] = "";

				if (strstr(msg, "; known kinds:"))
					*strstr(msg, "; known kinds:") = '\0';
				for (int r2 = 0; region_kinds[r2]; r2++)
					append(kinds, sizeof(kinds), region_kinds[r2]->usage);
				pb_err("%s: regions = %s: %s; use devdax (every /dev/daxX.Y), dram (hugetlb:2M,thp,anon) or %s",
				       where, val, msg, kinds);
				return -1;
			}
			if (k < MAX_REGIONS)
				snprintf(out[k++], 300, "%s", items[i]);
		}
	}
	return k;
}

/*
 * The sizes spec can hold: a multiple of its align, no larger than it when
 * bounded (a device, a file). Its kind's describe() says; sizes dropped get a
 * note. 1G-aligned regions take sizes-1g.
 */
static int region_sizes(struct sweep_job *sj, struct sweep_setting *s, const uint64_t *sz, int nsz,
			const uint64_t *sz1g, int nsz1g)
{
	struct region r;
	struct region_opts ro = { 0 };
	struct errcap c;
	char msg[512], misaligned[256] = "", beyond[256] = "", a[16], b[16];
	const uint64_t *src = sz;
	int n = nsz, rc;

	s->sizes[0] = '\0';
	s->align = s->cap = 0;
	cap_begin(&c);
	rc = region_parse(s->region, &r);
	if (!rc)
		rc = region_describe(&r, &ro);
	cap_end(&c, msg, sizeof(msg));
	if (!rc) {
		s->align = r.align;
		s->cap = r.bounded ? r.dev_size : 0;
	} else {
		/* A kind that knows its page size before failing (hugetlb:1G with no pool here) picks the list. */
		s->align = r.kind ? r.align : 0;
		note(sj, "%s: not usable here: %s", s->region, msg[0] ? msg : "pinbench run will say why");
	}
	if (r.kind)
		region_close(&r);
	if (s->align >= PB_GIB) {
		src = sz1g;
		n = nsz1g;
	}
	for (int i = 0; i < n; i++) {
		pb_fmt_size(src[i], a, sizeof(a));
		if (s->align && src[i] % s->align)
			append(misaligned, sizeof(misaligned), a);
		else if (s->cap && src[i] > s->cap)
			append(beyond, sizeof(beyond), a);
		else
			append(s->sizes, sizeof(s->sizes), a);
	}
	if (strlen(s->sizes) >= sizeof(s->sizes) - 1)
		return -1;
	if (misaligned[0])
		note(sj, "%s: dropped %s: not a multiple of its %s align", s->region, misaligned,
		     pb_fmt_size(s->align, b, sizeof(b)));
	if (beyond[0])
		note(sj, "%s: dropped %s: larger than it (%s)", s->region, beyond, pb_fmt_size(s->cap, b, sizeof(b)));
	return 0;
}

static int add_arg(struct sweep_setting *s, const char *a)
{
	char **v = realloc(s->argv, (size_t)(s->argc + 2) * sizeof(*v));

	if (!v)
		return -1;
	s->argv = v;
	if (!(s->argv[s->argc] = strdup(a)))
		return -1;
	s->argv[++s->argc] = NULL;
	return 0;
}

/* exe run --region R --method M --sizes S --reps N --label L --out FILE --quiet [job's run options] */
static int build_argv(const struct sweep_job *sj, struct sweep_setting *s, const char *exe)
{
	const struct job *j = sj->job;
	const char *fixed[] = { exe, "run", "--region", s->region, "--method", s->method, "--sizes", s->sizes,
				"--reps", sj->reps, "--label", sj->label, "--out" };
	int rc = 0;

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		rc |= add_arg(s, fixed[i]);
	s->out_at = s->argc;
	rc |= add_arg(s, "OUT");
	rc |= add_arg(s, "--quiet");
	for (size_t i = 0; i < j->nkv && !rc; i++) {
		char opt[80];
		int flag = 0;

		if (jobfile_sweep_key(j->kv[i].key) || !strcmp(j->kv[i].key, "reps"))
			continue;
		options_find(j->kv[i].key, &flag);
		if ((flag && !strcmp(j->kv[i].val, "0")) || !options_of_method(driver_find(s->method), j->kv[i].key))
			continue;
		snprintf(opt, sizeof(opt), "--%s", j->kv[i].key);
		rc |= add_arg(s, opt);
		if (!flag)
			rc |= add_arg(s, j->kv[i].val);
	}
	return rc ? -ENOMEM : 0;
}

/*
 * The job's run options, each as `pinbench run` reads it; a method's own
 * option (it goes to that method's runs only) needs the method in the job.
 */
static int check_job_options(const struct jobfile *jf, const struct job *j, const char *const *methods, int nm,
			     const char *mlist)
{
	char where[300];

	for (size_t i = 0; i < j->nkv; i++) {
		const struct pin_driver *owner = options_owner(j->kv[i].key);
		int flag = 0, taken = !owner;

		if (jobfile_sweep_key(j->kv[i].key))
			continue;
		for (int m = 0; m < nm && !taken; m++)
			taken = options_of_method(driver_find(methods[m]), j->kv[i].key);
		if (!taken) {
			pb_err("%s: %s is an option of method %s, which this job does not run (methods = %s): drop it or add the method",
			       job_where(jf, &j->kv[i], where, sizeof(where)), j->kv[i].key, owner->name, mlist);
			return -1;
		}
		options_find(j->kv[i].key, &flag);
		if (flag && !strcmp(j->kv[i].val, "0"))
			continue;
		if (check_run_option(job_where(jf, &j->kv[i], where, sizeof(where)), j->kv[i].key, j->kv[i].val,
				     flag))
			return -1;
	}
	return 0;
}

static int plan_job(struct sweep_plan *p, const struct jobfile *jf, size_t ji, const char *exe)
{
	struct sweep_job *sj = &p->jobs[ji];
	const struct job *j = &jf->jobs[ji];
	uint64_t sz[PB_MAX_SIZES], sz1g[PB_MAX_SIZES];
	char where[300], buf[1100], *items[MAX_REGIONS], (*regs)[300] = NULL, slug[160];
	const char *v, *methods[MAX_REGIONS];
	struct utsname u;
	int nsz, nsz1g, nm, ni, nr, rc = -1;

	sj->job = j;
	uname(&u);
	v = get(jf, j, "label", u.release, where, sizeof(where));
	if (check_label(where, v))
		return -1;
	snprintf(sj->label, sizeof(sj->label), "%s", v);
	if (check_required(jf, j))
		return -1;
	v = job_value(jf, j, "outdir", where, sizeof(where));
	if ((size_t)snprintf(sj->dir, sizeof(sj->dir), "%s/%s", v, sj->label) >= sizeof(sj->dir) - 64) {
		pb_err("%s: outdir = %s: too long a path", where, v);
		return -1;
	}
	v = job_value(jf, j, "reps", where, sizeof(where));
	snprintf(sj->reps, sizeof(sj->reps), "%.15s", v);
	v = job_value(jf, j, "sizes", where, sizeof(where));
	if ((nsz = sizes_of(where, "sizes", v, sz)) < 0)
		return -1;
	v = job_value(jf, j, "sizes-1g", where, sizeof(where));
	if ((nsz1g = sizes_of(where, "sizes-1g", v, sz1g)) < 0)
		return -1;

	v = job_value(jf, j, "methods", where, sizeof(where));
	snprintf(buf, sizeof(buf), "%s", v);
	if ((nm = split(buf, (char **)items, MAX_REGIONS, where, "methods", v)) < 0)
		return -1;
	for (int m = 0; m < nm; m++) {
		const struct pin_driver *d = driver_find(items[m]);
		char known[512] = "";

		if (!d) {
			for (int i = 0; pin_drivers[i]; i++)
				append(known, sizeof(known), pin_drivers[i]->name);
			pb_err("%s: methods = %s: unknown method '%s'; known methods: %s (pinbench list says which work here)",
			       where, v, items[m], known);
			return -1;
		}
		methods[m] = d->name;
	}
	sj->nmethods = nm;
	if (check_job_options(jf, j, methods, nm, job_value(jf, j, "methods", where, sizeof(where))))
		return -1;

	v = job_value(jf, j, "regions", where, sizeof(where));
	snprintf(buf, sizeof(buf), "%s", v);
	if ((ni = split(buf, items, MAX_REGIONS, where, "regions", v)) < 0)
		return -1;
	if (!(regs = calloc(MAX_REGIONS, sizeof(*regs))))
		return -1;
	if ((nr = expand_regions(sj, items, ni, regs, where, v)) < 0)
		goto out;
	sj->nregions = nr;

	for (int r = 0; r < nr; r++) {
		struct sweep_setting first = { .job = ji };

		snprintf(first.region, sizeof(first.region), "%s", regs[r]);
		if (region_sizes(sj, &first, sz, nsz, sz1g, nsz1g)) {
			pb_err("%s: sizes: too many for one run of %s: use fewer sizes", where, regs[r]);
			goto out;
		}
		pb_region_slug(regs[r], slug, sizeof(slug));
		for (int m = 0; m < nm; m++) {
			struct sweep_setting *s = pb_grow(p->s, &p->cap, p->n, sizeof(*s), 16);

			if (!s)
				goto out;
			p->s = s;
			s = &p->s[p->n++];
			*s = first;
			snprintf(s->method, sizeof(s->method), "%s", methods[m]);
			/* With several jobs, the job's name keeps their files apart. */
			snprintf(s->slug, sizeof(s->slug), "%s-%s%s%s", s->method, slug, jf->njobs > 1 ? "-" : "",
				 jf->njobs > 1 ? j->name : "");
			if (build_argv(sj, s, exe))
				goto out;
		}
	}
	rc = 0;
out:
	free(regs);
	return rc;
}

int sweep_plan_build(struct sweep_plan *p, const struct jobfile *jf, const char *exe)
{
	memset(p, 0, sizeof(*p));
	if (!(p->jobs = calloc(jf->njobs, sizeof(*p->jobs))))
		return PB_EXIT_FAIL;
	p->njobs = jf->njobs;
	for (size_t i = 0; i < jf->njobs; i++)
		if (plan_job(p, jf, i, exe)) {
			sweep_plan_free(p);
			return PB_EXIT_USAGE;
		}
	return 0;
}

int sweep_plan_print(const struct sweep_plan *p, const struct jobfile *jf, FILE *f)
{
	static const char *const keys[] = { "sizes", "sizes-1g", "reps", "methods", "regions" };
	char where[300];

	for (size_t j = 0; j < p->njobs; j++) {
		const struct sweep_job *sj = &p->jobs[j];
		const struct job *jb = sj->job;

		fprintf(f, "job\t%s\tlabel\t%s\n", jb->name, sj->label);
		fprintf(f, "job\t%s\toutdir\t%s\n", jb->name, job_value(jf, jb, "outdir", where, sizeof(where)));
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			fprintf(f, "job\t%s\t%s\t%s\n", jb->name, keys[k], job_value(jf, jb, keys[k], where, sizeof(where)));
		for (size_t i = 0; i < jb->nkv; i++)
			if (!jobfile_sweep_key(jb->kv[i].key) && strcmp(jb->kv[i].key, "reps"))
				fprintf(f, "job\t%s\t%s\t%s\n", jb->name, jb->kv[i].key, jb->kv[i].val);
	}
	for (size_t i = 0; i < p->n; i++) {
		const struct sweep_setting *s = &p->s[i];
		uint64_t sz[PB_MAX_SIZES];
		char why[256];
		int n = s->sizes[0] ? pb_parse_sizes(s->sizes, sz, PB_MAX_SIZES, why, sizeof(why)) : 0;

		if (n < 0) {
			pb_err("%s on %s: sizes %s: %s", s->method, s->region, s->sizes, why);
			return -1;
		}
		fprintf(f, "setting\t%s\t%s\t%s\t%" PRIu64 "\t%" PRIu64 "\t", p->jobs[s->job].job->name, s->method,
			s->region, s->align, s->cap);
		for (int k = 0; k < n; k++)
			fprintf(f, "%s%" PRIu64, k ? "," : "", sz[k]);
		fprintf(f, "%s\n", n ? "" : "-");
	}
	return fflush(f) ? -1 : 0;
}

void sweep_plan_free(struct sweep_plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		for (int a = 0; a < p->s[i].argc; a++)
			free(p->s[i].argv[a]);
		free(p->s[i].argv);
	}
	free(p->s);
	free(p->jobs);
	memset(p, 0, sizeof(*p));
}
