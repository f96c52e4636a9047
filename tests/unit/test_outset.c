// SPDX-License-Identifier: GPL-2.0
/*
 * A set of output files is written all or nothing: committed, every member
 * is there and no temporary; a failure part way (while writing, or at the
 * rename of a later member) leaves none of the set; dropped, nothing; kept,
 * the temporaries (a run's rows).
 */
#include <errno.h>
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

#include "outset.h"

static char dir[64];

static const char *at(const char *name)
{
	static char path[4][128];
	static int i;

	i = (i + 1) % 4;
	snprintf(path[i], sizeof(path[i]), "%s/%s", dir, name);
	return path[i];
}

static int exists(const char *name)
{
	return access(at(name), F_OK) == 0;
}

/* Removes a folder member: its one file, then itself. */
static int clear_folder(const char *path)
{
	char f[160];

	snprintf(f, sizeof(f), "%s/data", path);
	unlink(f);
	return rmdir(path) && errno != ENOENT ? -errno : 0;
}

/* Three files and a folder, written. */
static void open_set(struct outset *s)
{
	const char *names[] = { "a.csv", "b.md", "c.csv" };
	char f[160];
	const char *tmp;
	FILE *d;

	memset(s, 0, sizeof(*s));
	assert_non_null(tmp = outset_mkdir(s, at("plot"), NULL, clear_folder));
	assert_string_equal(tmp, at(".plot.tmp"));
	snprintf(f, sizeof(f), "%s/data", tmp);
	assert_non_null(d = fopen(f, "w"));
	fputs("1 2\n", d);
	fclose(d);
	for (int i = 0; i < 3; i++) {
		FILE *o = outset_open(s, at(names[i]), NULL, 0);

		assert_non_null(o);
		fprintf(o, "%s\n", names[i]);
	}
	assert_true(exists(".a.csv.tmp") && exists(".b.md.tmp") && exists(".plot.tmp/data"));
}

static int nothing_left(void)
{
	return !exists("a.csv") && !exists("b.md") && !exists("c.csv") && !exists("plot") &&
	       !exists(".a.csv.tmp") && !exists(".b.md.tmp") && !exists(".c.csv.tmp") && !exists(".plot.tmp");
}

static void test_commit(void **state)
{
	struct outset s;

	(void)state;
	open_set(&s);
	assert_false(exists("a.csv"));
	assert_int_equal(outset_commit(&s), 0);
	assert_true(exists("a.csv") && exists("b.md") && exists("c.csv") && exists("plot/data"));
	assert_false(exists(".a.csv.tmp") || exists(".plot.tmp"));
	/* Again: the old folder is replaced, the old files overwritten. */
	open_set(&s);
	assert_int_equal(outset_commit(&s), 0);
	assert_true(exists("plot/data") && !exists(".plot.tmp"));
	clear_folder(at("plot"));
	unlink(at("a.csv"));
	unlink(at("b.md"));
	unlink(at("c.csv"));
	assert_true(nothing_left());
}

/* A writer fails after two of the files: dropped, none of the set is there. */
static void test_fail_while_writing(void **state)
{
	struct outset s;

	(void)state;
	open_set(&s);
	outset_drop(&s, 0);
	assert_true(nothing_left());
	assert_int_equal(s.n, 0);
}

/* The third file cannot be renamed (a folder holds its name): the first two go again. */
static void test_fail_at_rename(void **state)
{
	struct outset s;
	char f[160];
	FILE *x;

	(void)state;
	assert_int_equal(mkdir(at("c.csv"), 0755), 0);
	snprintf(f, sizeof(f), "%s/keep", at("c.csv"));
	assert_non_null(x = fopen(f, "w"));
	fclose(x);
	open_set(&s);
	assert_true(outset_commit(&s) < 0);
	assert_false(exists("a.csv") || exists("b.md") || exists("plot"));
	assert_false(exists(".a.csv.tmp") || exists(".b.md.tmp") || exists(".c.csv.tmp") || exists(".plot.tmp"));
	assert_true(exists("c.csv/keep"));	/* not ours: untouched */
	unlink(f);
	rmdir(at("c.csv"));
	assert_true(nothing_left());
}

/* A stream that cannot be written fails the commit before anything is renamed. */
static void test_fail_at_close(void **state)
{
	struct outset s;
	FILE *f;

	(void)state;
	open_set(&s);
	assert_non_null(f = outset_open(&s, at("d.csv"), NULL, 0));
	/* Read-only now: the write fails, as on a full disk. */
	assert_ptr_equal(freopen(NULL, "r", f), f);
	assert_int_equal(fputs("x", f), EOF);
	assert_true(outset_commit(&s) < 0);
	assert_true(nothing_left());
	assert_false(exists("d.csv") || exists(".d.csv.tmp"));
}

/* keep: a dropped or failed set leaves its temporaries (rows of a run); OUTSET_EXCL refuses another writer's. */
static void test_keep_and_excl(void **state)
{
	struct outset s = { 0 }, t = { 0 };
	FILE *f;

	(void)state;
	assert_non_null(f = outset_open(&s, at("r.csv"), at("r.csv.partial"), OUTSET_EXCL));
	fputs("row\n", f);
	assert_null(outset_open(&t, at("r.csv"), at("r.csv.partial"), OUTSET_EXCL));
	assert_int_equal(errno, EEXIST);
	assert_int_equal(t.n, 0);
	outset_drop(&s, 1);
	assert_true(exists("r.csv.partial") && !exists("r.csv"));
	unlink(at("r.csv.partial"));

	/* A failed rename with keep set: the temporary stays for the user. */
	assert_int_equal(mkdir(at("r.csv"), 0755), 0);
	assert_non_null(f = fopen(at("r.csv/x"), "w"));
	fclose(f);
	s.keep = 1;
	assert_non_null(f = outset_open(&s, at("r.csv"), at("r.csv.partial"), OUTSET_EXCL));
	fputs("row\n", f);
	assert_true(outset_commit(&s) < 0);
	assert_true(exists("r.csv.partial"));
	unlink(at("r.csv.partial"));
	unlink(at("r.csv/x"));
	rmdir(at("r.csv"));
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/pinbench-outset-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commit),
		cmocka_unit_test(test_fail_while_writing),
		cmocka_unit_test(test_fail_at_rename),
		cmocka_unit_test(test_fail_at_close),
		cmocka_unit_test(test_keep_and_excl),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
