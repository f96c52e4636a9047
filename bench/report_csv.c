// SPDX-License-Identifier: GPL-2.0
/* compare.csv: one row per setting and label, with the ratio to the baseline. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "report_common.h"

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
			report_csv_num(f, cell->st.min);
			report_csv_num(f, cell->p10);
			report_csv_num(f, cell->st.p50);
			report_csv_num(f, cell->st.p90);
			report_csv_num(f, cell->st.max);
			report_csv_num(f, cell->st.mean);
			report_csv_num(f, report_per_4k(cell->st.p50, k->size));
			put_csv_str(f, c->labels[0].name, 0);
			if (p) {
				report_csv_num(f, p->ci.ratio);
				report_csv_num(f, p->ci.lo);
				report_csv_num(f, p->ci.hi);
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
