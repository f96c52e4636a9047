// SPDX-License-Identifier: GPL-2.0
/* Job files of `pinbench sweep`: parsing, [global] inheritance, errors naming FILE:LINE, keys. */
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

#include "jobfile.h"
#include "pb.h"
#include "sweep_plan.h"

static char errbuf[4096];

/* Parse text as file t.job with stderr caught into errbuf. */
static int parse(struct jobfile *jf, const char *text)
{
	FILE *tmp = tmpfile();
	int saved, rc;
	size_t n;

	assert_non_null(tmp);
	fflush(stderr);
	saved = dup(2);
	dup2(fileno(tmp), 2);
	rc = jobfile_parse(jf, "t.job", text);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(errbuf, 1, sizeof(errbuf) - 1, tmp);
	errbuf[n] = '\0';
	fclose(tmp);
	return rc;
}

static void expect_error(const char *text, const char *says)
{
	struct jobfile jf;

	if (!parse(&jf, text)) {
		jobfile_free(&jf);
		fail_msg("accepted:\n%s", text);
	}
	if (!strstr(errbuf, says))
		fail_msg("error '%s' lacks '%s' for:\n%s", errbuf, says, text);
}

static void test_parse_and_inherit(void **state)
{
	static const char text[] =
		"# a comment\n"
		"; another\n"
		"[global]\n"
		"reps = 3      # per size\n"
		"sizes=2M,64M\r\n"
		"\n"
		"[first]\n"
		"methods = rdma,vfio\n"
		"[second]\n"
		"  reps = 7\n"
		"breakdown\n"
		"no-audit = no\n";
	const struct job_kv *kv;
	struct jobfile jf;

	(void)state;
	assert_int_equal(parse(&jf, text), 0);
	assert_int_equal(jf.njobs, 2);
	assert_string_equal(jf.jobs[0].name, "first");
	assert_int_equal(jf.jobs[0].line, 7);
	assert_string_equal(job_get(&jf.jobs[0], "reps", &kv), "3");
	assert_int_equal(kv->line, 4);
	assert_true(kv->inherited);
	assert_string_equal(job_get(&jf.jobs[0], "sizes", NULL), "2M,64M");
	assert_string_equal(job_get(&jf.jobs[0], "methods", NULL), "rdma,vfio");
	assert_null(job_get(&jf.jobs[0], "breakdown", NULL));

	assert_string_equal(job_get(&jf.jobs[1], "reps", &kv), "7");
	assert_int_equal(kv->line, 10);
	assert_false(kv->inherited);
	assert_null(job_get(&jf.jobs[1], "methods", NULL));
	assert_string_equal(job_get(&jf.jobs[1], "breakdown", NULL), "1");
	assert_string_equal(job_get(&jf.jobs[1], "no-audit", NULL), "0");

	/* --set overrides every job, file values and inherited ones alike. */
	assert_int_equal(jobfile_set(&jf, "reps=9"), 0);
	assert_string_equal(job_get(&jf.jobs[0], "reps", &kv), "9");
	assert_int_equal(kv->line, 0);
	assert_string_equal(job_get(&jf.jobs[1], "reps", NULL), "9");
	assert_int_equal(jobfile_set(&jf, "label=after"), 0);
	assert_string_equal(job_get(&jf.jobs[1], "label", NULL), "after");
	jobfile_free(&jf);

	assert_true(jobfile_sweep_key("sizes-1g"));
	assert_false(jobfile_sweep_key("reps"));
}

static void test_errors_name_the_line(void **state)
{
	(void)state;
	expect_error("[global]\nreps = 3\n\n[a]\nmethods\n", "t.job:5: key 'methods' needs a value");
	expect_error("reps = 3\n[a]\n", "t.job:1: key 'reps' before any section");
	expect_error("[a]\n[b\n", "t.job:2: malformed section header");
	expect_error("[a] x\n", "t.job:1: malformed section header");
	expect_error("[]\n", "t.job:1: section name ''");
	expect_error("[a/b]\n", "t.job:1: section name 'a/b'");
	expect_error("[a]\n[a]\n", "t.job:2: job [a] is defined twice (line 1 first)");
	expect_error("[a]\nreps = 1\nreps = 2\n", "t.job:3: reps is set twice in [a] (line 2 first)");
	expect_error("[global]\n[a]\n[global]\n", "t.job:3: [global] after a job");
	expect_error("[a]\n= 5\n", "t.job:2: '=' without a key");
	expect_error("[a]\nReps = 5\n", "t.job:2: 'Reps' is not a key");
	expect_error("[a]\nbreakdown = maybe\n", "t.job:2: breakdown = maybe: breakdown is on or off");
	expect_error("[global]\nreps = 1\n", "t.job: no job");
	expect_error("", "t.job: no job");
}

static void test_unknown_keys(void **state)
{
	struct jobfile jf;

	(void)state;
	expect_error("[a]\nrep = 3\n", "t.job:2: unknown key 'rep': did you mean reps?");
	expect_error("[a]\nsize = 2M\n", "did you mean sizes");
	expect_error("[a]\nrdma-acess = local-write\n", "did you mean rdma-access");
	expect_error("[a]\nfrobnicate = 1\n", "t.job:2: unknown key 'frobnicate': use regions, methods");
	/* Options the sweep sets itself say what to write instead. */
	expect_error("[a]\nregion = anon\n", "t.job:2: key 'region' is not for job files: use regions");
	expect_error("[a]\nmethod = rdma\n", "use methods");
	expect_error("[a]\nout = x.csv\n", "set outdir and label instead");

	assert_int_equal(parse(&jf, "[a]\nreps = 1\n"), 0);
	assert_int_not_equal(jobfile_set(&jf, "rps=2"), 0);
	jobfile_free(&jf);
}

/* Values are checked by the plan, each error at its key's line. */
static void expect_plan_error(const char *text, const char *says)
{
	struct sweep_plan p;
	struct jobfile jf;
	FILE *tmp = tmpfile();
	int saved, rc;
	size_t n;

	assert_int_equal(parse(&jf, text), 0);
	fflush(stderr);
	saved = dup(2);
	dup2(fileno(tmp), 2);
	rc = sweep_plan_build(&p, &jf, "pinbench");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(errbuf, 1, sizeof(errbuf) - 1, tmp);
	errbuf[n] = '\0';
	fclose(tmp);
	jobfile_free(&jf);
	if (!rc) {
		sweep_plan_free(&p);
		fail_msg("plan accepted:\n%s", text);
	}
	assert_int_equal(rc, PB_EXIT_USAGE);
	if (!strstr(errbuf, says))
		fail_msg("error '%s' lacks '%s'", errbuf, says);
}

/* Does --plan print LINE? */
static int plan_has(const struct sweep_plan *p, const struct jobfile *jf, const char *line)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int found;

	assert_non_null(f);
	sweep_plan_print(p, jf, f);
	fclose(f);
	found = strstr(buf, line) != NULL;
	free(buf);
	return found;
}

static void test_plan(void **state)
{
	struct sweep_plan p;
	struct jobfile jf;
	const struct sweep_setting *s;
	int reps_at = -1;

	(void)state;
	assert_int_equal(parse(&jf, "[global]\nreps = 2\n[a]\nregions = anon\nmethods = iouring,odirect\n"
				    "sizes = 4K,2M\nwarmup = 0\nlabel = L\noutdir = /x\n"), 0);
	assert_int_equal(sweep_plan_build(&p, &jf, "pinbench"), 0);
	assert_int_equal(p.n, 2);
	s = &p.s[1];
	assert_string_equal(s->method, "odirect");
	assert_string_equal(s->region, "anon");
	assert_string_equal(s->sizes, "4K,2M");
	assert_string_equal(s->slug, "odirect-anon");
	assert_string_equal(p.jobs[0].dir, "/x/L");
	assert_string_equal(s->argv[0], "pinbench");
	assert_string_equal(s->argv[1], "run");
	for (int i = 0; i < s->argc; i++)
		if (!strcmp(s->argv[i], "--reps"))
			reps_at = i;
	assert_true(reps_at > 0);
	assert_string_equal(s->argv[reps_at + 1], "2");
	assert_string_equal(s->argv[s->argc - 2], "--warmup");
	assert_string_equal(s->argv[s->argc - 1], "0");
	assert_null(s->argv[s->argc]);
	sweep_plan_free(&p);
	jobfile_free(&jf);

	/* Every job names what it sweeps; G gives the lines 1-4 each case below relies on. */
#define G "[global]\nregions = anon\nmethods = iouring\nsizes = 2M\n"
	expect_plan_error("[a]\nregions = anon\nmethods = iouring\n", "t.job:1: [a] has no sizes: every job names");
	expect_plan_error("[global]\nsizes = 2M\n[a]\nmethods = iouring\n", "t.job:3: [a] has no regions");
	expect_plan_error(G "[a]\nmethods = iouring,frob\n", "t.job:6: methods = iouring,frob: unknown method 'frob'");
	expect_plan_error(G "reps = many\n[a]\n", "t.job:5: reps = many: --reps 'many' is not a whole number");
	expect_plan_error(G "[a]\nregions = anon,,thp\n", "t.job:6: regions = anon,,thp: empty element");
	expect_plan_error(G "[a]\nregions = bogus\n", "t.job:6: regions = bogus: unknown region kind 'bogus'");
	expect_plan_error(G "[a]\nsizes = 3X\n", "t.job:6: sizes = 3X:");
	expect_plan_error(G "[a]\nlabel = ../up\n", "t.job:6: label = ../up:");
	expect_plan_error(G "[a]\nthreads = 5000\n", "t.job:6: threads = 5000: --threads 5000 is out of range");

	/* A method's own option goes to that method's runs only, and needs the method in the job. */
	assert_int_equal(parse(&jf, G "[a]\nmethods = odirect,null\nio-size = 64K\n"), 0);
	assert_int_equal(sweep_plan_build(&p, &jf, "pinbench"), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.s[0].method, "odirect");
	assert_string_equal(p.s[0].argv[p.s[0].argc - 2], "--io-size");
	assert_string_equal(p.s[1].method, "null");
	assert_string_equal(p.s[1].argv[p.s[1].argc - 1], "--quiet");
	sweep_plan_free(&p);
	jobfile_free(&jf);
	expect_plan_error(G "[a]\nrdma-dev = rxe0\n", "t.job:6: rdma-dev is an option of method rdma, which this job does not run (methods = iouring)");

	/* sizes-1g falls back to sizes, reps to pinbench run's default. */
	assert_int_equal(parse(&jf, G "[a]\n"), 0);
	assert_int_equal(sweep_plan_build(&p, &jf, "pinbench"), 0);
	assert_true(plan_has(&p, &jf, "job\ta\tsizes-1g\t2M\n"));
	assert_true(plan_has(&p, &jf, "job\ta\treps\t10\n"));
	sweep_plan_free(&p);
	jobfile_free(&jf);
#undef G
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_and_inherit),
		cmocka_unit_test(test_errors_name_the_line),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_plan),
	};

	return cmocka_run_group_tests_name("jobfile", tests, NULL, NULL);
}
