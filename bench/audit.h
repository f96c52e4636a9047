/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pin accounting audit: /proc/vmstat nr_foll_pin_acquired / _released read
 * around each measured op (outside the timed window) after folding the
 * per-CPU counter caches through /proc/sys/vm/stat_refresh.
 */
#ifndef PB_AUDIT_H
#define PB_AUDIT_H

#include <stdint.h>

struct pin_counts {
	int64_t acquired, released;	/* -1: not available */
};

/* 0, or -errno (no /proc/vmstat counters). Folds per-CPU caches first when it can. */
int audit_read(struct pin_counts *c);
/* Whether stat_refresh could be written (exact figures). */
int audit_exact(void);

enum audit_verdict {
	AUDIT_BALANCED,
	AUDIT_LEAKED,		/* released < acquired */
	AUDIT_OVER_RELEASED,	/* released > acquired: lagging caches or others */
	AUDIT_NOT_COUNTED,	/* nothing counted: method not FOLL_PIN, or no counters */
};

struct audit_result {
	enum audit_verdict verdict;
	int64_t acquired, released, leaked;
	int64_t expected;	/* pages the pins should have counted, -1 unknown */
};

struct audit_input {
	int64_t acquired, released;	/* summed over all ops of a setting */
	int foll_pin;			/* the method pins with FOLL_PIN */
	int exact;			/* per-CPU caches were folded before each read */
	int64_t slack;			/* !exact: pages the caches may hide */
	int64_t expected;		/* pages the pins should count, -1 unknown */
};

/* Verdict for one setting. */
void audit_judge(const struct audit_input *in, struct audit_result *out);
/* Pages the per-CPU vmstat caches can hold back: threshold (125) per CPU. */
int64_t audit_slack(void);
/* "balanced", "leaked 512 pages", "over-released 3 pages", "not counted". */
const char *audit_verdict_str(const struct audit_result *a, char *buf, size_t len);

#endif
