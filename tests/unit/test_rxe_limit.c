// SPDX-License-Identifier: GPL-2.0
/* Soft-RoCE's bytes per memory region by kernel release (drivers/rxe_limit.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/rxe_limit.h"

#define GiB (1ULL << 30)

static int lim(const char *dev, const char *rel, uint64_t *max)
{
	*max = 12345;
	return rxe_max_mr_bytes_ps(dev, rel, 4096, max);
}

/* One kcalloc of 16 bytes per 4K page, at most 4 MiB: 1 GiB. */
static void test_page_info_kernels(void **state)
{
	static const char *const rels[] = {
		"6.12.115+deb12-amd64", "6.12.118+deb12-amd64", "6.18.14", "6.18.15+deb13-amd64",
		"6.19.4", "7.0.4+deb13-amd64", "7.2.13+deb14-amd64", "7.3.4+deb13-amd64", "8.1.0-rc2",
	};
	uint64_t max;

	(void)state;
	for (size_t i = 0; i < sizeof(rels) / sizeof(rels[0]); i++) {
		assert_int_equal(lim("rxe0", rels[i], &max), 0);
		assert_true(max == 1 * GiB);
		assert_non_null(strstr(rxe_limit_reason(rels[i]), "kcalloc"));
	}
}

/* The xarray kernels: no limit of rxe's own. */
static void test_xarray_kernels(void **state)
{
	static const char *const rels[] = {
		"6.3.0", "6.12.0", "6.12.113+deb12-amd64", "6.12.114", "6.16.12+deb13-amd64",
		"6.17.13+deb13-amd64", "6.18.13", "6.18.12+deb13-amd64", "6.19.3", "6.19",
	};
	uint64_t max;

	(void)state;
	for (size_t i = 0; i < sizeof(rels) / sizeof(rels[0]); i++) {
		assert_int_equal(lim("rxe0", rels[i], &max), -ENOENT);
		assert_true(max == 12345);
		assert_string_equal(rxe_limit_reason(rels[i]), "");
	}
}

/* 6.1 and before: one pointer per 256 pages, at most 4 MiB of them: 512 GiB. */
static void test_map_set_kernels(void **state)
{
	uint64_t max;

	(void)state;
	assert_int_equal(lim("rxe0", "6.1.0-57-amd64", &max), 0);
	assert_true(max == 512 * GiB);
	assert_int_equal(lim("rxe_eth1", "5.10.0-30-amd64", &max), 0);
	assert_true(max == 512 * GiB);
	assert_non_null(strstr(rxe_limit_reason("6.1.0-57-amd64"), "256 pages"));
}

/* Other page sizes scale: 64K pages give 64 MiB of page info, 256 GiB. */
static void test_page_size(void **state)
{
	uint64_t max = 0;

	(void)state;
	assert_int_equal(rxe_max_mr_bytes_ps("rxe0", "7.3.4", 65536, &max), 0);
	assert_true(max == 256 * GiB);
	assert_int_equal(rxe_max_mr_bytes_ps("rxe0", "7.3.4", 3000, &max), -EINVAL);
	/* This machine's page size: 1 GiB on x86-64. */
	assert_int_equal(rxe_max_mr_bytes("rxe0", "7.3.4+deb13-amd64", &max), 0);
	assert_true(max >= 1 * GiB);
}

/* Other devices have no known limit; bad input is refused. */
static void test_other_devices_and_bad_input(void **state)
{
	uint64_t max;

	(void)state;
	assert_int_equal(lim("mlx5_0", "7.3.4+deb13-amd64", &max), -ENOENT);
	assert_int_equal(lim("siw0", "6.12.118+deb12-amd64", &max), -ENOENT);
	assert_int_equal(lim("", "7.3.4", &max), -ENOENT);
	assert_int_equal(lim(NULL, "7.3.4", &max), -EINVAL);
	assert_int_equal(lim("rxe0", NULL, &max), -EINVAL);
	assert_int_equal(lim("rxe0", "", &max), -EINVAL);
	assert_int_equal(lim("rxe0", "7", &max), -EINVAL);
	assert_int_equal(lim("rxe0", "linux-7.3", &max), -EINVAL);
	assert_int_equal(lim("rxe0", "7.x", &max), -EINVAL);
	assert_int_equal(lim("rxe0", "99999999999999999999.1", &max), -EINVAL);
	assert_int_equal(rxe_max_mr_bytes_ps("rxe0", "7.3.4", 4096, NULL), -EINVAL);
	assert_string_equal(rxe_limit_reason(NULL), "");
	assert_string_equal(rxe_limit_reason("garbage"), "");
}

/* The driver's check: fits, or -E2BIG; never for another device. */
static void test_len_check(void **state)
{
	(void)state;
	assert_int_equal(rxe_mr_len_check("mlx5_0", 1ULL << 40), 0);
	assert_int_equal(rxe_mr_len_check("rxe0", 2ULL << 20), 0);
	/* Above 512 GiB every kernel with a limit refuses; xarray kernels do not. */
	int rc = rxe_mr_len_check("rxe0", 1ULL << 40);

	assert_true(rc == 0 || rc == -E2BIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page_info_kernels),
		cmocka_unit_test(test_xarray_kernels),
		cmocka_unit_test(test_map_set_kernels),
		cmocka_unit_test(test_page_size),
		cmocka_unit_test(test_other_devices_and_bad_input),
		cmocka_unit_test(test_len_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
