/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Boots: which boot of the machine (or guest) a result file was measured in,
 * and the statistics over boots that a comparison needs.
 *
 * Each row names its boot: boot_id (the kernel's /proc/sys/kernel/random/
 * boot_id) and, under make ab, boot_seq (its place in the interleaved order);
 * files before format 3 name it in their metadata, which the reader copies
 * into their rows. A row without boot_id belongs to a pseudo-boot of its
 * file's folder, so old result sets (one boot per label) read as one boot
 * each. make ab also leaves a host record, 'host.txt', in the folder
 * of each boot's files: what else used the host's CPUs while it ran
 * ('busy: yes, REASON' when it ran beside another guest or a heavy process).
 * And the guest's 'calibrate.txt': pinbench calibrate (a fixed userspace
 * loop) timed at the boot's start and end. A boot whose loop ran more than
 * the drift threshold away from the run's median, at its start or its end,
 * or whose end and start differ by more than it, is drifted and left out
 * like a busy boot (boots_mark_drift).
 *
 * The hierarchical bootstrap resamples boots, then reps within each drawn
 * boot, so drift between boots widens the interval; with one boot a side it
 * is the reps-only bootstrap. Lower layer: nothing here knows the comparison.
 */
#ifndef PB_BOOTS_H
#define PB_BOOTS_H

#include <stddef.h>
#include <stdint.h>

#include "results.h"
#include "stats.h"

struct pb_boot {
	char id[64];		/* boot_id, or "" for a folder's pseudo-boot */
	int seq;		/* boot_seq, -1: not recorded */
	char label[128];
	char dir[512];		/* folder of its files */
	size_t nfiles;
	size_t last_file;	/* the last file counted in nfiles, plus 1 */
	int has_host;		/* dir/host.txt was read */
	int busy;		/* host.txt says busy: yes */
	char host[256];		/* host.txt's summary line */
	char busy_why[256];
	int excluded;		/* by --exclude-boots: its rows are not loaded */
	/* calibrate.txt: the loop's median round (ns) at the start and end, 0: none */
	int has_cal;
	double cal_start, cal_end;
	char cal_work[32];
	double cal_median;	/* the run's median it is held against (0: none) */
	double cal_rs, cal_re;	/* start, end over that median (0: none) */
	int drifted;		/* beyond the threshold (boots_mark_drift) */
	int drift_out;		/* left out for it: its rows are not loaded */
	int drift_kept;		/* drifted but kept: leaving it out would leave its label no boot */
	char drift_why[96];
};

/* Default drift threshold: 15% (see boots_mark_drift). */
#define BOOTS_DRIFT_DEFAULT 0.15

struct pb_boots {
	struct pb_boot *b;
	size_t n, cap;
	/* --exclude-boots items, and whether each matched a boot */
	char **excl;
	int *excl_hit;
	size_t nexcl;
	int has_cal;		/* some boot has a calibrate.txt */
	double drift_thr;	/* the threshold applied, 0: off */
};

/* Are a boot's rows used (not excluded, not left out as drifted)? */
static inline int boots_used(const struct pb_boot *b)
{
	return !b->excluded && !b->drift_out;
}

/*
 * Parse --exclude-boots LIST: comma-separated 'busy', a boot_id (or its
 * first 8+ characters), 'LABEL:SEQ' or a boot_seq number. 0, or -EINVAL after
 * one pb_err() line naming the item.
 */
int boots_set_exclude(struct pb_boots *bt, const char *list);

/*
 * The boot of row r of file number FILE in folder DIR: (label, boot_id), or
 * for a row without boot_id the pseudo-boot of (label, DIR). Added on its
 * first row (DIR's host.txt and calibrate.txt read then, --exclude-boots
 * applied). Its index, or -ENOMEM after pb_err().
 */
int boots_add_row(struct pb_boots *bt, const struct row *r, const char *dir, size_t file);

/* After every file: an exclusion item that matched no boot is an error. 0 or -EINVAL. */
int boots_check_exclude(const struct pb_boots *bt);
void boots_free(struct pb_boots *bt);

/* Parse one host.txt stream into b (has_host, busy, host, busy_why). */
void boots_parse_host(struct pb_boot *b, const char *text);

/*
 * Parse one calibrate.txt stream into b: lines 'start|end [boot_id=ID] ...
 * calibrate: ns=N ... work=W'; with b->id set, only lines of that boot_id (or
 * none); the last start and end count. Sets has_cal when one was found.
 */
void boots_parse_cal(struct pb_boot *b, const char *text);

/*
 * After every file: hold each calibrated boot's start and end against the
 * run's median (the median of every start and end value of the boots that
 * ran the same work, whatever their label: the loop does not depend on the
 * kernel). With thr > 0 a boot is drifted when start or end over the median
 * is above 1 + thr or below 1 / (1 + thr), or end over start is; drifted
 * boots are left out (drift_out), except where that would leave a label
 * without any used boot (drift_kept). Returns the number left out.
 */
size_t boots_mark_drift(struct pb_boots *bt, double thr);

/* One setting of one label, its ok samples split by boot. */
struct boot_samples {
	int boot;		/* index in pb_boots, or -1 */
	double *ns;
	size_t n, cap;
	double p50, lo, hi;	/* the boot's median and its reps-only 95% interval */
};

struct boot_split {
	struct boot_samples *b;
	size_t n, cap;
	size_t total;		/* samples in all boots */
	/* filled by boots_split_finish */
	double min_p50, max_p50;	/* lowest and highest boot median */
	int disagree;		/* two boots' own intervals do not overlap */
};

int boots_split_add(struct boot_split *s, int boot, double ns);
/* Per-boot medians, their reps-only intervals, the spread and the flag. */
void boots_split_finish(struct boot_split *s, unsigned iters, uint64_t seed);
void boots_split_free(struct boot_split *s);

/*
 * Ratio of pooled medians b/a with a hierarchical percentile-bootstrap 95%
 * interval: each resample draws as many boots as the side has (with
 * replacement), then as many reps from each drawn boot as it holds.
 */
void boots_ratio_ci(const struct boot_split *a, const struct boot_split *b, unsigned iters,
		    uint64_t seed, struct ratio_ci *out);

#endif
