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
struct opt_def;
struct phase_fn;

/* What the kernel does for this method; decides how the pin audit reads it. */
enum pin_flags {
	PIN_FOLL_PIN = 1 << 0,	/* pins with FOLL_PIN: nr_foll_pin_* count it */
	PIN_LONGTERM = 1 << 1,	/* FOLL_LONGTERM: fsdax refuses it */
	PIN_ONESHOT = 1 << 2,	/* pin() releases its own pins: no unpin() */
	PIN_CHUNKED = 1 << 3,	/* the loop calls pin() per chunk (odirect) */
	PIN_SHARED = 1 << 4,	/* threads may share one open() (pin/unpin are thread-safe) */
	PIN_IOVECS = 1 << 5,	/* --chunk splits the range into iovecs of one call (io_uring) */
};

/*
 * One pin call: a sub-range of the region and what its driver keeps to release
 * it. measure.c owns these (one per call of a chunked or threaded run); the
 * driver fills the rest in prepare() and pin().
 */
struct pin_call {
	char *addr;
	size_t len;
	uint64_t iova;		/* vfio, iommufd: where this call maps (prepare) */
	void *h;		/* the driver's handle of this pin (an MR, ...) */
	/* The driver's call_size bytes (its ioctl argument), built by prepare(). */
	void *arg;
	/* Set by pin() when the kernel times itself (gup_test), else -1. */
	int64_t kget_ns, kput_ns;
};

/* What one open() allows: checked before a chunked or threaded run starts. */
struct pin_limits {
	uint64_t max_calls;	/* pins held at once; 0: no known limit */
	char why[256];		/* the limit's name and the fix, for the message */
};

struct pin_ctx {
	const struct pin_driver *drv;
	const struct options *opt;
	const struct region *r;
	uint64_t chunk;		/* PIN_CHUNKED: bytes per pin() call; PIN_IOVECS: bytes per iovec */
	int thread;		/* which thread this context serves (0 when one) */
	void *priv;
};

enum { PB_EXPLAINED = 1, PB_EXPLAINED_UNSUPPORTED = 2 };

struct pin_driver {
	const char *name;	/* "odirect", "iouring", "rdma", ... */
	const char *what;	/* one line for --help and `pinbench list` */
	const char *path;	/* kernel path exercised, for `pinbench list -v` */
	const char *title;	/* what its graphs are titled (scripts/plot.sh) */
	unsigned flags;		/* enum pin_flags */
	/*
	 * --breakdown and `pinbench list -v`: the kernel functions whose calls
	 * make each phase of pin and unpin (phases.h), ended by { 0 }; NULL: none.
	 */
	const struct phase_fn *phases;
	/*
	 * Its own options (options.h: struct opt_def, offsets into
	 * *opts_store), ended by { 0 }; NULL: none. pinbench run fills
	 * opts_store with their defaults and values when this is the method,
	 * and refuses them with any other. Methods may share one table.
	 */
	const struct opt_def *opts;
	void *opts_store;
	size_t call_size;	/* bytes measure.c gives each pin_call at arg */
	/* Usable here? 0, or -errno with the reason (and the fix) in why. */
	int (*probe)(char *why, size_t len);
	/*
	 * Optional: does this kernel let the method pin memory of r's kind at
	 * all (`pinbench list`)? 0, or -errno with the reason in why.
	 */
	int (*probe_region)(const struct region *r, char *why, size_t len);
	/*
	 * Optional: what a pin that failed with -err means for this method on
	 * r, when only the method knows: PB_EXPLAINED_UNSUPPORTED (the kernel
	 * refuses this memory this way: exit 78) or PB_EXPLAINED with msg
	 * filled; 0 when the method has nothing to add.
	 */
	int (*explain)(const struct region *r, int err, char *msg, size_t len);
	/* Once per run, after the region is mapped. 0 or -errno after pb_err(). */
	int (*open)(struct pin_ctx *ctx, const struct region *r);
	/*
	 * Optional: can one call pin len bytes here? 0, or -E2BIG after one
	 * pb_err() line ending "size skipped" (a limit of the device, not of
	 * pinning: the size is left out, the others are measured).
	 */
	int (*check_len)(struct pin_ctx *ctx, uint64_t len);
	/* Optional: limits of many pins at once (pin_limits); 0 or -errno. */
	int (*limits)(struct pin_ctx *ctx, struct pin_limits *l);
	/* Optional: set up c's pin() outside the timed window. */
	int (*prepare)(struct pin_ctx *ctx, struct pin_call *c);
	/* Pin [c->addr, c->addr+c->len). 0 or -errno; must leave nothing pinned on error. */
	int (*pin)(struct pin_ctx *ctx, struct pin_call *c);
	/* Release what pin(c) took. NULL with PIN_ONESHOT. */
	int (*unpin)(struct pin_ctx *ctx, struct pin_call *c);
	/* Called after open() too when it failed: must cope with partial state. */
	void (*close)(struct pin_ctx *ctx);
};

extern const struct pin_driver *const pin_drivers[];
const struct pin_driver *driver_find(const char *name);

#endif
