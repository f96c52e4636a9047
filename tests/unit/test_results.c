// SPDX-License-Identifier: GPL-2.0
/* Result files: what is written reads back the same, old formats too; bad files are refused. */
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

#include "driver.h"
#include "group.h"
#include "pinkind.h"
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
	strcpy(r.boot_id, "0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b");
	r.boot_seq = 2;
	r.foll_pin = 1;
	r.boot = -1;
	return r;
}

static void test_roundtrip(void **state)
{
	struct row in = sample_row(), out;
	char line[1024], why[128];

	(void)state;
	assert_int_equal(results_format_row(line, sizeof(line), &in), 0);
	assert_string_equal(line, "before,6.1.0-28-amd64,iouring,devdax,/dev/dax0.1,2097152,1,67108864,3,pin,123456,ok,16384,,2097152,2,1,7,"
			    "0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b,2,yes");
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
	/* No boot in the line; the kind from the method's name. */
	assert_string_equal(out.boot_id, "");
	assert_int_equal(out.boot_seq, -1);
	assert_int_equal(out.foll_pin, 1);
	assert_int_equal(results_parse_row_v2("l,k,gup-fast,anon,x,4096,1,4096,3,pin,123,ok,,,0,1,0,0", &out, why,
					      sizeof(why)), 0);
	assert_int_equal(out.foll_pin, 0);
	/* A format 1 line is short for format 3, and the other way round. */
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
		{ "l,k,m,r,b,4096,0,4096,0,pin,12,ok,,,0,1,0,0,extra,b00t,1,yes", "more than" },
		{ "l,k,m,r,b,4096,0,0,0,pin,12,ok,,,0,1,0,0,b00t,1,yes", "size" },
		{ "l,k,m,r,b,4096,0,4096,0,pin,-12,ok,,,0,1,0,0,b00t,1,yes", "ns" },
		{ "l,k,m,r,b,4K,0,4096,0,pin,12,ok,,,0,1,0,0,b00t,1,yes", "align" },
		{ "l,k,m,r,b,4096,x,4096,0,pin,12,ok,,,0,1,0,0,b00t,1,yes", "node" },
		{ "l,k,m,r,b,4096,0,4096,-1,pin,12,ok,,,0,1,0,0,b00t,1,yes", "rep" },
		{ ",k,m,r,b,4096,0,4096,0,pin,12,ok,,,0,1,0,0,b00t,1,yes", "label" },
		{ "l,k,m,r,b,4096,0,4096,0,pin,12,ok,1x,,0,1,0,0,b00t,1,yes", "pins_acq" },
		/* Counter deltas never go negative (found by fuzz_csv). */
		{ "l,k,m,r,b,4096,0,4096,0,pin,12,ok,0,-12,0,1,0,0,b00t,1,yes", "pins_rel" },
		{ "l,k,m,r,\"b,4096,0,4096,0,pin,12,ok,,,0,1,0,0,b00t,1,yes", "quoted" },
		{ "l,k,m,r,b,4096,0,4096,0,pin,12,ok,,,0,0,0,0,b00t,1,yes", "threads" },
		{ "l,k,m,r,b,4096,0,4096,0,pin,12,ok,,,2M,1,0,0,b00t,1,yes", "chunk" },
		{ "l,k,m,r,b,4096,0,4096,0,pin,12,ok,,,0,1,-2,0,b00t,1,yes", "thread" },
		{ "l,k,m,r,b\"x,4096,0,4096,0,pin,12,ok,,,0,1,0,0,b00t,1,yes", "quoted" },
		{ "l,k,m,r,b,4096,0,4096,0,pin,12,ok,,,0,1,0,0,b00t,-2,yes", "boot_seq" },
		{ "l,k,m,r,b,4096,0,4096,0,pin,12,ok,,,0,1,0,0,b00t,1,maybe", "foll_pin" },
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

/* The line of r as a format VERSION file writes it: the columns of that version only. */
static void line_of(const struct row *r, int version, char *line, size_t len)
{
	int cut = version == 1 ? 7 : version == 2 ? 3 : 0;

	assert_int_equal(results_format_row(line, len, r), 0);
	while (cut--)
		*strrchr(line, ',') = '\0';
}

/*
 * A file before format 3 reads as the same rows as its format 3 rewrite:
 * boot_id and boot_seq from its metadata, foll_pin from the method's name;
 * without '# boot_id' the boot is left to the folder (empty).
 */
static void test_old_file_reads_the_same(void **state)
{
	static const char *const methods[] = { "rdma", "gup-fast", "rdma-odp", "vfio", "a-future-one" };
	char line[1024];

	(void)state;
	for (int version = 1; version <= 2; version++)
		for (int with_boot = 0; with_boot < 2; with_boot++) {
			char *old = NULL, *now = NULL;
			size_t oldlen = 0, nowlen = 0;
			FILE *fo = open_memstream(&old, &oldlen), *fn = open_memstream(&now, &nowlen);
			struct rowset a = { 0 }, b = { 0 };

			fprintf(fo, "# pinbench_format: %d\n# label: before\n", version);
			if (with_boot)
				fprintf(fo, "# boot_id: 0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b\n# boot_seq: 2\n");
			fprintf(fo, "%s\n", version == 1 ? RESULTS_COLUMNS_V1 : RESULTS_COLUMNS_V2);
			fprintf(fn, "# pinbench_format: 3\n%s\n", RESULTS_COLUMNS);
			for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
				struct row r = sample_row();

				strcpy(r.method, methods[m]);
				r.rep = (int)m;
				r.foll_pin = strcmp(methods[m], "gup-fast") && strcmp(methods[m], "rdma-odp");
				if (version == 1) {
					r.chunk = 0;
					r.threads = 1;
					r.thread = r.call = 0;
				}
				if (!with_boot) {
					r.boot_id[0] = '\0';
					r.boot_seq = -1;
				}
				line_of(&r, version, line, sizeof(line));
				fprintf(fo, "%s\n", line);
				line_of(&r, 3, line, sizeof(line));
				fprintf(fn, "%s\n", line);
			}
			fclose(fo);
			fclose(fn);
			fo = fmemopen(old, oldlen, "r");
			fn = fmemopen(now, nowlen, "r");
			assert_int_equal(rowset_load_stream(&a, fo, "old"), 0);
			assert_int_equal(rowset_load_stream(&b, fn, "now"), 0);
			assert_int_equal(a.n, 5);
			assert_int_equal(b.n, a.n);
			assert_memory_equal(a.rows, b.rows, a.n * sizeof(*a.rows));
			assert_int_equal(a.rows[0].boot_seq, with_boot ? 2 : -1);
			assert_int_equal(a.rows[1].foll_pin, 0);
			fclose(fo);
			fclose(fn);
			free(old);
			free(now);
			rowset_free(&a);
			rowset_free(&b);
		}
}

/* The name table of old files says what each driver it knows says of itself. */
static void test_pinkind_matches_drivers(void **state)
{
	int known = 0;

	(void)state;
	for (int i = 0; pin_drivers[i]; i++) {
		int k = pinkind_foll_pin(pin_drivers[i]->name);

		if (k < 0)
			continue;	/* newer than format 3: its rows carry foll_pin */
		known++;
		if (k != !!(pin_drivers[i]->flags & PIN_FOLL_PIN))
			fail_msg("pinkind.c says %s %s FOLL_PIN; its driver says otherwise", pin_drivers[i]->name,
				 k ? "pins with" : "does not pin with");
	}
	assert_true(known >= 9);
	assert_int_equal(pinkind_foll_pin("a-future-one"), -1);
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
		cmocka_unit_test(test_old_file_reads_the_same),
		cmocka_unit_test(test_pinkind_matches_drivers),
	};

	return cmocka_run_group_tests_name("results", tests, NULL, NULL);
}
