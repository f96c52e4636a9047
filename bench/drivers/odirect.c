// SPDX-License-Identifier: GPL-2.0
/*
 * odirect - O_DIRECT pwrite() from the region to a target, --io-size bytes
 * per call. The block layer pins the user pages for the I/O and releases them
 * on completion (bio_iov_iter_get_pages: pin_user_pages_fast since 6.5,
 * get_user_pages_fast before), so one I/O = pin + block layer + unpin.
 * The region is only read. Target: --target, else null_blk's /dev/nullb0
 * (stores nothing), else a scratch file pinbench creates and removes. A
 * target pinbench did not create is written only with --write.
 * Offsets cycle through a 64-I/O window so a scratch file stays small.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver.h"
#include "options.h"
#include "pb.h"
#include "phases.h"

#define ODIRECT_WINDOW 64

/* Its options (options.h), filled by pinbench run when this is the method. */
static struct odirect_opts {
	char target[256];	/* --target FILE|BLOCKDEV */
	uint64_t io_size;	/* --io-size */
} odo;

#define OO(f) offsetof(struct odirect_opts, f), sizeof(odo.f)
static const struct opt_def odirect_opts[] = {
	{ "target", OPT_STR, OO(target), NULL, 0, 0, "PATH",
	  "file or block device to write to (default: /dev/nullb0 if present, else a scratch file)" },
	{ "io-size", OPT_SIZE, OO(io_size), "1M", 4096, 1LL << 30, "SIZE", "bytes per I/O" },
	{ 0 },
};

struct odirect {
	int fd;
	char scratch[256];	/* set when pinbench created the target */
	uint64_t next_off, span;
};

static int is_null_blk(const char *path)
{
	char buf[256], *base;

	snprintf(buf, sizeof(buf), "%s", path);
	base = basename(buf);
	return !strncmp(base, "nullb", 5);
}

static int odirect_probe(char *why, size_t len)
{
	if (!access("/dev/nullb0", W_OK))
		snprintf(why, len, "target /dev/nullb0 (null_blk)");
	else
		snprintf(why, len, "target: a scratch file in $TMPDIR or /var/tmp (load null_blk for /dev/nullb0)");
	return 0;
}

static int odirect_open_scratch(struct odirect *od)
{
	const char *dir = getenv("TMPDIR");

	if (!dir || !*dir)
		dir = "/var/tmp";
	snprintf(od->scratch, sizeof(od->scratch), "%s/pinbench-odirect-XXXXXX", dir);
	int fd = mkostemp(od->scratch, O_CLOEXEC);
	if (fd < 0) {
		int rc = -errno;

		pb_err("cannot create a scratch file in %s: %s; set TMPDIR or give --target", dir, strerror(-rc));
		od->scratch[0] = '\0';
		return rc;
	}
	close(fd);
	od->fd = open(od->scratch, O_WRONLY | O_DIRECT | O_CLOEXEC);
	if (od->fd < 0) {
		int rc = -errno;

		pb_err("%s does not support O_DIRECT (%s): set TMPDIR to a disk filesystem, or give --target",
		       dir, strerror(-rc));
		unlink(od->scratch);
		od->scratch[0] = '\0';
		return rc;
	}
	return 0;
}

static int odirect_open(struct pin_ctx *ctx, const struct region *r)
{
	const struct options *o = ctx->opt;
	struct odirect *od = calloc(1, sizeof(*od));
	const char *target = odo.target;
	struct stat st;
	int rc;

	(void)r;
	if (!od)
		return -ENOMEM;
	od->fd = -1;
	ctx->priv = od;
	ctx->chunk = odo.io_size;
	od->span = ODIRECT_WINDOW * odo.io_size;
	if (!target[0] && !access("/dev/nullb0", W_OK))
		target = "/dev/nullb0";
	if (!target[0])
		return odirect_open_scratch(od);

	if (stat(target, &st)) {
		rc = -errno;
		pb_err("odirect target %s: %s; give an existing file or block device, or leave --target out",
		       target, strerror(-rc));
		return rc;
	}
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		pb_err("odirect target %s is neither a regular file nor a block device", target);
		return -EINVAL;
	}
	if (!(S_ISBLK(st.st_mode) && is_null_blk(target)) && !o->write) {
		pb_err("odirect would overwrite %s, which pinbench did not create: add --write to allow it, or leave --target out",
		       target);
		return -EPERM;
	}
	od->fd = open(target, O_WRONLY | O_DIRECT | O_CLOEXEC);
	if (od->fd < 0) {
		rc = -errno;
		pb_err("cannot open %s for O_DIRECT writing: %s", target, strerror(-rc));
		return rc;
	}
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size < od->span && !o->write) {
		pb_err("odirect target %s is smaller than the %llu-byte I/O window", target,
		       (unsigned long long)od->span);
		return -EINVAL;
	}
	if (S_ISBLK(st.st_mode)) {
		uint64_t dev = 0;
		char sysfs[128], buf[256];

		snprintf(buf, sizeof(buf), "%s", target);
		snprintf(sysfs, sizeof(sysfs), "/sys/class/block/%s/size", basename(buf));
		if (!pb_read_u64(sysfs, &dev) && dev * 512 < od->span)
			od->span = (dev * 512 / odo.io_size) * odo.io_size;
		if (!od->span) {
			pb_err("block device %s is smaller than one --io-size I/O", target);
			return -EINVAL;
		}
	}
	return 0;
}

static int odirect_pin(struct pin_ctx *ctx, struct pin_call *c)
{
	struct odirect *od = ctx->priv;
	char *p = c->addr;
	size_t len = c->len;

	while (len) {
		ssize_t n = pwrite(od->fd, p, len, (off_t)od->next_off);

		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	od->next_off += ctx->chunk;
	if (od->next_off >= od->span)
		od->next_off = 0;
	return 0;
}

static void odirect_close(struct pin_ctx *ctx)
{
	struct odirect *od = ctx->priv;

	if (!od)
		return;
	if (od->fd >= 0)
		close(od->fd);
	if (od->scratch[0])
		unlink(od->scratch);
	free(od);
	ctx->priv = NULL;
}

/* --breakdown: the kernel functions of each phase (phases.h). */
static const struct phase_fn odirect_phases[] = {
	/* one pin row is the sum of the O_DIRECT writes */
	{ "pin", PHASE_GUP, "get_user_pages_fast", "iov_iter_get_pages2 (6.1)" },
	{ "pin", PHASE_GUP, "pin_user_pages_fast", "iov_iter_extract_pages (6.5+)" },
	{ "pin", PHASE_RELEASE, "__bio_release_pages", "at completion" },
	{ "pin", PHASE_CORE, "bio_iov_iter_get_pages", "building the bio around GUP" },
	{ 0 },
};

const struct pin_driver driver_odirect = {
	.name = "odirect",
	.what = "O_DIRECT pwrite from the region, --io-size per I/O (pins for the I/O's duration)",
	.path = "bio_iov_iter_get_pages -> pin_user_pages_fast (get_user_pages_fast before 6.5), not long-term",
	.title = "O_DIRECT I/O (pwrite from the region)",
	.flags = PIN_FOLL_PIN | PIN_ONESHOT | PIN_CHUNKED,
	.phases = odirect_phases,
	.opts = odirect_opts,
	.opts_store = &odo,
	.probe = odirect_probe,
	.open = odirect_open,
	.pin = odirect_pin,
	.close = odirect_close,
};
