// SPDX-License-Identifier: GPL-2.0
/*
 * null: pins nothing. pin() and unpin() return at once, so its rows are the
 * timing loop's own cost (the clock reads and an indirect call): the floor
 * under every other method's numbers, and a method that runs anywhere.
 */
#include <stddef.h>

#include "driver.h"

static int null_probe(char *why, size_t len)
{
	(void)why;
	(void)len;
	return 0;
}

static int null_open(struct pin_ctx *ctx, const struct region *r)
{
	(void)ctx;
	(void)r;
	return 0;
}

static int null_pin(struct pin_ctx *ctx, struct pin_call *c)
{
	(void)ctx;
	c->h = c->addr;
	return 0;
}

static int null_unpin(struct pin_ctx *ctx, struct pin_call *c)
{
	(void)ctx;
	c->h = NULL;
	return 0;
}

static void null_close(struct pin_ctx *ctx)
{
	(void)ctx;
}

const struct pin_driver driver_null = {
	.name = "null",
	.what = "pins nothing: the timing loop's own cost, a floor under the other methods",
	.path = "none: no syscall, no GUP",
	.title = "null: the timing loop alone (pins nothing)",
	.flags = PIN_SHARED,
	.probe = null_probe,
	.open = null_open,
	.pin = null_pin,
	.unpin = null_unpin,
	.close = null_close,
};
