// SPDX-License-Identifier: GPL-2.0
/*
 * iouring - io_uring_register_buffers() / io_uring_unregister_buffers() of
 * the range as fixed buffers, split into iovecs of at most 1 GiB (the
 * kernel's limit per buffer). Registration pins every page long-term.
 */
#include <errno.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "driver.h"
#include "pb.h"
#include "phases.h"
#include "region.h"

#define IOURING_MAX_BUF (1ULL << 30)
#define IOURING_MAX_IOVECS (1U << 14)	/* IORING_MAX_REG_BUFFERS */

struct iouring {
	struct io_uring ring;
	struct iovec *iov;
	unsigned niov, cap;
};

static int iouring_probe(char *why, size_t len)
{
	struct io_uring ring;
	int rc = io_uring_queue_init(2, &ring, 0);

	if (rc) {
		snprintf(why, len, "io_uring_setup failed: %s%s", strerror(-rc),
			 rc == -EPERM || rc == -ENOSYS ? " (check /proc/sys/kernel/io_uring_disabled)" : "");
		return rc;
	}
	io_uring_queue_exit(&ring);
	return 0;
}

/* 6.1's io_pin_pages refuses file-backed buffers other than shmem and hugetlbfs. */
static int iouring_probe_region(const struct region *r, char *why, size_t len)
{
	struct iovec iov = { r->addr, r->align < r->len ? r->align : r->len };
	struct io_uring ring;
	int rc = io_uring_queue_init(2, &ring, 0);

	if (rc)
		return rc;
	rc = io_uring_register_buffers(&ring, &iov, 1);
	if (!rc) {
		io_uring_unregister_buffers(&ring);
		snprintf(why, len, "registered and released one page");
	} else if (rc == -EOPNOTSUPP)
		snprintf(why, len, "this kernel's io_uring refuses fixed buffers backed by a file other than shmem or hugetlbfs (6.1: io_pin_pages): rows say unsupported");
	else
		snprintf(why, len, "registering one page failed: %s", strerror(-rc));
	io_uring_queue_exit(&ring);
	return rc;
}

static int iouring_explain(const struct region *r, int err, char *msg, size_t len)
{
	if (err != EOPNOTSUPP || r->fd < 0)
		return 0;
	snprintf(msg, len, "iouring: this kernel's io_uring refuses fixed buffers backed by a file other than shmem or hugetlbfs (%s, %s; 6.1: io_pin_pages). Nothing to measure here; rdma and vfio pin the same memory long-term",
		 r->backing, r->kind->name);
	return PB_EXPLAINED_UNSUPPORTED;
}

static int iouring_open(struct pin_ctx *ctx, const struct region *r)
{
	struct iouring *u = calloc(1, sizeof(*u));
	int rc;

	uint64_t most = ctx->chunk && ctx->chunk < IOURING_MAX_BUF ? ctx->chunk : IOURING_MAX_BUF;
	char a[16], b[16];

	if (!u)
		return -ENOMEM;
	if (r->len / most > IOURING_MAX_IOVECS) {
		pb_err("iouring: --chunk %s makes %llu iovecs of %s, but io_uring registers at most %u in one call (IORING_MAX_REG_BUFFERS): use --chunk %s or larger",
		       pb_fmt_size(most, a, sizeof(a)), (unsigned long long)(r->len / most),
		       pb_fmt_size(r->len, b, sizeof(b)), IOURING_MAX_IOVECS,
		       pb_fmt_size(r->len / IOURING_MAX_IOVECS, a, sizeof(a)));
		free(u);
		return -EINVAL;
	}
	u->cap = (unsigned)(r->len / most + 1);
	u->iov = calloc(u->cap, sizeof(*u->iov));
	if (!u->iov) {
		free(u);
		return -ENOMEM;
	}
	rc = io_uring_queue_init(2, &u->ring, 0);
	if (rc) {
		pb_err("cannot set up an io_uring: %s%s", strerror(-rc),
		       rc == -EPERM ? " (io_uring is disabled: /proc/sys/kernel/io_uring_disabled)" : "");
		free(u->iov);
		free(u);
		return rc;
	}
	ctx->priv = u;
	return 0;
}

/* --chunk: one iovec per chunk (at most 1 GiB each), all in one register call. */
static int iouring_prepare(struct pin_ctx *ctx, struct pin_call *c)
{
	struct iouring *u = ctx->priv;
	uint64_t most = ctx->chunk && ctx->chunk < IOURING_MAX_BUF ? ctx->chunk : IOURING_MAX_BUF;
	size_t len = c->len;
	char *p = c->addr;

	u->niov = 0;
	while (len && u->niov < u->cap) {
		size_t n = len < most ? len : most;

		u->iov[u->niov++] = (struct iovec){ p, n };
		p += n;
		len -= n;
	}
	return len ? -E2BIG : 0;
}

static int iouring_pin(struct pin_ctx *ctx, struct pin_call *c)
{
	struct iouring *u = ctx->priv;

	(void)c;
	return io_uring_register_buffers(&u->ring, u->iov, u->niov);
}

static int iouring_unpin(struct pin_ctx *ctx, struct pin_call *c)
{
	struct iouring *u = ctx->priv;

	(void)c;
	return io_uring_unregister_buffers(&u->ring);
}

/* The kernel takes at most IORING_MAX_REG_BUFFERS iovecs in one register call. */
static int iouring_limits(struct pin_ctx *ctx, struct pin_limits *l)
{
	(void)ctx;
	l->max_calls = 1;
	snprintf(l->why, sizeof(l->why),
		 "io_uring registers one buffer table per ring: --chunk sets its iovecs (at most %u), use --threads for more rings",
		 IOURING_MAX_IOVECS);
	return 0;
}

static void iouring_close(struct pin_ctx *ctx)
{
	struct iouring *u = ctx->priv;

	if (!u)
		return;
	io_uring_queue_exit(&u->ring);
	free(u->iov);
	free(u);
	ctx->priv = NULL;
}

/* --breakdown: the kernel functions of each phase (phases.h). */
static const struct phase_fn iouring_phases[] = {
	/* io_uring_register_buffers -> io_sqe_buffers_register -> io_sqe_buffer_register */
	{ "pin", PHASE_GUP, "pin_user_pages", "io_pin_pages, one call per iovec (up to 6.7)" },
	{ "pin", PHASE_GUP, "pin_user_pages_fast", "io_pin_pages, one call per iovec (6.8+)" },
	{ "pin", PHASE_ACCOUNT, "io_buffer_account_pin", "headpage_already_acct scan; inlined in 6.1" },
	{ "pin", PHASE_ACCOUNT, "__io_account_mem", "RLIMIT_MEMLOCK check and user->locked_vm" },
	{ "pin", PHASE_DRIVER, "io_sqe_buffer_register", "io_uring: vma check, bvec table (per 4 KiB page before 6.10)" },
	{ "unpin", PHASE_RELEASE, "io_buffer_unmap", "unpin_user_page per bvec entry" },
	{ "unpin", PHASE_ACCOUNT, "__io_unaccount_mem", "inlined in 6.1" },
	{ "unpin", PHASE_DRIVER, "__io_sqe_buffers_unregister", "io_uring: its loop, freeing the table" },
	{ 0 },
};

const struct pin_driver driver_iouring = {
	.name = "iouring",
	.what = "io_uring fixed buffers: register / unregister the range",
	.path = "io_sqe_buffers_register -> pin_user_pages(FOLL_WRITE | FOLL_LONGTERM), slow GUP",
	.title = "io_uring fixed buffers (register / unregister)",
	.flags = PIN_FOLL_PIN | PIN_LONGTERM | PIN_IOVECS,
	.phases = iouring_phases,
	.probe = iouring_probe,
	.probe_region = iouring_probe_region,
	.explain = iouring_explain,
	.open = iouring_open,
	.limits = iouring_limits,
	.prepare = iouring_prepare,
	.pin = iouring_pin,
	.unpin = iouring_unpin,
	.close = iouring_close,
};
