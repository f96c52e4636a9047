// SPDX-License-Identifier: GPL-2.0
/* boots.csv: per setting, label and boot, the boot's median and reps-only interval. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "report.h"
#include "report_common.h"

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
				const struct pb_boot *pb = report_boot_at(c, b->boot);

				fprintf(f, "%s,%s,%" PRIu64 ",%" PRIu64 ",%s,%s,", k->method, k->region,
					k->align, k->size, k->op, l->name);
				if (pb && pb->seq >= 0)
					fprintf(f, "%d,", pb->seq);
				else
					fputc(',', f);
				fprintf(f, "%s,%zu,", pb ? pb->id : "", b->n);
				report_csv_num(f, b->p50);
				report_csv_num(f, b->lo);
				report_csv_num(f, b->hi);
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
