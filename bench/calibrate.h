/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pinbench calibrate: a fixed userspace loop (integer mixing over a fixed
 * buffer walked with dependent indexes; no system call while it is timed),
 * so its time says how fast the CPU, or the emulator, ran, not which kernel
 * ran it. make ab's guests time it at the start and end of each boot
 * (calibrate.txt); pinbench compare marks boots whose time moved.
 */
#ifndef PB_CALIBRATE_H
#define PB_CALIBRATE_H

#include <stddef.h>
#include <stdint.h>

/* The loop's version: change it whenever the work below changes. */
#define CAL_WORK "walk1-4MiB-512K"
#define CAL_WORDS (1u << 19)	/* 4 MiB of 64-bit words */
#define CAL_STEPS (1u << 19)	/* dependent steps a round */
#define CAL_SEED 0x9e3779b97f4a7c15ULL
/* What cal_work returns on a buffer from cal_fill (the test checks it). */
#define CAL_CHECKSUM 0x2579e075929b52eaULL
#define CAL_ROUNDS 5

/* Fill words (a power of two) with a fixed xorshift sequence. */
void cal_fill(uint64_t *buf, size_t words);
/* The timed work: steps dependent load-mix-store steps; its checksum. */
uint64_t cal_work(uint64_t *buf, size_t words, uint64_t steps);
/* Median of v (sorted in place); the mean of the middle two when n is even. 0 if n is 0. */
uint64_t cal_median(uint64_t *v, size_t n);

/* One 'calibrate: ns=N rounds=R ... work=W ...' line. */
struct cal_line {
	uint64_t ns;
	unsigned rounds;
	char work[32];
};

/* Parse such a line (anywhere in s). 0, or -EINVAL when it is not one. */
int cal_parse(const char *s, struct cal_line *out);

#endif
