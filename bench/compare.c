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

#include "commands.h"
#include "compare.h"
#include "group.h"
#include "pb.h"

const char *compare_backing_kind(const char *backing)
{
	if (!strncmp(backing, "/dev/dax", 8))
		return "devdax";
	if (backing[0] == '/')
		return "file";
	return backing;
}

int compare_same_setting(const struct row *a, const struct row *b)
{
	return !strcmp(a->method, b->method) && !strcmp(a->region, b->region) &&
	       !strcmp(compare_backing_kind(a->backing), compare_backing_kind(b->backing)) &&
	       a->align == b->align && a->size == b->size && !strcmp(a->op, b->op);
}

int compare_series_slot(const char *region, uint64_t align)
{
	/* Keep in step with the linetypes in scripts/plot/style.gp. */
	static const struct {
		const char *region;
		uint64_t align;
	} known[] = {
		{ "devdax", 4 * PB_KIB }, { "devdax", 2 * PB_MIB }, { "devdax", PB_GIB },
		{ "hugetlb", 2 * PB_MIB }, { "hugetlb", PB_GIB }, { "thp", 2 * PB_MIB },
		{ "anon", 4 * PB_KIB }, { "fsdax", 4 * PB_KIB }, { "fsdax", 2 * PB_MIB },
	};
	size_t i;
	uint64_t h = align;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(region, known[i].region) && align == known[i].align)
			return (int)i + 1;
	/* Anything else: one of slots 10..12, stable for the same series. */
	for (const char *p = region; *p; p++)
		h = h * 31 + (unsigned char)*p;
	return 10 + (int)(h % 3);
}

static void *grow(void *p, size_t *cap, size_t n, size_t elem, size_t first)
{
	size_t c;
	void *q;

	if (n < *cap)
		return p;
	c = *cap ? *cap * 2 : first;
	q = realloc(p, c * elem);
	if (q)
		*cap = c;
	return q;
}

static void add_kernel(struct cmp_label *l, const char *kernel)
{
	size_t len = strlen(l->kernels), klen = strlen(kernel);
	const char *p = l->kernels;

	if (!klen)
		kernel = "unknown", klen = strlen(kernel);
	while ((p = strstr(p, kernel))) {
		if ((p == l->kernels || p[-1] == ' ') && (p[klen] == ',' || !p[klen]))
			return;
		p += klen;
	}
	if (len + klen + 3 < sizeof(l->kernels))
		snprintf(l->kernels + len, sizeof(l->kernels) - len, "%s%s", len ? ", " : "", kernel);
}

static struct cmp_label *find_label(struct comparison *c, const char *name)
{
	for (size_t i = 0; i < c->nlabels; i++)
		if (!strcmp(c->labels[i].name, name))
			return &c->labels[i];
	return NULL;
}

static struct cmp_cell *find_cell(struct cmp_label *l, const struct row *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (compare_same_setting(&l->cells[i].key, key))
			return &l->cells[i];
	return NULL;
}

static int add_group(struct cmp_label *l, const struct group *g)
{
	struct cmp_cell *cell = find_cell(l, &g->key);

	if (!cell) {
		struct cmp_cell *p = grow(l->cells, &l->cap, l->n, sizeof(*p), 32);

		if (!p)
			return -ENOMEM;
		l->cells = p;
		cell = &l->cells[l->n++];
		memset(cell, 0, sizeof(*cell));
		cell->key = g->key;
		cell->slot = compare_series_slot(g->key.region, g->key.align);
		cell->pins_acq = cell->pins_rel = -1;
	} else if (strcmp(cell->key.backing, g->key.backing) || cell->key.node != g->key.node) {
		cell->mixed = 1;
	}
	cell->pooled++;
	cell->failed += g->failed;
	group_add_count(&cell->pins_acq, g->pins_acq);
	group_add_count(&cell->pins_rel, g->pins_rel);
	if (g->n) {
		double *p = realloc(cell->ns, (cell->n + g->n) * sizeof(*p));

		if (!p)
			return -ENOMEM;
		cell->ns = p;
		memcpy(cell->ns + cell->n, g->ns, g->n * sizeof(*p));
		cell->n += g->n;
		cell->cap = cell->n;
	}
	return 0;
}

static void finish_cell(struct cmp_cell *cell)
{
	stats_compute(cell->ns, cell->n, &cell->st);	/* sorts */
	cell->p10 = cell->n ? stats_percentile_sorted(cell->ns, cell->n, 10) : NAN;
}

static int cmp_pair_change(const void *pa, const void *pb)
{
	const struct cmp_pair *a = pa, *b = pb;
	double ca = fabs(log(a->ci.ratio)), cb = fabs(log(b->ci.ratio));
	const struct row *x = &a->a->key, *y = &b->a->key;
	int c;

	if (isnan(ca) != isnan(cb))
		return isnan(ca) ? 1 : -1;
	if (ca != cb && !isnan(ca))
		return ca > cb ? -1 : 1;
	/* Ties: the order groups come in. */
	if ((c = strcmp(x->method, y->method)) || (c = strcmp(x->region, y->region)))
		return c;
	if (x->align != y->align)
		return x->align < y->align ? -1 : 1;
	if (x->size != y->size)
		return x->size < y->size ? -1 : 1;
	return strcmp(x->op, y->op);
}

static int add_only(struct cmp_vs *v, size_t *cap, const struct cmp_cell *cell,
		    size_t label, int failed)
{
	struct cmp_only *p = grow(v->only, cap, v->nonly, sizeof(*p), 16);

	if (!p)
		return -ENOMEM;
	v->only = p;
	v->only[v->nonly++] = (struct cmp_only){ .cell = cell, .label = label, .failed = failed };
	return 0;
}

static int build_vs(struct comparison *c, struct cmp_vs *v, size_t other)
{
	const struct cmp_label *a = &c->labels[0], *b = &c->labels[other];
	size_t only_cap = 0;

	v->other = other;
	v->pairs = calloc(a->n ? a->n : 1, sizeof(*v->pairs));
	if (!v->pairs)
		return -ENOMEM;
	for (size_t i = 0; i < a->n; i++) {
		const struct cmp_cell *ca = &a->cells[i];
		const struct cmp_cell *cb = find_cell((struct cmp_label *)b, &ca->key);
		struct cmp_pair *p;

		if (!cb) {
			if (add_only(v, &only_cap, ca, 0, 0))
				return -ENOMEM;
			continue;
		}
		if (!ca->n || !cb->n) {
			if (add_only(v, &only_cap, ca->n ? cb : ca, ca->n ? other : 0, 1))
				return -ENOMEM;
			continue;
		}
		p = &v->pairs[v->npairs++];
		p->a = ca;
		p->b = cb;
		stats_ratio_ci(ca->ns, ca->n, cb->ns, cb->n, c->iters, c->seed, &p->ci);
		if (p->ci.significant)
			v->nsignificant++;
	}
	for (size_t i = 0; i < b->n; i++)
		if (!find_cell((struct cmp_label *)a, &b->cells[i].key) &&
		    add_only(v, &only_cap, &b->cells[i], other, 0))
			return -ENOMEM;
	if (v->npairs > 1)
		qsort(v->pairs, v->npairs, sizeof(*v->pairs), cmp_pair_change);
	return 0;
}

int compare_build(struct comparison *c, const struct rowset *rs, const struct cmp_opts *o)
{
	struct groups gs;
	size_t cap = 0;
	int rc;

	memset(c, 0, sizeof(*c));
	c->seed = o->seed;
	c->iters = o->iters ? o->iters : CMP_DEFAULT_ITERS;

	/* Labels in the order their first row comes. */
	for (size_t i = 0; i < rs->n; i++) {
		const struct row *r = &rs->rows[i];
		struct cmp_label *l = find_label(c, r->label);

		if (!l) {
			struct cmp_label *p = grow(c->labels, &cap, c->nlabels, sizeof(*p), 4);

			if (!p)
				goto nomem;
			c->labels = p;
			l = &c->labels[c->nlabels++];
			memset(l, 0, sizeof(*l));
			snprintf(l->name, sizeof(l->name), "%s", r->label);
		}
		add_kernel(l, r->kernel);
	}
	if (c->nlabels < (o->allow_single ? 1U : 2U)) {
		if (!c->nlabels)
			pb_err("no result rows to compare: are these pinbench result files?");
		else
			pb_err("only one label ('%s') in the input: give the result sets of at least two labels, e.g. results/before results/after",
			       c->labels[0].name);
		compare_free(c);
		return -EINVAL;
	}
	if (o->baseline) {
		struct cmp_label *l = find_label(c, o->baseline), t;

		if (!l) {
			pb_err("--baseline '%s' is not a label of the input (first label: '%s')",
			       o->baseline, c->labels[0].name);
			compare_free(c);
			return -EINVAL;
		}
		/* Baseline first, the others in their order. */
		t = *l;
		memmove(c->labels + 1, c->labels, (size_t)(l - c->labels) * sizeof(*l));
		c->labels[0] = t;
	}

	if ((rc = groups_build(&gs, rs))) {
		groups_free(&gs);
		goto nomem;
	}
	for (size_t i = 0; i < gs.n; i++)
		if (add_group(find_label(c, gs.g[i].key.label), &gs.g[i])) {
			groups_free(&gs);
			goto nomem;
		}
	groups_free(&gs);
	for (size_t i = 0; i < c->nlabels; i++)
		for (size_t j = 0; j < c->labels[i].n; j++)
			finish_cell(&c->labels[i].cells[j]);

	if (c->nlabels > 1) {
		c->vs = calloc(c->nlabels - 1, sizeof(*c->vs));
		if (!c->vs)
			goto nomem;
		c->nvs = c->nlabels - 1;
	}
	for (size_t i = 0; i < c->nvs; i++) {
		if (build_vs(c, &c->vs[i], i + 1))
			goto nomem;
		if (!c->vs[i].npairs && !o->allow_single) {
			pb_err("no setting was measured both in '%s' (%zu settings) and in '%s' (%zu): compare runs of the same methods, regions, aligns and sizes",
			       c->labels[0].name, c->labels[0].n, c->labels[i + 1].name,
			       c->labels[i + 1].n);
			compare_free(c);
			return -EINVAL;
		}
	}
	return 0;
nomem:
	pb_err("out of memory comparing %zu rows", rs->n);
	compare_free(c);
	return -ENOMEM;
}

void compare_free(struct comparison *c)
{
	for (size_t i = 0; i < c->nvs; i++) {
		free(c->vs[i].pairs);
		free(c->vs[i].only);
	}
	free(c->vs);
	for (size_t i = 0; i < c->nlabels; i++) {
		for (size_t j = 0; j < c->labels[i].n; j++)
			free(c->labels[i].cells[j].ns);
		free(c->labels[i].cells);
	}
	free(c->labels);
	memset(c, 0, sizeof(*c));
}

/* ---- the command ---- */

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
	char **p = grow(in->paths, &in->cap, in->n, sizeof(*p), 16);

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
		if (!ends_with(de->d_name, ".csv"))
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

enum { OUT_REPORT, OUT_CSV };

/* Write DIR/NAME through DIR/.NAME.tmp, renamed only when complete. */
static int write_file(const struct comparison *c, const char *dir, const char *name, int what,
		      char *const *inputs, size_t ninputs, char *tmp, size_t tmplen)
{
	char path[4096];
	FILE *f;
	int rc;

	snprintf(tmp, tmplen, "%s/.%s.tmp", dir, name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(f = fopen(tmp, "we"))) {
		rc = -errno;
		pb_err("cannot write '%s': %s; choose another folder with --out", tmp, strerror(-rc));
		return rc;
	}
	rc = what == OUT_REPORT ? compare_write_report(c, f, inputs, ninputs)
				: compare_write_csv(c, f);
	if (fflush(f) && !rc)
		rc = -errno;
	if (fclose(f) && !rc)
		rc = -errno;
	if (rc) {
		pb_err("cannot write '%s': %s", tmp, strerror(-rc));
		unlink(tmp);
		return rc;
	}
	return 0;
}

static int commit_file(const char *dir, const char *name, const char *tmp)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (rename(tmp, path)) {
		int rc = -errno;

		pb_err("cannot rename '%s' to '%s': %s", tmp, path, strerror(-rc));
		unlink(tmp);
		return rc;
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pinbench compare [--out DIR] [--baseline LABEL] [--seed N] [--iters N]\n"
		"                        [--plot-data] [--quiet] FILE_OR_DIR...\n"
		"\n"
		"Match the settings of two or more labels' result sets and give, for each label\n"
		"against the baseline, the ratio of median latencies (other/baseline) with a\n"
		"bootstrap 95%% confidence interval. A folder means every *.csv in it.\n"
		"\n"
		"  --out DIR         where to write (default results/<baseline>-vs-<other>)\n"
		"  --baseline LABEL  the label the others are compared with (default: the first)\n"
		"  --seed N          bootstrap seed (default %llu: the same input gives the same report)\n"
		"  --iters N         bootstrap resamples (default %u)\n"
		"  --plot-data       write only the gnuplot data (DIR/plot), one label is enough\n"
		"  --quiet           no notes on stderr\n"
		"\n"
		"Writes DIR/report.md, DIR/compare.csv and DIR/plot/ (see scripts/plot/README.md).\n",
		(unsigned long long)CMP_DEFAULT_SEED, CMP_DEFAULT_ITERS);
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmp_opts o = { .seed = CMP_DEFAULT_SEED, .iters = CMP_DEFAULT_ITERS };
	struct comparison c = { 0 };
	struct rowset rs = { 0 };
	struct inputs in = { 0 };
	const char *out = NULL;
	char dir[4096], plotdir[4200];
	char tmp_report[4200], tmp_csv[4200];
	int plot_only = 0, opt, rc = PB_EXIT_USAGE;
	uint64_t v;

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
	for (size_t i = 0; i < in.n; i++)
		if (rowset_load(&rs, in.paths[i]))
			goto out;
	if (compare_build(&c, &rs, &o))
		goto out;

	if (out) {
		snprintf(dir, sizeof(dir), "%s", out);
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
	/* Everything is written to temporary names first, then renamed. */
	if (!plot_only) {
		if (write_file(&c, dir, "report.md", OUT_REPORT, in.paths, in.n,
			       tmp_report, sizeof(tmp_report)))
			goto out;
		if (write_file(&c, dir, "compare.csv", OUT_CSV, in.paths, in.n,
			       tmp_csv, sizeof(tmp_csv))) {
			unlink(tmp_report);
			goto out;
		}
	}
	if (compare_write_plotdata(&c, plotdir)) {
		if (!plot_only) {
			unlink(tmp_report);
			unlink(tmp_csv);
		}
		goto out;
	}
	if (!plot_only && (commit_file(dir, "compare.csv", tmp_csv) ||
			   commit_file(dir, "report.md", tmp_report)))
		goto out;

	if (plot_only) {
		printf("plot data: %s/\n", plotdir);
	} else {
		printf("report:    %s/report.md\n", dir);
		printf("data:      %s/compare.csv\n", dir);
		printf("plot data: %s/\n", plotdir);
		for (size_t i = 0; i < c.nvs; i++)
			printf("%s vs %s: %zu settings compared, %zu significant changes, %zu not compared\n",
			       c.labels[c.vs[i].other].name, c.labels[0].name, c.vs[i].npairs,
			       c.vs[i].nsignificant, c.vs[i].nonly);
	}
	rc = PB_EXIT_OK;
out:
	compare_free(&c);
	rowset_free(&rs);
	inputs_free(&in);
	return rc;
}
