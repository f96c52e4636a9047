/* SPDX-License-Identifier: GPL-2.0 */
/* `pinbench sweep`: running a plan's settings (sweep_run.c). */
#ifndef PB_SWEEP_H
#define PB_SWEEP_H

#include <signal.h>

#include "sweep_plan.h"

#define SWEEP_MAX_SETS 32

struct sweep_opts {
	const char *jobfile;
	int dry;			/* --dry-run */
	int plan;			/* --plan: the plan as tab-separated lines, nothing run */
	const char *sets[SWEEP_MAX_SETS];	/* --set KEY=VALUE */
	int nsets;
	const char *exe;		/* this program: the children run it */
};

/*
 * Run (or with so->dry print) every setting of p; *stop is set by the
 * caller's signal handler. Returns the sweep's exit status.
 */
int sweep_run(struct sweep_plan *p, const struct sweep_opts *so, volatile sig_atomic_t *stop);

#endif
