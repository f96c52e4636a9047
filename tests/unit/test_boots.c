// SPDX-License-Identifier: GPL-2.0
/*
 * Boots on synthetic data: a drift between boots that a reps-only bootstrap
 * calls significant and the hierarchical one (boots, then reps) does not; a
 * real 2x change that stays significant over boots; boots that disagree
 * beyond their own intervals are flagged, boots that agree are not; boot
 * metadata, host.txt records and --exclude-boots, through the command too;
 * the drift rule on calibrate.txt records (start, end, end over start,
 * the threshold either way, a label that would lose its last boot, another
 * loop version), through the command too. No timing anywhere.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "boots.h"
#include "commands.h"
#include "report.h"
#include "pb.h"
#include "results.h"

static uint64_t lcg = 1;
/* Rows name their boot by index (row.boot); these tests need no boot records. */
static const struct pb_boots no_boots;

static double uniform(void)
{
	lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(lcg >> 11) / 9007199254740992.0;
}

/* n rows of one boot of one setting: ns = median * (0.99 .. 1.01). */
static void add_boot(struct rowset *rs, const char *label, int boot, double median, int n)
{
	for (int i = 0; i < n; i++) {
		struct row r;

		memset(&r, 0, sizeof(r));
		snprintf(r.label, sizeof(r.label), "%s", label);
		snprintf(r.kernel, sizeof(r.kernel), "6.1.0-%s", label);
		snprintf(r.method, sizeof(r.method), "rdma");
		snprintf(r.region, sizeof(r.region), "devdax");
		snprintf(r.backing, sizeof(r.backing), "/dev/dax0.0");
		r.align = 2 * PB_MIB;
		r.size = PB_GIB;
		r.rep = i;
		snprintf(r.op, sizeof(r.op), "pin");
		r.ns = (uint64_t)(median * (0.99 + 0.02 * uniform()));
		snprintf(r.status, sizeof(r.status), "ok");
		r.pins_acq = r.pins_rel = -1;
		r.boot = boot;
		assert_int_equal(rowset_push(rs, &r), 0);
	}
}

/*
 * Each kernel booted three times; the boots drift (100, 120, 140 and 110,
 * 130, 150: the host got busier from boot to boot), 20 tight reps each. The
 * pooled medians differ by 8%, which the reps-only bootstrap, blind to boots,
 * calls significant; resampling boots shows it is within the drift.
 */
static void test_drift_not_significant_over_boots(void **state)
{
	struct cmp_opts o = { .seed = CMP_DEFAULT_SEED, .iters = 2000 };
	struct comparison c;
	struct rowset rs = { 0 };
	const struct cmp_pair *p;

	(void)state;
	lcg = 3;
	add_boot(&rs, "before", 0, 100e6, 20);
	add_boot(&rs, "before", 1, 120e6, 20);
	add_boot(&rs, "before", 2, 140e6, 20);
	add_boot(&rs, "after", 3, 110e6, 20);
	add_boot(&rs, "after", 4, 130e6, 20);
	add_boot(&rs, "after", 5, 150e6, 20);
	o.boots = &no_boots;
	assert_int_equal(compare_build(&c, &rs, &o), 0);
	assert_true(c.hier);
	assert_int_equal(c.vs[0].npairs, 1);
	p = &c.vs[0].pairs[0];
	assert_true(p->hier);
	assert_int_equal(p->a->split.n, 3);
	assert_int_equal(p->b->split.n, 3);
	assert_float_equal(p->ci.ratio, 130.0 / 120.0, 0.02);
	assert_float_equal(p->reps.ratio, p->ci.ratio, 1e-12);
	/* Reps only: a narrow interval above 1, "significant". */
	assert_true(p->reps.significant);
	assert_true(p->reps.lo > 1.0);
	/* Over boots: the interval holds 1. */
	assert_false(p->ci.significant);
	assert_true(p->ci.lo < 1.0 && p->ci.hi > 1.0);
	assert_true(p->ci.hi - p->ci.lo > 3 * (p->reps.hi - p->reps.lo));
	/* The boots of each side lie outside each other's intervals. */
	assert_true(p->a->split.disagree);
	assert_true(p->b->split.disagree);
	assert_float_equal(p->a->split.min_p50, 100e6, 2e6);
	assert_float_equal(p->a->split.max_p50, 140e6, 2e6);
	assert_int_equal(c.vs[0].nsignificant, 0);
	compare_free(&c);
	rowset_free(&rs);
}

/* A real 2x change with small drift stays significant over boots; agreeing boots are not flagged. */
static void test_real_change_survives(void **state)
{
	struct cmp_opts o = { .seed = 11, .iters = 2000 };
	struct comparison c;
	struct rowset rs = { 0 };
	const struct cmp_pair *p;

	(void)state;
	lcg = 5;
	add_boot(&rs, "before", 0, 200e6, 5);
	add_boot(&rs, "before", 1, 201e6, 5);
	add_boot(&rs, "before", 2, 200e6, 5);
	add_boot(&rs, "after", 3, 100e6, 5);
	add_boot(&rs, "after", 4, 100.5e6, 5);
	add_boot(&rs, "after", 5, 100e6, 5);
	o.boots = &no_boots;
	assert_int_equal(compare_build(&c, &rs, &o), 0);
	p = &c.vs[0].pairs[0];
	assert_true(p->hier);
	assert_float_equal(p->ci.ratio, 0.5, 0.01);
	assert_true(p->ci.significant);
	assert_true(p->ci.lo <= 0.5 && p->ci.hi >= 0.5 && p->ci.hi < 0.6);
	assert_false(p->a->split.disagree);
	assert_false(p->b->split.disagree);
	compare_free(&c);

	/* The same seed gives the same interval. */
	struct comparison c2;

	assert_int_equal(compare_build(&c, &rs, &o), 0);
	assert_int_equal(compare_build(&c2, &rs, &o), 0);
	assert_true(c.vs[0].pairs[0].ci.lo == c2.vs[0].pairs[0].ci.lo);
	assert_true(c.vs[0].pairs[0].ci.hi == c2.vs[0].pairs[0].ci.hi);
	compare_free(&c);
	compare_free(&c2);
	rowset_free(&rs);
}

/* One boot a side: the reps-only interval, exactly as without boots. */
static void test_one_boot_is_reps_only(void **state)
{
	struct cmp_opts o = { .seed = 9, .iters = 500 };
	struct comparison c, plain;
	struct rowset rs = { 0 };

	(void)state;
	lcg = 7;
	add_boot(&rs, "before", 0, 100e6, 10);
	add_boot(&rs, "after", 1, 90e6, 10);
	o.boots = &no_boots;
	assert_int_equal(compare_build(&c, &rs, &o), 0);
	o.boots = NULL;
	assert_int_equal(compare_build(&plain, &rs, &o), 0);
	assert_false(c.hier);
	assert_false(c.vs[0].pairs[0].hier);
	assert_true(c.vs[0].pairs[0].ci.lo == plain.vs[0].pairs[0].ci.lo);
	assert_true(c.vs[0].pairs[0].ci.hi == plain.vs[0].pairs[0].ci.hi);
	compare_free(&c);
	compare_free(&plain);
	rowset_free(&rs);
}

static void test_exclude_parse_and_host(void **state)
{
	struct pb_boots bt = { 0 };
	struct pb_boot b;

	(void)state;
	assert_int_equal(boots_set_exclude(&bt, "busy,compound:3,4,0123abcd"), 0);
	assert_int_equal(bt.nexcl, 4);
	boots_free(&bt);
	assert_int_equal(boots_set_exclude(&bt, ""), -EINVAL);
	boots_free(&bt);
	assert_int_equal(boots_set_exclude(&bt, "busy,,3"), -EINVAL);
	boots_free(&bt);
	assert_int_equal(boots_set_exclude(&bt, "loaded"), -EINVAL);	/* not a boot name */
	boots_free(&bt);
	assert_int_equal(boots_set_exclude(&bt, "abc"), -EINVAL);	/* too short for an id */
	boots_free(&bt);

	memset(&b, 0, sizeof(b));
	boots_parse_host(&b, "boot_seq: 2\nsummary: load 1.9, others 1.2 CPUs\nbusy: yes, another guest (qemu pid 77)\n");
	assert_true(b.has_host);
	assert_true(b.busy);
	assert_string_equal(b.host, "load 1.9, others 1.2 CPUs");
	assert_string_equal(b.busy_why, "another guest (qemu pid 77)");
	memset(&b, 0, sizeof(b));
	boots_parse_host(&b, "summary: quiet\r\nbusy: no\r\n");
	assert_false(b.busy);
	assert_string_equal(b.host, "quiet");
}

/* Boots with calibrations (s), in a pb_boots of their own. */
static void cal_boot(struct pb_boots *bt, const char *label, const char *work, double start,
		     double end)
{
	struct pb_boot *b;

	bt->b = realloc(bt->b, (bt->n + 1) * sizeof(*bt->b));
	assert_non_null(bt->b);
	b = &bt->b[bt->n];
	memset(b, 0, sizeof(*b));
	b->seq = (int)++bt->n;
	snprintf(b->label, sizeof(b->label), "%s", label);
	if (start > 0 || end > 0) {
		b->has_cal = 1;
		b->cal_start = start * 1e9;
		b->cal_end = end * 1e9;
		snprintf(b->cal_work, sizeof(b->cal_work), "%s", work);
	}
}

static void test_drift_rule(void **state)
{
	struct pb_boots bt = { 0 };

	(void)state;
	cal_boot(&bt, "a", "w1", 1.00, 1.02);	/* 0: quiet */
	cal_boot(&bt, "b", "w1", 0.99, 1.01);	/* 1: quiet */
	cal_boot(&bt, "a", "w1", 1.00, 1.00);	/* 2: quiet */
	cal_boot(&bt, "b", "w1", 1.00, 1.30);	/* 3: end 1.3x the median */
	cal_boot(&bt, "a", "w1", 0.92, 1.10);	/* 4: each within 15%, but end 1.2x start */
	cal_boot(&bt, "b", "w1", 0.85, 0.86);	/* 5: faster: 1/0.85 = 1.18 */
	cal_boot(&bt, "a", "w1", 1.14, 1.14);	/* 6: just inside */
	cal_boot(&bt, "a", "w1", 0, 0);		/* 7: no calibrate.txt */
	cal_boot(&bt, "c", "w1", 1.50, 1.50);	/* 8: drifted, but c's only boot */
	cal_boot(&bt, "b", "w2", 3.00, 3.10);	/* 9: another loop: its own median */
	cal_boot(&bt, "b", "w1", 1.00, 1.00);	/* 10: quiet */
	assert_int_equal(boots_mark_drift(&bt, 0.15), 3);
	assert_true(bt.has_cal);
	/* The median of the 18 w1 values: 1.00. */
	assert_float_equal(bt.b[0].cal_median, 1.00e9, 1);
	assert_float_equal(bt.b[3].cal_re, 1.30, 1e-9);
	for (int i = 0; i < 3; i++)
		assert_false(bt.b[i].drifted);
	assert_true(bt.b[3].drifted && bt.b[3].drift_out);
	assert_string_equal(bt.b[3].drift_why, "end 1.30x the run's median");
	assert_true(bt.b[4].drifted && bt.b[4].drift_out);
	assert_string_equal(bt.b[4].drift_why, "end 1.20x its start");
	assert_true(bt.b[5].drifted && bt.b[5].drift_out);
	assert_string_equal(bt.b[5].drift_why, "start 0.85x the run's median");
	assert_false(bt.b[6].drifted);
	assert_false(bt.b[7].drifted);
	assert_true(bt.b[7].cal_median == 0);
	assert_true(bt.b[8].drifted);
	assert_false(bt.b[8].drift_out);	/* c would have no boot left */
	assert_true(bt.b[8].drift_kept);
	assert_true(boots_used(&bt.b[8]));
	assert_float_equal(bt.b[9].cal_median, 3.05e9, 1);
	assert_false(bt.b[9].drifted);
	assert_false(boots_used(&bt.b[3]));

	/* A wider threshold keeps more; 0 marks nothing but still gives the ratios. */
	for (size_t i = 0; i < bt.n; i++)
		bt.b[i].drifted = bt.b[i].drift_out = bt.b[i].drift_kept = 0;
	assert_int_equal(boots_mark_drift(&bt, 0.25), 1);
	assert_true(bt.b[3].drift_out);
	assert_false(bt.b[4].drifted);
	assert_false(bt.b[5].drifted);
	for (size_t i = 0; i < bt.n; i++)
		bt.b[i].drifted = bt.b[i].drift_out = bt.b[i].drift_kept = 0;
	assert_int_equal(boots_mark_drift(&bt, 0), 0);
	for (size_t i = 0; i < bt.n; i++)
		assert_false(bt.b[i].drifted);
	assert_float_equal(bt.b[3].cal_re, 1.30, 1e-9);
	assert_true(bt.drift_thr == 0);

	/* A boot already excluded (--exclude-boots) is marked but not counted again. */
	for (size_t i = 0; i < bt.n; i++)
		bt.b[i].drifted = bt.b[i].drift_out = bt.b[i].drift_kept = 0;
	bt.b[3].excluded = 1;
	assert_int_equal(boots_mark_drift(&bt, 0.15), 2);
	assert_true(bt.b[3].drifted);
	assert_false(bt.b[3].drift_out);
	boots_free(&bt);
}

static void test_parse_cal(void **state)
{
	struct pb_boot b;

	(void)state;
	memset(&b, 0, sizeof(b));
	snprintf(b.id, sizeof(b.id), "906e506e-3905-44f4-b641-25aaa9e9d3e3");
	boots_parse_cal(&b, "start boot_id=11111111-0000 uptime_s=9 calibrate: ns=900 rounds=5 work=w1\n"
			    "start boot_id=906e506e-3905-44f4-b641-25aaa9e9d3e3 uptime_s=20.5 calibrate: ns=400000000 rounds=5 min_ns=1 max_ns=2 work=w1 checksum=00\n"
			    "garbage\n"
			    "end boot_id=906e506e-3905-44f4-b641-25aaa9e9d3e3 uptime_s=700 calibrate: ns=440000000 rounds=5 work=w1\r\n");
	assert_true(b.has_cal);
	assert_float_equal(b.cal_start, 400e6, 0.5);	/* not the other boot's line */
	assert_float_equal(b.cal_end, 440e6, 0.5);
	assert_string_equal(b.cal_work, "w1");
	/* Without a boot_id on either side: the last start and end count. */
	memset(&b, 0, sizeof(b));
	boots_parse_cal(&b, "start: calibrate: ns=5 work=w\nstart: calibrate: ns=7 work=w\n");
	assert_true(b.has_cal);
	assert_float_equal(b.cal_start, 7, 0);
	assert_true(b.cal_end == 0);
	/* Nothing of this boot: no calibration. */
	memset(&b, 0, sizeof(b));
	snprintf(b.id, sizeof(b.id), "aaaaaaaa-bbbb");
	boots_parse_cal(&b, "start boot_id=cccccccc-dddd calibrate: ns=5 work=w\nmiddle calibrate: ns=9 work=w\n");
	assert_false(b.has_cal);
}

/* ---- through files and the command ---- */

static char tmpdir[128];

static void write_boot(const char *label, int seq, const char *id, double median, const char *busy)
{
	char dir[256], path[300];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/r%d/%s", tmpdir, seq, label);
	assert_int_equal(pb_mkdir_p(dir), 0);
	snprintf(path, sizeof(path), "%s/x-rdma-devdax.csv", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "# label: %s\n", label);
	if (id)
		fprintf(f, "# boot_id: %s\n# boot_seq: %d\n", id, seq);
	fprintf(f, "%s\n", RESULTS_COLUMNS_V1);	/* format 1 files still read */
	for (int i = 0; i < 8; i++)
		fprintf(f, "%s,k,rdma,devdax,/dev/dax0.0,2097152,0,1073741824,%d,pin,%.0f,ok,,\n", label,
			i, median * (0.99 + 0.02 * uniform()));
	fclose(f);
	if (busy) {
		snprintf(path, sizeof(path), "%s/host.txt", dir);
		f = fopen(path, "w");
		assert_non_null(f);
		fprintf(f, "summary: test\nbusy: %s\n", busy);
		fclose(f);
	}
}

static void write_cal(const char *label, int seq, const char *id, double start, double end)
{
	char path[300];
	FILE *f;

	snprintf(path, sizeof(path), "%s/r%d/%s/calibrate.txt", tmpdir, seq, label);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "start boot_id=%s uptime_s=30.1 calibrate: ns=%.0f rounds=5 work=walk1-4MiB-512K\n",
		id, start * 1e9);
	fprintf(f, "end boot_id=%s uptime_s=600.2 calibrate: ns=%.0f rounds=5 work=walk1-4MiB-512K\n",
		id, end * 1e9);
	fclose(f);
}

/* The boot of a file's rows, as compare finds it: one for every row. */
static int file_boot(struct pb_boots *bt, const char *path, const char *dir)
{
	struct rowset rs = { 0 };
	int idx;

	assert_int_equal(rowset_load(&rs, path), 0);
	assert_true(rs.n > 0);
	idx = boots_add_row(bt, &rs.rows[0], dir, 0);
	for (size_t i = 1; i < rs.n; i++)
		assert_int_equal(boots_add_row(bt, &rs.rows[i], dir, 0), idx);
	rowset_free(&rs);
	return idx;
}

static int run(int argc, char **argv)
{
	return cmd_compare(argc, argv);
}

static int out_has(const char *name, const char *needle)
{
	char path[300], buf[65536];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/out/%s", tmpdir, name);
	if (!(f = fopen(path, "r")))
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return strstr(buf, needle) != NULL;
}

static void test_files_and_command(void **state)
{
	char out[200], d[6][200];
	struct pb_boots bt = { 0 };
	int idx, rc;

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/pb-test-boots-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	lcg = 9;
	write_boot("before", 1, "11111111-aaaa-4bbb-8ccc-000000000001", 100e6, "no");
	write_boot("after", 2, "22222222-aaaa-4bbb-8ccc-000000000002", 60e6, "no");
	write_boot("before", 3, "33333333-aaaa-4bbb-8ccc-000000000003", 101e6, "no");
	write_boot("after", 4, "44444444-aaaa-4bbb-8ccc-000000000004", 61e6, "yes, another guest");
	for (int i = 0; i < 4; i++)
		snprintf(d[i], sizeof(d[i]), "%s/r%d/%s", tmpdir, i + 1, i % 2 ? "after" : "before");
	snprintf(out, sizeof(out), "%s/out", tmpdir);

	/* Boots from the rows (a format 1 file: its metadata), host records from the folder. */
	char f1[300];

	snprintf(f1, sizeof(f1), "%s/x-rdma-devdax.csv", d[3]);
	assert_int_equal(boots_set_exclude(&bt, "busy"), 0);
	idx = file_boot(&bt, f1, d[3]);
	assert_true(bt.b[idx].excluded);	/* busy */
	assert_int_equal(bt.b[idx].nfiles, 1);
	assert_int_equal(bt.b[idx].seq, 4);
	assert_string_equal(bt.b[idx].label, "after");
	assert_string_equal(bt.b[idx].busy_why, "another guest");
	assert_int_equal(boots_check_exclude(&bt), 0);
	boots_free(&bt);
	assert_int_equal(boots_set_exclude(&bt, "before:9"), 0);
	idx = file_boot(&bt, f1, d[3]);
	assert_false(bt.b[idx].excluded);
	assert_int_equal(boots_check_exclude(&bt), -EINVAL);	/* names no boot */
	boots_free(&bt);

	/* All four boots: a report over boots, boots.csv, the busy boot listed. */
	char *a1[] = { "compare", "--quiet", "--iters", "300", "--out", out, "--baseline", "before",
		       d[0], d[1], d[2], d[3] };
	assert_int_equal(run(12, a1), 0);
	assert_int_equal(out_has("report.md", "## Boots"), 1);
	assert_int_equal(out_has("report.md", "ratio [95% CI over boots]"), 1);
	assert_int_equal(out_has("report.md", "another guest"), 1);
	assert_int_equal(out_has("report.md", "--exclude-boots busy"), 1);
	assert_int_equal(out_has("boots.csv", "rdma,devdax,2097152,1073741824,pin,after,4,44444444"), 1);

	/* Busy boot excluded: noted, its rows gone (after keeps one boot). */
	char *a2[] = { "compare", "--quiet", "--iters", "300", "--out", out, "--exclude-boots", "busy",
		       "--baseline", "before", d[0], d[1], d[2], d[3] };
	assert_int_equal(run(14, a2), 0);
	assert_int_equal(out_has("report.md", "**excluded**"), 1);
	assert_int_equal(out_has("report.md", "1 boot(s) excluded"), 1);
	assert_int_equal(out_has("boots.csv", ",after,4,"), 0);

	/* A name that matches no boot: refused, nothing written. */
	char *a3[] = { "compare", "--quiet", "--out", out, "--exclude-boots", "before:7", d[0], d[1] };

	snprintf(f1, sizeof(f1), "rm -rf '%s'", out);
	assert_int_equal(system(f1), 0);
	rc = run(8, a3);
	assert_int_equal(rc, PB_EXIT_USAGE);
	assert_int_equal(access(out, F_OK), -1);
	char *a4[] = { "compare", "--quiet", "--out", out, "--exclude-boots", "busy,,1", d[0], d[1] };

	assert_int_equal(run(8, a4), PB_EXIT_USAGE);
	assert_int_equal(access(out, F_OK), -1);

	/* Old files without boot metadata: one pseudo-boot per folder, no boot sections. */
	snprintf(d[4], sizeof(d[4]), "%s/old/before", tmpdir);
	snprintf(d[5], sizeof(d[5]), "%s/old/after", tmpdir);
	write_boot("before", 5, NULL, 100e6, NULL);
	write_boot("after", 6, NULL, 50e6, NULL);
	snprintf(d[4], sizeof(d[4]), "%s/r5/before", tmpdir);
	snprintf(d[5], sizeof(d[5]), "%s/r6/after", tmpdir);
	char *a5[] = { "compare", "--quiet", "--iters", "300", "--out", out, d[4], d[5] };
	assert_int_equal(run(8, a5), 0);
	assert_int_equal(out_has("report.md", "## Boots"), 0);
	assert_int_equal(out_has("report.md", "| ratio [95% CI] |"), 1);
	assert_int_equal(out_has("boots.csv", "x"), -1);	/* not written */
	assert_int_equal(out_has("report.md", "Drift"), 0);

	/* Boots 1-4 have no calibrate.txt: no drift column, as before (above). */
	assert_int_equal(run(12, a1), 0);
	assert_int_equal(out_has("report.md", "Drift rule"), 0);
	assert_int_equal(out_has("report.md", "drifted"), 0);
	assert_int_equal(out_has("boots.csv", "calib_"), 0);

	/* With calibrate.txt: boot 3 ran 1.4x slow at its end, drifted and left out. */
	write_cal("before", 1, "11111111-aaaa-4bbb-8ccc-000000000001", 0.50, 0.51);
	write_cal("after", 2, "22222222-aaaa-4bbb-8ccc-000000000002", 0.50, 0.49);
	write_cal("before", 3, "33333333-aaaa-4bbb-8ccc-000000000003", 0.52, 0.70);
	write_cal("after", 4, "44444444-aaaa-4bbb-8ccc-000000000004", 0.50, 0.50);
	assert_int_equal(run(12, a1), 0);
	assert_int_equal(out_has("report.md", "| drifted | used |"), 1);
	assert_int_equal(out_has("report.md", "**Drift rule.**"), 1);
	assert_int_equal(out_has("report.md", "more than 15% away"), 1);
	assert_int_equal(out_has("report.md", "0.520 / 0.700 s (1.04 / 1.40) | **yes**: end 1.40x the run's median | **left out: drifted** |"), 1);
	assert_int_equal(out_has("report.md", "0.500 / 0.510 s (1.00 / 1.02) | no | yes |"), 1);
	assert_int_equal(out_has("report.md", "1 of 4 calibrated boot(s) drifted, 1 left out."), 1);
	assert_int_equal(out_has("boots.csv", ",disagree,calib_start_ns,calib_end_ns,calib_start_ratio,calib_end_ratio,drifted\n"), 1);
	assert_int_equal(out_has("boots.csv", ",before,1,11111111-aaaa-4bbb-8ccc-000000000001,8,"), 1);
	assert_int_equal(out_has("boots.csv", ",500000000,510000000,1.0000,1.0200,no\n"), 1);
	assert_int_equal(out_has("boots.csv", "\n,,,,,before,3,33333333-aaaa-4bbb-8ccc-000000000003,0,,,,,520000000,700000000,1.0400,1.4000,yes\n"), 1);
	assert_int_equal(out_has("boots.csv", ",before,3,33333333-aaaa-4bbb-8ccc-000000000003,8,"), 0);

	/* --drift-threshold 50: nothing drifted, boot 3 used; 0: no rule; bad values refused. */
	char *a6[] = { "compare", "--quiet", "--iters", "300", "--out", out, "--drift-threshold", "50%",
		       "--baseline", "before", d[0], d[1], d[2], d[3] };
	assert_int_equal(run(14, a6), 0);
	assert_int_equal(out_has("report.md", "0 of 4 calibrated boot(s) drifted"), 1);
	assert_int_equal(out_has("boots.csv", ",before,3,33333333-aaaa-4bbb-8ccc-000000000003,8,"), 1);
	a6[7] = "0";
	assert_int_equal(run(14, a6), 0);
	assert_int_equal(out_has("report.md", "No drift threshold was applied"), 1);
	assert_int_equal(out_has("report.md", "(1.04 / 1.40) | no |"), 0);
	assert_int_equal(out_has("report.md", "(1.04 / 1.40) | - | yes |"), 1);
	a6[7] = "-5";
	assert_int_equal(run(14, a6), PB_EXIT_USAGE);
	a6[7] = "15x";
	assert_int_equal(run(14, a6), PB_EXIT_USAGE);

	/* The busy boot 4 excluded too: after keeps boot 2, before keeps boot 1 (one boot a
	 * side: no intervals over boots, no boots.csv). */
	assert_int_equal(run(14, a2), 0);
	assert_int_equal(out_has("report.md", "| **excluded** |"), 1);
	assert_int_equal(out_has("report.md", "**left out: drifted**"), 1);
	assert_int_equal(out_has("report.md", "(1.00 / 1.00) | no | **excluded** |"), 1);

	snprintf(f1, sizeof(f1), "rm -rf '%s'", tmpdir);
	assert_int_equal(system(f1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drift_not_significant_over_boots),
		cmocka_unit_test(test_real_change_survives),
		cmocka_unit_test(test_one_boot_is_reps_only),
		cmocka_unit_test(test_exclude_parse_and_host),
		cmocka_unit_test(test_drift_rule),
		cmocka_unit_test(test_parse_cal),
		cmocka_unit_test(test_files_and_command),
	};

	pb_quiet = 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
