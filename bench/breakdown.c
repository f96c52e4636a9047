// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "breakdown.h"

/* Earlier start first; at equal starts the longer (outer) call first. */
static int by_start(const void *a, const void *b)
{
	const struct bd_call *x = a, *y = b;

	if (x->call != y->call)
		return x->call < y->call ? -1 : 1;
	if (x->ret != y->ret)
		return x->ret > y->ret ? -1 : 1;
	return 0;
}

void bd_attribute(struct bd_call *calls, size_t n, uint64_t wall, struct bd_split *out)
{
	/* Open calls, outermost first: indexes into calls. */
	size_t *stack = n ? malloc(n * sizeof(*stack)) : NULL;
	int64_t *excl = n ? malloc(n * sizeof(*excl)) : NULL;
	size_t depth = 0;

	memset(out, 0, sizeof(*out));
	if (n && (!stack || !excl)) {
		/* Out of memory: count every call whole, flag it. */
		for (size_t i = 0; i < n; i++)
			out->bad_nesting++;
		n = 0;
	}
	if (n)
		qsort(calls, n, sizeof(*calls), by_start);
	for (size_t i = 0; i < n; i++) {
		struct bd_call *c = &calls[i];

		excl[i] = c->ret > c->call ? (int64_t)(c->ret - c->call) : 0;
		while (depth && calls[stack[depth - 1]].ret <= c->call)
			depth--;
		if (depth) {
			size_t p = stack[depth - 1];

			if (c->ret <= calls[p].ret) {
				excl[p] -= excl[i];
			} else {
				/* Overlaps its parent's end: not nested; count it alone. */
				out->bad_nesting++;
				depth = 0;
			}
		}
		stack[depth++] = i;
	}
	for (size_t i = 0; i < n; i++) {
		int ph = calls[i].phase;

		if (ph < 0 || ph >= PHASE_NAMED)
			continue;
		out->ns[ph] += excl[i];
		out->calls[ph]++;
	}
	for (int p = 0; p < PHASE_NAMED; p++)
		out->named += out->ns[p] > 0 ? (uint64_t)out->ns[p] : 0;
	out->ns[PHASE_OTHER] = (int64_t)wall - (int64_t)out->named;
	out->ns[PHASE_WALL] = (int64_t)wall;
	free(stack);
	free(excl);
}

/* The number after "KEY:" at a line start in text; -1 when absent. */
static int64_t stat_value(const char *text, const char *key)
{
	size_t len = strlen(key);

	for (const char *s = text; s && *s; s = strchr(s, '\n') ? strchr(s, '\n') + 1 : NULL) {
		if (!strncmp(s, key, len) && s[len] == ':') {
			char *end;
			long long v = strtoll(s + len + 1, &end, 10);

			return end == s + len + 1 || v < 0 ? -1 : v;
		}
	}
	return -1;
}

int64_t bd_stats_lost(const char *stats)
{
	static const char *const keys[] = { "overrun", "commit overrun", "dropped events" };
	int64_t sum = -1;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		int64_t v = stat_value(stats, keys[i]);

		if (v >= 0)
			sum = (sum < 0 ? 0 : sum) + v;
	}
	return sum;
}

double bd_coverage(const struct bd_split *s, uint64_t wall)
{
	return wall ? 100.0 * (double)s->named / (double)wall : 0.0;
}

int bd_exceeds_wall(const struct bd_split *s, uint64_t wall)
{
	uint64_t calls = 0;

	for (int p = 0; p < PHASE_NAMED; p++)
		calls += s->calls[p];
	return s->named > wall + wall / 100 + calls * BD_CALL_ERR_NS;
}
