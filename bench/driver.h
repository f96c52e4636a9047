/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How memory gets pinned. One file per method in drivers/, one line per
 * method in drivers/table.c. A driver never reads the clock: measure.c takes
 * the timestamps right around pin() and unpin(), the same way for every method.
 */
#ifndef PB_DRIVER_H
#define PB_DRIVER_H

#include <stddef.h>
#include <stdint.h>

struct region;
struct options;

/* What the kernel does for this method; decides how the pin audit reads it. */
enum pin_flags {
	PIN_FOLL_PIN = 1 << 0,	/* pins with FOLL_PIN: nr_foll_pin_* count it */
	PIN_LONGTERM = 1 << 1,	/* FOLL_LONGTERM: fsdax refuses it */
	PIN_ONESHOT = 1 << 2,	/* pin() releases its own pins: no unpin() */
	PIN_CHUNKED = 1 << 3,	/* the loop calls pin() per chunk (odirect) */
};

struct pin_ctx {
	const struct pin_driver *drv;
	const struct options *opt;
	const struct region *r;
	uint64_t chunk;		/* PIN_CHUNKED: bytes per pin() call */
	/*
	 * Set by pin() when the kernel times itself (gup_test): written as
	 * extra rows with op "kget" and "kput". -1 when not set.
	 */
	int64_t kget_ns, kput_ns;
	void *priv;
};

struct pin_driver {
	const char *name;	/* "odirect", "iouring", "rdma", ... */
	const char *what;	/* one line for --help and `pinbench list` */
	const char *path;	/* kernel path exercised, for `pinbench list -v` */
	unsigned flags;		/* enum pin_flags */
	/* Usable here? 0, or -errno with the reason (and the fix) in why. */
	int (*probe)(char *why, size_t len);
	/* Once per run, after the region is mapped. 0 or -errno after pb_err(). */
	int (*open)(struct pin_ctx *ctx, const struct region *r);
	/* Optional: set up the next pin() outside the timed window. */
	int (*prepare)(struct pin_ctx *ctx, void *addr, size_t len);
	/* Pin [addr, addr+len). 0 or -errno; must leave nothing pinned on error. */
	int (*pin)(struct pin_ctx *ctx, void *addr, size_t len);
	/* Release what the last successful pin() took. NULL with PIN_ONESHOT. */
	int (*unpin)(struct pin_ctx *ctx);
	/* Called after open() too when it failed: must cope with partial state. */
	void (*close)(struct pin_ctx *ctx);
};

extern const struct pin_driver *const pin_drivers[];
const struct pin_driver *driver_find(const char *name);

#endif
