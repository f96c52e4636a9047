// SPDX-License-Identifier: GPL-2.0
/* Size and size-list parsing (what --sizes, --io-size and friends accept), labels and file-name slugs. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pb.h"

static void test_single_sizes(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(pb_parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(pb_parse_size("4K", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(pb_parse_size("2m", &v), 0);
	assert_int_equal(v, 2 * PB_MIB);
	assert_int_equal(pb_parse_size("1G", &v), 0);
	assert_int_equal(v, PB_GIB);
	assert_int_equal(pb_parse_size("16GiB", &v), 0);
	assert_int_equal(v, 16 * PB_GIB);
	assert_int_equal(pb_parse_size("2MB", &v), 0);
	assert_int_equal(v, 2 * PB_MIB);
	assert_int_equal(pb_parse_size("1T", &v), 0);
	assert_int_equal(v, 1024 * PB_GIB);
}

static void test_bad_sizes(void **state)
{
	static const char *const bad[] = { "", "K", "-1", "1.5G", "2X", "2MBB", "1 G", "0x10", "G2", " 4K" };
	uint64_t v;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(pb_parse_size(bad[i], &v), -EINVAL);
	assert_int_equal(pb_parse_size("99999999999999999999", &v), -ERANGE);
	assert_int_equal(pb_parse_size("20000000000T", &v), -ERANGE);
	assert_int_equal(pb_parse_size(NULL, &v), -EINVAL);
}

static void test_format(void **state)
{
	char buf[16];

	(void)state;
	assert_string_equal(pb_fmt_size(4096, buf, sizeof(buf)), "4K");
	assert_string_equal(pb_fmt_size(2 * PB_MIB, buf, sizeof(buf)), "2M");
	assert_string_equal(pb_fmt_size(3 * PB_GIB, buf, sizeof(buf)), "3G");
	assert_string_equal(pb_fmt_size(1000, buf, sizeof(buf)), "1000");
	assert_string_equal(pb_fmt_size(1536 * PB_KIB, buf, sizeof(buf)), "1536K");
}

static void test_list_and_range(void **state)
{
	uint64_t v[PB_MAX_SIZES];
	char why[256];
	int n;

	(void)state;
	n = pb_parse_sizes("1G,2M,64M,2M", v, PB_MAX_SIZES, why, sizeof(why));
	assert_int_equal(n, 3);	/* sorted, duplicates dropped */
	assert_int_equal(v[0], 2 * PB_MIB);
	assert_int_equal(v[1], 64 * PB_MIB);
	assert_int_equal(v[2], PB_GIB);

	n = pb_parse_sizes("4K..16G", v, PB_MAX_SIZES, why, sizeof(why));
	assert_int_equal(n, 23);
	assert_int_equal(v[0], 4096);
	assert_int_equal(v[22], 16 * PB_GIB);

	n = pb_parse_sizes("2M..2M", v, PB_MAX_SIZES, why, sizeof(why));
	assert_int_equal(n, 1);

	n = pb_parse_sizes("4K..8K,1G", v, PB_MAX_SIZES, why, sizeof(why));
	assert_int_equal(n, 3);
	assert_int_equal(v[2], PB_GIB);
}

static void test_bad_lists(void **state)
{
	static const struct {
		const char *in;
		const char *says;
	} bad[] = {
		{ "", "no sizes" },
		{ "1G..2M", "backwards" },
		{ "3M..1G", "powers of two" },
		{ "2M..", "not a size" },
		{ "..2M", "not a size" },
		{ "0", "zero" },
		{ "2M,,4M", "empty element" },
		{ "2M,", "empty element" },
		{ ",", "empty element" },
		{ "abc", "not a size" },
	};
	uint64_t v[PB_MAX_SIZES];
	char why[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int n;

		why[0] = '\0';
		n = pb_parse_sizes(bad[i].in, v, PB_MAX_SIZES, why, sizeof(why));
		assert_true(n < 0);
		if (!strstr(why, bad[i].says))
			fail_msg("'%s': message '%s' lacks '%s'", bad[i].in, why, bad[i].says);
	}
	assert_int_equal(pb_parse_sizes("4K..1M", v, 4, why, sizeof(why)), -E2BIG);
	assert_non_null(strstr(why, "more than 4 sizes"));
}

/* The names pinbench run and sweep give result sets and files. */
static void test_names(void **state)
{
	char slug[128];

	(void)state;
	pb_region_slug("devdax:/dev/dax0.0", slug, sizeof(slug));
	assert_string_equal(slug, "devdax-dax0.0");
	pb_region_slug("hugetlb:2M", slug, sizeof(slug));
	assert_string_equal(slug, "hugetlb-2M");
	pb_region_slug("anon", slug, sizeof(slug));
	assert_string_equal(slug, "anon");
	pb_region_slug("file:/tmp/a+b-c d.img", slug, sizeof(slug));
	assert_string_equal(slug, "file-a+b-c_d.img");
	assert_true(pb_label_ok("compound@7.3"));
	assert_true(pb_label_ok("7.3.4+deb13-amd64"));
	assert_false(pb_label_ok(""));
	assert_false(pb_label_ok(".hidden"));
	assert_false(pb_label_ok("a/b"));
	assert_false(pb_label_ok("a b"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_sizes),
		cmocka_unit_test(test_bad_sizes),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_list_and_range),
		cmocka_unit_test(test_bad_lists),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests_name("sizes", tests, NULL, NULL);
}
