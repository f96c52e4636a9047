// SPDX-License-Identifier: GPL-2.0
/*
 * `pinbench sweep JOBFILE`: every job x region x method of a job file, each
 * a `pinbench run` in a child of its own; outcomes printed as the sweeps
 * before it printed them ("[i/n] METHOD on REGION: ..."), recorded, resumed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "jobfile.h"
#include "pb.h"
#include "sweep.h"
#include "sweep_plan.h"

static volatile sig_atomic_t stop_sig;

static void on_signal(int sig)
{
	stop_sig = sig;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pinbench sweep [--dry-run | --plan] [--set KEY=VALUE ...] JOBFILE\n\n"
		"Runs every job x region x method of JOBFILE, each setting as `pinbench run` in a\n"
		"child process, its output in OUTDIR/LABEL/.sweep-logs/. A setting whose result\n"
		"file (OUTDIR/LABEL/*-METHOD-REGION.csv, not .partial) exists is skipped as\n"
		"already measured: run it again after an interruption to resume.\n\n"
		"  --dry-run        print every setting and its `pinbench run` command; run nothing\n"
		"  --plan           the plan for scripts, tab-separated; run nothing. A line per key\n"
		"                   of each job: job NAME KEY VALUE (label, outdir, sizes, sizes-1g,\n"
		"                   reps, methods, regions as given, then its run options); a line\n"
		"                   per setting: setting NAME METHOD REGION ALIGN CAPACITY SIZES\n"
		"                   (bytes; capacity 0: unbounded; SIZES a comma list, - if none fits)\n"
		"  --set KEY=VALUE  set KEY in every job, over the file (e.g. --set label=after)\n\n"
		"Job file: [global] holds defaults, then each [NAME] section is one job and\n"
		"starts from [global]; `key = value` lines, # or ; comments. Keys (each job\n"
		"needs regions, methods and sizes; jobs/demo.job is one to copy):\n"
		"  regions    comma list of --region values; devdax = every /dev/daxX.Y here,\n"
		"             dram = hugetlb:2M,thp,anon\n"
		"  methods    comma list of --method values (pinbench list)\n"
		"  sizes      sizes for regions aligned below 1G\n"
		"  sizes-1g   sizes for 1G-aligned regions [sizes]; sizes a region cannot hold\n"
		"             (not a multiple of its align, larger than its device) are dropped\n"
		"  label      result set name [uname -r]    outdir   folder of sets [" SWEEP_DEFAULT_OUTDIR "]\n"
		"  anything else: a `pinbench run` long option without its dashes, with run's\n"
		"  default (reps, warmup, chunk, threads, breakdown = 1, ...); a method's own\n"
		"  option (rdma-access, io-size, ...) goes to that method's runs only\n\n"
		"Example (jobs/ holds one per make ab profile):\n"
		"  [global]\n"
		"  reps = 3\n"
		"  sizes = 2M,256M,1G\n"
		"  sizes-1g = 1G\n"
		"  [ladder]\n"
		"  regions = devdax,dram\n"
		"  methods = rdma,vfio,iouring,odirect\n\n"
		"Outcomes: measured (run exit 0; 3: PIN LEAK reported), skipped (77: not here),\n"
		"unsupported (78: the kernel refuses this memory this way), FAILED (other), each\n"
		"a line in OUTDIR/LABEL/sweep-outcomes.txt. Exit: 0 nothing failed, 1 a setting\n"
		"failed, 2 bad job file (nothing run), 130 interrupted (finished files kept).\n"
		"Environment: PINBENCH_SWEEP_RUN=PROGRAM runs each setting with PROGRAM instead\n"
		"of this pinbench (tests).\n");
}

static int parse_args(int argc, char **argv, struct sweep_opts *so)
{
	memset(so, 0, sizeof(*so));
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return -1;
		} else if (!strcmp(argv[i], "--dry-run")) {
			so->dry = 1;
		} else if (!strcmp(argv[i], "--plan")) {
			so->plan = 1;
		} else if (!strcmp(argv[i], "--set") || !strncmp(argv[i], "--set=", 6)) {
			const char *kv = argv[i][5] == '=' ? argv[i] + 6 : (i + 1 < argc ? argv[++i] : NULL);

			if (!kv) {
				pb_err("--set needs KEY=VALUE, e.g. --set label=after");
				return PB_EXIT_USAGE;
			}
			if (so->nsets == SWEEP_MAX_SETS) {
				pb_err("more than %d --set: put them in the job file", SWEEP_MAX_SETS);
				return PB_EXIT_USAGE;
			}
			so->sets[so->nsets++] = kv;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			pb_err("unknown option '%s'; see pinbench sweep --help", argv[i]);
			return PB_EXIT_USAGE;
		} else if (so->jobfile) {
			pb_err("one job file at a time: '%s' and '%s'", so->jobfile, argv[i]);
			return PB_EXIT_USAGE;
		} else {
			so->jobfile = argv[i];
		}
	}
	if (so->dry && so->plan) {
		pb_err("--dry-run or --plan, not both");
		return PB_EXIT_USAGE;
	}
	if (!so->jobfile) {
		pb_err("no job file: pinbench sweep JOBFILE (jobs/*.job; see pinbench sweep --help)");
		return PB_EXIT_USAGE;
	}
	return 0;
}

int cmd_sweep(int argc, char **argv)
{
	struct sweep_opts so;
	struct jobfile jf;
	struct sweep_plan plan;
	char exe[4096];
	ssize_t n;
	int rc;

	if ((rc = parse_args(argc, argv, &so)))
		return rc < 0 ? PB_EXIT_OK : rc;
	if (jobfile_load(&jf, so.jobfile))
		return PB_EXIT_USAGE;
	for (int i = 0; i < so.nsets; i++)
		if (jobfile_set(&jf, so.sets[i])) {
			jobfile_free(&jf);
			return PB_EXIT_USAGE;
		}
	/* The program itself, by path: what the children run (PINBENCH_SWEEP_RUN: another, for tests). */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0)
		exe[n] = '\0';
	else
		snprintf(exe, sizeof(exe), "/proc/self/exe");
	if (getenv("PINBENCH_SWEEP_RUN") && *getenv("PINBENCH_SWEEP_RUN"))
		snprintf(exe, sizeof(exe), "%s", getenv("PINBENCH_SWEEP_RUN"));
	if ((rc = sweep_plan_build(&plan, &jf, exe))) {
		jobfile_free(&jf);
		return rc;
	}
	so.exe = exe;
	if (so.plan) {
		rc = sweep_plan_print(&plan, &jf, stdout) ? PB_EXIT_FAIL : PB_EXIT_OK;
		sweep_plan_free(&plan);
		jobfile_free(&jf);
		return rc;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!so.dry)
		pb_catch_stop_signals(on_signal);
	rc = sweep_run(&plan, &so, &stop_sig);
	sweep_plan_free(&plan);
	jobfile_free(&jf);
	return rc;
}
