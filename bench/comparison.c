// SPDX-License-Identifier: GPL-2.0
/*
 * The comparison model: settings of two or more result sets (labels) matched
 * across labels, each label's samples pooled per setting, and every label
 * against the baseline as a ratio of medians with a bootstrap 95% interval.
 * report_*.c write it out; compare.c is the command.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "comparison.h"
#include "group.h"
#include "pb.h"
#include "series.h"

const char *compare_backing_kind(const char *backing)
{
	if (!strncmp(backing, "/dev/dax", 8))
		return "devdax";
	if (backing[0] == '/')
		return "file";
	return backing;
}

int compare_same_setting(const struct row *a, const struct row *b)
{
	return !strcmp(a->method, b->method) && !strcmp(a->region, b->region) &&
	       !strcmp(compare_backing_kind(a->backing), compare_backing_kind(b->backing)) &&
	       a->align == b->align && a->size == b->size && !strcmp(a->op, b->op);
}

static void add_kernel(struct cmp_label *l, const char *kernel)
{
	size_t len = strlen(l->kernels), klen = strlen(kernel);
	const char *p = l->kernels;

	if (!klen)
		kernel = "unknown", klen = strlen(kernel);
	while ((p = strstr(p, kernel))) {
		if ((p == l->kernels || p[-1] == ' ') && (p[klen] == ',' || !p[klen]))
			return;
		p += klen;
	}
	if (len + klen + 3 < sizeof(l->kernels))
		snprintf(l->kernels + len, sizeof(l->kernels) - len, "%s%s", len ? ", " : "", kernel);
}

static struct cmp_label *find_label(struct comparison *c, const char *name)
{
	for (size_t i = 0; i < c->nlabels; i++)
		if (!strcmp(c->labels[i].name, name))
			return &c->labels[i];
	return NULL;
}

static struct cmp_cell *find_cell(struct cmp_label *l, const struct row *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (compare_same_setting(&l->cells[i].key, key))
			return &l->cells[i];
	return NULL;
}

static int add_group(struct cmp_label *l, const struct group *g)
{
	struct cmp_cell *cell = find_cell(l, &g->key);

	if (!cell) {
		struct cmp_cell *p = pb_grow(l->cells, &l->cap, l->n, sizeof(*p), 32);

		if (!p)
			return -ENOMEM;
		l->cells = p;
		cell = &l->cells[l->n++];
		memset(cell, 0, sizeof(*cell));
		cell->key = g->key;
		cell->slot = series_slot(g->key.region, g->key.align);
		cell->pins_acq = cell->pins_rel = -1;
	} else if (strcmp(cell->key.backing, g->key.backing) || cell->key.node != g->key.node) {
		cell->mixed = 1;
	}
	cell->pooled++;
	cell->failed += g->failed;
	group_add_count(&cell->pins_acq, g->pins_acq);
	group_add_count(&cell->pins_rel, g->pins_rel);
	if (g->n) {
		double *p = realloc(cell->ns, (cell->n + g->n) * sizeof(*p));

		if (!p)
			return -ENOMEM;
		cell->ns = p;
		memcpy(cell->ns + cell->n, g->ns, g->n * sizeof(*p));
		cell->n += g->n;
		cell->cap = cell->n;
	}
	return 0;
}

static void finish_cell(struct cmp_cell *cell)
{
	stats_compute(cell->ns, cell->n, &cell->st);	/* sorts */
	cell->p10 = cell->n ? stats_percentile_sorted(cell->ns, cell->n, 10) : NAN;
}

static int cmp_pair_change(const void *pa, const void *pb)
{
	const struct cmp_pair *a = pa, *b = pb;
	double ca = fabs(log(a->ci.ratio)), cb = fabs(log(b->ci.ratio));
	const struct row *x = &a->a->key, *y = &b->a->key;
	int c;

	if (isnan(ca) != isnan(cb))
		return isnan(ca) ? 1 : -1;
	if (ca != cb && !isnan(ca))
		return ca > cb ? -1 : 1;
	/* Ties: the order groups come in. */
	if ((c = strcmp(x->method, y->method)) || (c = strcmp(x->region, y->region)))
		return c;
	if (x->align != y->align)
		return x->align < y->align ? -1 : 1;
	if (x->size != y->size)
		return x->size < y->size ? -1 : 1;
	return strcmp(x->op, y->op);
}

static int add_only(struct cmp_vs *v, size_t *cap, const struct cmp_cell *cell,
		    size_t label, int failed)
{
	struct cmp_only *p = pb_grow(v->only, cap, v->nonly, sizeof(*p), 16);

	if (!p)
		return -ENOMEM;
	v->only = p;
	v->only[v->nonly++] = (struct cmp_only){ .cell = cell, .label = label, .failed = failed };
	return 0;
}

static int build_vs(struct comparison *c, struct cmp_vs *v, size_t other)
{
	const struct cmp_label *a = &c->labels[0], *b = &c->labels[other];
	size_t only_cap = 0;

	v->other = other;
	v->pairs = calloc(a->n ? a->n : 1, sizeof(*v->pairs));
	if (!v->pairs)
		return -ENOMEM;
	for (size_t i = 0; i < a->n; i++) {
		const struct cmp_cell *ca = &a->cells[i];
		const struct cmp_cell *cb = find_cell((struct cmp_label *)b, &ca->key);
		struct cmp_pair *p;

		if (!cb) {
			if (add_only(v, &only_cap, ca, 0, 0))
				return -ENOMEM;
			continue;
		}
		if (!ca->n || !cb->n) {
			if (add_only(v, &only_cap, ca->n ? cb : ca, ca->n ? other : 0, 1))
				return -ENOMEM;
			continue;
		}
		p = &v->pairs[v->npairs++];
		p->a = ca;
		p->b = cb;
		stats_ratio_ci(ca->ns, ca->n, cb->ns, cb->n, c->iters, c->seed, &p->ci);
		p->reps = p->ci;
		if (ca->split.n > 1 || cb->split.n > 1) {
			/* Drift between boots belongs in the interval: resample boots too. */
			p->hier = 1;
			boots_ratio_ci(&ca->split, &cb->split, c->iters, c->seed, &p->ci);
		}
		if (p->ci.significant)
			v->nsignificant++;
	}
	for (size_t i = 0; i < b->n; i++)
		if (!find_cell((struct cmp_label *)a, &b->cells[i].key) &&
		    add_only(v, &only_cap, &b->cells[i], other, 0))
			return -ENOMEM;
	if (v->npairs > 1)
		qsort(v->pairs, v->npairs, sizeof(*v->pairs), cmp_pair_change);
	return 0;
}

/* Split every cell's ok samples by boot (rows of one setting come in runs). */
static int attach_boots(struct comparison *c, const struct rowset *rs)
{
	struct cmp_label *l = NULL;
	struct cmp_cell *cell = NULL;
	unsigned iters = c->iters < 1000 ? c->iters : 1000;

	for (size_t i = 0; i < rs->n; i++) {
		const struct row *r = &rs->rows[i];

		if (strcmp(r->status, "ok"))
			continue;
		if (!l || strcmp(l->name, r->label)) {
			l = find_label(c, r->label);
			cell = NULL;
		}
		if (!cell || !compare_same_setting(&cell->key, r))
			cell = find_cell(l, r);
		if (!cell || boots_split_add(&cell->split, r->boot, (double)r->ns))
			return -ENOMEM;
	}
	for (size_t i = 0; i < c->nlabels; i++)
		for (size_t j = 0; j < c->labels[i].n; j++) {
			struct cmp_cell *x = &c->labels[i].cells[j];

			if (x->split.n > 1) {
				c->hier = 1;
				boots_split_finish(&x->split, iters, c->seed);
			}
		}
	return 0;
}

int compare_build(struct comparison *c, const struct rowset *rs, const struct cmp_opts *o)
{
	struct groups gs;
	size_t cap = 0;
	int rc;

	memset(c, 0, sizeof(*c));
	c->seed = o->seed;
	c->iters = o->iters ? o->iters : CMP_DEFAULT_ITERS;

	/* Labels in the order their first row comes. */
	for (size_t i = 0; i < rs->n; i++) {
		const struct row *r = &rs->rows[i];
		struct cmp_label *l = find_label(c, r->label);

		if (!l) {
			struct cmp_label *p = pb_grow(c->labels, &cap, c->nlabels, sizeof(*p), 4);

			if (!p)
				goto nomem;
			c->labels = p;
			l = &c->labels[c->nlabels++];
			memset(l, 0, sizeof(*l));
			snprintf(l->name, sizeof(l->name), "%s", r->label);
		}
		add_kernel(l, r->kernel);
	}
	if (c->nlabels < (o->allow_single ? 1U : 2U)) {
		if (!c->nlabels)
			pb_err("no result rows to compare: are these pinbench result files?");
		else
			pb_err("only one label ('%s') in the input: give the result sets of at least two labels, e.g. results/before results/after",
			       c->labels[0].name);
		compare_free(c);
		return -EINVAL;
	}
	if (o->baseline) {
		struct cmp_label *l = find_label(c, o->baseline), t;

		if (!l) {
			pb_err("--baseline '%s' is not a label of the input (first label: '%s')",
			       o->baseline, c->labels[0].name);
			compare_free(c);
			return -EINVAL;
		}
		/* Baseline first, the others in their order. */
		t = *l;
		memmove(c->labels + 1, c->labels, (size_t)(l - c->labels) * sizeof(*l));
		c->labels[0] = t;
	}

	if ((rc = groups_build(&gs, rs))) {
		groups_free(&gs);
		goto nomem;
	}
	for (size_t i = 0; i < gs.n; i++)
		if (add_group(find_label(c, gs.g[i].key.label), &gs.g[i])) {
			groups_free(&gs);
			goto nomem;
		}
	groups_free(&gs);
	for (size_t i = 0; i < c->nlabels; i++)
		for (size_t j = 0; j < c->labels[i].n; j++)
			finish_cell(&c->labels[i].cells[j]);
	c->boots = o->boots;
	if (o->boots && attach_boots(c, rs))
		goto nomem;

	if (c->nlabels > 1) {
		c->vs = calloc(c->nlabels - 1, sizeof(*c->vs));
		if (!c->vs)
			goto nomem;
		c->nvs = c->nlabels - 1;
	}
	for (size_t i = 0; i < c->nvs; i++) {
		if (build_vs(c, &c->vs[i], i + 1))
			goto nomem;
		if (!c->vs[i].npairs && !o->allow_single) {
			pb_err("no setting was measured both in '%s' (%zu settings) and in '%s' (%zu): compare runs of the same methods, regions, aligns and sizes",
			       c->labels[0].name, c->labels[0].n, c->labels[i + 1].name,
			       c->labels[i + 1].n);
			compare_free(c);
			return -EINVAL;
		}
	}
	return 0;
nomem:
	pb_err("out of memory comparing %zu rows", rs->n);
	compare_free(c);
	return -ENOMEM;
}

void compare_free(struct comparison *c)
{
	for (size_t i = 0; i < c->nvs; i++) {
		free(c->vs[i].pairs);
		free(c->vs[i].only);
	}
	free(c->vs);
	for (size_t i = 0; i < c->nlabels; i++) {
		for (size_t j = 0; j < c->labels[i].n; j++) {
			free(c->labels[i].cells[j].ns);
			boots_split_free(&c->labels[i].cells[j].split);
		}
		free(c->labels[i].cells);
	}
	free(c->labels);
	memset(c, 0, sizeof(*c));
}
