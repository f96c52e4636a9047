// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "options.h"

#define O(f) offsetof(struct options, f)
#define S(f) sizeof(((struct options *)0)->f)

static const struct opt_def opts[] = {
	{ "region", OPT_STR, O(region), S(region), NULL, 0, 0, "KIND[:ARG]",
	  "memory to pin: devdax:/dev/daxX.Y fsdax:FILE hugetlb:2M hugetlb:1G thp anon file:PATH" },
	{ "method", OPT_STR, O(method), S(method), NULL, 0, 0, "NAME",
	  "how to pin it: see `pinbench list` (odirect, iouring, rdma, vfio, iommufd, gup-...)" },
	{ "sizes", OPT_STR, O(sizes_arg), S(sizes_arg), "2M..64M", 0, 0, "LIST",
	  "sizes to pin, each a sub-range from the start of one mapping: 2M,64M,1G or 4K..16G (powers of two)" },
	{ "reps", OPT_INT, O(reps), 0, "10", 1, 1000000, "N", "measured repetitions per size" },
	{ "warmup", OPT_INT, O(warmup), 0, "2", 0, 1000000, "N", "unrecorded repetitions before them" },
	{ "write", OPT_FLAG, O(write), 0, NULL, 0, 0, NULL,
	  "allow stores: prefault dax and file regions by writing; let odirect write to a --target it did not create" },
	{ "cpu", OPT_INT, O(cpu), 0, "-1", -1, INT_MAX, "N", "CPU to run on (default: first CPU of the region's node)" },
	{ "node", OPT_INT, O(node), 0, "-1", -1, INT_MAX, "N", "NUMA node to bind CPU and allocations to (default: the region's)" },
	{ "label", OPT_STR, O(label), S(label), NULL, 0, 0, "NAME", "label of this run, e.g. before/after (default: kernel release)" },
	{ "out", OPT_STR, O(out), S(out), NULL, 0, 0, "FILE", "result file (default OUTDIR/LABEL/DATE-METHOD-REGION.csv)" },
	{ "outdir", OPT_STR, O(outdir), S(outdir), "results", 0, 0, "DIR", "folder of result sets" },
	{ "quiet", OPT_FLAG, O(quiet), 0, NULL, 0, 0, NULL, "no progress on stderr" },
	{ "no-audit", OPT_FLAG, O(no_audit), 0, NULL, 0, 0, NULL, "do not read the pin counters around each op" },
	{ "breakdown", OPT_FLAG, O(breakdown), 0, NULL, 0, 0, NULL,
	  "after the timed reps, traced reps: each op split into kernel phases (ftrace function_graph), in RESULT.breakdown" },
	{ "breakdown-reps", OPT_INT, O(breakdown_reps), 0, "3", 1, 1000, "N", "traced repetitions per size with --breakdown" },
	{ "boot-seq", OPT_INT, O(boot_seq), 0, "-1", -1, 1000000, "K",
	  "this boot's place in a series of boots (make ab), written as '# boot_seq: K' beside '# boot_id'" },
	{ "chunk", OPT_SIZE, O(chunk), 0, "0", 0, LLONG_MAX, "SIZE",
	  "pin each size as size/SIZE separate calls (one MR, one MAP_DMA, ... each; io_uring: one iovec each), each timed; a multiple of the region's align; 0: one call" },
	{ "threads", OPT_INT, O(threads), 0, "1", 1, 1024, "N",
	  "N threads pin disjoint slices of each size at once, released together from a barrier" },
	{ "context", OPT_STR, O(context), S(context), "shared", 0, 0, "shared|per-thread",
	  "with --threads: one method context (PD, container, IOAS) for all threads, or one each (vfio, iommufd: a device each)" },
	{ "thread-cpus", OPT_STR, O(thread_cpus), S(thread_cpus), "node", 0, 0, "node|all",
	  "with --threads: round-robin over the CPUs of the run's NUMA node, or over every online CPU" },
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))

/* Is driver k the first to hold its table of options? */
static int table_first(int k)
{
	for (int j = 0; j < k; j++)
		if (pin_drivers[j]->opts == pin_drivers[k]->opts)
			return 0;
	return 1;
}

/* The i-th option over the general table and each driver's own table (a shared one once). */
static const struct opt_def *opt_at(size_t i, const struct pin_driver **owner)
{
	if (owner)
		*owner = NULL;
	if (i < NOPTS)
		return &opts[i];
	i -= NOPTS;
	for (int k = 0; pin_drivers[k]; k++) {
		if (!pin_drivers[k]->opts || !table_first(k))
			continue;
		for (const struct opt_def *d = pin_drivers[k]->opts; d->name; d++)
			if (!i--) {
				if (owner)
					*owner = pin_drivers[k];
				return d;
			}
	}
	return NULL;
}

static const struct opt_def *opt_named(const char *name, const struct pin_driver **owner)
{
	const struct opt_def *d;

	for (size_t i = 0; (d = opt_at(i, owner)); i++)
		if (!strcmp(d->name, name))
			return d;
	return NULL;
}

const char *options_name(size_t i, int *flag)
{
	const struct opt_def *d = opt_at(i, NULL);

	if (d && flag)
		*flag = d->type == OPT_FLAG;
	return d ? d->name : NULL;
}

int options_find(const char *name, int *flag)
{
	const struct opt_def *d = opt_named(name, NULL);

	if (d && flag)
		*flag = d->type == OPT_FLAG;
	return d != NULL;
}

const struct pin_driver *options_owner(const char *name)
{
	const struct pin_driver *owner;

	return opt_named(name, &owner) ? owner : NULL;
}

int options_of_method(const struct pin_driver *drv, const char *name)
{
	const struct pin_driver *owner;

	return opt_named(name, &owner) && (!owner || (drv && owner->opts == drv->opts));
}

const char *options_default(const char *name)
{
	const struct opt_def *d = opt_named(name, NULL);

	return d ? d->def : NULL;
}

/* "rdma, rdma-odp": the methods whose table of options is t. */
static void methods_with(const struct opt_def *t, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (int k = 0; pin_drivers[k] && at < len; k++)
		if (pin_drivers[k]->opts == t)
			at += (size_t)snprintf(buf + at, len - at, "%s%s", at ? ", " : "", pin_drivers[k]->name);
}

static void help_line(FILE *f, const struct opt_def *d)
{
	char left[48];

	snprintf(left, sizeof(left), "--%s%s%s", d->name, d->arg ? " " : "", d->arg ? d->arg : "");
	fprintf(f, "  %-28s %s", left, d->help);
	if (d->def && strcmp(d->def, "-1"))
		fprintf(f, " [%s]", d->def);
	fputc('\n', f);
}

void options_help(FILE *f)
{
	char who[128];

	fprintf(f, "Options of `pinbench run`:\n");
	for (size_t i = 0; i < NOPTS; i++)
		help_line(f, &opts[i]);
	fprintf(f, "\nOptions of one method (with that --method only):\n");
	for (int k = 0; pin_drivers[k]; k++) {
		if (!pin_drivers[k]->opts || !table_first(k))
			continue;
		methods_with(pin_drivers[k]->opts, who, sizeof(who));
		fprintf(f, " %s:\n", who);
		for (const struct opt_def *d = pin_drivers[k]->opts; d->name; d++)
			help_line(f, d);
	}
}

/* Set d's value in the options block at base (struct options, or a driver's opts_store). */
static int set_opt(void *base, const struct opt_def *d, const char *val)
{
	char *p = (char *)base + d->off;
	long long v;
	uint64_t u;
	char *end;

	switch (d->type) {
	case OPT_FLAG:
		*(int *)p = 1;
		return 0;
	case OPT_STR:
		if (strlen(val) >= d->len) {
			pb_err("--%s '%.40s...' is too long (at most %zu characters)", d->name, val, d->len - 1);
			return -EINVAL;
		}
		strcpy(p, val);
		return 0;
	case OPT_INT:
		errno = 0;
		v = strtoll(val, &end, 10);
		if (errno || end == val || *end) {
			pb_err("--%s '%s' is not a whole number", d->name, val);
			return -EINVAL;
		}
		if (v < d->min || v > d->max) {
			pb_err("--%s %lld is out of range: use %lld..%lld", d->name, v, d->min, d->max);
			return -ERANGE;
		}
		*(int *)p = (int)v;
		return 0;
	case OPT_SIZE:
		if (pb_parse_size(val, &u)) {
			pb_err("--%s '%s' is not a size: use a number with K, M or G (e.g. 1M)", d->name, val);
			return -EINVAL;
		}
		if (u < (uint64_t)d->min || u > (uint64_t)d->max) {
			pb_err("--%s %s is out of range: use %lld..%lld bytes", d->name, val, d->min, d->max);
			return -ERANGE;
		}
		*(uint64_t *)p = u;
		return 0;
	}
	return -EINVAL;
}

/* Every option, general and the drivers', for getopt. */
#define MAX_OPTS 96

/* The method's own options: its defaults, then what argv gave; another method's refused. */
static int set_method_opts(const char *method, const struct opt_def **given, const struct opt_def **tables,
			   const char **vals, int ngiven)
{
	const struct pin_driver *drv = driver_find(method);
	char who[128];

	for (int i = 0; i < ngiven; i++) {
		if (!drv || tables[i] != drv->opts) {
			methods_with(tables[i], who, sizeof(who));
			pb_err("--%s is an option of method %s, not of --method %s; drop it (see pinbench run --help)",
			       given[i]->name, who, method);
			return -EINVAL;
		}
	}
	if (!drv || !drv->opts)
		return 0;
	for (const struct opt_def *d = drv->opts; d->name; d++)
		if (d->def && set_opt(drv->opts_store, d, d->def))
			return -EINVAL;
	for (int i = 0; i < ngiven; i++)
		if (set_opt(drv->opts_store, given[i], vals[i]))
			return -EINVAL;
	return 0;
}

int options_parse(struct options *o, int argc, char **argv)
{
	struct option lo[MAX_OPTS + 2];
	const struct opt_def *d, *given[MAX_OPTS], *tables[MAX_OPTS];
	const struct pin_driver *owner;
	const char *vals[MAX_OPTS];
	char why[256];
	int c, n, ngiven = 0;
	size_t nlo = 0;

	memset(o, 0, sizeof(*o));
	for (; (d = opt_at(nlo, &owner)) && nlo < MAX_OPTS; nlo++) {
		lo[nlo] = (struct option){ d->name, d->type == OPT_FLAG ? no_argument : required_argument, NULL,
					   (int)(nlo + 256) };
		if (!owner && d->def && set_opt(o, d, d->def))
			return PB_EXIT_USAGE;
	}
	lo[nlo] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[nlo + 1] = (struct option){ 0 };

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", lo, NULL)) != -1) {
		if (c == 'h') {
			options_help(stdout);
			return -1;
		}
		if (c == '?') {
			if (optopt >= 256)
				pb_err("--%s needs a value; see pinbench run --help", lo[optopt - 256].name);
			else
				pb_err("unknown option '%s'; see pinbench run --help", argv[optind - 1]);
			return PB_EXIT_USAGE;
		}
		d = opt_at((size_t)(c - 256), &owner);
		if (owner) {
			/* Kept until the method is known: it may come later in argv. */
			if (ngiven == MAX_OPTS) {
				pb_err("more than %d method options given; give each once", MAX_OPTS);
				return PB_EXIT_USAGE;
			}
			given[ngiven] = d;
			tables[ngiven] = owner->opts;
			vals[ngiven++] = optarg;
		} else if (set_opt(o, d, optarg)) {
			return PB_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		pb_err("unexpected argument '%s'; options start with --, see pinbench run --help", argv[optind]);
		return PB_EXIT_USAGE;
	}
	if (!o->region[0]) {
		pb_err("no --region given: say what memory to pin, e.g. --region hugetlb:2M (see pinbench list)");
		return PB_EXIT_USAGE;
	}
	if (!o->method[0]) {
		pb_err("no --method given: say how to pin, e.g. --method iouring (see pinbench list)");
		return PB_EXIT_USAGE;
	}
	if (set_method_opts(o->method, given, tables, vals, ngiven))
		return PB_EXIT_USAGE;
	n = pb_parse_sizes(o->sizes_arg, o->sizes, PB_MAX_SIZES, why, sizeof(why));
	if (n < 0) {
		pb_err("--sizes: %s", why);
		return PB_EXIT_USAGE;
	}
	o->nsizes = n;
	if (!strcmp(o->context, "per-thread")) {
		o->per_thread_ctx = 1;
	} else if (strcmp(o->context, "shared")) {
		pb_err("--context '%s': use shared (one method context for all threads) or per-thread", o->context);
		return PB_EXIT_USAGE;
	}
	if (strcmp(o->thread_cpus, "node") && strcmp(o->thread_cpus, "all")) {
		pb_err("--thread-cpus '%s': use node (the CPUs of the memory's node) or all", o->thread_cpus);
		return PB_EXIT_USAGE;
	}
	if (o->out[0] && o->out[strlen(o->out) - 1] == '/') {
		pb_err("--out '%s' names a folder: give a file name, or use --outdir", o->out);
		return PB_EXIT_USAGE;
	}
	pb_quiet = o->quiet;
	return 0;
}
