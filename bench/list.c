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
#include "list.h"
#include "pb.h"
#include "phases.h"
#include "region.h"

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

size_t list_dir(const char *dir, int digits, char (*names)[64])
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	while (d && n < LIST_MAX && (e = readdir(d)))
		if (digits ? e->d_name[0] >= '0' && e->d_name[0] <= '9' : e->d_name[0] != '.')
			snprintf(names[n++], 64, "%.63s", e->d_name);
	if (d)
		closedir(d);
	qsort(names, n, 64, by_name);
	return n;
}

static void print_dir(const char *title, const char *dir, int digits)
{
	char names[LIST_MAX][64];
	size_t n = list_dir(dir, digits, names);

	printf("%s:", title);
	for (size_t i = 0; i < n; i++)
		printf(" %s", names[i]);
	printf("%s\n", n ? "" : " none");
}

/* One page of the first dax device, mapped and read, never written. */
void list_devdax(struct list_devdax *s)
{
	const struct region_opts o = { 0 };
	struct region r;
	glob_t g;
	char spec[300];

	memset(s, 0, sizeof(*s));
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
	snprintf(s->backing, sizeof(s->backing), "%s", r.backing);
	for (int i = 0; pin_drivers[i] && s->n < LIST_MAX; i++) {
		const struct pin_driver *d = pin_drivers[i];
		char why[256] = "";

		if (!d->probe_region || d->probe(why, sizeof(why)))
			continue;
		s->m[s->n].d = d;
		s->m[s->n].ok = !d->probe_region(&r, s->m[s->n].why, sizeof(s->m[s->n].why));
		s->n++;
	}
	region_close(&r);
}

static void print_devdax(void)
{
	struct list_devdax s;

	list_devdax(&s);
	if (!s.backing[0])
		return;
	printf("Device-dax on this kernel (one page of %s):\n", s.backing);
	for (size_t i = 0; i < s.n; i++)
		printf("  %-14s %-4s %s\n", s.m[i].d->name, s.m[i].ok ? "yes" : "no", s.m[i].why);
	if (!s.n)
		printf("  (no method here probes its kernel's support)\n");
}

static const char usage[] = "usage: pinbench list [-v | --json | --names]\n"
	"What this machine offers: regions, devices, and which methods can run (-v: the kernel path each exercises).\n"
	"  --json   all of it, with every method's flags, graph title, phase count and own options, and every region kind's series colours\n"
	"  --names  the method names, one a line\n";

int cmd_list(int argc, char **argv)
{
	struct pin_counts pc;
	char *avail = NULL;
	const char *a = argc > 1 ? argv[1] : "";
	int verbose = !strcmp(a, "-v") || !strcmp(a, "--verbose");

	if (argc > 2 || (a[0] && !verbose && strcmp(a, "--json") && strcmp(a, "--names"))) {
		if (argc > 2 || (strcmp(a, "--help") && strcmp(a, "-h"))) {
			pb_err("list: unknown argument '%s'; usage: pinbench list [-v | --json | --names]", argv[argc > 2 ? 2 : 1]);
			return PB_EXIT_USAGE;
		}
		fputs(usage, stdout);
		return PB_EXIT_OK;
	}
	if (!strcmp(a, "--names")) {
		for (int i = 0; pin_drivers[i]; i++)
			printf("%s\n", pin_drivers[i]->name);
		return PB_EXIT_OK;
	}
	if (!strcmp(a, "--json")) {
		list_json(stdout);
		return fflush(stdout) ? PB_EXIT_FAIL : PB_EXIT_OK;
	}
	printf("Regions (--region):\n");
	for (int i = 0; region_kinds[i]; i++)
		if (region_kinds[i]->list)
			region_kinds[i]->list(stdout);
		else
			printf("  %-14s %s\n", region_kinds[i]->usage, region_kinds[i]->what);
	print_dir("RDMA devices", "/sys/class/infiniband", 0);
	print_dir("VFIO groups", "/dev/vfio", 1);
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
	print_devdax();
	return PB_EXIT_OK;
}
