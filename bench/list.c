// SPDX-License-Identifier: GPL-2.0
/* `pinbench list`: what this machine offers, and which methods can run. */
#include <dirent.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "breakdown_trace.h"
#include "commands.h"
#include "driver.h"
#include "pb.h"
#include "phases.h"
#include "region.h"

static void list_vfio_groups(void)
{
	DIR *d = opendir("/dev/vfio");
	struct dirent *e;
	int n = 0;

	printf("VFIO groups:");
	while (d && (e = readdir(d)))
		if (e->d_name[0] >= '0' && e->d_name[0] <= '9') {
			printf(" %s", e->d_name);
			n++;
		}
	printf("%s\n", n ? "" : " none");
	if (d)
		closedir(d);
}

static void list_rdma_devices(void)
{
	DIR *d = opendir("/sys/class/infiniband");
	struct dirent *e;
	int n = 0;

	printf("RDMA devices:");
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.') {
			printf(" %s", e->d_name);
			n++;
		}
	printf("%s\n", n ? "" : " none");
	if (d)
		closedir(d);
}

/*
 * Whether each method pins device-dax on this kernel: one page of the first
 * dax device, mapped and read, never written.
 */
static void list_devdax_support(void)
{
	const struct region_opts o = { 0 };
	struct region r;
	glob_t g;
	char spec[300];
	int n = 0;

	if (glob("/dev/dax*", 0, NULL, &g))
		return;
	snprintf(spec, sizeof(spec), "devdax:%s", g.gl_pathv[0]);
	globfree(&g);
	if (region_parse(spec, &r) || region_describe(&r, &o))
		return;
	struct region_opts one = { .sizes = &r.align, .nsizes = 1, .want = r.align };

	if (region_map(&r, &one)) {
		region_close(&r);
		return;
	}
	printf("Device-dax on this kernel (one page of %s):\n", r.backing);
	for (int i = 0; pin_drivers[i]; i++) {
		const struct pin_driver *d = pin_drivers[i];
		char why[256] = "";

		if (!d->probe_region || d->probe(why, sizeof(why)))
			continue;
		int rc = d->probe_region(&r, why, sizeof(why));

		printf("  %-14s %-4s %s\n", d->name, rc ? "no" : "yes", why);
		n++;
	}
	if (!n)
		printf("  (no method here probes its kernel's support)\n");
	region_close(&r);
}

int cmd_list(int argc, char **argv)
{
	struct pin_counts pc;
	char *avail = NULL;
	int verbose = argc > 1 && (!strcmp(argv[1], "-v") || !strcmp(argv[1], "--verbose"));

	if (argc > 1 && !verbose) {
		if (strcmp(argv[1], "--help") && strcmp(argv[1], "-h")) {
			pb_err("list: unknown argument '%s'; usage: pinbench list [-v]", argv[1]);
			return PB_EXIT_USAGE;
		}
		printf("usage: pinbench list [-v]\nWhat this machine offers: regions, devices, and which methods can run (-v: the kernel path each exercises).\n");
		return PB_EXIT_OK;
	}
	printf("Regions (--region):\n");
	for (int i = 0; region_kinds[i]; i++)
		if (region_kinds[i]->list)
			region_kinds[i]->list();
		else
			printf("  %-14s %s\n", region_kinds[i]->usage, region_kinds[i]->what);
	list_rdma_devices();
	list_vfio_groups();
	printf("gup_test: %s\n", access("/sys/kernel/debug/gup_test", F_OK) ?
	       "no (needs CONFIG_GUP_TEST and debugfs mounted at /sys/kernel/debug)" : "yes");
	if (audit_read(&pc))
		printf("pin audit: no nr_foll_pin_* counters in /proc/vmstat\n");
	else
		printf("pin audit: nr_foll_pin_acquired %lld, released %lld (%s)\n", (long long)pc.acquired,
		       (long long)pc.released, audit_exact() ? "exact: per-CPU caches folded" : "approximate: run as root to fold per-CPU caches");
	if (verbose && !(avail = bd_available_functions()))
		printf("breakdown: cannot read tracefs available_filter_functions (run as root, tracefs mounted): traceability not checked\n");
	printf("Methods (--method):\n");
	for (int i = 0; pin_drivers[i]; i++) {
		const struct pin_driver *d = pin_drivers[i];
		char why[256] = "";
		int rc = d->probe(why, sizeof(why));

		printf("  %-14s %-4s %s%s%s\n", d->name, rc ? "no" : "yes", d->what,
		       why[0] ? "\n                      " : "", why);
		if (verbose) {
			printf("                      kernel path: %s\n", d->path);
			printf("                      --breakdown phases (op, phase, function, where):\n");
			phases_print(stdout, d->name, avail);
		}
	}
	free(avail);
	list_devdax_support();
	return PB_EXIT_OK;
}
