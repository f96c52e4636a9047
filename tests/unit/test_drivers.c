// SPDX-License-Identifier: GPL-2.0
/*
 * The drivers' pure pieces: --rdma-access words, the VFIO group picked from
 * /dev/vfio's names, the IOVA range check, the iommufd device picked from
 * /dev/vfio/devices' names, the one alignment check, and the failure
 * explanations a method or region kind owns (exit 78 when unsupported).
 */
#include <errno.h>
#include <infiniband/verbs.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "driver.h"
#include "drivers/iommufd.h"
#include "drivers/range.h"
#include "drivers/rdma.h"
#include "drivers/vfio.h"
#include "pb.h"
#include "region.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_rdma_access_default(void **state)
{
	char why[256] = "";
	int acc = -1;

	(void)state;
	assert_int_equal(rdma_parse_access("local-write,remote-read,remote-write", &acc, why, sizeof(why)), 0);
	assert_int_equal(acc, IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_READ | IBV_ACCESS_REMOTE_WRITE);
	assert_int_equal(rdma_parse_access("local-write", &acc, why, sizeof(why)), 0);
	assert_int_equal(acc, IBV_ACCESS_LOCAL_WRITE);
	assert_int_equal(rdma_parse_access("remote-read", &acc, why, sizeof(why)), 0);
	assert_int_equal(acc, IBV_ACCESS_REMOTE_READ);
	assert_int_equal(rdma_parse_access("none", &acc, why, sizeof(why)), 0);
	assert_int_equal(acc, 0);
	assert_int_equal(rdma_parse_access("local-write,remote-atomic,relaxed", &acc, why, sizeof(why)), 0);
	assert_int_equal(acc, IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_ATOMIC | IBV_ACCESS_RELAXED_ORDERING);
}

static void test_rdma_access_bad(void **state)
{
	static const char *const bad[] = { "", ",", "local-write,", "local", "local-writes",
					   "LOCAL-WRITE", "local-write,,remote-read", "remote-write",
					   "remote-atomic", "remote-read remote-write" };
	char why[256];
	int acc = 12345;

	(void)state;
	for (size_t i = 0; i < N(bad); i++) {
		why[0] = '\0';
		assert_int_equal(rdma_parse_access(bad[i], &acc, why, sizeof(why)), -EINVAL);
		assert_true(why[0] != '\0');
		assert_int_equal(acc, 12345);	/* untouched on error */
	}
	rdma_parse_access("local-write,bogus", &acc, why, sizeof(why));
	assert_non_null(strstr(why, "'bogus'"));
	rdma_parse_access("remote-write", &acc, why, sizeof(why));
	assert_non_null(strstr(why, "local-write"));
}

static void test_vfio_only_group(void **state)
{
	const char *const names[] = { ".", "..", "vfio", "7" };
	char why[256] = "";
	int g = -1;

	(void)state;
	assert_int_equal(vfio_pick_group(names, N(names), &g, why, sizeof(why)), 0);
	assert_int_equal(g, 7);
}

static void test_vfio_no_group(void **state)
{
	const char *const names[] = { ".", "..", "vfio", "noiommu-0" };
	char why[256] = "";
	int g = -1;

	(void)state;
	assert_int_equal(vfio_pick_group(names, N(names), &g, why, sizeof(why)), -ENOENT);
	assert_int_equal(g, -1);
	assert_non_null(strstr(why, "vfio-pci"));
	assert_int_equal(vfio_pick_group(names, 0, &g, why, sizeof(why)), -ENOENT);
}

static void test_vfio_several_groups(void **state)
{
	const char *const names[] = { "vfio", "12", ".", "3", "45x", "40" };
	char why[256] = "";
	char tiny[8];
	int g = -1;

	(void)state;
	assert_int_equal(vfio_pick_group(names, N(names), &g, why, sizeof(why)), -EEXIST);
	assert_int_equal(g, -1);
	assert_non_null(strstr(why, "(12 3 40)"));
	assert_non_null(strstr(why, "--vfio-group"));
	/* A short buffer truncates, never overflows. */
	assert_int_equal(vfio_pick_group(names, N(names), &g, tiny, sizeof(tiny)), -EEXIST);
	assert_int_equal(strlen(tiny), sizeof(tiny) - 1);
}

static void test_vfio_iova(void **state)
{
	/* intel-iommu, 39-bit: everything but the MSI window. */
	const struct vfio_range r[] = { { 0, 0xfedfffffULL }, { 0xfef00000ULL, (1ULL << 39) - 1 } };
	uint64_t s;

	(void)state;
	assert_int_equal(vfio_iova_fits(r, N(r), PB_GIB, 2 * PB_GIB, PB_GIB, &s), 1);
	/* 1G + 3G ends at 4G and so crosses 0xfee00000: suggest the first 1G-aligned start above it. */
	assert_int_equal(vfio_iova_fits(r, N(r), PB_GIB, 3 * PB_GIB, PB_GIB, &s), 0);
	assert_int_equal(s, 4 * PB_GIB);
	assert_int_equal(vfio_iova_fits(r, N(r), 4 * PB_GIB, 3 * PB_GIB, PB_GIB, &s), 1);
	/* 4K-aligned: the first page after the window. */
	assert_int_equal(vfio_iova_fits(r, N(r), PB_GIB, 3 * PB_GIB, 4096, &s), 0);
	assert_int_equal(s, 0xfef00000ULL);
	/* Nothing fits above: the lowest start of all. */
	assert_int_equal(vfio_iova_fits(r, N(r), (1ULL << 39) - PB_GIB, 2 * PB_GIB, PB_GIB, &s), 0);
	assert_int_equal(s, 0);
	/* Too big for any range. */
	assert_int_equal(vfio_iova_fits(r, N(r), 0, 1ULL << 40, 4096, &s), 0);
	assert_int_equal(s, UINT64_MAX);
	/* Wrap-around is refused. */
	assert_int_equal(vfio_iova_fits(r, N(r), UINT64_MAX - 4095, 8192, 4096, &s), 0);
	/* The last byte of a range counts (ends are inclusive). */
	assert_int_equal(vfio_iova_fits(r, N(r), 0xfedff000ULL, 4096, 4096, &s), 1);
	assert_int_equal(vfio_iova_fits(r, N(r), 0xfedff000ULL, 8192, 4096, &s), 0);
}

static void test_iommufd_only_dev(void **state)
{
	const char *const names[] = { ".", "..", "vfio3" };
	char why[256] = "", dev[32] = "";

	(void)state;
	assert_int_equal(iommufd_pick_dev(names, N(names), NULL, dev, sizeof(dev), why, sizeof(why)), 0);
	assert_string_equal(dev, "vfio3");
	assert_int_equal(iommufd_pick_dev(names, N(names), "", dev, sizeof(dev), why, sizeof(why)), 0);
	assert_string_equal(dev, "vfio3");
	/* By name and by path. */
	assert_int_equal(iommufd_pick_dev(names, N(names), "vfio3", dev, sizeof(dev), why, sizeof(why)), 0);
	assert_string_equal(dev, "vfio3");
	assert_int_equal(iommufd_pick_dev(names, N(names), "/dev/vfio/devices/vfio3", dev, sizeof(dev), why,
					  sizeof(why)), 0);
	assert_string_equal(dev, "vfio3");
}

static void test_iommufd_no_dev(void **state)
{
	const char *const names[] = { ".", "..", "vfio", "vfiox" };
	char why[256] = "", dev[32] = "untouched";

	(void)state;
	assert_int_equal(iommufd_pick_dev(names, N(names), NULL, dev, sizeof(dev), why, sizeof(why)), -ENOENT);
	assert_string_equal(dev, "untouched");
	assert_non_null(strstr(why, "vfio-pci"));
	assert_int_equal(iommufd_pick_dev(names, 0, NULL, dev, sizeof(dev), why, sizeof(why)), -ENOENT);
	/* A named device and none at all: says so and how to get one. */
	assert_int_equal(iommufd_pick_dev(names, N(names), "vfio0", dev, sizeof(dev), why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "vfio0"));
	assert_non_null(strstr(why, "vfio-pci"));
}

static void test_iommufd_unknown_dev(void **state)
{
	const char *const names[] = { "vfio0", "vfio12", "." };
	char why[256] = "", dev[32] = "untouched";

	(void)state;
	/* Not there: names it and lists what is. */
	assert_int_equal(iommufd_pick_dev(names, N(names), "vfio9", dev, sizeof(dev), why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "vfio9"));
	assert_non_null(strstr(why, "vfio0 vfio12"));
	assert_string_equal(dev, "untouched");
	/* Not of the form vfioN. */
	static const char *const bad[] = { "vfio", "vfio1a", "eth0", "/dev/vfio/vfio", "/dev/vfio/devices/",
					   "/dev/vfio/devices/vfio0/x", "vfio-1", " vfio0" };
	for (size_t i = 0; i < N(bad); i++) {
		why[0] = '\0';
		assert_int_equal(iommufd_pick_dev(names, N(names), bad[i], dev, sizeof(dev), why, sizeof(why)),
				 -EINVAL);
		assert_non_null(strstr(why, "--iommufd-dev"));
	}
	assert_string_equal(dev, "untouched");
}

static void test_iommufd_several_devs(void **state)
{
	const char *const names[] = { "vfio0", ".", "vfio2", "noiommu-vfio5" };
	char why[256] = "", dev[32] = "", tiny[8];

	(void)state;
	assert_int_equal(iommufd_pick_dev(names, N(names), NULL, dev, sizeof(dev), why, sizeof(why)), -EEXIST);
	assert_non_null(strstr(why, "(vfio0 vfio2)"));
	assert_non_null(strstr(why, "--iommufd-dev"));
	assert_int_equal(iommufd_pick_dev(names, N(names), "vfio2", dev, sizeof(dev), why, sizeof(why)), 0);
	assert_string_equal(dev, "vfio2");
	/* A short buffer truncates, never overflows. */
	assert_int_equal(iommufd_pick_dev(names, N(names), NULL, dev, sizeof(dev), tiny, sizeof(tiny)), -EEXIST);
	assert_int_equal(strlen(tiny), sizeof(tiny) - 1);
	/* A device name longer than the caller's buffer is refused, not cut. */
	assert_int_equal(iommufd_pick_dev(names, N(names), "vfio2", dev, 5, why, sizeof(why)), -EINVAL);
}

static void test_range_check(void **state)
{
	static char buf[1] __attribute__((aligned(4096)));
	struct region r;

	(void)state;
	memset(&r, 0, sizeof(r));
	snprintf(r.backing, sizeof(r.backing), "/dev/dax0.0");
	/* A pretend 2M-aligned region of 1G at a 1G-aligned address (never touched). */
	r.addr = (void *)(uintptr_t)PB_GIB;
	r.len = PB_GIB;
	r.align = 2 * PB_MIB;
	assert_int_equal(pin_range_check("t", &r, r.addr, 2 * PB_MIB), 0);
	assert_int_equal(pin_range_check("t", &r, r.addr, PB_GIB), 0);
	assert_int_equal(pin_range_check("t", &r, (char *)r.addr + 2 * PB_MIB, PB_GIB - 2 * PB_MIB), 0);
	assert_int_equal(pin_range_check("t", &r, r.addr, 4096), -EINVAL);
	assert_int_equal(pin_range_check("t", &r, r.addr, 0), -EINVAL);
	assert_int_equal(pin_range_check("t", &r, (char *)r.addr + 4096, 2 * PB_MIB), -EINVAL);
	assert_int_equal(pin_range_check("t", &r, r.addr, 2 * PB_GIB), -EINVAL);
	assert_int_equal(pin_range_check("t", &r, (char *)r.addr + 2 * PB_MIB, PB_GIB), -EINVAL);
	assert_int_equal(pin_range_check("t", &r, (char *)r.addr - 2 * PB_MIB, 2 * PB_MIB), -EINVAL);
	/* align 0 means 4K. */
	r.addr = buf;
	r.len = 4096;
	r.align = 0;
	assert_int_equal(pin_range_check("t", &r, buf, 4096), 0);
	assert_int_equal(pin_range_check("t", &r, buf, 512), -EINVAL);
}


static const struct region_kind *kind_named(const char *name)
{
	for (int i = 0; region_kinds[i]; i++)
		if (!strcmp(region_kinds[i]->name, name))
			return region_kinds[i];
	return NULL;
}

/* Who explains what: io_uring on file-backed memory and long-term pins of
 * fsdax are "unsupported" (exit 78); the page-cache refusal is an error. */
static void test_explain_owners(void **state)
{
	const struct pin_driver *iouring = driver_find("iouring"), *rdma = driver_find("rdma"),
				*odirect = driver_find("odirect");
	struct region r = { .fd = 3, .backing = "/dev/dax0.0" };
	char msg[640];

	(void)state;
	assert_non_null(iouring);
	assert_non_null(rdma);
	assert_non_null(odirect);
	r.kind = kind_named("devdax");
	assert_non_null(r.kind);
	assert_non_null(iouring->explain);
	assert_int_equal(iouring->explain(&r, EOPNOTSUPP, msg, sizeof(msg)), PB_EXPLAINED_UNSUPPORTED);
	assert_non_null(strstr(msg, "io_uring refuses fixed buffers"));
	assert_int_equal(iouring->explain(&r, EFAULT, msg, sizeof(msg)), 0);
	r.fd = -1;	/* anon memory: not the file-backed refusal */
	assert_int_equal(iouring->explain(&r, EOPNOTSUPP, msg, sizeof(msg)), 0);

	r.kind = kind_named("fsdax");
	assert_non_null(r.kind->explain);
	assert_int_equal(r.kind->explain(&r, rdma, EOPNOTSUPP, msg, sizeof(msg)), PB_EXPLAINED_UNSUPPORTED);
	assert_non_null(strstr(msg, "rdma: the kernel refuses long-term pins"));
	assert_int_equal(r.kind->explain(&r, rdma, ENOMEM, msg, sizeof(msg)), 0);

	r.kind = kind_named("file");
	assert_non_null(r.kind->explain);
	assert_int_equal(r.kind->explain(&r, rdma, EFAULT, msg, sizeof(msg)), PB_EXPLAINED);
	assert_int_equal(r.kind->explain(&r, odirect, EFAULT, msg, sizeof(msg)), 0);
	/* No name compares left in run.c: every kind without a hook has none to give. */
	assert_null(kind_named("anon")->explain);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rdma_access_default),
		cmocka_unit_test(test_rdma_access_bad),
		cmocka_unit_test(test_vfio_only_group),
		cmocka_unit_test(test_vfio_no_group),
		cmocka_unit_test(test_vfio_several_groups),
		cmocka_unit_test(test_vfio_iova),
		cmocka_unit_test(test_iommufd_only_dev),
		cmocka_unit_test(test_iommufd_no_dev),
		cmocka_unit_test(test_iommufd_unknown_dev),
		cmocka_unit_test(test_iommufd_several_devs),
		cmocka_unit_test(test_range_check),
		cmocka_unit_test(test_explain_owners),
	};

	pb_quiet = 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
