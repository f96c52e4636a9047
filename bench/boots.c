// SPDX-License-Identifier: GPL-2.0
/*
 * Boots of result rows (their boot_id / boot_seq, make ab's host.txt
 * records, --exclude-boots) and the hierarchical bootstrap over boots.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boots.h"
#include "results.h"
#include "calibrate.h"
#include "pb.h"

/* Copy, cut to fit. */
static void copy_str(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void trim(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
}

int boots_set_exclude(struct pb_boots *bt, const char *list)
{
	const char *p = list;

	if (!*list) {
		pb_err("--exclude-boots '': give busy, a boot_id, LABEL:SEQ or a boot_seq number");
		return -EINVAL;
	}
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char **ep;
		int *hp;
		char *item;

		if (!len) {
			pb_err("--exclude-boots '%s': empty item; separate items with single commas", list);
			return -EINVAL;
		}
		if (len >= 64) {
			pb_err("--exclude-boots: item '%.*s' is too long (a boot_id has 36 characters)",
			       (int)len, p);
			return -EINVAL;
		}
		if (!(item = strndup(p, len)))
			return -ENOMEM;
		if (strcmp(item, "busy") && !strchr(item, ':') && strspn(item, "0123456789") != len &&
		    (len < 8 || strspn(item, "0123456789abcdef-") != len)) {
			pb_err("--exclude-boots: '%s' is not busy, a boot_id (8+ hex characters), LABEL:SEQ or a boot_seq number",
			       item);
			free(item);
			return -EINVAL;
		}
		ep = realloc(bt->excl, (bt->nexcl + 1) * sizeof(*ep));
		if (ep)
			bt->excl = ep;
		hp = realloc(bt->excl_hit, (bt->nexcl + 1) * sizeof(*hp));
		if (hp)
			bt->excl_hit = hp;
		if (!ep || !hp) {
			free(item);
			return -ENOMEM;
		}
		bt->excl[bt->nexcl] = item;
		bt->excl_hit[bt->nexcl++] = 0;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

/* Does exclusion item x name boot b? */
static int item_matches(const char *x, const struct pb_boot *b)
{
	const char *colon = strrchr(x, ':');
	size_t len = strlen(x);

	if (!strcmp(x, "busy"))
		return b->busy;
	if (colon) {
		char seq[16];

		snprintf(seq, sizeof(seq), "%d", b->seq);
		return b->seq >= 0 && (size_t)(colon - x) == strlen(b->label) &&
		       !strncmp(x, b->label, (size_t)(colon - x)) && !strcmp(colon + 1, seq);
	}
	if (strspn(x, "0123456789") == len) {
		char *end;
		long v = strtol(x, &end, 10);

		return b->seq >= 0 && v == b->seq;
	}
	return b->id[0] && !strncmp(b->id, x, len);
}

void boots_parse_host(struct pb_boot *b, const char *text)
{
	const char *p = text;

	b->has_host = 1;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[512];

		snprintf(line, sizeof(line), "%.*s", (int)(len < sizeof(line) ? len : sizeof(line) - 1), p);
		trim(line);
		if (!strncmp(line, "summary: ", 9)) {
			copy_str(b->host, sizeof(b->host), line + 9);
		} else if (!strncmp(line, "busy: ", 6)) {
			const char *v = line + 6;

			b->busy = !strncmp(v, "yes", 3);
			if (b->busy) {
				v += 3;
				while (*v == ',' || *v == ' ' || *v == ':')
					v++;
				copy_str(b->busy_why, sizeof(b->busy_why), v);
			}
		}
		if (!nl)
			break;
		p = nl + 1;
	}
}

static void read_host(struct pb_boot *b)
{
	char path[600], buf[4096];

	snprintf(path, sizeof(path), "%s/host.txt", b->dir);
	if (pb_read_file(path, buf, sizeof(buf)) == 0)
		boots_parse_host(b, buf);
}

void boots_parse_cal(struct pb_boot *b, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[512];
		struct cal_line c;
		const char *id;
		int start;

		snprintf(line, sizeof(line), "%.*s", (int)(len < sizeof(line) ? len : sizeof(line) - 1), p);
		trim(line);
		start = !strncmp(line, "start ", 6) || !strncmp(line, "start:", 6);
		if ((start || !strncmp(line, "end ", 4) || !strncmp(line, "end:", 4)) &&
		    !cal_parse(line, &c)) {
			id = strstr(line, " boot_id=");
			/* A line of another boot (a resumed boot's earlier try) is not this one's. */
			if (!b->id[0] || !id || id > strstr(line, "calibrate: ") ||
			    !strncmp(id + 9, b->id, strlen(b->id))) {
				*(start ? &b->cal_start : &b->cal_end) = (double)c.ns;
				copy_str(b->cal_work, sizeof(b->cal_work), c.work);
				b->has_cal = 1;
			}
		}
		if (!nl)
			break;
		p = nl + 1;
	}
}

static void read_cal(struct pb_boot *b)
{
	char path[600], buf[4096];

	snprintf(path, sizeof(path), "%s/calibrate.txt", b->dir);
	if (pb_read_file(path, buf, sizeof(buf)) == 0)
		boots_parse_cal(b, buf);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* How far r is from 1, either way: r or 1/r, whichever is above 1. */
static double off_by(double r)
{
	return r >= 1 ? r : 1 / r;
}

size_t boots_mark_drift(struct pb_boots *bt, double thr)
{
	double *v = malloc((2 * bt->n + 1) * sizeof(*v));
	size_t out = 0;

	bt->drift_thr = thr;
	if (!v)
		return 0;
	for (size_t i = 0; i < bt->n; i++) {
		struct pb_boot *b = &bt->b[i];
		size_t k = 0;

		if (!b->has_cal)
			continue;
		bt->has_cal = 1;
		/* The run's median: every start and end of the boots with the same work. */
		for (size_t j = 0; j < bt->n; j++) {
			const struct pb_boot *o = &bt->b[j];

			if (!o->has_cal || strcmp(o->cal_work, b->cal_work))
				continue;
			if (o->cal_start > 0)
				v[k++] = o->cal_start;
			if (o->cal_end > 0)
				v[k++] = o->cal_end;
		}
		if (!k)
			continue;
		qsort(v, k, sizeof(*v), cmp_double);
		b->cal_median = k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
		b->cal_rs = b->cal_start > 0 ? b->cal_start / b->cal_median : 0;
		b->cal_re = b->cal_end > 0 ? b->cal_end / b->cal_median : 0;
		if (thr <= 0)
			continue;
		/* The farthest of start, end and end/start decides, and is named. */
		double worst = 1, lim = 1 + thr;

		if (b->cal_rs > 0 && off_by(b->cal_rs) > worst) {
			worst = off_by(b->cal_rs);
			snprintf(b->drift_why, sizeof(b->drift_why), "start %.2fx the run's median", b->cal_rs);
		}
		if (b->cal_re > 0 && off_by(b->cal_re) > worst) {
			worst = off_by(b->cal_re);
			snprintf(b->drift_why, sizeof(b->drift_why), "end %.2fx the run's median", b->cal_re);
		}
		if (b->cal_rs > 0 && b->cal_re > 0 && off_by(b->cal_end / b->cal_start) > worst) {
			worst = off_by(b->cal_end / b->cal_start);
			snprintf(b->drift_why, sizeof(b->drift_why), "end %.2fx its start",
				 b->cal_end / b->cal_start);
		}
		b->drifted = worst > lim;
		if (!b->drifted)
			b->drift_why[0] = '\0';
		b->drift_out = b->drifted && !b->excluded;
	}
	free(v);
	/* A label whose every boot would be gone keeps its drifted ones. */
	for (size_t i = 0; i < bt->n; i++) {
		int any = 0;

		for (size_t j = 0; j < bt->n; j++)
			if (!strcmp(bt->b[j].label, bt->b[i].label) && boots_used(&bt->b[j]))
				any = 1;
		if (any)
			continue;
		for (size_t j = 0; j < bt->n; j++)
			if (!strcmp(bt->b[j].label, bt->b[i].label) && bt->b[j].drift_out) {
				bt->b[j].drift_out = 0;
				bt->b[j].drift_kept = 1;
			}
	}
	for (size_t i = 0; i < bt->n; i++)
		out += (size_t)bt->b[i].drift_out;
	return out;
}

int boots_add_row(struct pb_boots *bt, const struct row *r, const char *dir, size_t file)
{
	struct pb_boot *b = NULL;

	for (size_t i = bt->n; i-- > 0;) {	/* rows of one boot come together: last first */
		struct pb_boot *x = &bt->b[i];

		if (strcmp(x->label, r->label))
			continue;
		if (r->boot_id[0] ? !strcmp(x->id, r->boot_id) : (!x->id[0] && !strcmp(x->dir, dir))) {
			b = x;
			break;
		}
	}
	if (!b) {
		struct pb_boot *p = pb_grow(bt->b, &bt->cap, bt->n, sizeof(*p), 16);

		if (!p) {
			pb_err("out of memory reading the boots of '%s'", dir);
			return -ENOMEM;
		}
		bt->b = p;
		b = &bt->b[bt->n++];
		memset(b, 0, sizeof(*b));
		copy_str(b->id, sizeof(b->id), r->boot_id);
		copy_str(b->label, sizeof(b->label), r->label);
		copy_str(b->dir, sizeof(b->dir), dir);
		b->seq = r->boot_seq;
		read_host(b);
		read_cal(b);
		for (size_t i = 0; i < bt->nexcl; i++)
			if (item_matches(bt->excl[i], b)) {
				bt->excl_hit[i] = 1;
				b->excluded = 1;
			}
	}
	if (b->last_file != file + 1) {
		b->nfiles++;
		b->last_file = file + 1;
	}
	return (int)(b - bt->b);
}

int boots_check_exclude(const struct pb_boots *bt)
{
	for (size_t i = 0; i < bt->nexcl; i++)
		if (!bt->excl_hit[i] && strcmp(bt->excl[i], "busy")) {
			pb_err("--exclude-boots: '%s' names no boot of the input (boots are named by boot_id, LABEL:SEQ or boot_seq; see the Boots table of a report)",
			       bt->excl[i]);
			return -EINVAL;
		}
	return 0;
}

void boots_free(struct pb_boots *bt)
{
	for (size_t i = 0; i < bt->nexcl; i++)
		free(bt->excl[i]);
	free(bt->excl);
	free(bt->excl_hit);
	free(bt->b);
	memset(bt, 0, sizeof(*bt));
}

/* ---- samples split by boot ---- */

int boots_split_add(struct boot_split *s, int boot, double ns)
{
	struct boot_samples *b = NULL;

	/* Samples come in runs of one boot: look at the last one first. */
	for (size_t i = s->n; i-- > 0;)
		if (s->b[i].boot == boot) {
			b = &s->b[i];
			break;
		}
	if (!b) {
		struct boot_samples *p = pb_grow(s->b, &s->cap, s->n, sizeof(*p), 4);

		if (!p)
			return -ENOMEM;
		s->b = p;
		b = &s->b[s->n++];
		memset(b, 0, sizeof(*b));
		b->boot = boot;
		b->p50 = b->lo = b->hi = NAN;
	}
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		double *p = realloc(b->ns, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		b->ns = p;
		b->cap = cap;
	}
	b->ns[b->n++] = ns;
	s->total++;
	return 0;
}

/* Median of one resample of v (n values) into tmp. */
static double resample_median(const double *v, size_t n, double *tmp, uint64_t *rng)
{
	for (size_t i = 0; i < n; i++)
		tmp[i] = v[stats_rng_next(rng) % n];
	return stats_median_select(tmp, n);
}

void boots_split_finish(struct boot_split *s, unsigned iters, uint64_t seed)
{
	size_t maxn = 0;
	double *tmp, *meds;
	double lo_max = -INFINITY, hi_min = INFINITY;
	size_t with_ci = 0;

	s->min_p50 = s->max_p50 = NAN;
	s->disagree = 0;
	for (size_t i = 0; i < s->n; i++)
		if (s->b[i].n > maxn)
			maxn = s->b[i].n;
	if (!maxn)
		return;
	tmp = malloc(maxn * sizeof(*tmp));
	meds = malloc((iters ? iters : 1) * sizeof(*meds));
	if (!tmp || !meds)
		goto out;
	for (size_t i = 0; i < s->n; i++) {
		struct boot_samples *b = &s->b[i];
		uint64_t rng = seed + (uint64_t)i;
		unsigned k = 0;

		if (!b->n)
			continue;
		memcpy(tmp, b->ns, b->n * sizeof(*tmp));
		b->p50 = stats_median_select(tmp, b->n);
		if (isnan(s->min_p50) || b->p50 < s->min_p50)
			s->min_p50 = b->p50;
		if (isnan(s->max_p50) || b->p50 > s->max_p50)
			s->max_p50 = b->p50;
		if (b->n < 2 || !iters)
			continue;
		for (unsigned it = 0; it < iters; it++)
			meds[k++] = resample_median(b->ns, b->n, tmp, &rng);
		stats_sort(meds, k);
		b->lo = stats_percentile_sorted(meds, k, 2.5);
		b->hi = stats_percentile_sorted(meds, k, 97.5);
		with_ci++;
		if (b->lo > lo_max)
			lo_max = b->lo;
		if (b->hi < hi_min)
			hi_min = b->hi;
	}
	s->disagree = with_ci >= 2 && lo_max > hi_min;
out:
	free(tmp);
	free(meds);
}

void boots_split_free(struct boot_split *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->b[i].ns);
	free(s->b);
	memset(s, 0, sizeof(*s));
}

/* Pool the samples of nboots boots drawn with replacement, each resampled; its median. */
static double hier_median(const struct boot_split *s, double *tmp, uint64_t *rng)
{
	size_t at = 0;

	for (size_t j = 0; j < s->n; j++) {
		const struct boot_samples *b = &s->b[stats_rng_next(rng) % s->n];

		for (size_t i = 0; i < b->n; i++)
			tmp[at++] = b->ns[stats_rng_next(rng) % b->n];
	}
	return stats_median_select(tmp, at);
}

static double pooled_median(const struct boot_split *s, double *tmp)
{
	size_t at = 0;

	for (size_t j = 0; j < s->n; j++) {
		memcpy(tmp + at, s->b[j].ns, s->b[j].n * sizeof(*tmp));
		at += s->b[j].n;
	}
	return stats_median_select(tmp, at);
}

static size_t max_draw(const struct boot_split *s)
{
	size_t m = 0;

	for (size_t j = 0; j < s->n; j++)
		if (s->b[j].n > m)
			m = s->b[j].n;
	/* Every drawn boot may be the largest one; and the pooled sample itself. */
	return m * s->n > s->total ? m * s->n : s->total;
}

void boots_ratio_ci(const struct boot_split *a, const struct boot_split *b, unsigned iters,
		    uint64_t seed, struct ratio_ci *out)
{
	double *ta = NULL, *tb = NULL, *ratios = NULL;
	uint64_t rng = seed;
	unsigned k = 0;

	memset(out, 0, sizeof(*out));
	out->ratio = out->lo = out->hi = NAN;
	if (!a->total || !b->total || !iters)
		return;
	ta = malloc(max_draw(a) * sizeof(*ta));
	tb = malloc(max_draw(b) * sizeof(*tb));
	ratios = malloc(iters * sizeof(*ratios));
	if (!ta || !tb || !ratios)
		goto out;
	double ma = pooled_median(a, ta), mb = pooled_median(b, tb);

	out->ratio = ma > 0 ? mb / ma : NAN;
	for (unsigned i = 0; i < iters; i++) {
		double ra = hier_median(a, ta, &rng);
		double rb = hier_median(b, tb, &rng);

		if (ra > 0 && !isnan(ra) && !isnan(rb))
			ratios[k++] = rb / ra;
	}
	stats_ratio_interval(ratios, k, out);
out:
	free(ta);
	free(tb);
	free(ratios);
}
