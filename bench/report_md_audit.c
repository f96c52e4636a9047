// SPDX-License-Identifier: GPL-2.0
/* report.md's Pin audit: each label's verdict per setting, from the rows' counter deltas. */
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "report_common.h"
#include "audit.h"
#include "group.h"
#include "pb.h"

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
	struct audit_input in = { -1, -1, key->foll_pin, 1, 0, -1 };
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
void report_md_audit(FILE *f, const struct comparison *c)
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
