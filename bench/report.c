// SPDX-License-Identifier: GPL-2.0
/*
 * Writers of a comparison: the markdown report, the tidy CSV and the gnuplot
 * data (one file per label, method and op, one block per series) that the
 * templates in scripts/plot/ draw. One comparison, several printers.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"
#include "audit.h"
#include "group.h"
#include "summary.h"
#include "pb.h"

const char *compare_fmt_ns(double ns, char *buf, size_t len)
{
	if (isnan(ns))
		snprintf(buf, len, "-");
	else if (ns < 1e3)
		snprintf(buf, len, "%.0f ns", ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%.3g us", ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, len, "%.3g ms", ns / 1e6);
	else
		snprintf(buf, len, "%.3g s", ns / 1e9);
	return buf;
}

/* Below this many samples a side, a bootstrap interval of the median is rough. */
#define CMP_FEW 10

static double per_4k(double ns, uint64_t size)
{
	return ns * 4096.0 / (double)size;
}

static void put_csv_num(FILE *f, double v);

/* ---- report.md ---- */

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

/* ---- pin audit ---- */

/* Same setting but for the op. */
static int same_but_op(const struct row *a, const struct row *b)
{
	struct row k = *b;

	memcpy(k.op, a->op, sizeof(k.op));
	return compare_same_setting(a, &k);
}

/* The verdict of a label's setting: counter deltas summed over all its ops. */
static int label_verdict(const struct cmp_label *l, const struct row *key, char *buf, size_t len)
{
	struct audit_input in = { -1, -1, summary_foll_pin(key->method), 1, 0, -1 };
	struct audit_result res;
	int found = 0;

	for (size_t i = 0; i < l->n; i++) {
		const struct cmp_cell *cell = &l->cells[i];

		if (!same_but_op(&cell->key, key))
			continue;
		found = 1;
		group_add_count(&in.acquired, cell->pins_acq);
		group_add_count(&in.released, cell->pins_rel);
	}
	if (!found) {
		snprintf(buf, len, "-");
		return 0;
	}
	audit_judge(&in, &res);
	audit_verdict_str(&res, buf, len);
	return res.verdict == AUDIT_LEAKED || res.verdict == AUDIT_OVER_RELEASED;
}

/*
 * Per setting, each label's verdict. Listed: settings where a label leaked
 * or the labels disagree; the others are counted.
 */
static void put_audit(FILE *f, const struct comparison *c)
{
	size_t shown = 0, same = 0;

	fprintf(f, "## Pin audit\n\nVerdicts from the `nr_foll_pin_*` deltas summed over each setting's "
		   "pin and unpin calls (see README, Pin accounting audit).\n\n");
	for (size_t li = 0; li < c->nlabels; li++) {
		const struct cmp_label *l = &c->labels[li];

		for (size_t i = 0; i < l->n; i++) {
			const struct row *key = &l->cells[i].key;
			char first[64], v[64], sz[48];
			int bad = 0, differ = 0, seen_before = 0;

			if (strcmp(key->op, "pin"))
				continue;
			/* Count each setting once: at the first label that has it. */
			for (size_t lj = 0; lj < li && !seen_before; lj++)
				for (size_t j = 0; j < c->labels[lj].n; j++)
					if (compare_same_setting(&c->labels[lj].cells[j].key, key)) {
						seen_before = 1;
						break;
					}
			if (seen_before)
				continue;
			for (size_t lj = 0; lj < c->nlabels; lj++) {
				bad |= label_verdict(&c->labels[lj], key, v, sizeof(v));
				if (!lj)
					snprintf(first, sizeof(first), "%s", v);
				else if (strcmp(first, v))
					differ = 1;
			}
			if (!bad && !differ) {
				same++;
				continue;
			}
			if (!shown++) {
				fprintf(f, "| method | region | align | size |");
				for (size_t lj = 0; lj < c->nlabels; lj++)
					fprintf(f, " %s |", c->labels[lj].name);
				fprintf(f, "\n|---|---|---|---:|");
				for (size_t lj = 0; lj < c->nlabels; lj++)
					fprintf(f, "---|");
				fputc('\n', f);
			}
			fprintf(f, "| %s | %s | %s |", key->method, key->region, pb_fmt_size(key->align, sz, sizeof(sz)));
			fprintf(f, " %s |", group_fmt_size(key, sz, sizeof(sz)));
			for (size_t lj = 0; lj < c->nlabels; lj++) {
				label_verdict(&c->labels[lj], key, v, sizeof(v));
				fprintf(f, " %s |", v);
			}
			fputc('\n', f);
		}
	}
	fprintf(f, "%s%zu settings with the same verdict under every label and no leak.\n\n",
		shown ? "\n" : "No leak, and no setting whose verdict changed between labels: ", same);
}

/* ---- boots ---- */

static const struct pb_boot *boot_at(const struct comparison *c, int i)
{
	return c->boots && i >= 0 && (size_t)i < c->boots->n ? &c->boots->b[i] : NULL;
}

static int boots_worth_listing(const struct comparison *c)
{
	if (!c->boots)
		return 0;
	for (size_t i = 0; i < c->boots->n; i++)
		if (c->boots->b[i].id[0] || c->boots->b[i].has_host || c->boots->b[i].has_cal)
			return 1;
	return 0;
}

/* A calibration value in s, or "-". */
static const char *cal_s(double ns, char *buf, size_t len)
{
	if (ns > 0)
		snprintf(buf, len, "%.3f", ns / 1e9);
	else
		snprintf(buf, len, "-");
	return buf;
}

static const char *cal_r(double r, char *buf, size_t len)
{
	if (r > 0)
		snprintf(buf, len, "%.2f", r);
	else
		snprintf(buf, len, "-");
	return buf;
}

/* The calibration and drift cells of a boot (only when the input has calibrate.txt files). */
static void put_boot_cal(FILE *f, const struct pb_boot *b, double thr)
{
	char s0[32], s1[32], r0[32], r1[32];

	if (!b->has_cal) {
		fprintf(f, " not recorded | - |");
		return;
	}
	fprintf(f, " %s / %s s (%s / %s) |", cal_s(b->cal_start, s0, sizeof(s0)),
		cal_s(b->cal_end, s1, sizeof(s1)), cal_r(b->cal_rs, r0, sizeof(r0)),
		cal_r(b->cal_re, r1, sizeof(r1)));
	if (b->drifted)
		fprintf(f, " **yes**: %s%s |", b->drift_why, b->drift_kept ? " (kept: its label has no other boot)" : "");
	else
		fprintf(f, " %s |", b->cal_median > 0 && thr > 0 ? "no" : "-");
}

/* The drift rule as applied, under the Boots table. */
static void put_drift_rule(FILE *f, const struct pb_boots *bt)
{
	size_t ncal = 0, ndrift = 0, nout = 0, nkept = 0;
	const char *work = "";
	double med = 0;

	for (size_t i = 0; i < bt->n; i++) {
		const struct pb_boot *b = &bt->b[i];

		if (!b->has_cal)
			continue;
		if (!ncal++) {
			work = b->cal_work;
			med = b->cal_median;
		}
		ndrift += (size_t)b->drifted;
		nout += (size_t)b->drift_out;
		nkept += (size_t)b->drift_kept;
	}
	fprintf(f, "**Drift rule.** Each boot timed `pinbench calibrate` (a fixed userspace loop, "
		   "work `%s`, median of its rounds; the same work on every kernel, so its time is "
		   "how fast the emulator ran) at its start and its end (`calibrate.txt`). Calibration "
		   "column: start / end in s, and (in brackets) each over the run's median, %.3f s: "
		   "the median of the start and end values of all %zu calibrated boots. ",
		work, med / 1e9, ncal);
	if (bt->drift_thr > 0)
		fprintf(f, "A boot is *drifted* when its start or its end is more than %g%% away from "
			   "that median (above %.3g or below %.3g times it), or its end and its start "
			   "differ by more than %g%%; drifted boots are left out like busy ones "
			   "(`--drift-threshold PCT`; 0 marks none). %zu of %zu calibrated boot(s) drifted, "
			   "%zu left out%s.\n\n",
			bt->drift_thr * 100, 1 + bt->drift_thr, 1 / (1 + bt->drift_thr), bt->drift_thr * 100,
			ndrift, ncal, nout, nkept ? " (the others kept: their label has no other boot)" : "");
	else
		fprintf(f, "No drift threshold was applied (`--drift-threshold 0`): no boot is marked "
			   "or left out for it.\n\n");
	if (ncal < bt->n)
		fprintf(f, "%zu boot(s) have no calibration (no `calibrate.txt`): never marked drifted.\n\n",
			bt->n - ncal);
}

/* Every boot of the input: its place, its host record, whether it was used. */
static void put_boots(FILE *f, const struct comparison *c)
{
	const struct pb_boots *bt = c->boots;
	size_t busy = 0, excl = 0;

	fprintf(f, "## Boots\n\nEach boot is one guest boot running the whole sweep of one kernel "
		   "(`# boot_id` and `# boot_seq` of its result files). Host: what else used the "
		   "host's CPUs while it ran (its `host.txt`, written by make ab).\n\n");
	if (bt->has_cal)
		fprintf(f, "| label | boot_seq | boot_id | files | host | busy | calibration start / end "
			   "(over the run's median) | drifted | used |\n|---|---:|---|---:|---|---|---|---|---|\n");
	else
		fprintf(f, "| label | boot_seq | boot_id | files | host | busy | used |\n|---|---:|---|---:|---|---|---|\n");
	for (size_t i = 0; i < bt->n; i++) {
		const struct pb_boot *b = &bt->b[i];
		char seq[16];

		snprintf(seq, sizeof(seq), "%d", b->seq);
		busy += (size_t)(b->busy && !b->drift_out);
		excl += (size_t)b->excluded;
		fprintf(f, "| %s | %s | %.8s | %zu | %s | %s%s%s |", b->label,
			b->seq >= 0 ? seq : "-", b->id[0] ? b->id : "-", b->nfiles,
			b->has_host ? (b->host[0] ? b->host : "recorded") : "not recorded",
			b->busy ? "**yes**" : b->has_host ? "no" : "-", b->busy && b->busy_why[0] ? ": " : "",
			b->busy ? b->busy_why : "");
		if (bt->has_cal)
			put_boot_cal(f, b, bt->drift_thr);
		fprintf(f, " %s |\n", b->excluded ? "**excluded**" : b->drift_out ? "**left out: drifted**" : "yes");
	}
	fputc('\n', f);
	if (bt->has_cal)
		put_drift_rule(f, bt);
	if (excl)
		fprintf(f, "**Note:** %zu boot(s) excluded (--exclude-boots): their rows are in no "
			   "figure of this report.\n\n", excl);
	if (busy > excl)
		fprintf(f, "**Note:** %zu boot(s) ran on a busy host and are included; "
			   "`pinbench compare --exclude-boots busy` leaves them out.\n\n", busy - excl);
}

/* Settings of a label whose boots disagree beyond their own intervals. */
static void put_disagree(FILE *f, const struct comparison *c)
{
	size_t n = 0, total = 0;

	for (size_t li = 0; li < c->nlabels; li++)
		for (size_t i = 0; i < c->labels[li].n; i++)
			total += c->labels[li].cells[i].split.n > 1;
	fprintf(f, "## Boots that disagree\n\nSettings whose boots' medians lie outside each "
		   "other's reps-only 95%% intervals: drift between boots (host load, emulation) "
		   "larger than the noise within one boot. Their intervals over boots are wide for "
		   "that reason; a reps-only interval would have hidden it.\n\n");
	for (size_t li = 0; li < c->nlabels; li++) {
		const struct cmp_label *l = &c->labels[li];

		for (size_t i = 0; i < l->n; i++) {
			const struct cmp_cell *cell = &l->cells[i];
			char al[32], sz[32], m[32], lo[32], hi[32];

			if (!cell->split.disagree)
				continue;
			if (!n++)
				fprintf(f, "| label | method | region | align | size | op | boot medians [reps-only 95%% CI] |\n"
					   "|---|---|---|---:|---:|---|---|\n");
			fprintf(f, "| %s | %s | %s | %s | %s | %s |", l->name, cell->key.method,
				cell->key.region, pb_fmt_size(cell->key.align, al, sizeof(al)),
				group_fmt_size(&cell->key, sz, sizeof(sz)), cell->key.op);
			for (size_t j = 0; j < cell->split.n; j++) {
				const struct boot_samples *b = &cell->split.b[j];
				const struct pb_boot *pb = boot_at(c, b->boot);

				if (pb && pb->seq >= 0)
					fprintf(f, " #%d", pb->seq);
				fprintf(f, " %s [%s, %s]%s", compare_fmt_ns(b->p50, m, sizeof(m)),
					compare_fmt_ns(b->lo, lo, sizeof(lo)),
					compare_fmt_ns(b->hi, hi, sizeof(hi)), j + 1 < cell->split.n ? ";" : "");
			}
			fprintf(f, " |\n");
		}
	}
	fprintf(f, "%s%zu of %zu settings measured in 2+ boots have boots that disagree.\n\n",
		n ? "\n" : "", n, total);
}

/* boots.csv's calibration columns of a boot: start and end (ns), each over the run's median, drifted. */
static void put_csv_cal(FILE *f, const struct pb_boot *pb, double thr)
{
	if (!pb || !pb->has_cal) {
		fprintf(f, ",,,,,");
		return;
	}
	fputc(',', f);
	if (pb->cal_start > 0)
		fprintf(f, "%.0f", pb->cal_start);
	fputc(',', f);
	if (pb->cal_end > 0)
		fprintf(f, "%.0f", pb->cal_end);
	fputc(',', f);
	if (pb->cal_rs > 0)
		fprintf(f, "%.4f", pb->cal_rs);
	fputc(',', f);
	if (pb->cal_re > 0)
		fprintf(f, "%.4f", pb->cal_re);
	fprintf(f, ",%s", pb->drifted ? (pb->drift_kept ? "yes-kept" : "yes") : pb->cal_median > 0 && thr > 0 ? "no" : "");
}

int compare_write_boots_csv(const struct comparison *c, FILE *f)
{
	int cal = c->boots && c->boots->has_cal;

	fprintf(f, "# pinbench compare: one row per setting, label and boot; p50 of the boot's "
		   "ok samples with a reps-only bootstrap 95%% CI (lo, hi); disagree: the label's "
		   "boots of this setting disagree beyond their intervals");
	if (cal)
		fprintf(f, "; calib_start_ns, calib_end_ns: the boot's pinbench calibrate at its start "
			   "and end; calib_start_ratio, calib_end_ratio: each over the run's median; "
			   "drifted: beyond --drift-threshold %g%% (yes: left out, yes-kept: its label has no "
			   "other boot); a boot left out (drifted or --exclude-boots) has one row with no "
			   "setting and n 0", c->boots->drift_thr * 100);
	fprintf(f, "\n");
	fprintf(f, "method,region,align,size,op,label,boot_seq,boot_id,n,p50,lo,hi,disagree%s\n",
		cal ? ",calib_start_ns,calib_end_ns,calib_start_ratio,calib_end_ratio,drifted" : "");
	for (size_t li = 0; li < c->nlabels; li++) {
		const struct cmp_label *l = &c->labels[li];

		for (size_t i = 0; i < l->n; i++) {
			const struct cmp_cell *cell = &l->cells[i];
			const struct row *k = &cell->key;

			for (size_t j = 0; j < cell->split.n; j++) {
				const struct boot_samples *b = &cell->split.b[j];
				const struct pb_boot *pb = boot_at(c, b->boot);

				fprintf(f, "%s,%s,%" PRIu64 ",%" PRIu64 ",%s,%s,", k->method, k->region,
					k->align, k->size, k->op, l->name);
				if (pb && pb->seq >= 0)
					fprintf(f, "%d,", pb->seq);
				else
					fputc(',', f);
				fprintf(f, "%s,%zu,", pb ? pb->id : "", b->n);
				put_csv_num(f, b->p50);
				put_csv_num(f, b->lo);
				put_csv_num(f, b->hi);
				fprintf(f, "%s", cell->split.disagree ? "yes" : "no");
				if (cal)
					put_csv_cal(f, pb, c->boots->drift_thr);
				fputc('\n', f);
			}
		}
	}
	for (size_t i = 0; cal && i < c->boots->n; i++) {
		const struct pb_boot *pb = &c->boots->b[i];

		if (boots_used(pb))
			continue;
		fprintf(f, ",,,,,%s,", pb->label);
		if (pb->seq >= 0)
			fprintf(f, "%d", pb->seq);
		fprintf(f, ",%s,0,,,,", pb->id);
		put_csv_cal(f, pb, c->boots->drift_thr);
		fputc('\n', f);
	}
	return ferror(f) ? -EIO : 0;
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
	if (boots_worth_listing(c))
		put_boots(f, c);
	if (c->hier)
		put_disagree(f, c);
	put_audit(f, c);
	return ferror(f) ? -EIO : 0;
}

/* ---- compare.csv ---- */

static void put_csv_str(FILE *f, const char *s, int last)
{
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputc(last ? '\n' : ',', f);
}

static void put_csv_num(FILE *f, double v)
{
	if (isnan(v))
		fputc(',', f);
	else
		fprintf(f, "%.6g,", v);
}

static const struct cmp_pair *pair_of(const struct comparison *c, const struct cmp_cell *cell)
{
	for (size_t i = 0; i < c->nvs; i++)
		for (size_t j = 0; j < c->vs[i].npairs; j++)
			if (c->vs[i].pairs[j].b == cell)
				return &c->vs[i].pairs[j];
	return NULL;
}

#define CMP_CSV_COLUMNS                                                                  \
	"method,region,align,size,op,label,kernel,backing,node,n,failed,min,p10,p50,p90,max," \
	"mean,ns_per_4k,baseline,ratio,lo,hi,significant"

/* Does any setting pin with --chunk or --threads? Only then compare.csv has their columns. */
static int any_many(const struct comparison *c)
{
	for (size_t i = 0; i < c->nlabels; i++)
		for (size_t j = 0; j < c->labels[i].n; j++)
			if (c->labels[i].cells[j].key.chunk || c->labels[i].cells[j].key.threads > 1)
				return 1;
	return 0;
}

int compare_write_csv(const struct comparison *c, FILE *f)
{
	int many = any_many(c);

	fprintf(f, "# pinbench compare: one row per setting and label; ratio = p50 / baseline p50 "
		   "with a bootstrap 95%% CI (lo, hi), %u resamples, seed %" PRIu64 "\n",
		c->iters, c->seed);
	fprintf(f, "%s%s\n", CMP_CSV_COLUMNS, many ? ",chunk,threads" : "");
	for (size_t i = 0; i < c->nlabels; i++) {
		const struct cmp_label *l = &c->labels[i];

		for (size_t j = 0; j < l->n; j++) {
			const struct cmp_cell *cell = &l->cells[j];
			const struct row *k = &cell->key;
			const struct cmp_pair *p = i ? pair_of(c, cell) : NULL;

			put_csv_str(f, k->method, 0);
			put_csv_str(f, k->region, 0);
			fprintf(f, "%" PRIu64 ",%" PRIu64 ",", k->align, k->size);
			put_csv_str(f, k->op, 0);
			put_csv_str(f, l->name, 0);
			put_csv_str(f, k->kernel, 0);
			put_csv_str(f, k->backing, 0);
			fprintf(f, "%d,%zu,%zu,", k->node, cell->n, cell->failed);
			put_csv_num(f, cell->st.min);
			put_csv_num(f, cell->p10);
			put_csv_num(f, cell->st.p50);
			put_csv_num(f, cell->st.p90);
			put_csv_num(f, cell->st.max);
			put_csv_num(f, cell->st.mean);
			put_csv_num(f, per_4k(cell->st.p50, k->size));
			put_csv_str(f, c->labels[0].name, 0);
			if (p) {
				put_csv_num(f, p->ci.ratio);
				put_csv_num(f, p->ci.lo);
				put_csv_num(f, p->ci.hi);
				fprintf(f, "%s", p->ci.significant ? "yes" : "no");
			} else {
				fprintf(f, ",,,");
			}
			if (many)
				fprintf(f, ",%" PRIu64 ",%d", k->chunk, k->threads > 0 ? k->threads : 1);
			fputc('\n', f);
		}
	}
	return ferror(f) ? -EIO : 0;
}

/* ---- gnuplot data ---- */

static int cmp_cell_plot(const void *pa, const void *pb)
{
	const struct cmp_cell *a = *(const struct cmp_cell *const *)pa;
	const struct cmp_cell *b = *(const struct cmp_cell *const *)pb;
	int c;

	if ((c = strcmp(a->key.method, b->key.method)) ||
	    (c = group_op_rank(a->key.op) - group_op_rank(b->key.op)) || (c = strcmp(a->key.op, b->key.op)) ||
	    (c = a->slot - b->slot) || (c = strcmp(a->key.region, b->key.region)))
		return c;
	if (a->key.align != b->key.align)
		return a->key.align < b->key.align ? -1 : 1;
	if (a->key.size != b->key.size)
		return a->key.size < b->key.size ? -1 : 1;
	return 0;
}

static int same_file(const struct cmp_cell *a, const struct cmp_cell *b)
{
	return !strcmp(a->key.method, b->key.method) && !strcmp(a->key.op, b->key.op);
}

static int same_series(const struct cmp_cell *a, const struct cmp_cell *b)
{
	return same_file(a, b) && !strcmp(a->key.region, b->key.region) &&
	       a->key.align == b->key.align;
}

/*
 * One file: PREFIX-L<label>-<method>-<op>.dat, a block per series (cells of
 * that method and op, sorted). With pairs (same order as cells), a ratio
 * file. Written even when no cell matches, so that every label has a file
 * for every method and op of the comparison (the templates count blocks).
 */
static int put_file(const char *dir, const char *prefix, size_t label, const struct cmp_cell *like,
		    const struct cmp_cell *const *cells, const struct cmp_pair *const *pairs,
		    size_t n)
{
	char m[64], o[32], path[4200], al[32];
	const struct cmp_cell *prev = NULL;
	FILE *f;
	int rc = 0;

	pb_sanitize(m, sizeof(m), like->key.method);
	pb_sanitize(o, sizeof(o), like->key.op);
	snprintf(path, sizeof(path), "%s/%s-L%zu-%s-%s.dat", dir, prefix, label, m, o);
	if (!(f = fopen(path, "we"))) {
		rc = -errno;
		pb_err("cannot write '%s': %s", path, strerror(-rc));
		return rc;
	}
	if (pairs)
		fprintf(f, "# %s %s: ratio of median time per call, label L%zu / L0, "
			   "95%% bootstrap CI lo..hi; one block per series\n",
			like->key.method, like->key.op, label);
	else
		fprintf(f, "# %s %s: time per call in ns (p50, p10, p90, min, max) and per 4 KiB "
			   "page, label L%zu; one block per series\n",
			like->key.method, like->key.op, label);
	for (size_t i = 0; i < n; i++) {
		const struct cmp_cell *cell = cells[i];
		const struct row *k = &cell->key;

		if (!same_file(cell, like))
			continue;
		if (!prev || !same_series(prev, cell)) {
			if (prev)
				fprintf(f, "\n\n");
			pb_fmt_size(k->align, al, sizeof(al));
			if (pairs)
				fprintf(f, "\"%s %s\" size ratio lo hi significant slot\n", k->region, al);
			else
				fprintf(f, "\"%s %s\" size p50 p10 p90 min max n "
					   "p50_4k p10_4k p90_4k slot\n", k->region, al);
		}
		prev = cell;
		if (pairs) {
			const struct ratio_ci *ci = &pairs[i]->ci;

			fprintf(f, "%" PRIu64 " %.6g %.6g %.6g %d %d\n", k->size, ci->ratio, ci->lo,
				ci->hi, ci->significant, cell->slot);
		} else {
			fprintf(f, "%" PRIu64 " %.6g %.6g %.6g %.6g %.6g %zu %.6g %.6g %.6g %d\n",
				k->size, cell->st.p50, cell->p10, cell->st.p90, cell->st.min,
				cell->st.max, cell->n, per_4k(cell->st.p50, k->size),
				per_4k(cell->p10, k->size), per_4k(cell->st.p90, k->size), cell->slot);
		}
	}
	if (ferror(f))
		rc = -EIO;
	if (fclose(f) && !rc)
		rc = -errno;
	if (rc)
		pb_err("cannot write '%s': %s", path, strerror(-rc));
	return rc;
}

/* The (method, op) files of the comparison: the first cell of each, from every label. */
static size_t file_keys(const struct comparison *c, const struct cmp_cell **keys, size_t max)
{
	size_t n = 0;

	for (size_t l = 0; l < c->nlabels; l++)
		for (size_t i = 0; i < c->labels[l].n; i++) {
			const struct cmp_cell *cell = &c->labels[l].cells[i];
			size_t j;

			if (!cell->n)
				continue;
			for (j = 0; j < n && !same_file(keys[j], cell); j++)
				;
			if (j == n && n < max)
				keys[n++] = cell;
		}
	return n;
}

static int write_label_data(const struct comparison *c, const char *dir, size_t li,
			    const struct cmp_cell *const *keys, size_t nkeys)
{
	const struct cmp_label *l = &c->labels[li];
	const struct cmp_cell **cells = calloc(l->n ? l->n : 1, sizeof(*cells));
	size_t n = 0;
	int rc = 0;

	if (!cells)
		return -ENOMEM;
	for (size_t i = 0; i < l->n; i++)
		if (l->cells[i].n)
			cells[n++] = &l->cells[i];
	qsort(cells, n, sizeof(*cells), cmp_cell_plot);
	for (size_t k = 0; k < nkeys && !rc; k++)
		rc = put_file(dir, "lat", li, keys[k], cells, NULL, n);
	free(cells);
	return rc;
}

struct pair_ref {
	const struct cmp_cell *cell;
	const struct cmp_pair *pair;
};

static int cmp_pair_ref(const void *a, const void *b)
{
	return cmp_cell_plot(&((const struct pair_ref *)a)->cell, &((const struct pair_ref *)b)->cell);
}

static int write_ratio_data(const char *dir, const struct cmp_vs *v,
			    const struct cmp_cell *const *keys, size_t nkeys)
{
	size_t n = v->npairs ? v->npairs : 1;
	struct pair_ref *refs = calloc(n, sizeof(*refs));
	const struct cmp_cell **cells = calloc(n, sizeof(*cells));
	const struct cmp_pair **pairs = calloc(n, sizeof(*pairs));
	int rc = -ENOMEM;

	if (refs && cells && pairs) {
		for (size_t i = 0; i < v->npairs; i++)
			refs[i] = (struct pair_ref){ v->pairs[i].b, &v->pairs[i] };
		qsort(refs, v->npairs, sizeof(*refs), cmp_pair_ref);
		for (size_t i = 0; i < v->npairs; i++) {
			cells[i] = refs[i].cell;
			pairs[i] = refs[i].pair;
		}
		rc = 0;
		for (size_t k = 0; k < nkeys && !rc; k++)
			rc = put_file(dir, "ratio", v->other, keys[k], cells, pairs, v->npairs);
	}
	free(refs);
	free(cells);
	free(pairs);
	return rc;
}

static int is_plot_file(const char *name)
{
	size_t n = strlen(name);

	return !strcmp(name, "labels.tsv") || (n > 4 && !strcmp(name + n - 4, ".dat"));
}

/* Remove our files from DIR and DIR itself; a missing DIR is fine. */
static int remove_plot_dir(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		char path[4400];

		if (!is_plot_file(de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	if (rmdir(dir)) {
		int rc = -errno;

		pb_err("cannot replace '%s': %s (does it hold files of your own?)", dir, strerror(-rc));
		return rc;
	}
	return 0;
}

int compare_write_plotdata(const struct comparison *c, const char *dir)
{
	const struct cmp_cell *keys[256];	/* methods x ops: a few dozen at most */
	char tmp[4200], path[4300];
	size_t nkeys;
	FILE *f;
	int rc;

	snprintf(tmp, sizeof(tmp), "%s.new", dir);
	if ((rc = remove_plot_dir(tmp)))
		return rc;
	if (mkdir(tmp, 0755)) {
		rc = -errno;
		pb_err("cannot create '%s': %s", tmp, strerror(-rc));
		return rc;
	}
	snprintf(path, sizeof(path), "%s/labels.tsv", tmp);
	if (!(f = fopen(path, "we"))) {
		rc = -errno;
		pb_err("cannot write '%s': %s", path, strerror(-rc));
		goto fail;
	}
	for (size_t i = 0; i < c->nlabels; i++) {
		char name[128], kernels[256];

		/* Tabs and line breaks would break the TSV: the names only need to read well. */
		snprintf(name, sizeof(name), "%s", c->labels[i].name);
		snprintf(kernels, sizeof(kernels), "%s", c->labels[i].kernels);
		for (char *p = name; *p; p++)
			if (*p == '\t' || *p == '\n' || *p == '\r')
				*p = ' ';
		for (char *p = kernels; *p; p++)
			if (*p == '\t' || *p == '\n' || *p == '\r')
				*p = ' ';
		fprintf(f, "%zu\t%s\t%s\n", i, name, kernels);
	}
	if (fclose(f)) {
		rc = -errno;
		pb_err("cannot write '%s': %s", path, strerror(-rc));
		goto fail;
	}
	nkeys = file_keys(c, keys, sizeof(keys) / sizeof(keys[0]));
	for (size_t i = 0; i < c->nlabels; i++)
		if ((rc = write_label_data(c, tmp, i, keys, nkeys)))
			goto fail;
	for (size_t i = 0; i < c->nvs; i++)
		if ((rc = write_ratio_data(tmp, &c->vs[i], keys, nkeys)))
			goto fail;
	if ((rc = remove_plot_dir(dir)))
		goto fail;
	if (rename(tmp, dir)) {
		rc = -errno;
		pb_err("cannot rename '%s' to '%s': %s", tmp, dir, strerror(-rc));
		goto fail;
	}
	return 0;
fail:
	remove_plot_dir(tmp);
	return rc;
}
