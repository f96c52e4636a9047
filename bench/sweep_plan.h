/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The settings of a sweep: each job x region x method of a job file, with
 * the sizes its region can hold and the `pinbench run` options it runs with.
 * Every value is checked here, before anything runs.
 */
#ifndef PB_SWEEP_PLAN_H
#define PB_SWEEP_PLAN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "jobfile.h"

/* Where result sets go when a job names no outdir. */
#define SWEEP_DEFAULT_OUTDIR "results"

/* What one job comes to on this machine. */
struct sweep_job {
	const struct job *job;
	char label[128];
	char dir[512];		/* OUTDIR/LABEL */
	char reps[16];
	int nregions, nmethods;
	char notes[1024];	/* lines about its regions (expansions, dropped sizes), '\n' after each */
};

struct sweep_setting {
	size_t job;		/* index in sweep_plan.jobs */
	char region[300];	/* devdax:/dev/dax0.1, hugetlb:2M, ... */
	char method[32];
	char slug[260];		/* METHOD-REGION[-JOB]: result file names end -SLUG.csv */
	char sizes[256];	/* the sizes the region holds, "2M,64M"; "" when none */
	uint64_t align, cap;	/* of the region (cap 0: unbounded); align 0: unknown */
	char **argv;		/* run --region ... --out (argv[out_at], filled in by the runner) ... NULL */
	int argc, out_at;
};

struct sweep_plan {
	struct sweep_job *jobs;
	size_t njobs;
	struct sweep_setting *s;
	size_t n, cap;
};

/* Check every value of jf and expand it. 0, or PB_EXIT_USAGE after pb_err() naming FILE:LINE. */
int sweep_plan_build(struct sweep_plan *p, const struct jobfile *jf, const char *exe);
/*
 * The plan as tab-separated lines for scripts (pinbench sweep --plan): per job
 * "job NAME KEY VALUE" for label, outdir, sizes, sizes-1g, reps, methods,
 * regions (as given) and each run option; per setting "setting NAME METHOD
 * REGION ALIGN CAPACITY SIZES" in bytes (SIZES a comma list, "-" when none fits).
 */
int sweep_plan_print(const struct sweep_plan *p, const struct jobfile *jf, FILE *f);
void sweep_plan_free(struct sweep_plan *p);

#endif
