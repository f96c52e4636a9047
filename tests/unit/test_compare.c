// SPDX-License-Identifier: GPL-2.0
/*
 * pinbench compare on synthetic data with known ratios: a 2x change must be
 * flagged with an interval holding 2, no change must not be flagged, the
 * same seed must give the same interval; settings in one set only are
 * listed; and the command writes nothing when it refuses its input.
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

#include "commands.h"
#include "report.h"
#include "pb.h"
#include "pinkind.h"
#include "results.h"

/* A small deterministic generator, so the samples are the same every run. */
static uint64_t lcg = 1;

static double uniform(void)
{
	lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(lcg >> 11) / 9007199254740992.0;
}

/* n rows of one setting: ns = median * (0.9 .. 1.1), one in ten slow (x1.5). */
static void add_rows(struct rowset *rs, const char *label, const char *method,
		     const char *region, const char *backing, uint64_t align, uint64_t size,
		     const char *op, double median, int n, const char *status)
{
	for (int i = 0; i < n; i++) {
		struct row r;

		memset(&r, 0, sizeof(r));
		snprintf(r.label, sizeof(r.label), "%s", label);
		snprintf(r.kernel, sizeof(r.kernel), "6.1.0-%s", label);
		snprintf(r.method, sizeof(r.method), "%s", method);
		snprintf(r.region, sizeof(r.region), "%s", region);
		snprintf(r.backing, sizeof(r.backing), "%s", backing);
		r.align = align;
		r.node = 0;
		r.size = size;
		r.rep = i;
		snprintf(r.op, sizeof(r.op), "%s", op);
		r.ns = (uint64_t)(median * (0.9 + 0.2 * uniform()) * (i % 10 == 9 ? 1.5 : 1.0));
		snprintf(r.status, sizeof(r.status), "%s", status);
		r.pins_acq = r.pins_rel = -1;
		r.boot_seq = r.boot = -1;
		r.foll_pin = pinkind_foll_pin(method) != 0;
		if (rs->n == rs->cap) {
			rs->cap = rs->cap ? rs->cap * 2 : 256;
			rs->rows = realloc(rs->rows, rs->cap * sizeof(*rs->rows));
			assert_non_null(rs->rows);
		}
		rs->rows[rs->n++] = r;
	}
}

static const struct cmp_pair *find_pair(const struct comparison *c, size_t vs, const char *region,
					uint64_t size)
{
	for (size_t i = 0; i < c->vs[vs].npairs; i++) {
		const struct row *k = &c->vs[vs].pairs[i].a->key;

		if (!strcmp(k->region, region) && k->size == size)
			return &c->vs[vs].pairs[i];
	}
	return NULL;
}

/* before vs after: devdax 2M twice as fast after, anon unchanged. */
static void two_sets(struct rowset *rs, int n)
{
	lcg = 1;
	memset(rs, 0, sizeof(*rs));
	add_rows(rs, "before", "rdma", "devdax", "/dev/dax0.0", 2 * PB_MIB, PB_GIB, "pin", 2e6, n, "ok");
	add_rows(rs, "before", "rdma", "anon", "anon", 4096, PB_GIB, "pin", 5e6, n, "ok");
	/* Another device on the other kernel: still the same setting. */
	add_rows(rs, "after", "rdma", "devdax", "/dev/dax1.0", 2 * PB_MIB, PB_GIB, "pin", 1e6, n, "ok");
	add_rows(rs, "after", "rdma", "anon", "anon", 4096, PB_GIB, "pin", 5e6, n, "ok");
}

static void test_known_ratios(void **state)
{
	struct cmp_opts o = { .seed = CMP_DEFAULT_SEED, .iters = 2000 };
	struct comparison c;
	struct rowset rs;
	const struct cmp_pair *dax, *anon;

	(void)state;
	two_sets(&rs, 100);
	assert_int_equal(compare_build(&c, &rs, &o), 0);
	assert_int_equal(c.nlabels, 2);
	assert_string_equal(c.labels[0].name, "before");
	assert_int_equal(c.nvs, 1);
	assert_int_equal(c.vs[0].npairs, 2);
	assert_int_equal(c.vs[0].nonly, 0);

	/* Twice as fast: ratio 0.5, flagged, the interval holds 0.5 (i.e. 2x). */
	dax = find_pair(&c, 0, "devdax", PB_GIB);
	assert_non_null(dax);
	assert_float_equal(dax->ci.ratio, 0.5, 0.03);
	assert_true(dax->ci.lo <= 0.5 && dax->ci.hi >= 0.5);
	assert_true(dax->ci.hi < 1.0);
	assert_true(dax->ci.significant);

	/* Same distribution: not flagged, the interval holds 1. */
	anon = find_pair(&c, 0, "anon", PB_GIB);
	assert_non_null(anon);
	assert_float_equal(anon->ci.ratio, 1.0, 0.05);
	assert_true(anon->ci.lo <= 1.0 && anon->ci.hi >= 1.0);
	assert_false(anon->ci.significant);
	assert_int_equal(c.vs[0].nsignificant, 1);

	/* Biggest change first. */
	assert_ptr_equal(&c.vs[0].pairs[0], dax);
	compare_free(&c);

	/* The other way round: after as the baseline, before is 2x slower. */
	o.baseline = "after";
	assert_int_equal(compare_build(&c, &rs, &o), 0);
	assert_string_equal(c.labels[0].name, "after");
	dax = find_pair(&c, 0, "devdax", PB_GIB);
	assert_non_null(dax);
	assert_float_equal(dax->ci.ratio, 2.0, 0.1);
	assert_true(dax->ci.lo <= 2.0 && dax->ci.hi >= 2.0);
	assert_true(dax->ci.lo > 1.0);
	assert_true(dax->ci.significant);
	compare_free(&c);
	rowset_free(&rs);
}

/* Many unchanged settings: about 5% may be flagged by chance, not many more. */
static void test_no_difference_rarely_flagged(void **state)
{
	struct cmp_opts o = { .seed = 7, .iters = 1000 };
	struct comparison c;
	struct rowset rs = { 0 };

	(void)state;
	lcg = 3;
	for (uint64_t size = 4096; size <= PB_GIB; size *= 2) {
		add_rows(&rs, "a", "vfio", "thp", "thp", 2 * PB_MIB, size, "pin", 1e4, 50, "ok");
		add_rows(&rs, "b", "vfio", "thp", "thp", 2 * PB_MIB, size, "pin", 1e4, 50, "ok");
		add_rows(&rs, "a", "vfio", "thp", "thp", 2 * PB_MIB, size, "unpin", 3e3, 50, "ok");
		add_rows(&rs, "b", "vfio", "thp", "thp", 2 * PB_MIB, size, "unpin", 3e3, 50, "ok");
	}
	assert_int_equal(compare_build(&c, &rs, &o), 0);
	assert_int_equal(c.vs[0].npairs, 38);
	assert_true(c.vs[0].nsignificant <= 5);
	compare_free(&c);
	rowset_free(&rs);
}

static void test_same_seed_same_interval(void **state)
{
	struct cmp_opts o = { .seed = 42, .iters = 500 };
	struct comparison c1, c2, c3;
	struct rowset rs;
	const struct cmp_pair *p1, *p2, *p3;

	(void)state;
	two_sets(&rs, 30);
	assert_int_equal(compare_build(&c1, &rs, &o), 0);
	assert_int_equal(compare_build(&c2, &rs, &o), 0);
	o.seed = 43;
	assert_int_equal(compare_build(&c3, &rs, &o), 0);
	p1 = find_pair(&c1, 0, "anon", PB_GIB);
	p2 = find_pair(&c2, 0, "anon", PB_GIB);
	p3 = find_pair(&c3, 0, "anon", PB_GIB);
	assert_true(p1 && p2 && p3);
	assert_true(p1->ci.lo == p2->ci.lo && p1->ci.hi == p2->ci.hi);
	assert_true(p1->ci.ratio == p3->ci.ratio);
	assert_true(p1->ci.lo != p3->ci.lo || p1->ci.hi != p3->ci.hi);
	compare_free(&c1);
	compare_free(&c2);
	compare_free(&c3);
	rowset_free(&rs);
}

static void test_only_in_one_set(void **state)
{
	struct cmp_opts o = { .seed = 1, .iters = 200 };
	struct comparison c;
	struct rowset rs;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	two_sets(&rs, 20);
	/* before only: a size; after only: a region; after: a setting that always failed. */
	add_rows(&rs, "before", "rdma", "devdax", "/dev/dax0.0", 2 * PB_MIB, 2 * PB_MIB, "pin", 1e4, 20, "ok");
	add_rows(&rs, "after", "rdma", "hugetlb", "hugetlbfs", PB_GIB, PB_GIB, "pin", 1e6, 20, "ok");
	add_rows(&rs, "before", "rdma", "thp", "thp", 2 * PB_MIB, PB_GIB, "pin", 1e6, 20, "ok");
	add_rows(&rs, "after", "rdma", "thp", "thp", 2 * PB_MIB, PB_GIB, "pin", 0, 20, "ENOMEM");
	assert_int_equal(compare_build(&c, &rs, &o), 0);
	assert_int_equal(c.vs[0].npairs, 2);
	assert_int_equal(c.vs[0].nonly, 3);
	for (size_t i = 0; i < c.vs[0].nonly; i++) {
		const struct cmp_only *x = &c.vs[0].only[i];

		if (!strcmp(x->cell->key.region, "devdax")) {
			assert_int_equal(x->label, 0);
			assert_int_equal(x->cell->key.size, 2 * PB_MIB);
			assert_false(x->failed);
		} else if (!strcmp(x->cell->key.region, "hugetlb")) {
			assert_int_equal(x->label, 1);
			assert_false(x->failed);
		} else {
			assert_string_equal(x->cell->key.region, "thp");
			assert_int_equal(x->label, 1);
			assert_true(x->failed);
			assert_int_equal(x->cell->failed, 20);
		}
	}

	/* The report lists them. */
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(compare_write_report(&c, f, NULL, 0), 0);
	fclose(f);
	assert_non_null(strstr(buf, "| before | rdma | devdax | 2M | 2M | pin | 20 | 0 | not measured in after |"));
	assert_non_null(strstr(buf, "| after | rdma | hugetlb | 1G | 1G | pin | 20 | 0 | not measured in before |"));
	assert_non_null(strstr(buf, "every call failed (ENOMEM)"));
	assert_non_null(strstr(buf, "`/dev/dax0.0` (node 0) in before, `/dev/dax1.0` (node 0) in after"));
	assert_non_null(strstr(buf, "### rdma, align 2M"));
	free(buf);
	compare_free(&c);
	rowset_free(&rs);
}

/* Give the last n rows the same pin counter deltas. */
static void set_pins(struct rowset *rs, int n, int64_t acq, int64_t rel)
{
	for (size_t i = rs->n - (size_t)n; i < rs->n; i++) {
		rs->rows[i].pins_acq = acq;
		rs->rows[i].pins_rel = rel;
	}
}

/* A kernel that starts leaking shows in the comparison, setting by setting. */
static void test_audit_verdicts(void **state)
{
	struct cmp_opts o = { .seed = 1, .iters = 100 };
	struct comparison c;
	struct rowset rs = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	/* 2M devdax: 512 pages pinned per call, released by unpin in before, not all in after. */
	add_rows(&rs, "before", "rdma", "devdax", "/dev/dax0.0", 2 * PB_MIB, 2 * PB_MIB, "pin", 1e4, 10, "ok");
	set_pins(&rs, 10, 512, 0);
	add_rows(&rs, "before", "rdma", "devdax", "/dev/dax0.0", 2 * PB_MIB, 2 * PB_MIB, "unpin", 1e3, 10, "ok");
	set_pins(&rs, 10, 0, 512);
	add_rows(&rs, "after", "rdma", "devdax", "/dev/dax0.0", 2 * PB_MIB, 2 * PB_MIB, "pin", 1e4, 10, "ok");
	set_pins(&rs, 10, 512, 0);
	add_rows(&rs, "after", "rdma", "devdax", "/dev/dax0.0", 2 * PB_MIB, 2 * PB_MIB, "unpin", 1e3, 10, "ok");
	set_pins(&rs, 10, 0, 511);
	/* A setting balanced under both labels is counted, not listed. */
	add_rows(&rs, "before", "iouring", "anon", "anon", 4096, 4096, "pin", 1e3, 10, "ok");
	set_pins(&rs, 10, 1, 0);
	add_rows(&rs, "before", "iouring", "anon", "anon", 4096, 4096, "unpin", 1e3, 10, "ok");
	set_pins(&rs, 10, 0, 1);
	add_rows(&rs, "after", "iouring", "anon", "anon", 4096, 4096, "pin", 1e3, 10, "ok");
	set_pins(&rs, 10, 1, 0);
	add_rows(&rs, "after", "iouring", "anon", "anon", 4096, 4096, "unpin", 1e3, 10, "ok");
	set_pins(&rs, 10, 0, 1);

	assert_int_equal(compare_build(&c, &rs, &o), 0);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(compare_write_report(&c, f, NULL, 0), 0);
	fclose(f);
	assert_non_null(strstr(buf, "## Pin audit"));
	assert_non_null(strstr(buf, "| rdma | devdax | 2M | 2M | balanced | leaked 10 pages |"));
	assert_null(strstr(buf, "| iouring | anon |"));
	assert_non_null(strstr(buf, "1 settings with the same verdict under every label and no leak."));
	free(buf);
	compare_free(&c);
	rowset_free(&rs);
}

static void test_refused(void **state)
{
	struct cmp_opts o = { .seed = 1, .iters = 100 };
	struct comparison c;
	struct rowset rs = { 0 };

	(void)state;
	add_rows(&rs, "only", "rdma", "anon", "anon", 4096, 4096, "pin", 1e3, 5, "ok");
	assert_int_equal(compare_build(&c, &rs, &o), -EINVAL);	/* one label */
	o.allow_single = 1;
	assert_int_equal(compare_build(&c, &rs, &o), 0);	/* fine for plot data */
	assert_int_equal(c.nvs, 0);
	compare_free(&c);
	o.allow_single = 0;
	add_rows(&rs, "other", "vfio", "anon", "anon", 4096, 4096, "pin", 1e3, 5, "ok");
	assert_int_equal(compare_build(&c, &rs, &o), -EINVAL);	/* nothing in common */
	o.baseline = "nosuch";
	assert_int_equal(compare_build(&c, &rs, &o), -EINVAL);
	rowset_free(&rs);
}

/* ---- the command: files in, report out, or nothing written ---- */

static char tmpdir[64];

static void write_set(const char *name, const struct rowset *rs, const char *label)
{
	char path[256], line[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "# label: %s\n%s\n", label, RESULTS_COLUMNS);
	for (size_t i = 0; i < rs->n; i++) {
		if (strcmp(rs->rows[i].label, label))
			continue;
		assert_int_equal(results_format_row(line, sizeof(line), &rs->rows[i]), 0);
		fprintf(f, "%s\n", line);
	}
	fclose(f);
}

static int run(const char *a1, const char *a2, const char *a3)
{
	char out[128];
	char *argv[8] = { "compare", "--quiet", "--iters", "200", "--out", out };
	int argc = 6;

	snprintf(out, sizeof(out), "%s/out", tmpdir);
	argv[argc++] = (char *)a1;
	if (a2)
		argv[argc++] = (char *)a2;
	if (a3)
		argv[argc++] = (char *)a3;
	return cmd_compare(argc, argv);
}

static int exists(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/out/%s", tmpdir, name);
	return access(path, F_OK) == 0;
}

static off_t file_size(const char *name)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/out/%s", tmpdir, name);
	return stat(path, &st) ? -1 : st.st_size;
}

static void test_command(void **state)
{
	struct rowset rs;
	char a[128], b[128], d[128], partial[128];
	off_t good;
	FILE *f;

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/pinbench-compare-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	two_sets(&rs, 20);
	write_set("before.csv", &rs, "before");
	write_set("after.csv", &rs, "after");
	snprintf(a, sizeof(a), "%s/before.csv", tmpdir);
	snprintf(b, sizeof(b), "%s/after.csv", tmpdir);

	/* Refused: one label, an unreadable file. Nothing written. */
	assert_int_equal(run(a, NULL, NULL), PB_EXIT_USAGE);
	assert_false(exists("report.md"));
	assert_int_equal(run(a, "/nonexistent/x.csv", NULL), PB_EXIT_USAGE);
	assert_false(exists("report.md"));

	/* Works; a second, refused run leaves the first report whole. */
	assert_int_equal(run(a, b, NULL), PB_EXIT_OK);
	assert_true(exists("report.md"));
	assert_true(exists("compare.csv"));
	assert_true(exists("plot/labels.tsv"));
	assert_true(exists("plot/lat-L0-rdma-pin.dat"));
	assert_true(exists("plot/ratio-L1-rdma-pin.dat"));
	assert_false(exists(".report.md.tmp"));
	good = file_size("report.md");
	assert_true(good > 0);
	assert_int_equal(run(b, NULL, NULL), PB_EXIT_USAGE);
	assert_int_equal(file_size("report.md"), good);

	/* A folder: its *.csv, a .partial noted and skipped. */
	snprintf(d, sizeof(d), "%s/sets", tmpdir);
	assert_int_equal(mkdir(d, 0755), 0);
	snprintf(partial, sizeof(partial), "%s/sets/x.csv.partial", tmpdir);
	f = fopen(partial, "w");
	assert_non_null(f);
	fputs("garbage\n", f);
	fclose(f);
	assert_int_equal(run(d, NULL, NULL), PB_EXIT_USAGE);	/* no *.csv in it */
	assert_int_equal(run(a, d, NULL), PB_EXIT_USAGE);
	{
		char to[160];

		snprintf(to, sizeof(to), "%s/sets/after.csv", tmpdir);
		assert_int_equal(rename(b, to), 0);
	}
	assert_int_equal(run(a, d, NULL), PB_EXIT_OK);

	rowset_free(&rs);
	/* Clean up: the generated files only. */
	{
		static const char *const names[] = {
			"out/report.md", "out/compare.csv", "out/plot/labels.tsv",
			"out/plot/lat-L0-rdma-pin.dat", "out/plot/lat-L1-rdma-pin.dat",
			"out/plot/ratio-L1-rdma-pin.dat", "sets/x.csv.partial", "sets/after.csv",
			"before.csv",
		};
		char path[256];

		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			snprintf(path, sizeof(path), "%s/%s", tmpdir, names[i]);
			unlink(path);
		}
		snprintf(path, sizeof(path), "%s/out/plot", tmpdir);
		rmdir(path);
		snprintf(path, sizeof(path), "%s/out", tmpdir);
		rmdir(path);
		rmdir(d);
		rmdir(tmpdir);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_ratios),
		cmocka_unit_test(test_no_difference_rarely_flagged),
		cmocka_unit_test(test_same_seed_same_interval),
		cmocka_unit_test(test_only_in_one_set),
		cmocka_unit_test(test_audit_verdicts),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_command),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
