// SPDX-License-Identifier: GPL-2.0
/*
 * report.md: per label against the baseline, one table per method and align
 * (biggest change first), the settings not compared and notes; then the
 * boots (report_md_boots.c) and the pin audit (report_md_audit.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_common.h"
#include "group.h"
#include "pb.h"

/* Below this many samples a side, a bootstrap interval of the median is rough. */
#define CMP_FEW 10

static size_t label_rows(const struct cmp_label *l)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		n += l->cells[i].n + l->cells[i].failed;
	return n;
}

static void put_pair_row(FILE *f, const struct cmp_pair *p)
{
	char sz[32], a[32], b[32];
	const struct ratio_ci *ci = &p->ci;

	fprintf(f, "| %s | %s | %s | %zu / %zu | %s | %s | %.3f [%.3f, %.3f] | %s |\n",
		p->a->key.region, group_fmt_size(&p->a->key, sz, sizeof(sz)), p->a->key.op,
		p->a->n, p->b->n, compare_fmt_ns(p->a->st.p50, a, sizeof(a)),
		compare_fmt_ns(p->b->st.p50, b, sizeof(b)), ci->ratio, ci->lo, ci->hi,
		!ci->significant ? "no" : ci->ratio < 1 ? "**yes, faster**" : "**yes, slower**");
}

/* Between-boot spread of a cell: highest / lowest boot median - 1, "!" when its boots disagree. */
static void fmt_spread(const struct cmp_cell *cell, char *buf, size_t len)
{
	const struct boot_split *s = &cell->split;

	if (s->n < 2 || isnan(s->min_p50) || s->min_p50 <= 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.0f%%%s", (s->max_p50 / s->min_p50 - 1) * 100,
			 s->disagree ? "!" : "");
}

/* A row of a table over boots: boots, both intervals, the spread. */
static void put_pair_row_boots(FILE *f, const struct cmp_pair *p)
{
	char sz[32], a[32], b[32], sa[32], sb[32], reps[64];
	const struct ratio_ci *ci = &p->ci;
	int dis = p->a->split.disagree || p->b->split.disagree;

	fmt_spread(p->a, sa, sizeof(sa));
	fmt_spread(p->b, sb, sizeof(sb));
	if (p->hier)
		snprintf(reps, sizeof(reps), "[%.3f, %.3f]", p->reps.lo, p->reps.hi);
	else
		snprintf(reps, sizeof(reps), "same");
	fprintf(f, "| %s | %s | %s | %zu / %zu | %zu / %zu | %s | %s | %.3f [%.3f, %.3f] | %s | %s / %s | %s%s |\n",
		p->a->key.region, group_fmt_size(&p->a->key, sz, sizeof(sz)), p->a->key.op,
		p->a->split.n, p->b->split.n, p->a->n, p->b->n,
		compare_fmt_ns(p->a->st.p50, a, sizeof(a)), compare_fmt_ns(p->b->st.p50, b, sizeof(b)),
		ci->ratio, ci->lo, ci->hi, reps, sa, sb,
		!ci->significant ? "no" : ci->ratio < 1 ? "**yes, faster**" : "**yes, slower**",
		dis ? "; boots disagree" : "");
}

/* One table per method and align, rows in the pairs' order (biggest change first). */
static void put_tables(FILE *f, const struct comparison *c, const struct cmp_vs *v)
{
	const char *base = c->labels[0].name, *other = c->labels[v->other].name;
	char *done = calloc(v->npairs ? v->npairs : 1, 1);

	if (!done)
		return;
	for (;;) {
		const struct row *pick = NULL;

		/* Next table: the smallest (method, align) not yet written. */
		for (size_t i = 0; i < v->npairs; i++) {
			const struct row *k = &v->pairs[i].a->key;
			int d;

			if (done[i])
				continue;
			d = pick ? strcmp(k->method, pick->method) : -1;
			if (!pick || d < 0 || (d == 0 && k->align < pick->align))
				pick = k;
		}
		if (!pick)
			break;

		char al[32];
		size_t nsig = 0, n = 0;

		for (size_t i = 0; i < v->npairs; i++) {
			const struct row *k = &v->pairs[i].a->key;

			if (!done[i] && !strcmp(k->method, pick->method) && k->align == pick->align) {
				n++;
				nsig += (size_t)v->pairs[i].ci.significant;
			}
		}
		fprintf(f, "### %s, align %s\n\n%zu settings, %zu significant.\n\n", pick->method,
			pb_fmt_size(pick->align, al, sizeof(al)), n, nsig);
		if (c->hier) {
			fprintf(f, "| region | size | op | boots (%s / %s) | n | %s p50 | %s p50 | ratio [95%% CI over boots] | reps-only CI | boot spread | significant |\n",
				base, other, base, other);
			fprintf(f, "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
		} else {
			fprintf(f, "| region | size | op | n (%s / %s) | %s p50 | %s p50 | ratio [95%% CI] | significant |\n",
				base, other, base, other);
			fprintf(f, "|---|---:|---|---:|---:|---:|---:|---|\n");
		}
		/* pick points into a pair's key: keep a copy before marking. */
		struct row key = *pick;

		for (size_t i = 0; i < v->npairs; i++) {
			const struct row *k = &v->pairs[i].a->key;

			if (!done[i] && !strcmp(k->method, key.method) && k->align == key.align) {
				if (c->hier)
					put_pair_row_boots(f, &v->pairs[i]);
				else
					put_pair_row(f, &v->pairs[i]);
				done[i] = 1;
			}
		}
		fputc('\n', f);
	}
	free(done);
}

static void put_only(FILE *f, const struct comparison *c, const struct cmp_vs *v)
{
	fprintf(f, "### Not compared\n\n");
	if (!v->nonly) {
		fprintf(f, "Every setting of either set was compared.\n\n");
		return;
	}
	fprintf(f, "Settings present in only one of the two sets, or without a successful sample.\n\n");
	fprintf(f, "| in | method | region | align | size | op | n ok | failed | why |\n");
	fprintf(f, "|---|---|---|---:|---:|---|---:|---:|---|\n");
	for (size_t i = 0; i < v->nonly; i++) {
		const struct cmp_only *o = &v->only[i];
		const struct row *k = &o->cell->key;
		char al[32], sz[32], why[300];

		if (o->failed)
			snprintf(why, sizeof(why), "every call failed (%s)", k->status[0] ? k->status : "error");
		else
			snprintf(why, sizeof(why), "not measured in %s",
				 c->labels[o->label ? 0 : v->other].name);
		fprintf(f, "| %s | %s | %s | %s | %s | %s | %zu | %zu | %s |\n",
			c->labels[o->label].name, k->method, k->region,
			pb_fmt_size(k->align, al, sizeof(al)), group_fmt_size(k, sz, sizeof(sz)),
			k->op, o->cell->n, o->cell->failed, why);
	}
	fputc('\n', f);
}

struct notes {
	char **s;
	size_t n, cap;
};

static void note_add(struct notes *ns, const char *s)
{
	char **p;

	for (size_t i = 0; i < ns->n; i++)
		if (!strcmp(ns->s[i], s))
			return;
	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? ns->cap * 2 : 8;

		if (!(p = realloc(ns->s, cap * sizeof(*p))))
			return;
		ns->s = p;
		ns->cap = cap;
	}
	if ((ns->s[ns->n] = strdup(s)))
		ns->n++;
}

/* Where the two sides' memory differed (device path, node), or was pooled. */
static void put_notes(FILE *f, const struct comparison *c, const struct cmp_vs *v)
{
	const char *base = c->labels[0].name, *other = c->labels[v->other].name;
	struct notes ns = { 0 };
	char line[1024], al[32];

	for (size_t i = 0; i < v->npairs; i++) {
		const struct row *a = &v->pairs[i].a->key, *b = &v->pairs[i].b->key;

		pb_fmt_size(a->align, al, sizeof(al));
		if (strcmp(a->backing, b->backing) || a->node != b->node) {
			snprintf(line, sizeof(line),
				 "%s %s: `%s` (node %d) in %s, `%s` (node %d) in %s", a->region, al,
				 a->backing, a->node, base, b->backing, b->node, other);
			note_add(&ns, line);
		}
		for (int side = 0; side < 2; side++) {
			const struct cmp_cell *cell = side ? v->pairs[i].b : v->pairs[i].a;

			if (!cell->mixed)
				continue;
			snprintf(line, sizeof(line),
				 "%s %s in %s: samples from several backings or nodes were pooled",
				 a->region, al, side ? other : base);
			note_add(&ns, line);
		}
	}
	if (ns.n) {
		fprintf(f, "### Notes\n\n");
		for (size_t i = 0; i < ns.n; i++)
			fprintf(f, "- %s\n", ns.s[i]);
		fputc('\n', f);
	}
	for (size_t i = 0; i < ns.n; i++)
		free(ns.s[i]);
	free(ns.s);
}

int compare_write_report(const struct comparison *c, FILE *f, char *const *inputs, size_t ninputs)
{
	const struct cmp_label *base = &c->labels[0];
	size_t few = 0;

	fprintf(f, "# pinbench comparison:");
	for (size_t i = 1; i < c->nlabels; i++)
		fprintf(f, "%s %s", i > 1 ? "," : "", c->labels[i].name);
	fprintf(f, " vs %s\n\n", base->name);

	fprintf(f, "| | label | kernel | rows | settings |\n|---|---|---|---:|---:|\n");
	for (size_t i = 0; i < c->nlabels; i++)
		fprintf(f, "| %s | %s | %s | %zu | %zu |\n", i ? "compared" : "baseline",
			c->labels[i].name, c->labels[i].kernels, label_rows(&c->labels[i]),
			c->labels[i].n);
	fprintf(f, "\nRatio = compared p50 / baseline p50 of the time per call: below 1 is faster "
		   "than the baseline. 95%% CI: percentile bootstrap of the ratio of medians, "
		   "%u resamples, seed %" PRIu64 "; *significant* when the interval excludes 1. "
		   "Settings are matched on method, region, align, size and op (not on the "
		   "device path or node). Tables are sorted biggest change first.\n\n",
		c->iters, c->seed);
	fprintf(f, "At 95%%, about 1 in 20 settings that did not change is flagged by chance: "
		   "read a flag together with the size of the ratio and its neighbours.\n\n");
	if (c->hier)
		fprintf(f, "**Intervals over boots.** Where a label measured a setting in two or more "
			   "boots, the 95%% CI is a hierarchical bootstrap: each resample draws the "
			   "boots with replacement, then the reps within each drawn boot, so drift "
			   "between boots is in the interval (a reps-only bootstrap holds only the noise "
			   "within a boot; its interval is shown beside). *boot spread*: highest boot "
			   "median over lowest, minus 1, per side; `!` marks a side whose boots disagree "
			   "beyond their own intervals (listed under Boots that disagree).\n\n");
	for (size_t i = 0; i < c->nvs; i++)
		for (size_t j = 0; j < c->vs[i].npairs; j++)
			if (c->vs[i].pairs[j].a->n < CMP_FEW || c->vs[i].pairs[j].b->n < CMP_FEW)
				few++;
	if (few)
		fprintf(f, "**Note:** %zu comparisons rest on fewer than %d samples a side; "
			   "their intervals are rough (run more --reps).\n\n", few, CMP_FEW);
	fprintf(f, "Input:");
	for (size_t i = 0; i < ninputs; i++)
		fprintf(f, " `%s`", inputs[i]);
	fprintf(f, "\n\n");

	for (size_t i = 0; i < c->nvs; i++) {
		const struct cmp_vs *v = &c->vs[i];
		size_t faster = 0, slower = 0;

		for (size_t j = 0; j < v->npairs; j++)
			if (v->pairs[j].ci.significant && v->pairs[j].ci.ratio < 1)
				faster++;
			else if (v->pairs[j].ci.significant)
				slower++;
		fprintf(f, "## %s vs %s\n\n", c->labels[v->other].name, base->name);
		fprintf(f, "%zu settings compared: %zu significantly faster, %zu significantly slower, "
			   "%zu without a significant change; %zu not compared (listed at the end).\n\n",
			v->npairs, faster, slower, v->npairs - faster - slower, v->nonly);
		put_tables(f, c, v);
		put_only(f, c, v);
		put_notes(f, c, v);
	}
	if (report_md_boots_listed(c))
		report_md_boots(f, c);
	if (c->hier)
		report_md_disagree(f, c);
	report_md_audit(f, c);
	return ferror(f) ? -EIO : 0;
}
