// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "breakdown_compare.h"
#include "breakdown_run.h"
#include "pb.h"
#include "stats.h"

#define NFIELDS 14	/* BREAKDOWN_COLUMNS */

static int phase_index(const char *name)
{
	for (int p = 0; p < PHASE_COUNT; p++)
		if (!strcmp(phase_name(p), name))
			return p;
	return -1;
}

int bd_parse_line(const char *line, struct bd_sample_set *key, double *ns, int *ok)
{
	char buf[1024], *f[NFIELDS], *s = buf, *end;
	int n = 0;

	if (strlen(line) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, line);
	buf[strcspn(buf, "\r\n")] = '\0';
	while (n < NFIELDS) {
		f[n++] = s;
		if (!(s = strchr(s, ',')))
			break;
		*s++ = '\0';
	}
	if (n != NFIELDS || s)
		return -EINVAL;
	memset(key, 0, sizeof(*key));
	if (strlen(f[0]) >= sizeof(key->label) || strlen(f[2]) >= sizeof(key->method) ||
	    strlen(f[3]) >= sizeof(key->region) || strlen(f[9]) >= sizeof(key->op))
		return -EINVAL;
	strcpy(key->label, f[0]);
	strcpy(key->method, f[2]);
	strcpy(key->region, f[3]);
	strcpy(key->op, f[9]);
	key->align = strtoull(f[5], &end, 10);
	if (*end || !*f[5])
		return -EINVAL;
	key->size = strtoull(f[7], &end, 10);
	if (*end || !*f[7])
		return -EINVAL;
	if ((key->phase = phase_index(f[10])) < 0)
		return -EINVAL;
	*ns = strtod(f[11], &end);
	if (*end || !*f[11])
		return -EINVAL;
	*ok = !strcmp(f[13], "ok");
	return 0;
}

static int same_key(const struct bd_sample_set *a, const struct bd_sample_set *b)
{
	return !strcmp(a->label, b->label) && !strcmp(a->method, b->method) && !strcmp(a->region, b->region) &&
	       !strcmp(a->op, b->op) && a->align == b->align && a->size == b->size && a->phase == b->phase;
}

static struct bd_sample_set *find_set(struct bd_compare *c, const struct bd_sample_set *key, int create)
{
	struct bd_sample_set *ns;

	for (size_t i = 0; i < c->n; i++)
		if (same_key(&c->sets[i], key))
			return &c->sets[i];
	if (!create || !(ns = pb_grow(c->sets, &c->cap, c->n, sizeof(*ns), 64)))
		return NULL;
	c->sets = ns;
	c->sets[c->n] = *key;
	return &c->sets[c->n++];
}

static int add_label(struct bd_compare *c, const char *label)
{
	for (size_t i = 0; i < c->nlabels; i++)
		if (!strcmp(c->labels[i], label))
			return 0;
	if (c->nlabels >= sizeof(c->labels) / sizeof(c->labels[0]))
		return -E2BIG;
	snprintf(c->labels[c->nlabels++], sizeof(c->labels[0]), "%s", label);
	return 0;
}

static int load_file(struct bd_compare *c, const char *path)
{
	FILE *f = fopen(path, "re");
	char line[1024];
	long no = 0;
	int hdr = 0;

	if (!f)
		return errno == ENOENT ? 0 : -errno;
	c->files++;
	while (fgets(line, sizeof(line), f)) {
		struct bd_sample_set key, *s;
		double ns, *nv;
		int ok;

		no++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (!hdr++) {
			if (strncmp(line, BREAKDOWN_COLUMNS, strlen(BREAKDOWN_COLUMNS))) {
				pb_err("%s:%ld: not a breakdown file header (want %s)", path, no, BREAKDOWN_COLUMNS);
				fclose(f);
				return -EINVAL;
			}
			continue;
		}
		if (bd_parse_line(line, &key, &ns, &ok)) {
			pb_err("%s:%ld: not a breakdown row: %.60s", path, no, line);
			fclose(f);
			return -EINVAL;
		}
		if (add_label(c, key.label) || !(s = find_set(c, &key, 1))) {
			fclose(f);
			return -ENOMEM;
		}
		if (!ok) {
			s->failed++;
			continue;
		}
		if (!(nv = pb_grow(s->ns, &s->cap, s->n, sizeof(*nv), 8))) {
			fclose(f);
			return -ENOMEM;
		}
		s->ns = nv;
		s->ns[s->n++] = ns;
	}
	fclose(f);
	return 0;
}

int bd_compare_load(struct bd_compare *c, char *const *results, size_t n, const char *baseline)
{
	char path[4200];
	int rc;

	memset(c, 0, sizeof(*c));
	if (baseline && (rc = add_label(c, baseline)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (breakdown_path(path, sizeof(path), results[i]))
			continue;
		if ((rc = load_file(c, path)))
			return rc;
	}
	return 0;
}

static double median_of(struct bd_sample_set *s)
{
	struct stats st;
	double *v;

	if (!s || !s->n)
		return NAN;
	if (!(v = malloc(s->n * sizeof(*v))))
		return NAN;
	memcpy(v, s->ns, s->n * sizeof(*v));
	stats_compute(v, s->n, &st);
	free(v);
	return st.p50;
}

/* Method, op, region, align, size, phase, then label: tables read in order. */
static int by_setting(const void *x, const void *y)
{
	const struct bd_sample_set *a = x, *b = y;
	int r;

	if ((r = strcmp(a->method, b->method)) || (r = strcmp(a->op, b->op)) || (r = strcmp(a->region, b->region)))
		return r;
	if (a->align != b->align)
		return a->align < b->align ? -1 : 1;
	if (a->size != b->size)
		return a->size < b->size ? -1 : 1;
	if (a->phase != b->phase)
		return a->phase - b->phase;
	return strcmp(a->label, b->label);
}

static int write_csv_md(struct bd_compare *c, FILE *csv, FILE *md, unsigned iters, uint64_t seed)
{
	const char *lastm = "", *lastop = "";

	fprintf(csv, "method,region,align,size,op,phase,label,n,failed,median_ns,ratio,lo,hi,significant\n");
	fprintf(md, "# Per-phase comparison (pinbench --breakdown)\n\n"
		    "Median ns per phase of the traced repetitions; ratio = label / %s (below 1: faster), "
		    "95%% bootstrap interval (%u resamples, seed %" PRIu64 "), * where it excludes 1.\n",
		c->labels[0], iters, seed);
	for (size_t i = 0; i < c->n; i++) {
		struct bd_sample_set *s = &c->sets[i], key;
		struct ratio_ci ci = { 0 };
		int have = 0;

		key = *s;
		snprintf(key.label, sizeof(key.label), "%s", c->labels[0]);
		struct bd_sample_set *base = find_set(c, &key, 0);

		if (base && base != s && base->n && s->n && median_of(base) > 0 && median_of(s) > 0) {
			stats_ratio_ci(base->ns, base->n, s->ns, s->n, iters, seed, &ci);
			have = 1;
		}
		fprintf(csv, "%s,%s,%" PRIu64 ",%" PRIu64 ",%s,%s,%s,%zu,%zu,%.0f,", s->method, s->region, s->align,
			s->size, s->op, phase_name(s->phase), s->label, s->n, s->failed, median_of(s));
		if (have)
			fprintf(csv, "%.4f,%.4f,%.4f,%d\n", ci.ratio, ci.lo, ci.hi, ci.significant);
		else
			fprintf(csv, ",,,\n");
		if (!have)
			continue;
		if (strcmp(lastm, s->method) || strcmp(lastop, s->op)) {
			fprintf(md, "\n## %s %s\n\n| region | align | size | phase | %s ms | label | its ms | ratio [95%% CI] |\n"
				    "|---|---:|---:|---|---:|---|---:|---|\n", s->method, s->op, c->labels[0]);
			lastm = s->method;
			lastop = s->op;
		}
		fprintf(md, "| %s | %" PRIu64 " | %" PRIu64 " | %s | %.3f | %s | %.3f | %.2f [%.2f, %.2f]%s |\n",
			s->region, s->align, s->size, phase_name(s->phase), median_of(base) / 1e6, s->label,
			median_of(s) / 1e6, ci.ratio, ci.lo, ci.hi, ci.significant ? " *" : "");
	}
	return ferror(csv) || ferror(md) ? -EIO : 0;
}

/*
 * Bars (label x region/align) of METHOD's OP with a breakdown at SIZE, if
 * every label that measured METHOD's OP at all has one there.
 */
static size_t bars_at(struct bd_compare *c, const char *method, const char *op, uint64_t size)
{
	size_t bars = 0;

	for (size_t l = 0; l < c->nlabels; l++) {
		size_t mine = 0, any = 0;

		for (size_t j = 0; j < c->n; j++) {
			const struct bd_sample_set *s = &c->sets[j];
			int it = s->phase == PHASE_WALL && !strcmp(s->method, method) && !strcmp(s->op, op) &&
				 !strcmp(s->label, c->labels[l]);

			any += it;
			mine += it && s->size == size;
		}
		if (any && !mine)	/* a label without the method does not count */
			return 0;
		bars += mine;
	}
	return bars;
}

/* The size every label (with the method) has, with the most bars; the larger one at a tie. */
static uint64_t common_size(struct bd_compare *c, const char *method, const char *op)
{
	uint64_t best = 0;
	size_t most = 0;

	for (size_t i = 0; i < c->n; i++) {
		struct bd_sample_set *s = &c->sets[i];
		size_t bars;

		if (strcmp(s->method, method) || strcmp(s->op, op) || s->phase != PHASE_WALL)
			continue;
		bars = bars_at(c, method, op, s->size);
		if (bars > most || (bars == most && s->size > best)) {
			most = bars;
			best = s->size;
		}
	}
	return most ? best : 0;
}

static int write_bars(struct bd_compare *c, const char *plotdir, const char *method, const char *op)
{
	uint64_t size = common_size(c, method, op);
	char path[4200], sz[16];
	FILE *f;

	if (!size)
		return 0;
	snprintf(path, sizeof(path), "%s/bd-%s-%s.dat", plotdir, method, op);
	if (!(f = fopen(path, "we")))
		return -errno;
	fprintf(f, "# %s %s at %s: median ns per phase, one bar per label x region/align\nbar",
		method, op, pb_fmt_size(size, sz, sizeof(sz)));
	for (int p = 0; p <= PHASE_OTHER; p++)
		fprintf(f, " %s", phase_name(p));
	fprintf(f, "\n");
	for (size_t w = 0; w < c->n; w++) {	/* one bar per wall set */
		struct bd_sample_set *s = &c->sets[w], key;
		char al[16];

		if (s->phase != PHASE_WALL || s->size != size || strcmp(s->method, method) || strcmp(s->op, op))
			continue;
		fprintf(f, "\"%s %s %s\"", s->label, s->region, pb_fmt_size(s->align, al, sizeof(al)));
		for (int p = 0; p <= PHASE_OTHER; p++) {
			struct bd_sample_set *ps;
			double m;

			key = *s;
			key.phase = p;
			ps = find_set(c, &key, 0);
			m = ps ? median_of(ps) : 0;
			fprintf(f, " %.0f", m > 0 ? m : 0);
		}
		fprintf(f, "\n");
	}
	return fclose(f) ? -errno : 0;
}

int bd_compare_write(struct bd_compare *c, struct outset *set, const char *dir, const char *plotdir,
		     int plot_only, unsigned iters, uint64_t seed)
{
	char path[4200];
	FILE *csv, *md;
	int rc;

	if (!c->files || !c->n)
		return 0;
	for (size_t i = 0; i < c->n; i++) {
		struct bd_sample_set *s = &c->sets[i];
		size_t j;

		for (j = 0; j < i; j++)	/* first set of its (method, op) */
			if (!strcmp(c->sets[j].method, s->method) && !strcmp(c->sets[j].op, s->op))
				break;
		if (j == i && (rc = write_bars(c, plotdir, s->method, s->op))) {
			pb_err("cannot write the breakdown bar data in '%s': %s", plotdir, strerror(-rc));
			return rc;
		}
	}
	if (plot_only)
		return 0;
	snprintf(path, sizeof(path), "%s/phases.csv", dir);
	if (!(csv = outset_open(set, path, NULL, 0)))
		goto fail;
	snprintf(path, sizeof(path), "%s/phases.md", dir);
	if (!(md = outset_open(set, path, NULL, 0)))
		goto fail;
	qsort(c->sets, c->n, sizeof(*c->sets), by_setting);
	if ((rc = write_csv_md(c, csv, md, iters, seed))) {
		pb_err("cannot write the per-phase comparison in '%s': %s", dir, strerror(-rc));
		return rc;
	}
	return 1;
fail:
	rc = -errno;
	pb_err("cannot write '%s': %s", path, strerror(-rc));
	return rc;
}

void bd_compare_free(struct bd_compare *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->sets[i].ns);
	free(c->sets);
	memset(c, 0, sizeof(*c));
}
