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
#include "region.h"

#define IOURING_MAX_BUF (1ULL << 30)

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

static int iouring_open(struct pin_ctx *ctx, const struct region *r)
{
	struct iouring *u = calloc(1, sizeof(*u));
	int rc;

	if (!u)
		return -ENOMEM;
	u->cap = (unsigned)(r->len / IOURING_MAX_BUF + 1);
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

static int iouring_prepare(struct pin_ctx *ctx, void *addr, size_t len)
{
	struct iouring *u = ctx->priv;
	char *p = addr;

	u->niov = 0;
	while (len && u->niov < u->cap) {
		size_t n = len < IOURING_MAX_BUF ? len : IOURING_MAX_BUF;

		u->iov[u->niov++] = (struct iovec){ p, n };
		p += n;
		len -= n;
	}
	return len ? -E2BIG : 0;
}

static int iouring_pin(struct pin_ctx *ctx, void *addr, size_t len)
{
	struct iouring *u = ctx->priv;

	(void)addr;
	(void)len;
	return io_uring_register_buffers(&u->ring, u->iov, u->niov);
}

static int iouring_unpin(struct pin_ctx *ctx)
{
	struct iouring *u = ctx->priv;

	return io_uring_unregister_buffers(&u->ring);
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

const struct pin_driver driver_iouring = {
	.name = "iouring",
	.what = "io_uring fixed buffers: register / unregister the range",
	.path = "io_sqe_buffers_register -> pin_user_pages(FOLL_WRITE | FOLL_LONGTERM), slow GUP",
	.flags = PIN_FOLL_PIN | PIN_LONGTERM,
	.probe = iouring_probe,
	.open = iouring_open,
	.prepare = iouring_prepare,
	.pin = iouring_pin,
	.unpin = iouring_unpin,
	.close = iouring_close,
};
