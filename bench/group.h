/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rows grouped by setting: everything in a row but rep, ns, status, the
 * pin counter deltas and which thread and call. The summary and the comparison are both built on it.
 */
#ifndef PB_GROUP_H
#define PB_GROUP_H

#include <stddef.h>
#include "results.h"
#include "stats.h"

struct group {
	struct row key;		/* rep, ns, status, pins_* unused */
	double *ns;		/* latencies of the ok rows */
	size_t n, cap;
	size_t failed;		/* rows whose status is not ok */
	int64_t pins_acq, pins_rel;	/* sums; -1 when no row counted */
	int max_call;		/* highest call index seen (--chunk) */
};

/* The size of a setting as tables show it: "1G", or with --chunk/--threads "1G c2M t2". */
char *group_fmt_size(const struct row *k, char *buf, size_t len);
/* Bytes one row of the group covers: a call's share with --chunk/--threads, else the size. */
uint64_t group_call_bytes(const struct group *g);

struct groups {
	struct group *g;
	size_t n, cap;
};

/* Statistics of a group's ok samples (the samples stay unsorted). 0 or -ENOMEM. */
int group_stats(const struct group *g, struct stats *st);
/* Add a counter delta to a sum; -1 (not counted) on either side stays out. */
void group_add_count(int64_t *sum, int64_t v);
/* Order of ops in tables: pin, unpin, io, kget, kput, others. */
int group_op_rank(const char *op);
/* Same setting? (label and kernel included) */
int group_same_setting(const struct row *a, const struct row *b, int with_label);
/* Group every row; groups come out sorted by method, region, align, size, op. */
int groups_build(struct groups *gs, const struct rowset *rs);
void groups_free(struct groups *gs);
/*
 * Pin counter deltas of one setting summed over all its ops (pin, unpin,
 * io, ...): the groups that differ from gs->g[i] only in op. -1 if none counted.
 */
void groups_setting_counts(const struct groups *gs, size_t i, int64_t *acq, int64_t *rel);

#endif
