// SPDX-License-Identifier: GPL-2.0
/* Job files of `pinbench sweep`: the INI syntax, [global] inheritance, key names. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jobfile.h"
#include "options.h"
#include "pb.h"

#define JOBFILE_MAX_BYTES (1 << 20)
#define LINE_MAX_CHARS 1024

static const char *const sweep_keys[] = { "regions", "methods", "sizes", "sizes-1g", "label", "outdir", NULL };

/* Options of `pinbench run` that the sweep sets itself, and what to write instead. */
static const struct {
	const char *key, *fix;
} reserved[] = {
	{ "region", "use regions = KIND[,KIND...] (a comma list; devdax and dram expand)" },
	{ "method", "use methods = NAME[,NAME...] (a comma list)" },
	{ "out", "the sweep names each result file OUTDIR/LABEL/DATE-METHOD-REGION.csv: set outdir and label instead" },
	{ "quiet", "the sweep always runs `pinbench run --quiet`: remove the line" },
};

int jobfile_sweep_key(const char *key)
{
	for (int i = 0; sweep_keys[i]; i++)
		if (!strcmp(key, sweep_keys[i]))
			return 1;
	return 0;
}

const char *job_where(const struct jobfile *jf, const struct job_kv *kv, char *buf, size_t len)
{
	if (kv && kv->line)
		snprintf(buf, len, "%s:%d", jf->path, kv->line);
	else
		snprintf(buf, len, "--set");
	return buf;
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];

	if (la > 63 || lb > 63)
		return 64;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]), del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, (lb + 1) * sizeof(cur[0]));
	}
	return prev[lb];
}

static int near(const char *key, const char *name)
{
	size_t n = strlen(key) < strlen(name) ? strlen(key) : strlen(name);

	return edit_distance(key, name) <= 2 || (n >= 3 && !strncmp(key, name, n));
}

static void unknown_key(const char *where, const char *key)
{
	char list[512] = "";
	size_t at = 0;
	const char *name;
	int flag;

	for (int i = 0; sweep_keys[i]; i++)
		if (near(key, sweep_keys[i]) && at < sizeof(list) - 70)
			at += (size_t)snprintf(list + at, sizeof(list) - at, "%s%s", at ? ", " : "", sweep_keys[i]);
	for (size_t i = 0; (name = options_name(i, &flag)); i++)
		if (near(key, name) && at < sizeof(list) - 70)
			at += (size_t)snprintf(list + at, sizeof(list) - at, "%s%s", at ? ", " : "", name);
	if (at)
		pb_err("%s: unknown key '%s': did you mean %s? (see pinbench sweep --help)", where, key, list);
	else
		pb_err("%s: unknown key '%s': use regions, methods, sizes, sizes-1g, label, outdir or a long option of `pinbench run` without the dashes (pinbench run --help)",
		       where, key);
}

static const char *flag_value(const char *v)
{
	static const char *const yes[] = { "1", "yes", "true", "on" }, *const no[] = { "0", "no", "false", "off" };

	for (size_t i = 0; i < 4; i++) {
		if (!strcasecmp(v, yes[i]))
			return "1";
		if (!strcasecmp(v, no[i]))
			return "0";
	}
	return NULL;
}

/* Is key = val (val NULL: a bare key) acceptable? *norm: the value to keep. */
static int check_key(const char *where, const char *key, const char *val, const char **norm)
{
	int flag;

	*norm = val;
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (!strcmp(key, reserved[i].key)) {
			pb_err("%s: key '%s' is not for job files: %s", where, key, reserved[i].fix);
			return -EINVAL;
		}
	if (jobfile_sweep_key(key)) {
		flag = 0;
	} else {
		if (!options_find(key, &flag)) {
			unknown_key(where, key);
			return -EINVAL;
		}
	}
	if (flag) {
		if (val && !(*norm = flag_value(val))) {
			pb_err("%s: %s = %s: %s is on or off: write %s = 1 (or yes), %s = 0 (or no), or %s alone",
			       where, key, val, key, key, key, key);
			return -EINVAL;
		}
		if (!val)
			*norm = "1";
		return 0;
	}
	if (!val || !*val) {
		pb_err("%s: key '%s' needs a value: write %s = VALUE", where, key, key);
		return -EINVAL;
	}
	return 0;
}

static struct job_kv *find_kv(const struct job *j, const char *key)
{
	for (size_t i = j->nkv; i-- > 0;)
		if (!strcmp(j->kv[i].key, key))
			return &j->kv[i];
	return NULL;
}

const char *job_get(const struct job *j, const char *key, const struct job_kv **kv)
{
	struct job_kv *e = find_kv(j, key);

	if (kv)
		*kv = e;
	return e ? e->val : NULL;
}

/* Set key in j (replacing what it holds). 0 or -ENOMEM. */
static int job_put(struct job *j, const char *key, const char *val, int line, int inherited)
{
	struct job_kv *e = find_kv(j, key), *kv;
	char *v = strdup(val), *k = NULL;

	if (!v)
		return -ENOMEM;
	if (e) {
		free(e->val);
		e->val = v;
		e->line = line;
		e->inherited = inherited;
		return 0;
	}
	if (!(k = strdup(key)) || !(kv = pb_grow(j->kv, &j->cap, j->nkv, sizeof(*kv), 16))) {
		free(k);
		free(v);
		return -ENOMEM;
	}
	j->kv = kv;
	j->kv[j->nkv++] = (struct job_kv){ k, v, line, inherited };
	return 0;
}

static void job_free(struct job *j)
{
	for (size_t i = 0; i < j->nkv; i++) {
		free(j->kv[i].key);
		free(j->kv[i].val);
	}
	free(j->kv);
	memset(j, 0, sizeof(*j));
}

void jobfile_free(struct jobfile *jf)
{
	job_free(&jf->global);
	for (size_t i = 0; i < jf->njobs; i++)
		job_free(&jf->jobs[i]);
	free(jf->jobs);
	jf->jobs = NULL;
	jf->njobs = jf->cap = 0;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* "[NAME]": a new job (inheriting [global]) or [global] itself. */
static int section(struct jobfile *jf, char *s, const char *where, int line, struct job **cur)
{
	char *end = strchr(s, ']'), *name;
	struct job *jobs;

	if (!end || trim(end + 1)[0]) {
		pb_err("%s: malformed section header '%s': write [NAME] alone on its line", where, s);
		return -EINVAL;
	}
	*end = '\0';
	name = trim(s + 1);
	if (!*name || strlen(name) >= sizeof(jf->global.name) || name[0] == '.' ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+@-") != strlen(name)) {
		pb_err("%s: section name '%s': use 1 to 63 letters, digits and . _ + - @ (it may name files)", where, name);
		return -EINVAL;
	}
	if (!strcmp(name, "global")) {
		if (jf->njobs || jf->global.line) {
			pb_err("%s: [global] after %s: keep one [global], at the top, before the jobs", where,
			       jf->njobs ? "a job" : "another [global]");
			return -EINVAL;
		}
		jf->global.line = line;
		*cur = &jf->global;
		return 0;
	}
	for (size_t i = 0; i < jf->njobs; i++)
		if (!strcmp(jf->jobs[i].name, name)) {
			pb_err("%s: job [%s] is defined twice (line %d first): rename one", where, name, jf->jobs[i].line);
			return -EINVAL;
		}
	if (!(jobs = pb_grow(jf->jobs, &jf->cap, jf->njobs, sizeof(*jobs), 4)))
		return -ENOMEM;
	jf->jobs = jobs;
	*cur = &jf->jobs[jf->njobs++];
	memset(*cur, 0, sizeof(**cur));
	snprintf((*cur)->name, sizeof((*cur)->name), "%s", name);
	(*cur)->line = line;
	for (size_t i = 0; i < jf->global.nkv; i++)
		if (job_put(*cur, jf->global.kv[i].key, jf->global.kv[i].val, jf->global.kv[i].line, 1))
			return -ENOMEM;
	return 0;
}

/* "key = value" or a bare flag in the current section. */
static int key_line(struct job *cur, char *s, const char *where, int line)
{
	char *eq = strchr(s, '='), *key = s, *val = NULL;
	const char *norm;
	struct job_kv *old;

	if (eq) {
		*eq = '\0';
		val = trim(eq + 1);
	}
	key = trim(key);
	if (!*key) {
		pb_err("%s: '=' without a key: write key = value", where);
		return -EINVAL;
	}
	if (strspn(key, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(key)) {
		pb_err("%s: '%s' is not a key: write key = value (keys are lower case, like reps or sizes-1g)", where, key);
		return -EINVAL;
	}
	if (!cur) {
		pb_err("%s: key '%s' before any section: put it under [global] or under a job's [NAME]", where, key);
		return -EINVAL;
	}
	if (check_key(where, key, val, &norm))
		return -EINVAL;
	old = find_kv(cur, key);
	if (old && !old->inherited) {
		pb_err("%s: %s is set twice in [%s] (line %d first): keep one", where, key, cur->line ? cur->name : "global",
		       old->line);
		return -EINVAL;
	}
	return job_put(cur, key, norm, line, 0);
}

int jobfile_parse(struct jobfile *jf, const char *path, const char *text)
{
	struct job *cur = NULL;
	const char *p = text;
	int line = 0, rc = 0;

	memset(jf, 0, sizeof(*jf));
	snprintf(jf->path, sizeof(jf->path), "%s", path);
	while (*p && !rc) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char buf[LINE_MAX_CHARS + 2], where[300], *s, *c;

		line++;
		snprintf(where, sizeof(where), "%s:%d", path, line);
		if (n > LINE_MAX_CHARS) {
			pb_err("%s: line longer than %d characters: split the list or shorten it", where, LINE_MAX_CHARS);
			rc = -EINVAL;
			break;
		}
		memcpy(buf, p, n);
		buf[n] = '\0';
		p += n + (nl ? 1 : 0);
		s = trim(buf);
		if (!*s || *s == '#' || *s == ';')
			continue;
		/* A comment may follow a value after a blank: "reps = 5   # per size". */
		for (c = s + 1; *c; c++)
			if ((*c == '#' || *c == ';') && isspace((unsigned char)c[-1])) {
				*c = '\0';
				s = trim(s);
				break;
			}
		if (*s == '[')
			rc = section(jf, s, where, line, &cur);
		else
			rc = key_line(cur, s, where, line);
	}
	if (!rc && !jf->njobs) {
		pb_err("%s: no job: add a section such as [sweep] after [global] (each [NAME] is one job)", path);
		rc = -EINVAL;
	}
	if (rc)
		jobfile_free(jf);
	return rc;
}

int jobfile_load(struct jobfile *jf, const char *path)
{
	FILE *f = fopen(path, "re");
	char *text;
	size_t n;
	int rc;

	memset(jf, 0, sizeof(*jf));
	if (!f) {
		rc = -errno;
		pb_err("cannot read job file %s: %s", path, strerror(-rc));
		return rc;
	}
	text = malloc(JOBFILE_MAX_BYTES + 1);
	if (!text) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(text, 1, JOBFILE_MAX_BYTES + 1, f);
	rc = ferror(f) ? -EIO : 0;
	fclose(f);
	if (!rc && n > JOBFILE_MAX_BYTES) {
		pb_err("%s: larger than %d bytes: is it a job file?", path, JOBFILE_MAX_BYTES);
		rc = -EFBIG;
	} else if (!rc && memchr(text, '\0', n)) {
		pb_err("%s: holds a NUL byte: a job file is text (key = value lines)", path);
		rc = -EINVAL;
	} else if (rc) {
		pb_err("cannot read job file %s: %s", path, strerror(-rc));
	}
	if (!rc) {
		text[n] = '\0';
		rc = jobfile_parse(jf, path, text);
	}
	free(text);
	return rc;
}

int jobfile_set(struct jobfile *jf, const char *keyval)
{
	char buf[LINE_MAX_CHARS + 1], where[LINE_MAX_CHARS + 16], *eq, *key, *val = NULL;
	const char *norm;

	if (strlen(keyval) > LINE_MAX_CHARS) {
		pb_err("--set: longer than %d characters", LINE_MAX_CHARS);
		return -EINVAL;
	}
	snprintf(buf, sizeof(buf), "%s", keyval);
	snprintf(where, sizeof(where), "--set %s", keyval);
	if ((eq = strchr(buf, '='))) {
		*eq = '\0';
		val = trim(eq + 1);
	}
	key = trim(buf);
	if (check_key(where, key, val, &norm))
		return -EINVAL;
	for (size_t i = 0; i < jf->njobs; i++)
		if (job_put(&jf->jobs[i], key, norm, 0, 0))
			return -ENOMEM;
	return 0;
}
