// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

enum opt_type { OPT_STR, OPT_INT, OPT_SIZE, OPT_FLAG };

struct opt_def {
	const char *name;
	enum opt_type type;
	size_t off;
	size_t len;		/* OPT_STR: buffer size */
	const char *def;	/* default as text; NULL: none */
	long long min, max;	/* OPT_INT / OPT_SIZE bounds */
	const char *arg;	/* metavariable in --help */
	const char *help;
};

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
	{ "target", OPT_STR, O(target), S(target), NULL, 0, 0, "PATH",
	  "odirect: file or block device to write to (default: /dev/nullb0 if present, else a scratch file)" },
	{ "io-size", OPT_SIZE, O(io_size), 0, "1M", 4096, 1LL << 30, "SIZE", "odirect: bytes per I/O" },
	{ "rdma-dev", OPT_STR, O(rdma_dev), S(rdma_dev), NULL, 0, 0, "NAME", "rdma: device (default: the first)" },
	{ "rdma-access", OPT_STR, O(rdma_access), S(rdma_access), "local-write,remote-read,remote-write", 0, 0,
	  "FLAGS", "rdma: access flags (local-write remote-read remote-write remote-atomic relaxed)" },
	{ "vfio-group", OPT_INT, O(vfio_group), 0, "-1", -1, INT_MAX, "N", "vfio: group number (default: the only one)" },
	{ "vfio-iova", OPT_SIZE, O(vfio_iova), 0, "4G", 0, LLONG_MAX, "ADDR", "vfio: IOVA to map at (4G: above x86's MSI window at 0xfee00000)" },
	{ "iommufd-dev", OPT_STR, O(iommufd_dev), S(iommufd_dev), NULL, 0, 0, "DEV",
	  "iommufd: VFIO device cdev to attach: vfioN, /dev/vfio/devices/vfioN or a PCI address (default: the only one)" },
	{ "iommufd-iova", OPT_SIZE, O(iommufd_iova), 0, "4G", 0, LLONG_MAX, "ADDR", "iommufd: IOVA to map at (4G: above x86's MSI window at 0xfee00000)" },
	{ "gup-batch", OPT_INT, O(gup_batch), 0, "512", 1, 1 << 20, "N", "gup: pages per gup_test call" },
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))

const char *options_name(size_t i, int *flag)
{
	if (i >= NOPTS)
		return NULL;
	if (flag)
		*flag = opts[i].type == OPT_FLAG;
	return opts[i].name;
}

int options_find(const char *name, int *flag)
{
	for (size_t i = 0; i < NOPTS; i++)
		if (!strcmp(opts[i].name, name)) {
			if (flag)
				*flag = opts[i].type == OPT_FLAG;
			return 1;
		}
	return 0;
}

const char *options_default(const char *name)
{
	for (size_t i = 0; i < NOPTS; i++)
		if (!strcmp(opts[i].name, name))
			return opts[i].def;
	return NULL;
}

void options_help(FILE *f)
{
	fprintf(f, "Options of `pinbench run`:\n");
	for (size_t i = 0; i < NOPTS; i++) {
		const struct opt_def *d = &opts[i];
		char left[48];

		snprintf(left, sizeof(left), "--%s%s%s", d->name, d->arg ? " " : "", d->arg ? d->arg : "");
		fprintf(f, "  %-28s %s", left, d->help);
		if (d->def && strcmp(d->def, "-1"))
			fprintf(f, " [%s]", d->def);
		fputc('\n', f);
	}
}

static int set_opt(struct options *o, const struct opt_def *d, const char *val)
{
	char *p = (char *)o + d->off;
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

int options_parse(struct options *o, int argc, char **argv)
{
	struct option lo[NOPTS + 2];
	char why[256];
	int c, n;

	memset(o, 0, sizeof(*o));
	for (size_t i = 0; i < NOPTS; i++) {
		lo[i] = (struct option){ opts[i].name, opts[i].type == OPT_FLAG ? no_argument : required_argument,
					 NULL, (int)(i + 256) };
		if (opts[i].def && set_opt(o, &opts[i], opts[i].def))
			return PB_EXIT_USAGE;
	}
	lo[NOPTS] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[NOPTS + 1] = (struct option){ 0 };

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", lo, NULL)) != -1) {
		if (c == 'h') {
			options_help(stdout);
			return -1;
		}
		if (c == '?') {
			if (optopt >= 256)
				pb_err("--%s needs a value; see pinbench run --help", opts[optopt - 256].name);
			else
				pb_err("unknown option '%s'; see pinbench run --help", argv[optind - 1]);
			return PB_EXIT_USAGE;
		}
		if (set_opt(o, &opts[c - 256], optarg))
			return PB_EXIT_USAGE;
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
