// SPDX-License-Identifier: GPL-2.0
/*
 * pinbench: how long Linux takes to pin memory, above all device-dax.
 * A command table, as daxctl has: run, list, summary, compare.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "options.h"
#include "pb.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *what;
};

/* PB_REPORT_ONLY (make report): the commands that need no pinning library. */
static const struct command commands[] = {
#ifndef PB_REPORT_ONLY
	{ "run", cmd_run, "pin and unpin a region with a method, write result rows" },
	{ "list", cmd_list, "what this machine offers: dax devices, pools, RDMA, VFIO, gup_test" },
#endif
	{ "summary", cmd_summary, "per-setting summary CSV from result files" },
	{ "compare", cmd_compare, "compare result sets (labels): ratios, confidence intervals, report" },
	{ "calibrate", cmd_calibrate, "time a fixed userspace loop: how fast this CPU or emulator runs" },
#ifndef PB_REPORT_ONLY
	{ "sweep", cmd_sweep, "run every region x method setting of a job file, each as a run of its own" },
#endif
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fprintf(f, "pinbench %s (git %s): time how long Linux takes to pin memory\n\n", PB_VERSION, PB_GIT_REV);
#ifdef PB_REPORT_ONLY
	fprintf(f, "usage: pinbench-report COMMAND [OPTIONS]\n\n"
		   "pinbench's commands that read results, built without the pinning libraries\n"
		   "(make report). COMMAND --help explains each.\n\nCommands:\n");
#else
	fprintf(f, "usage: pinbench COMMAND [OPTIONS]\n       pinbench --region R --method M [OPTIONS]   (same as run)\n\n"
		   "Commands:\n");
#endif
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].what);
#ifndef PB_REPORT_ONLY
	fprintf(f, "\nExample:\n  pinbench run --region hugetlb:2M --method iouring --sizes 2M..256M\n\n");
	options_help(f);
	fprintf(f, "\nExit status: 0 done, 1 failed part way (rows kept as FILE.partial), 2 bad input\n"
		   "(nothing written), 3 done but the pin audit found a leak, 77 region or method not\n"
		   "available here, 78 the kernel refuses to pin this memory this way (io_uring on\n"
		   "device-dax before 6.2, long-term pins of fsdax), 130/143 interrupted (pins\n"
		   "released, rows kept as FILE.partial).\n");
#endif
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return PB_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return PB_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("pinbench %s (git %s)\n", PB_VERSION, PB_GIT_REV);
		return PB_EXIT_OK;
	}
#ifndef PB_REPORT_ONLY
	if (!strncmp(argv[1], "--", 2))
		return cmd_run(argc, argv);
#endif
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	pb_err("unknown command '%s'; see %s --help for the commands", argv[1], argv[0]);
	return PB_EXIT_USAGE;
}
