// SPDX-License-Identifier: GPL-2.0
/*
 * pinbench calibrate, the parts that do not depend on time: the loop's
 * checksum is fixed (the same work on every machine and kernel), a round
 * after a refill repeats it, the median of the rounds, the parser of the
 * 'calibrate:' line that pinbench compare reads back, and the command's own
 * line (its format, not its time).
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "calibrate.h"
#include "commands.h"
#include "pb.h"

static void test_checksum_fixed(void **state)
{
	uint64_t *buf = malloc(CAL_WORDS * sizeof(*buf));

	(void)state;
	assert_non_null(buf);
	cal_fill(buf, CAL_WORDS);
	assert_true(cal_work(buf, CAL_WORDS, CAL_STEPS) == CAL_CHECKSUM);
	/* The work writes the buffer: without a refill the next round differs, */
	assert_false(cal_work(buf, CAL_WORDS, CAL_STEPS) == CAL_CHECKSUM);
	/* with one it is the same round again. */
	cal_fill(buf, CAL_WORDS);
	assert_true(cal_work(buf, CAL_WORDS, CAL_STEPS) == CAL_CHECKSUM);
	/* The fill is a fixed sequence. */
	uint64_t first = buf[0];

	cal_fill(buf, CAL_WORDS);
	assert_false(buf[0] == first);	/* the work had changed word 0 */
	assert_true(buf[0] != 0 && buf[1] != buf[0]);
	free(buf);
}

static void test_median(void **state)
{
	uint64_t odd[] = { 50, 10, 40, 20, 30 };
	uint64_t even[] = { 7, 1, 5, 3 };
	uint64_t one[] = { 42 };
	uint64_t big[] = { UINT64_MAX, UINT64_MAX - 2 };
	uint64_t same[] = { 9, 9, 9 };

	(void)state;
	assert_int_equal(cal_median(odd, 5), 30);
	assert_int_equal(odd[0], 10);	/* sorted in place */
	assert_int_equal(odd[4], 50);
	assert_int_equal(cal_median(even, 4), 4);
	assert_int_equal(cal_median(one, 1), 42);
	assert_int_equal(cal_median(NULL, 0), 0);
	assert_true(cal_median(big, 2) == UINT64_MAX - 1);	/* no overflow */
	assert_int_equal(cal_median(same, 3), 9);
}

static void test_parse(void **state)
{
	struct cal_line c;

	(void)state;
	assert_int_equal(cal_parse("calibrate: ns=123456 rounds=5 min_ns=1 max_ns=999999 work=walk1-4MiB-512K checksum=00ff",
				   &c), 0);
	assert_true(c.ns == 123456);
	assert_int_equal(c.rounds, 5);
	assert_string_equal(c.work, "walk1-4MiB-512K");
	/* min_ns= before ns= is not ns= */
	assert_int_equal(cal_parse("start: calibrate: min_ns=7 ns=400 work=w2\n", &c), 0);
	assert_true(c.ns == 400);
	assert_int_equal(c.rounds, 0);
	assert_string_equal(c.work, "w2");
	assert_int_equal(cal_parse("calibrate: min_ns=7 work=w2", &c), -EINVAL);	/* no ns= */
	assert_int_equal(cal_parse("calibrate: ns=0 work=w", &c), -EINVAL);
	assert_int_equal(cal_parse("calibrate: ns=12x work=w", &c), -EINVAL);
	assert_int_equal(cal_parse("calibrate: ns=12 rounds=3", &c), -EINVAL);	/* no work= */
	assert_int_equal(cal_parse("ns=12 work=w", &c), -EINVAL);	/* not the line */
	assert_int_equal(cal_parse("calibrate: ns=12 work=0123456789012345678901234567890123456789", &c),
			 -EINVAL);
}

/* The command's line, from one short round: its keys and fixed parts. */
static void test_command_line(void **state)
{
	char path[] = "/tmp/pb-test-cal-XXXXXX", line[512], want[64];
	char *argv[] = { "calibrate", "--rounds", "1" };
	char *bad[] = { "calibrate", "--rounds", "0" };
	char *extra[] = { "calibrate", "x" };
	struct cal_line c;
	int fd = mkstemp(path), saved;
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	fflush(stdout);
	saved = dup(1);
	assert_true(saved >= 0);
	assert_int_equal(dup2(fd, 1), 1);
	int rc = cmd_calibrate(3, argv);

	fflush(stdout);
	assert_int_equal(dup2(saved, 1), 1);
	close(saved);
	close(fd);
	assert_int_equal(rc, PB_EXIT_OK);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	fclose(f);
	unlink(path);
	assert_int_equal(strncmp(line, "calibrate: ns=", 14), 0);
	assert_int_equal(cal_parse(line, &c), 0);
	assert_int_equal(c.rounds, 1);
	assert_string_equal(c.work, CAL_WORK);
	snprintf(want, sizeof(want), "checksum=%016" PRIx64 "\n", (uint64_t)CAL_CHECKSUM);
	assert_non_null(strstr(line, want));
	assert_int_equal(cmd_calibrate(3, bad), PB_EXIT_USAGE);
	assert_int_equal(cmd_calibrate(2, extra), PB_EXIT_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checksum_fixed),
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_command_line),
	};

	pb_quiet = 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
