/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command-line options of `pinbench run`, as one table (options.c) from which
 * getopt, --help and validation all come. A driver's own options live here too,
 * named after it (--rdma-dev, --vfio-group, --gup-batch, ...).
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
	/* odirect */
	char target[256];	/* --target FILE|BLOCKDEV */
	uint64_t io_size;	/* --io-size */
	/* rdma */
	char rdma_dev[64];	/* --rdma-dev */
	char rdma_access[128];	/* --rdma-access */
	/* vfio */
	int vfio_group;		/* --vfio-group, -1: the only one */
	uint64_t vfio_iova;	/* --vfio-iova */
	/* iommufd */
	char iommufd_dev[128];	/* --iommufd-dev vfioN | /dev/vfio/devices/vfioN | PCI address */
	uint64_t iommufd_iova;	/* --iommufd-iova */
	/* gup */
	int gup_batch;		/* --gup-batch, pages per gup_test call */
};

/* Fill defaults, parse argv. 0, or PB_EXIT_USAGE after one pb_err() line. */
int options_parse(struct options *o, int argc, char **argv);
void options_help(FILE *f);
/* The i-th long option's name (NULL past the end); *flag: it takes no value. For job files. */
const char *options_name(size_t i, int *flag);
/* Is name a long option of `pinbench run`? 1 (and *flag), else 0. */
int options_find(const char *name, int *flag);
/* The default of a long option as --help shows it ("10"), or NULL. */
const char *options_default(const char *name);

#endif
