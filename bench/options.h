/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command-line options of `pinbench run`: the general ones in one table
 * (options.c), and each method's own in its driver's table (struct
 * pin_driver .opts, fio-style), named after it (--rdma-dev, --vfio-iova,
 * --gup-batch, ...) and accepted with that method only. getopt, --help, job
 * file keys and validation all come from these tables.
 */
#ifndef PB_OPTIONS_H
#define PB_OPTIONS_H

#include <stdint.h>
#include <stdio.h>
#include "pb.h"

struct options {
	char region[300];	/* --region KIND[:ARG] */
	char method[32];	/* --method NAME */
	char sizes_arg[256];	/* --sizes as given */
	uint64_t sizes[PB_MAX_SIZES];
	int nsizes;
	int reps;		/* --reps */
	int warmup;		/* --warmup */
	int write;		/* --write */
	int cpu;		/* --cpu, -1: first CPU of the region's node */
	int node;		/* --node, -1: the region's node */
	char label[128];	/* --label, default uname -r */
	char out[512];		/* --out, default results/<label>/<date>-<method>-<region>.csv */
	char outdir[256];	/* --outdir, default results */
	int quiet;		/* --quiet */
	int no_audit;		/* --no-audit */
	int breakdown;		/* --breakdown: per-phase split of traced reps */
	int breakdown_reps;	/* --breakdown-reps */
	int boot_seq;		/* --boot-seq, -1: not given */
	uint64_t chunk;		/* --chunk: bytes per pin call, 0: the whole slice */
	int threads;		/* --threads */
	char context[16];	/* --context shared|per-thread */
	int per_thread_ctx;	/* --context per-thread */
	char thread_cpus[8];	/* --thread-cpus node|all */
};

enum opt_type { OPT_STR, OPT_INT, OPT_SIZE, OPT_FLAG };

/* One option: its value lives at off in struct options, or in its driver's opts_store. */
struct opt_def {
	const char *name;	/* NULL ends a driver's table */
	enum opt_type type;
	size_t off;
	size_t len;		/* OPT_STR: buffer size */
	const char *def;	/* default as text; NULL: none */
	long long min, max;	/* OPT_INT / OPT_SIZE bounds */
	const char *arg;	/* metavariable in --help */
	const char *help;
};

struct pin_driver;

/*
 * Fill defaults, parse argv; the method's own options go to its driver's
 * opts_store (with its defaults), another method's are refused. 0, or
 * PB_EXIT_USAGE after one pb_err() line.
 */
int options_parse(struct options *o, int argc, char **argv);
void options_help(FILE *f);
/* The i-th long option's name, general then each driver's (NULL past the end); *flag: it takes no value. */
const char *options_name(size_t i, int *flag);
/* Is name a long option of `pinbench run`? 1 (and *flag), else 0. */
int options_find(const char *name, int *flag);
/* The driver whose own option NAME is (the first of those sharing its table); NULL: a general option. */
const struct pin_driver *options_owner(const char *name);
/* Does DRV take option NAME: a general option, or one of its own table? */
int options_of_method(const struct pin_driver *drv, const char *name);
/* The default of a long option as --help shows it ("10"), or NULL. */
const char *options_default(const char *name);

#endif
