// SPDX-License-Identifier: GPL-2.0
/* Result files: what is written reads back the same; bad files are refused. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <zlib.h>

#include "group.h"
#include "results.h"

static struct row sample_row(void)
{
	struct row r = { 0 };

	strcpy(r.label, "before");
	strcpy(r.kernel, "6.1.0-28-amd64");
	strcpy(r.method, "iouring");
	strcpy(r.region, "devdax");
	strcpy(r.backing, "/dev/dax0.1");
	r.align = 2 << 20;
	r.node = 1;
	r.size = 64 << 20;
	r.rep = 3;
	strcpy(r.op, "pin");
	r.ns = 123456;
	strcpy(r.status, "ok");
	r.pins_acq = 16384;
	r.pins_rel = -1;
	r.chunk = 2 << 20;
	r.threads = 2;
	r.thread = 1;
	r.call = 7;
	return r;
}

static void test_roundtrip(void **state)
{
	struct row in = sample_row(), out;
	char line[1024], why[128];

	(void)state;
	assert_int_equal(results_format_row(line, sizeof(line), &in), 0);
	assert_string_equal(line, "before,6.1.0-28-amd64,iouring,devdax,/dev/dax0.1,2097152,1,67108864,3,pin,123456,ok,16384,,2097152,2,1,7");
	assert_int_equal(results_parse_row(line, &out, why, sizeof(why)), 0);
	assert_memory_equal(&in, &out, sizeof(in));
}

/* Format 1 rows (no chunk, threads, thread, call) still read, as one call of one thread. */
static void test_format1(void **state)
{
	struct row out;
	char why[128];

	(void)state;
	assert_int_equal(results_parse_row_v1("l,k,rdma,devdax,/dev/dax0.1,2097152,1,67108864,3,pin,123,ok,512,", &out,
					      why, sizeof(why)), 0);
	assert_int_equal(out.chunk, 0);
	assert_int_equal(out.threads, 1);
	assert_int_equal(out.thread, 0);
	assert_int_equal(out.call, 0);
	assert_int_equal(out.pins_acq, 512);
	/* A format 1 line is short for format 2, and the other way round. */
	assert_int_equal(results_parse_row("l,k,rdma,devdax,x,4096,1,4096,3,pin,123,ok,,", &out, why, sizeof(why)),
			 -EINVAL);
	assert_int_equal(results_parse_row_v1("l,k,rdma,devdax,x,4096,1,4096,3,pin,123,ok,,,0,1,0,0", &out, why,
					      sizeof(why)), -EINVAL);
}

/* FILE.gz reads back the same rows as FILE (committed sets are kept compressed). */
static void test_gzip(void **state)
{
	char path[] = "/tmp/pinbench-test-gz-XXXXXX", gz[64], line[1024];
	struct rowset a = { 0 }, b = { 0 };
	struct row r = sample_row();
	gzFile z;
	FILE *f;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	snprintf(gz, sizeof(gz), "%s.gz", path);
	assert_non_null(z = gzopen(gz, "wb"));
	fprintf(f, "# pinbench_format: 2\n%s\n", RESULTS_COLUMNS);
	gzprintf(z, "# pinbench_format: 2\n%s\n", RESULTS_COLUMNS);
	for (int i = 0; i < 300; i++) {
		r.rep = i;
		r.ns = 1000 + (uint64_t)i;
		assert_int_equal(results_format_row(line, sizeof(line), &r), 0);
		fprintf(f, "%s\n", line);
		gzprintf(z, "%s\n", line);
	}
	fclose(f);
	gzclose(z);
	assert_int_equal(rowset_load(&a, path), 0);
	assert_int_equal(rowset_load(&b, gz), 0);
	assert_int_equal(a.n, 300);
	assert_int_equal(b.n, a.n);
	assert_memory_equal(a.rows, b.rows, a.n * sizeof(*a.rows));
	rowset_free(&a);
	rowset_free(&b);
	/* A .gz that is not gzip is read as it is, and refused as any bad file is. */
	f = fopen(gz, "w");
	fprintf(f, "not a result file\n");
	fclose(f);
	assert_int_equal(rowset_load(&b, gz), -EINVAL);
	rowset_free(&b);
	unlink(path);
	unlink(gz);
}

static void test_quoting(void **state)
{
	struct row in = sample_row(), out;
	char line[1024], why[128];

	(void)state;
	strcpy(in.backing, "/mnt/pmem/a,\"b\"");
	assert_int_equal(results_format_row(line, sizeof(line), &in), 0);
	assert_non_null(strstr(line, "\"/mnt/pmem/a,\"\"b\"\"\""));
	assert_int_equal(results_parse_row(line, &out, why, sizeof(why)), 0);
	assert_string_equal(out.backing, in.backing);
}

static void test_bad_rows(void **state)
{
	static const struct {
		const char *line;
		const char *says;
	} bad[] = {
		{ "a,b,c", "3 fields" },
		{ "l,k,m,r,b,4096,0,4096,0,pin,12,ok,,,0,1,0,0,extra", "more than" },
		{ "l,k,m,r,b,4096,0,0,0,pin,12,ok,,,0,1,0,0", "size" },
		{ "l,k,m,r,b,4096,0,4096,0,pin,-12,ok,,,0,1,0,0", "ns" },
		{ "l,k,m,r,b,4K,0,4096,0,pin,12,ok,,,0,1,0,0", "align" },
		{ "l,k,m,r,b,4096,x,4096,0,pin,12,ok,,,0,1,0,0", "node" },
		{ "l,k,m,r,b,4096,0,4096,-1,pin,12,ok,,,0,1,0,0", "rep" },
		{ ",k,m,r,b,4096,0,4096,0,pin,12,ok,,,0,1,0,0", "label" },
		{ "l,k,m,r,b,4096,0,4096,0,pin,12,ok,1x,,0,1,0,0", "pins_acq" },
		/* Counter deltas never go negative (found by fuzz_csv). */
		{ "l,k,m,r,b,4096,0,4096,0,pin,12,ok,0,-12,0,1,0,0", "pins_rel" },
		{ "l,k,m,r,\"b,4096,0,4096,0,pin,12,ok,,,0,1,0,0", "quoted" },
		{ "l,k,m,r,b,4096,0,4096,0,pin,12,ok,,,0,0,0,0", "threads" },
		{ "l,k,m,r,b,4096,0,4096,0,pin,12,ok,,,2M,1,0,0", "chunk" },
		{ "l,k,m,r,b,4096,0,4096,0,pin,12,ok,,,0,1,-2,0", "thread" },
		{ "l,k,m,r,b\"x,4096,0,4096,0,pin,12,ok,,,0,1,0,0", "quoted" },
	};
	char why[128];
	struct row r;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		assert_int_equal(results_parse_row(bad[i].line, &r, why, sizeof(why)), -EINVAL);
		if (!strstr(why, bad[i].says))
			fail_msg("'%s': '%s' lacks '%s'", bad[i].line, why, bad[i].says);
	}
}

static void test_file_write_read(void **state)
{
	char dir[] = "/tmp/pinbench-test-XXXXXX", path[256];
	struct results_out out;
	struct rowset rs = { 0 };
	struct groups gs;
	struct row r = sample_row();

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sub/x.csv", dir);
	assert_int_equal(results_open(&out, path), 0);
	results_meta(&out, "label", "%s", "before");
	results_header(&out);
	for (int i = 0; i < 5; i++) {
		r.rep = i;
		r.ns = 1000 * (uint64_t)(i + 1);
		assert_int_equal(results_row(&out, &r), 0);
	}
	/* Rows are on disk under the partial name before completion. */
	assert_int_equal(access(out.tmp, F_OK), 0);
	assert_int_not_equal(access(path, F_OK), 0);
	assert_int_equal(results_commit(&out), 0);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_not_equal(access(out.tmp, F_OK), 0);

	assert_int_equal(rowset_load(&rs, path), 0);
	assert_int_equal(rs.n, 5);
	assert_int_equal(groups_build(&gs, &rs), 0);
	assert_int_equal(gs.n, 1);
	assert_int_equal(gs.g[0].n, 5);
	assert_int_equal(gs.g[0].pins_acq, 5 * 16384);
	assert_int_equal(gs.g[0].pins_rel, -1);
	groups_free(&gs);
	rowset_free(&rs);

	/* A file that exists is never overwritten. */
	assert_int_equal(results_open(&out, path), -EEXIST);
	unlink(path);
	snprintf(path, sizeof(path), "%s/sub", dir);
	rmdir(path);
	rmdir(dir);
}

static void test_abandon(void **state)
{
	char dir[] = "/tmp/pinbench-test-XXXXXX", path[256];
	struct results_out out;
	struct row r = sample_row();

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a.csv", dir);
	/* No rows: nothing left behind. */
	assert_int_equal(results_open(&out, path), 0);
	results_header(&out);
	results_abandon(&out, 1);
	assert_int_not_equal(access(out.tmp, F_OK), 0);
	/* Rows and keep: the partial file stays. */
	assert_int_equal(results_open(&out, path), 0);
	results_header(&out);
	assert_int_equal(results_row(&out, &r), 0);
	results_abandon(&out, 1);
	assert_int_equal(access(out.tmp, F_OK), 0);
	assert_int_not_equal(access(path, F_OK), 0);
	unlink(out.tmp);
	rmdir(dir);
}

static void test_header_checked(void **state)
{
	const char *text = "# x: y\nlabel,kernel,method\nl,k,m\n";
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct rowset rs = { 0 };

	(void)state;
	assert_int_equal(rowset_load_stream(&rs, f, "mem"), -EINVAL);
	fclose(f);
	rowset_free(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_format1),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_bad_rows),
		cmocka_unit_test(test_file_write_read),
		cmocka_unit_test(test_abandon),
		cmocka_unit_test(test_header_checked),
	};

	return cmocka_run_group_tests_name("results", tests, NULL, NULL);
}
