// SPDX-License-Identifier: GPL-2.0
/* report.md's Boots and Boots that disagree sections. */
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "report_common.h"
#include "group.h"
#include "pb.h"

int report_md_boots_listed(const struct comparison *c)
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
void report_md_boots(FILE *f, const struct comparison *c)
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
void report_md_disagree(FILE *f, const struct comparison *c)
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
				const struct pb_boot *pb = report_boot_at(c, b->boot);

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
