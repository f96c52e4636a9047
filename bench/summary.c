// SPDX-License-Identifier: GPL-2.0
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "commands.h"
#include "outset.h"
#include "pb.h"
#include "summary.h"

void summary_verdict(const struct groups *gs, size_t i, struct audit_result *res)
{
	const struct row *k = &gs->g[i].key;
	struct audit_input in = { 0 };

	groups_setting_counts(gs, i, &in.acquired, &in.released);
	in.foll_pin = k->foll_pin;
	/* Rows are written from folded counters when pinbench could fold them. */
	in.exact = 1;
	in.expected = -1;
	audit_judge(&in, res);
}

static void fmt_count(char *buf, size_t len, int64_t v)
{
	if (v < 0)
		buf[0] = '\0';
	else
		snprintf(buf, len, "%" PRId64, v);
}

void summary_write_csv(FILE *f, const struct groups *gs)
{
	fprintf(f, "%s\n", SUMMARY_COLUMNS);
	for (size_t i = 0; i < gs->n; i++) {
		const struct group *g = &gs->g[i];
		const struct row *k = &g->key;
		char line[1024], acq[24], rel[24], verdict[64];
		struct audit_result res;
		struct stats st;

		if (group_stats(g, &st))
			return;
		summary_verdict(gs, i, &res);
		fmt_count(acq, sizeof(acq), g->pins_acq);
		fmt_count(rel, sizeof(rel), g->pins_rel);
		results_format_setting(line, sizeof(line), k);
		fprintf(f, "%s,%s,%zu,%zu,%.0f,%.0f,%.0f,%.0f,%.0f,%.1f,%.1f,%.2f,%s,%s,%s,%s,%" PRIu64 ",%d\n", line,
			k->op, st.n, g->failed, st.min, st.p50, st.p90, st.p99, st.max, st.mean, st.stddev,
			st.n ? st.p50 / ((double)group_call_bytes(g) / 4096.0) : 0.0, acq, rel,
			k->foll_pin ? "yes" : "no",
			audit_verdict_str(&res, verdict, sizeof(verdict)), k->chunk, k->threads);
	}
}

/* The p99 of the single calls of a -total group's setting (same op without -total). */
static double calls_p99(const struct groups *gs, size_t i)
{
	struct row key = gs->g[i].key;
	struct stats st;

	*strstr(key.op, "-total") = '\0';
	for (size_t j = 0; j < gs->n; j++)
		if (group_same_setting(&gs->g[j].key, &key, 1) && !group_stats(&gs->g[j], &st))
			return st.p99;
	return 0;
}

int summary_print_human(FILE *f, const struct groups *gs)
{
	int leaks = 0;
	const char *last = "";

	for (size_t i = 0; i < gs->n; i++) {
		const struct group *g = &gs->g[i];
		const struct row *k = &g->key;
		char sz[16], verdict[64] = "";
		struct stats st;

		if (!strcmp(k->op, "io"))
			continue;
		if (strcmp(last, k->method)) {
			fprintf(f, "%-6s %-11s %6s %11s %11s %11s %11s %10s  %s\n", "size", "op", "n",
				"p50 us", "p90 us", "min us", "max us", "ns/4K pg", "pin audit");
			last = k->method;
		}
		if (group_stats(g, &st))
			return leaks;
		if (!strcmp(k->op, "pin")) {
			struct audit_result res;

			summary_verdict(gs, i, &res);
			audit_verdict_str(&res, verdict, sizeof(verdict));
			if (res.verdict == AUDIT_LEAKED)
				leaks++;
		}
		fprintf(f, "%-6s %-11s %6zu %11.1f %11.1f %11.1f %11.1f %10.1f  %s%s\n",
			pb_fmt_size(k->size, sz, sizeof(sz)), k->op, st.n, st.p50 / 1e3, st.p90 / 1e3,
			st.min / 1e3, st.max / 1e3, st.n ? st.p50 / ((double)group_call_bytes(g) / 4096.0) : 0.0,
			verdict, g->failed ? " (some calls failed)" : "");
		if (strstr(k->op, "-total") && st.n && st.p50 > 0)
			fprintf(f, "%-6s %-11s %6s %.2f GiB/s at p50 over %d thread%s, calls p99 %.1f us\n", "", "", "",
				(double)k->size / st.p50 * 1e9 / (1 << 30), k->threads, k->threads > 1 ? "s" : "",
				calls_p99(gs, i) / 1e3);
	}
	return leaks;
}

static void summary_usage(FILE *f)
{
	fprintf(f, "usage: pinbench summary [--out FILE] RESULT.csv...\n"
		   "Derives one line per setting (label, method, region, align, size, op) from\n"
		   "result rows: n, failed, min, p50, p90, p99, max, mean, stddev (ns), ns per\n"
		   "4 KiB page at p50, the summed pin counter deltas and the audit verdict.\n"
		   "Columns: " SUMMARY_COLUMNS "\n");
}

int cmd_summary(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct rowset rs = { 0 };
	struct groups gs;
	const char *out = NULL;
	struct outset set = { 0 };
	FILE *f = stdout;
	int c, rc = PB_EXIT_OK;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+ho:", lo, NULL)) != -1) {
		if (c == 'h') {
			summary_usage(stdout);
			return PB_EXIT_OK;
		}
		if (c == 'o') {
			out = optarg;
			continue;
		}
		pb_err("summary: unknown option '%s'; see pinbench summary --help", argv[optind - 1]);
		return PB_EXIT_USAGE;
	}
	if (optind == argc) {
		pb_err("summary: no result files given: pinbench summary results/LABEL/*.csv");
		return PB_EXIT_USAGE;
	}
	for (int i = optind; i < argc; i++)
		if (rowset_load(&rs, argv[i])) {
			rowset_free(&rs);
			return PB_EXIT_USAGE;
		}
	if (groups_build(&gs, &rs)) {
		pb_err("summary: out of memory");
		rowset_free(&rs);
		return PB_EXIT_FAIL;
	}
	if (out && !(f = outset_open(&set, out, NULL, 0))) {
		pb_err("summary: cannot write '%s': %m", out);
		rc = PB_EXIT_USAGE;
		goto done;
	}
	summary_write_csv(f, &gs);
	if (out && outset_commit(&set))
		rc = PB_EXIT_FAIL;
done:
	groups_free(&gs);
	rowset_free(&rs);
	return rc;
}
