// SPDX-License-Identifier: GPL-2.0
/*
 * gnuplot data of a comparison: one file per label, method and op, one block
 * per series, that the templates in scripts/plot/ draw (scripts/plot/README.md).
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"
#include "report_common.h"
#include "group.h"
#include "pb.h"

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
				cell->st.max, cell->n, report_per_4k(cell->st.p50, k->size),
				report_per_4k(cell->p10, k->size), report_per_4k(cell->st.p90, k->size), cell->slot);
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

int compare_clear_plotdata(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d) {
		if (errno == ENOENT)
			return 0;
		pb_err("cannot replace '%s': %s", dir, strerror(errno));
		return -errno;
	}
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
	char path[4300];
	size_t nkeys;
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/labels.tsv", dir);
	if (!(f = fopen(path, "we"))) {
		rc = -errno;
		pb_err("cannot write '%s': %s", path, strerror(-rc));
		return rc;
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
		return rc;
	}
	nkeys = file_keys(c, keys, sizeof(keys) / sizeof(keys[0]));
	for (size_t i = 0; i < c->nlabels; i++)
		if ((rc = write_label_data(c, dir, i, keys, nkeys)))
			return rc;
	for (size_t i = 0; i < c->nvs; i++)
		if ((rc = write_ratio_data(dir, &c->vs[i], keys, nkeys)))
			return rc;
	return 0;
}
