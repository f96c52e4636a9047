// SPDX-License-Identifier: GPL-2.0
/*
 * pinbench compare: match the settings of two or more result sets (labels),
 * and for each label against the baseline give the ratio of medians with a
 * seeded bootstrap 95% interval. Writes report.md, compare.csv and the data
 * the gnuplot templates in scripts/plot/ draw from.
 *
 *   pinbench compare results/before results/after
 *   pinbench compare --baseline before --out /tmp/cmp a.csv b.csv c.csv
 *   pinbench compare --plot-data --out plots/data results/6.1.0   (one label)
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "breakdown_compare.h"
#include "commands.h"
#include "report.h"
#include "group.h"
#include "outset.h"
#include "pb.h"

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct inputs {
	char **paths;
	size_t n, cap;
};

static int inputs_add(struct inputs *in, const char *path)
{
	char **p = pb_grow(in->paths, &in->cap, in->n, sizeof(*p), 16);

	if (!p)
		return -ENOMEM;
	in->paths = p;
	if (!(in->paths[in->n] = strdup(path)))
		return -ENOMEM;
	in->n++;
	return 0;
}

static void inputs_free(struct inputs *in)
{
	for (size_t i = 0; i < in->n; i++)
		free(in->paths[i]);
	free(in->paths);
}

/* A directory: every *.csv in it, sorted; *.partial noted and skipped. */
static int inputs_add_dir(struct inputs *in, const char *dir)
{
	size_t first = in->n, found = 0;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d) {
		pb_err("cannot read folder '%s': %s", dir, strerror(errno));
		return -errno;
	}
	while ((de = readdir(d))) {
		char path[4096];

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (ends_with(de->d_name, ".partial")) {
			pb_info("note: skipping '%s': an unfinished run (rename it to .csv to use its rows)",
				path);
			continue;
		}
		if (!ends_with(de->d_name, ".csv") && !ends_with(de->d_name, ".csv.gz"))
			continue;
		if (inputs_add(in, path)) {
			closedir(d);
			return -ENOMEM;
		}
		found++;
	}
	closedir(d);
	if (!found) {
		pb_err("no *.csv result files in '%s'", dir);
		return -ENOENT;
	}
	qsort(in->paths + first, found, sizeof(*in->paths), cmp_str);
	return 0;
}

enum { OUT_REPORT, OUT_CSV, OUT_BOOTS };

/* Add DIR/NAME to the set and write it. 0 or -errno after pb_err(). */
static int write_member(struct outset *set, const struct comparison *c, const char *dir,
			const char *name, int what, char *const *inputs, size_t ninputs)
{
	char path[4200];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(f = outset_open(set, path, NULL, 0))) {
		rc = -errno;
		pb_err("cannot write '%s': %s; choose another folder with --out", path, strerror(-rc));
		return rc;
	}
	rc = what == OUT_REPORT ? compare_write_report(c, f, inputs, ninputs)
	     : what == OUT_BOOTS ? compare_write_boots_csv(c, f)
				: compare_write_csv(c, f);
	if (rc)
		pb_err("cannot write '%s': %s", path, strerror(-rc));
	return rc;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pinbench compare [--out DIR] [--baseline LABEL] [--seed N] [--iters N]\n"
		"                        [--exclude-boots LIST] [--drift-threshold PCT] [--plot-data]\n"
		"                        [--quiet] FILE_OR_DIR...\n"
		"\n"
		"Match the settings of two or more labels' result sets and give, for each label\n"
		"against the baseline, the ratio of median latencies (other/baseline) with a\n"
		"bootstrap 95%% confidence interval. A folder means every *.csv in it.\n"
		"\n"
		"  --out DIR         where to write (default results/<baseline>-vs-<other>)\n"
		"  --baseline LABEL  the label the others are compared with (default: the first)\n"
		"  --seed N          bootstrap seed (default %llu: the same input gives the same report)\n"
		"  --iters N         bootstrap resamples (default %u)\n"
		"  --exclude-boots LIST  leave these boots out, with a note: busy (every boot whose\n"
		"                    host.txt says busy), a boot_id (8+ characters), LABEL:SEQ or a\n"
		"                    boot_seq number, comma-separated\n"
		"  --drift-threshold PCT  a boot whose calibration loop (calibrate.txt: pinbench\n"
		"                    calibrate at its start and end) ran more than PCT%% away from\n"
		"                    the run's median, or whose end and start differ by more, is\n"
		"                    drifted and left out (default %g; 0: mark nothing)\n"
		"  --plot-data       write only the gnuplot data (DIR/plot), one label is enough\n"
		"  --quiet           no notes on stderr\n"
		"\n"
		"Writes DIR/report.md, DIR/compare.csv and DIR/plot/ (see scripts/plot/README.md).\n"
		"Files name their boot ('# boot_id', '# boot_seq'); where a label measured a\n"
		"setting in several boots the interval is a hierarchical bootstrap (boots, then\n"
		"reps) and DIR/boots.csv gives each boot's median.\n",
		(unsigned long long)CMP_DEFAULT_SEED, CMP_DEFAULT_ITERS, BOOTS_DRIFT_DEFAULT * 100);
}

/* --drift-threshold: a percentage, 0..1000; '15' or '15%'. */
static int parse_pct(const char *s, double *frac)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end != s && *end == '%')
		end++;
	if (errno || end == s || *end || !(v >= 0 && v <= 1000)) {
		pb_err("--drift-threshold '%s' is not a percentage (0..1000, e.g. 15; 0 marks nothing)", s);
		return -EINVAL;
	}
	*frac = v / 100;
	return 0;
}

static int parse_u64(const char *opt, const char *s, uint64_t *v, uint64_t max)
{
	char *end;

	errno = 0;
	if (*s == '-' || !*s || (*v = strtoull(s, &end, 0), errno) || *end || *v > max) {
		pb_err("%s '%s' is not a number (0..%" PRIu64 ")", opt, s, max);
		return -EINVAL;
	}
	return 0;
}

int cmd_compare(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "baseline", required_argument, NULL, 'b' },
		{ "seed", required_argument, NULL, 's' },
		{ "iters", required_argument, NULL, 'i' },
		{ "plot-data", no_argument, NULL, 'p' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "exclude-boots", required_argument, NULL, 'x' },
		{ "drift-threshold", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmp_opts o = { .seed = CMP_DEFAULT_SEED, .iters = CMP_DEFAULT_ITERS };
	struct comparison c = { 0 };
	struct rowset rs = { 0 };
	struct inputs in = { 0 };
	struct bd_compare bc = { 0 };
	struct pb_boots bt = { 0 };
	size_t nexcluded = 0, ndrift, nkept = 0;
	double drift_thr = BOOTS_DRIFT_DEFAULT;
	const char *out = NULL;
	char dir[4096], plotdir[4200];
	const char *plottmp;
	struct outset set = { 0 };
	int plot_only = 0, opt, rc = PB_EXIT_USAGE, phases;
	uint64_t v = 0;

	optind = 0;	/* GNU: reset, main may have used getopt */
	while ((opt = getopt_long(argc, argv, "+o:b:s:i:pqh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case 'b': o.baseline = optarg; break;
		case 's':
			if (parse_u64("--seed", optarg, &o.seed, UINT64_MAX))
				return PB_EXIT_USAGE;
			break;
		case 'i':
			if (parse_u64("--iters", optarg, &v, 1000000) || !v) {
				if (!v)
					pb_err("--iters must be at least 1");
				return PB_EXIT_USAGE;
			}
			o.iters = (unsigned)v;
			break;
		case 'p': plot_only = 1; break;
		case 'x':
			if (boots_set_exclude(&bt, optarg)) {
				boots_free(&bt);
				return PB_EXIT_USAGE;
			}
			break;
		case 'd':
			if (parse_pct(optarg, &drift_thr)) {
				boots_free(&bt);
				return PB_EXIT_USAGE;
			}
			break;
		case 'q': pb_quiet = 1; break;
		case 'h': usage(stdout); return PB_EXIT_OK;
		default:
			pb_err("see 'pinbench compare --help'");
			return PB_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		pb_err("compare needs result files or folders: pinbench compare results/before results/after");
		return PB_EXIT_USAGE;
	}
	if (plot_only && !out) {
		pb_err("--plot-data needs --out DIR");
		return PB_EXIT_USAGE;
	}
	o.allow_single = plot_only;

	for (int i = optind; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st)) {
			pb_err("cannot read '%s': %s", argv[i], strerror(errno));
			goto out;
		}
		if (S_ISDIR(st.st_mode) ? inputs_add_dir(&in, argv[i]) : inputs_add(&in, argv[i]))
			goto out;
	}
	/* Every row's boot first: whether a boot drifted depends on all of them. */
	for (size_t i = 0; i < in.n; i++) {
		size_t first = rs.n;
		const char *slash = strrchr(in.paths[i], '/');
		char folder[4096];

		snprintf(folder, sizeof(folder), "%.*s", slash ? (int)(slash - in.paths[i]) : 1,
			 slash ? in.paths[i] : ".");
		if (rowset_load(&rs, in.paths[i]))
			goto out;
		for (size_t j = first; j < rs.n; j++)
			if ((rs.rows[j].boot = boots_add_row(&bt, &rs.rows[j], folder, i)) < 0)
				goto out;
	}
	ndrift = boots_mark_drift(&bt, drift_thr);
	/* Rows of a boot excluded or drifted stay out. */
	for (size_t i = 0; i < rs.n; i++)
		if (boots_used(&bt.b[rs.rows[i].boot]))
			rs.rows[nkept++] = rs.rows[i];
	rs.n = nkept;
	for (size_t i = 0; i < bt.n; i++)
		nexcluded += !boots_used(&bt.b[i]);
	if (boots_check_exclude(&bt)) {
		rc = PB_EXIT_USAGE;
		goto out;
	}
	for (size_t i = 0; i < bt.n; i++)
		if (bt.b[i].excluded)
			pb_info("note: boot #%d of %s (boot_id %.8s) excluded%s%s: %zu file(s) not used",
				bt.b[i].seq, bt.b[i].label, bt.b[i].id[0] ? bt.b[i].id : "-",
				bt.b[i].busy ? ", busy host: " : "", bt.b[i].busy ? bt.b[i].busy_why : "",
				bt.b[i].nfiles);
		else if (bt.b[i].drift_out || bt.b[i].drift_kept)
			pb_info("note: boot #%d of %s (boot_id %.8s) drifted (%s; threshold %g%%)%s",
				bt.b[i].seq, bt.b[i].label, bt.b[i].id[0] ? bt.b[i].id : "-",
				bt.b[i].drift_why, drift_thr * 100,
				bt.b[i].drift_out ? ": left out" : ": kept, its label has no other boot");
	if (ndrift)
		pb_info("note: %zu drifted boot(s) left out (--drift-threshold 0 keeps them)", ndrift);
	o.boots = &bt;
	if (compare_build(&c, &rs, &o))
		goto out;
	if (bd_compare_load(&bc, in.paths, in.n, c.labels[0].name))
		goto out;

	if (out) {
		size_t len = (size_t)snprintf(dir, sizeof(dir), "%s", out);

		while (len > 1 && dir[len - 1] == '/')	/* DIR/ would name its temporaries inside it */
			dir[--len] = '\0';
	} else {
		size_t at = (size_t)snprintf(dir, sizeof(dir), "results/");
		char name[128];

		for (size_t i = 0; i < c.nlabels && at < sizeof(dir); i++) {
			pb_sanitize(name, sizeof(name), c.labels[i].name);
			at += (size_t)snprintf(dir + at, sizeof(dir) - at, "%s%s",
					       i == 0 ? "" : i == 1 ? "-vs-" : "-", name);
		}
	}
	rc = PB_EXIT_FAIL;
	if ((errno = -pb_mkdir_p(dir))) {
		pb_err("cannot create '%s': %s; choose another folder with --out", dir, strerror(errno));
		goto out;
	}
	/* --plot-data: DIR is the plot data folder itself. */
	snprintf(plotdir, sizeof(plotdir), plot_only ? "%s" : "%s/plot", dir);
	/* One set, renamed only once every file of it is written. */
	if (!(plottmp = outset_mkdir(&set, plotdir, NULL, compare_clear_plotdata)) ||
	    compare_write_plotdata(&c, plottmp))
		goto out;
	/* Per-phase ratios and bar data from the breakdown files beside the inputs. */
	if ((phases = bd_compare_write(&bc, &set, dir, plottmp, plot_only, c.iters, c.seed)) < 0)
		goto out;
	if (!plot_only && ((c.hier && write_member(&set, &c, dir, "boots.csv", OUT_BOOTS, in.paths, in.n)) ||
			   write_member(&set, &c, dir, "compare.csv", OUT_CSV, in.paths, in.n) ||
			   write_member(&set, &c, dir, "report.md", OUT_REPORT, in.paths, in.n)))
		goto out;
	if (outset_commit(&set))
		goto out;
	if (phases)
		printf("phases:    %s/phases.csv (per-phase ratios: %s/phases.md)\n", dir, dir);
	if (plot_only) {
		printf("plot data: %s/\n", plotdir);
	} else {
		printf("report:    %s/report.md\n", dir);
		printf("data:      %s/compare.csv\n", dir);
		if (c.hier)
			printf("boots:     %s/boots.csv (%zu boots%s)\n", dir, bt.n,
			       nexcluded ? ", some excluded" : "");
		printf("plot data: %s/\n", plotdir);
		for (size_t i = 0; i < c.nvs; i++)
			printf("%s vs %s: %zu settings compared, %zu significant changes, %zu not compared\n",
			       c.labels[c.vs[i].other].name, c.labels[0].name, c.vs[i].npairs,
			       c.vs[i].nsignificant, c.vs[i].nonly);
	}
	rc = PB_EXIT_OK;
out:
	outset_drop(&set, 0);
	bd_compare_free(&bc);
	compare_free(&c);
	boots_free(&bt);
	rowset_free(&rs);
	inputs_free(&in);
	return rc;
}
