// SPDX-License-Identifier: GPL-2.0
/*
 * pinbench calibrate: time a fixed userspace loop, CAL_ROUNDS rounds, and
 * print the median round on one line:
 *
 *   calibrate: ns=123456789 rounds=5 min_ns=... max_ns=... work=walk1-4MiB-512K checksum=...
 *
 * The same work on every kernel: the buffer is mapped, kept to small pages
 * and written before the clock starts (page faults and THP are the kernel's
 * business and stay outside), and each round refills it first, so every
 * round does the same loads and stores and ends with the same checksum. In a
 * TCG guest the time is the emulator's speed, which host load and steal time
 * change and the guest kernel does not (apart from its timer ticks).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "calibrate.h"
#include "commands.h"
#include "pb.h"

static uint64_t xorshift(uint64_t x)
{
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

void cal_fill(uint64_t *buf, size_t words)
{
	uint64_t x = CAL_SEED;

	for (size_t i = 0; i < words; i++) {
		x = xorshift(x);
		buf[i] = x * 0x2545f4914f6cdd1dULL;
	}
}

uint64_t cal_work(uint64_t *buf, size_t words, uint64_t steps)
{
	uint64_t x = CAL_SEED, mask = words - 1;
	size_t i = 0;

	for (uint64_t s = 0; s < steps; s++) {
		uint64_t v = buf[i];

		/* Mix the loaded word in; the next index depends on the result. */
		x = xorshift(x ^ v) * 0x2545f4914f6cdd1dULL;
		x += (x >> 29) * 0xbf58476d1ce4e5b9ULL;
		buf[i] = v + x;
		i = (size_t)((x >> 17) & mask);
	}
	return x;
}

uint64_t cal_median(uint64_t *v, size_t n)
{
	if (!n)
		return 0;
	/* Insertion sort: a handful of rounds. */
	for (size_t i = 1; i < n; i++) {
		uint64_t t = v[i];
		size_t j = i;

		for (; j > 0 && v[j - 1] > t; j--)
			v[j] = v[j - 1];
		v[j] = t;
	}
	if (n % 2)
		return v[n / 2];
	return v[n / 2 - 1] + (v[n / 2] - v[n / 2 - 1]) / 2;
}

int cal_parse(const char *s, struct cal_line *out)
{
	const char *p = strstr(s, "calibrate: ");
	const char *ns, *r, *w;
	char *end;

	memset(out, 0, sizeof(*out));
	if (!p)
		return -EINVAL;
	p += 11;
	ns = strstr(p, "ns=");
	r = strstr(p, "rounds=");
	w = strstr(p, "work=");
	/* ns= must be the key itself, not the end of min_ns= */
	while (ns && ns > p && ns[-1] != ' ')
		ns = strstr(ns + 3, "ns=");
	if (!ns || !w)
		return -EINVAL;
	errno = 0;
	out->ns = strtoull(ns + 3, &end, 10);
	if (errno || end == ns + 3 || (*end && *end != ' ' && *end != '\n') || !out->ns)
		return -EINVAL;
	if (r) {
		unsigned long v = strtoul(r + 7, &end, 10);

		out->rounds = end != r + 7 && v < 1000 ? (unsigned)v : 0;
	}
	w += 5;
	size_t len = strcspn(w, " \t\r\n");

	if (!len || len >= sizeof(out->work))
		return -EINVAL;
	memcpy(out->work, w, len);
	out->work[len] = '\0';
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pinbench calibrate [--rounds N]\n"
		"\n"
		"Time a fixed userspace loop (%u dependent load-mix-store steps over a %u MiB\n"
		"buffer, no system call while timed) N times (default %u) after one warm-up\n"
		"round, and print one line: the median round in ns, the rounds, the fastest\n"
		"and slowest, the loop's version (work=) and its checksum. The work is the\n"
		"same on every kernel: its time measures how fast the CPU or emulator ran.\n",
		CAL_STEPS, (unsigned)(CAL_WORDS * sizeof(uint64_t) >> 20), CAL_ROUNDS);
}

int cmd_calibrate(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rounds", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	size_t len = CAL_WORDS * sizeof(uint64_t);
	uint64_t t[100], lo, hi;
	unsigned rounds = CAL_ROUNDS;
	uint64_t *buf;
	int opt;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "+r:h", longopts, NULL)) != -1) {
		char *end;
		unsigned long v;

		switch (opt) {
		case 'r':
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || *optarg == '-' || v < 1 ||
			    v > sizeof(t) / sizeof(t[0])) {
				pb_err("--rounds '%s': a whole number from 1 to %zu", optarg,
				       sizeof(t) / sizeof(t[0]));
				return PB_EXIT_USAGE;
			}
			rounds = (unsigned)v;
			break;
		case 'h':
			usage(stdout);
			return PB_EXIT_OK;
		default:
			pb_err("see 'pinbench calibrate --help'");
			return PB_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		pb_err("calibrate takes no arguments ('%s'); see 'pinbench calibrate --help'", argv[optind]);
		return PB_EXIT_USAGE;
	}
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		pb_err("calibrate: cannot map %zu bytes: %s", len, strerror(errno));
		return PB_EXIT_FAIL;
	}
	/* Small pages on every kernel, whatever its THP setting; not fatal where unknown. */
	(void)madvise(buf, len, MADV_NOHUGEPAGE);
	for (unsigned r = 0; r <= rounds; r++) {
		uint64_t t0, t1, c;

		cal_fill(buf, CAL_WORDS);	/* faults every page in, outside the clock */
		t0 = now_ns();
		c = cal_work(buf, CAL_WORDS, CAL_STEPS);
		t1 = now_ns();
		if (c != CAL_CHECKSUM) {
			pb_err("calibrate: checksum %016" PRIx64 ", expected %016" PRIx64
			       ": this build computes another loop than %s", c, (uint64_t)CAL_CHECKSUM,
			       CAL_WORK);
			munmap(buf, len);
			return PB_EXIT_FAIL;
		}
		if (r)	/* round 0 warms up */
			t[r - 1] = t1 - t0;
	}
	munmap(buf, len);
	lo = hi = t[0];
	for (unsigned r = 1; r < rounds; r++) {
		if (t[r] < lo)
			lo = t[r];
		if (t[r] > hi)
			hi = t[r];
	}
	printf("calibrate: ns=%" PRIu64 " rounds=%u min_ns=%" PRIu64 " max_ns=%" PRIu64
	       " work=%s checksum=%016" PRIx64 "\n",
	       cal_median(t, rounds), rounds, lo, hi, CAL_WORK, (uint64_t)CAL_CHECKSUM);
	return fflush(stdout) ? PB_EXIT_FAIL : PB_EXIT_OK;
}
