// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "group.h"
#include "pb.h"

int group_same_setting(const struct row *a, const struct row *b, int with_label)
{
	if (with_label && (strcmp(a->label, b->label) || strcmp(a->kernel, b->kernel)))
		return 0;
	return !strcmp(a->method, b->method) && !strcmp(a->region, b->region) &&
	       !strcmp(a->backing, b->backing) && a->align == b->align &&
	       a->node == b->node && a->size == b->size && a->chunk == b->chunk &&
	       a->threads == b->threads && !strcmp(a->op, b->op);
}

int group_op_rank(const char *op)
{
	static const char *const order[] = { "pin", "unpin", "io", "kget", "kput", "pin-total", "unpin-total" };

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (!strcmp(op, order[i]))
			return (int)i;
	return 99;
}

static int cmp_group(const void *pa, const void *pb)
{
	const struct row *a = &((const struct group *)pa)->key;
	const struct row *b = &((const struct group *)pb)->key;
	int c;

	if ((c = strcmp(a->label, b->label)) || (c = strcmp(a->method, b->method)) ||
	    (c = strcmp(a->region, b->region)) || (c = strcmp(a->backing, b->backing)))
		return c;
	if (a->align != b->align)
		return a->align < b->align ? -1 : 1;
	if (a->size != b->size)
		return a->size < b->size ? -1 : 1;
	if (a->threads != b->threads)
		return a->threads < b->threads ? -1 : 1;
	if (a->chunk != b->chunk)
		return a->chunk < b->chunk ? -1 : 1;
	return group_op_rank(a->op) - group_op_rank(b->op);
}

static int push_ns(struct group *g, double v)
{
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 16;
		double *p = realloc(g->ns, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		g->ns = p;
		g->cap = cap;
	}
	g->ns[g->n++] = v;
	return 0;
}

void group_add_count(int64_t *sum, int64_t v)
{
	if (v < 0)
		return;
	*sum = *sum < 0 ? v : *sum + v;
}

int groups_build(struct groups *gs, const struct rowset *rs)
{
	memset(gs, 0, sizeof(*gs));
	for (size_t i = 0; i < rs->n; i++) {
		const struct row *r = &rs->rows[i];
		struct group *g = NULL;

		/* Rows of one setting are adjacent in a file: look back first. */
		for (size_t j = gs->n; j-- > 0;)
			if (group_same_setting(&gs->g[j].key, r, 1)) {
				g = &gs->g[j];
				break;
			}
		if (!g) {
			if (gs->n == gs->cap) {
				size_t cap = gs->cap ? gs->cap * 2 : 32;
				struct group *p = realloc(gs->g, cap * sizeof(*p));

				if (!p)
					return -ENOMEM;
				gs->g = p;
				gs->cap = cap;
			}
			g = &gs->g[gs->n++];
			memset(g, 0, sizeof(*g));
			g->key = *r;
			g->pins_acq = g->pins_rel = -1;
		}
		if (r->call > g->max_call)
			g->max_call = r->call;
		group_add_count(&g->pins_acq, r->pins_acq);
		group_add_count(&g->pins_rel, r->pins_rel);
		if (strcmp(r->status, "ok"))
			g->failed++;
		else if (push_ns(g, (double)r->ns))
			return -ENOMEM;
	}
	if (gs->n)
		qsort(gs->g, gs->n, sizeof(*gs->g), cmp_group);
	return 0;
}

char *group_fmt_size(const struct row *k, char *buf, size_t len)
{
	char sz[16], ch[16];

	pb_fmt_size(k->size, sz, sizeof(sz));
	if (k->chunk && k->threads > 1)
		snprintf(buf, len, "%s c%s t%d", sz, pb_fmt_size(k->chunk, ch, sizeof(ch)), k->threads);
	else if (k->chunk)
		snprintf(buf, len, "%s c%s", sz, pb_fmt_size(k->chunk, ch, sizeof(ch)));
	else if (k->threads > 1)
		snprintf(buf, len, "%s t%d", sz, k->threads);
	else
		snprintf(buf, len, "%s", sz);
	return buf;
}

uint64_t group_call_bytes(const struct group *g)
{
	const struct row *k = &g->key;

	if (strstr(k->op, "-total") || k->threads < 1 || (k->threads == 1 && !k->chunk))
		return k->size;
	return k->size / (uint64_t)k->threads / (uint64_t)(g->max_call + 1);
}

void groups_free(struct groups *gs)
{
	for (size_t i = 0; i < gs->n; i++)
		free(gs->g[i].ns);
	free(gs->g);
	memset(gs, 0, sizeof(*gs));
}

void groups_setting_counts(const struct groups *gs, size_t i, int64_t *acq, int64_t *rel)
{
	struct row key = gs->g[i].key;

	*acq = *rel = -1;
	for (size_t j = 0; j < gs->n; j++) {
		struct row k = gs->g[j].key;

		memcpy(k.op, key.op, sizeof(k.op));
		if (!group_same_setting(&k, &key, 1))
			continue;
		group_add_count(acq, gs->g[j].pins_acq);
		group_add_count(rel, gs->g[j].pins_rel);
	}
}

int group_stats(const struct group *g, struct stats *st)
{
	double *v = malloc((g->n ? g->n : 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	if (g->n)
		memcpy(v, g->ns, g->n * sizeof(*v));
	stats_compute(v, g->n, st);
	free(v);
	return 0;
}
