// SPDX-License-Identifier: GPL-2.0
/*
 * gup-fast, gup-pin, gup-longterm - the kernel's own GUP micro-test,
 * /sys/kernel/debug/gup_test (CONFIG_GUP_TEST=y, debugfs mounted). One ioctl
 * takes the references on the whole range, --gup-batch pages per call, and
 * drops them again, timing both halves itself with ktime_get() in
 * microseconds: the loop writes those as "kget"/"kput" rows beside its own
 * wall time of the ioctl (which also includes the page-pointer array
 * allocation and, for the pin tests, a pass that checks every page is pinned).
 *
 *   gup-fast      GUP_FAST_BENCHMARK      get_user_pages_fast: FOLL_GET, not a pin
 *   gup-pin       PIN_FAST_BENCHMARK      pin_user_pages_fast: FOLL_PIN
 *   gup-longterm  PIN_LONGTERM_BENCHMARK  pin_user_pages(FOLL_LONGTERM), under mmap_lock
 *
 * gup_flags is FOLL_WRITE, as the selftest (tools/testing/selftests/vm/
 * gup_test.c) does by default: pinbench maps every region writable.
 * ABI: mm/gup_test.h as of 5.11 (when gup_benchmark became gup_test), still
 * the same struct and numbers in 6.1 and later; older kernels are refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "driver.h"
#include "options.h"
#include "pb.h"
#include "phases.h"
#include "region.h"

#define GUP_TEST_PATH "/sys/kernel/debug/gup_test"
#define GUP_DEBUGFS "/sys/kernel/debug"
#define GUP_DEBUGFS_MAGIC 0x64626720

/* mm/gup_test.h, 5.11 .. 6.x (our own copy: the header is not exported). */
#define GUP_TEST_MAX_PAGES_TO_DUMP 8
struct gup_test {
	uint64_t get_delta_usec;
	uint64_t put_delta_usec;
	uint64_t addr;
	uint64_t size;
	uint32_t nr_pages_per_call;
	uint32_t gup_flags;
	uint32_t test_flags;
	uint32_t which_pages[GUP_TEST_MAX_PAGES_TO_DUMP];
};
#define GUP_FAST_BENCHMARK	_IOWR('g', 1, struct gup_test)
#define PIN_FAST_BENCHMARK	_IOWR('g', 2, struct gup_test)
#define PIN_LONGTERM_BENCHMARK	_IOWR('g', 3, struct gup_test)

#define GUP_FOLL_WRITE 0x01	/* include/linux/mm.h (mm_types.h since 6.5) */

/* Its options (options.h), shared by the gup-* methods, filled by pinbench run. */
static struct gup_opts {
	int batch;		/* --gup-batch, pages per gup_test call */
} gpo;

static const struct opt_def gup_opts[] = {
	{ "gup-batch", OPT_INT, offsetof(struct gup_opts, batch), 0, "512", 1, 1 << 20, "N", "pages per gup_test call" },
	{ 0 },
};

struct gup {
	int fd;
	unsigned long cmd;
};

/* 5.11 renamed gup_benchmark to gup_test and renumbered its ioctls. */
static int gup_kernel_new_enough(char *why, size_t len)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return 1;	/* cannot tell: the ioctl will say */
	if (major > 5 || (major == 5 && minor >= 11))
		return 1;
	snprintf(why, len, "kernel %s predates the gup_test ABI of 5.11 (it has gup_benchmark): boot 5.11 or later",
		 u.release);
	return 0;
}

static int gup_probe(char *why, size_t len)
{
	struct statfs sf;
	int fd;

	if (!gup_kernel_new_enough(why, len))
		return -ENODEV;
	if (statfs(GUP_DEBUGFS, &sf) || (unsigned long)sf.f_type != GUP_DEBUGFS_MAGIC) {
		snprintf(why, len, "debugfs is not mounted: mount -t debugfs none %s", GUP_DEBUGFS);
		return -ENODEV;
	}
	fd = open(GUP_TEST_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		int rc = -errno;

		if (rc == -ENOENT)
			snprintf(why, len, "no %s: the kernel lacks CONFIG_GUP_TEST=y (build one with it: scripts/kernel/)",
				 GUP_TEST_PATH);
		else
			snprintf(why, len, "cannot open %s: %s%s", GUP_TEST_PATH, strerror(-rc),
				 rc == -EACCES || rc == -EPERM ? " (run as root)" : "");
		return rc == -ENOENT ? -ENODEV : rc;
	}
	close(fd);
	snprintf(why, len, "%s", GUP_TEST_PATH);
	return 0;
}

static int gup_open(struct pin_ctx *ctx, unsigned long cmd)
{
	struct gup *g = calloc(1, sizeof(*g));
	char why[256];
	int rc;

	if (!g)
		return -ENOMEM;
	if ((rc = gup_probe(why, sizeof(why)))) {
		pb_err("%s cannot run: %s", ctx->drv->name, why);
		free(g);
		return rc;
	}
	g->fd = open(GUP_TEST_PATH, O_RDWR | O_CLOEXEC);
	if (g->fd < 0) {
		rc = -errno;
		pb_err("cannot open %s: %s", GUP_TEST_PATH, strerror(-rc));
		free(g);
		return rc;
	}
	g->cmd = cmd;
	ctx->priv = g;
	return 0;
}

static int gup_fast_open(struct pin_ctx *ctx, const struct region *r)
{
	(void)r;
	return gup_open(ctx, GUP_FAST_BENCHMARK);
}

static int gup_pin_open(struct pin_ctx *ctx, const struct region *r)
{
	(void)r;
	return gup_open(ctx, PIN_FAST_BENCHMARK);
}

static int gup_longterm_open(struct pin_ctx *ctx, const struct region *r)
{
	(void)r;
	return gup_open(ctx, PIN_LONGTERM_BENCHMARK);
}

/* The ioctl rewrites size and the times: fill the request afresh each time. */
static int gup_prepare(struct pin_ctx *ctx, struct pin_call *c)
{
	struct gup_test *t = c->arg;

	(void)ctx;
	memset(t, 0, sizeof(*t));
	t->addr = (uintptr_t)c->addr;
	t->size = c->len;
	t->nr_pages_per_call = (uint32_t)gpo.batch;
	t->gup_flags = GUP_FOLL_WRITE;
	return 0;
}

static int gup_pin(struct pin_ctx *ctx, struct pin_call *c)
{
	struct gup *g = ctx->priv;
	struct gup_test *t = c->arg;

	if (ioctl(g->fd, g->cmd, t))
		return -errno;
	/*
	 * A short count means GUP stopped part way (gup-fast: a page not
	 * faulted in or not writable); what it took it already released.
	 */
	if (t->size != c->len) {
		/*
		 * gup_test hides the errno. A long-term pin that took nothing
		 * is the kernel refusing it (fsdax: EOPNOTSUPP from
		 * check_vma_flags), as the other long-term methods report.
		 */
		if (!t->size && (ctx->drv->flags & PIN_LONGTERM) && !strcmp(ctx->r->kind->name, "fsdax"))
			return -EOPNOTSUPP;
		return -EFAULT;
	}
	c->kget_ns = (int64_t)(t->get_delta_usec * 1000);
	c->kput_ns = (int64_t)(t->put_delta_usec * 1000);
	return 0;
}

static void gup_close(struct pin_ctx *ctx)
{
	struct gup *g = ctx->priv;

	if (!g)
		return;
	close(g->fd);
	free(g);
	ctx->priv = NULL;
}

/* --breakdown: the kernel functions of each phase (phases.h). */
static const struct phase_fn gup_fast_phases[] = {
	/* the pin row is the whole ioctl, references taken and dropped */
	{ "pin", PHASE_GUP, "get_user_pages_fast", "per --gup-batch pages" },
	{ 0 },
};

const struct pin_driver driver_gup_fast = {
	.name = "gup-fast",
	.what = "gup_test GUP_FAST_BENCHMARK: get_user_pages_fast + put_page, kernel-timed (--gup-batch)",
	.path = "get_user_pages_fast(FOLL_WRITE): FOLL_GET references, lockless fast walk with slow fallback; not a pin",
	.title = "gup_test: get_user_pages_fast + put_page",
	.flags = PIN_ONESHOT | PIN_SHARED,
	.phases = gup_fast_phases,
	.opts = gup_opts,
	.opts_store = &gpo,
	.call_size = sizeof(struct gup_test),
	.probe = gup_probe,
	.open = gup_fast_open,
	.prepare = gup_prepare,
	.pin = gup_pin,
	.close = gup_close,
};

/* --breakdown: the kernel functions of each phase (phases.h). */
static const struct phase_fn gup_pin_phases[] = {
	{ "pin", PHASE_GUP, "pin_user_pages_fast", "per --gup-batch pages" },
	{ "pin", PHASE_RELEASE, "unpin_user_pages", "once for the whole range" },
	{ 0 },
};

const struct pin_driver driver_gup_pin = {
	.name = "gup-pin",
	.what = "gup_test PIN_FAST_BENCHMARK: pin_user_pages_fast + unpin_user_pages, kernel-timed (--gup-batch)",
	.path = "pin_user_pages_fast(FOLL_WRITE): FOLL_PIN, lockless fast walk with slow fallback; not long-term",
	.title = "gup_test: pin_user_pages_fast + unpin",
	.flags = PIN_FOLL_PIN | PIN_ONESHOT | PIN_SHARED,
	.phases = gup_pin_phases,
	.opts = gup_opts,
	.opts_store = &gpo,
	.call_size = sizeof(struct gup_test),
	.probe = gup_probe,
	.open = gup_pin_open,
	.prepare = gup_prepare,
	.pin = gup_pin,
	.close = gup_close,
};

/* --breakdown: the kernel functions of each phase (phases.h). */
static const struct phase_fn gup_longterm_phases[] = {
	{ "pin", PHASE_GUP, "pin_user_pages", "per --gup-batch pages, under mmap_read_lock" },
	{ "pin", PHASE_RELEASE, "unpin_user_pages", "once for the whole range" },
	{ 0 },
};

const struct pin_driver driver_gup_longterm = {
	.name = "gup-longterm",
	.what = "gup_test PIN_LONGTERM_BENCHMARK: pin_user_pages(FOLL_LONGTERM) + unpin, kernel-timed (--gup-batch)",
	.path = "pin_user_pages(FOLL_WRITE | FOLL_LONGTERM) under mmap_lock: slow GUP, long-term checks (migrates movable/CMA pages)",
	.title = "gup_test: pin_user_pages(FOLL_LONGTERM) + unpin",
	.flags = PIN_FOLL_PIN | PIN_LONGTERM | PIN_ONESHOT | PIN_SHARED,
	.phases = gup_longterm_phases,
	.opts = gup_opts,
	.opts_store = &gpo,
	.call_size = sizeof(struct gup_test),
	.probe = gup_probe,
	.open = gup_longterm_open,
	.prepare = gup_prepare,
	.pin = gup_pin,
	.close = gup_close,
};
