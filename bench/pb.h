/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers shared by every part of pinbench: errors, sizes, the clock. */
#ifndef PB_H
#define PB_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define PB_KIB (1024ULL)
#define PB_MIB (1024ULL * PB_KIB)
#define PB_GIB (1024ULL * PB_MIB)

/* Exit statuses, documented in docs/results-format.md ("Exit status") and README.md. */
enum pb_exit {
	PB_EXIT_OK = 0,
	PB_EXIT_FAIL = 1,	/* a run failed part way (rows kept as .partial) */
	PB_EXIT_USAGE = 2,	/* bad input: nothing was measured, nothing written */
	PB_EXIT_LEAK = 3,	/* completed, but the pin audit found a leak */
	PB_EXIT_SKIP = 77,	/* region or method not available on this machine */
	PB_EXIT_UNSUPPORTED = 78, /* the kernel refuses to pin this memory this way */
	PB_EXIT_SIGINT = 130,
	PB_EXIT_SIGTERM = 143,
};

/* One line on stderr, prefixed "pinbench: ". */
void pb_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Progress on stderr unless --quiet. */
void pb_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern int pb_quiet;

/* Set by the SIGINT/SIGTERM handler; the measuring loop stops at the next op. */
extern _Atomic int pb_stop_signal;	/* atomic: worker threads read it */
/*
 * fn handles SIGINT, SIGTERM and SIGHUP, without SA_RESTART: a blocking
 * call (an ioctl, waitpid) returns EINTR so that the caller sees the stop.
 */
void pb_catch_stop_signals(void (*fn)(int));

/*
 * "4K", "2M", "1G", "512", "3g", "1.5G" is refused. Returns 0 and the size in
 * bytes, or -EINVAL (not a size) / -ERANGE (overflow).
 */
int pb_parse_size(const char *s, uint64_t *out);
/* "4K" .. "16G" style; fills buf with "2M", "1G", "4096" (exact). */
const char *pb_fmt_size(uint64_t v, char *buf, size_t len);

/*
 * A list of sizes: "2M,64M,1G" or a power-of-two range "4K..16G" (both ends
 * powers of two). Sorted, without duplicates. Returns count, or -errno with a
 * message in why.
 */
#define PB_MAX_SIZES 64
int pb_parse_sizes(const char *s, uint64_t *out, int max, char *why, size_t whylen);

static inline uint64_t pb_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Median cost of one pb_now_ns() call, in ns. */
uint64_t pb_clock_cost_ns(void);

/* "EINVAL", "EOPNOTSUPP", ... for a positive errno; "E<n>" otherwise. */
const char *pb_errno_name(int err);

/* mkdir -p. 0 or -errno. */
/*
 * Room for element n of an array of cap elements: p itself while n < cap,
 * else p realloc()ed to twice cap (first when cap is 0). NULL when out of
 * memory (p is then untouched).
 */
void *pb_grow(void *p, size_t *cap, size_t n, size_t elem, size_t first);
int pb_mkdir_p(const char *dir);
/* Copy src keeping [A-Za-z0-9._-], others as '_': safe in a file name. */
void pb_sanitize(char *dst, size_t len, const char *src);
/* A result set's label (it names a folder): [A-Za-z0-9._+@-], not empty, not starting with '.'. */
int pb_label_ok(const char *label);
/*
 * A region spec's part of a result file name, for run and sweep alike:
 * "devdax:/dev/dax0.0" -> "devdax-dax0.0", "hugetlb:2M" -> "hugetlb-2M";
 * the last path component of the argument, characters but [A-Za-z0-9.+-] as '_'.
 */
void pb_region_slug(const char *spec, char *buf, size_t len);

/* Read a small sysfs/proc file into buf, newline stripped. 0 or -errno. */
int pb_read_file(const char *path, char *buf, size_t len);
int pb_read_u64(const char *path, uint64_t *out);

#endif
