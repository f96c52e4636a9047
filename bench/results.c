// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "outset.h"
#include "pb.h"
#include "pinkind.h"
#include "results.h"

int results_open(struct results_out *o, const char *path)
{
	char dir[512];
	char *slash;
	int rc;

	memset(o, 0, sizeof(*o));
	if (strlen(path) >= sizeof(o->path)) {
		pb_err("output path '%s' is too long", path);
		return -ENAMETOOLONG;
	}
	strcpy(o->path, path);
	snprintf(o->tmp, sizeof(o->tmp), "%s.partial", path);
	strcpy(dir, path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if ((rc = pb_mkdir_p(dir))) {
			pb_err("cannot create output folder '%s': %s; choose another with --out or --outdir",
			       dir, strerror(-rc));
			return rc;
		}
	}
	if (!access(path, F_OK)) {
		pb_err("output file '%s' already exists; remove it or choose another with --out", path);
		return -EEXIST;
	}
	o->set.keep = 1;	/* rows that could not be renamed stay in PATH.partial */
	o->f = outset_open(&o->set, o->path, o->tmp, OUTSET_EXCL);
	if (!o->f) {
		rc = -errno;
		if (rc == -EEXIST)
			pb_err("'%s' exists: another run may be writing it; remove it if not", o->tmp);
		else
			pb_err("cannot write '%s': %s; choose another place with --out or --outdir",
			       o->tmp, strerror(-rc));
		return rc;
	}
	return 0;
}

void results_meta(struct results_out *o, const char *key, const char *fmt, ...)
{
	va_list ap;

	fprintf(o->f, "# %s: ", key);
	va_start(ap, fmt);
	vfprintf(o->f, fmt, ap);
	va_end(ap);
	fputc('\n', o->f);
}

void results_header(struct results_out *o)
{
	fprintf(o->f, "%s\n", RESULTS_COLUMNS);
	fflush(o->f);
}

/* Quote a field when it holds a comma, a quote or a line break (RFC 4180). */
static int put_field(char *buf, size_t len, size_t *at, const char *s)
{
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	size_t i = *at;

	if (quote && i < len)
		buf[i++] = '"';
	for (; *s; s++) {
		if (quote && *s == '"' && i < len)
			buf[i++] = '"';
		if (i < len)
			buf[i++] = *s;
	}
	if (quote && i < len)
		buf[i++] = '"';
	if (i < len)
		buf[i++] = ',';
	*at = i;
	return i < len ? 0 : -ENOSPC;
}

int results_format_setting(char *buf, size_t len, const struct row *r)
{
	size_t at = 0;
	int n;

	if (put_field(buf, len, &at, r->label) || put_field(buf, len, &at, r->kernel) ||
	    put_field(buf, len, &at, r->method) || put_field(buf, len, &at, r->region) ||
	    put_field(buf, len, &at, r->backing))
		return -ENOSPC;
	n = snprintf(buf + at, len - at, "%" PRIu64 ",%d,%" PRIu64, r->align, r->node, r->size);
	return n < 0 || (size_t)n >= len - at ? -ENOSPC : 0;
}

int results_format_row(char *buf, size_t len, const struct row *r)
{
	char acq[24] = "", rel[24] = "", seq[16];
	size_t at;
	int n;

	if (results_format_setting(buf, len, r))
		return -ENOSPC;
	at = strlen(buf);
	if (r->pins_acq >= 0)
		snprintf(acq, sizeof(acq), "%" PRId64, r->pins_acq);
	if (r->pins_rel >= 0)
		snprintf(rel, sizeof(rel), "%" PRId64, r->pins_rel);
	n = snprintf(buf + at, len - at, ",%d,%s,%" PRIu64 ",%s,%s,%s,%" PRIu64 ",%d,%d,%d,",
		     r->rep, r->op, r->ns, r->status, acq, rel, r->chunk, r->threads > 0 ? r->threads : 1, r->thread,
		     r->call);
	if (n < 0 || (size_t)n >= len - at)
		return -ENOSPC;
	at += (size_t)n;
	if (put_field(buf, len, &at, r->boot_id))
		return -ENOSPC;
	seq[0] = '\0';
	if (r->boot_seq >= 0)
		snprintf(seq, sizeof(seq), "%d", r->boot_seq);
	n = snprintf(buf + at, len - at, "%s,%s", seq, r->foll_pin ? "yes" : "no");
	return n < 0 || (size_t)n >= len - at ? -ENOSPC : 0;
}

int results_row(struct results_out *o, const struct row *r)
{
	char line[1024];
	int rc = results_format_row(line, sizeof(line), r);

	if (rc)
		return rc;
	if (fprintf(o->f, "%s\n", line) < 0 || fflush(o->f))
		return -errno;
	o->rows++;
	return 0;
}

int results_commit(struct results_out *o)
{
	int rc = outset_commit(&o->set);

	o->f = NULL;
	if (rc)
		pb_err("cannot complete '%s'; the rows are in '%s'", o->path, o->tmp);
	return rc;
}

void results_abandon(struct results_out *o, int keep)
{
	outset_drop(&o->set, keep && o->rows);
	o->f = NULL;
	if (!keep)
		o->rows = 0;
}

/* ---- reading ---- */

#define NCOLS_V1 14
#define NCOLS_V2 18
#define NCOLS 21

/* Split one CSV line into fields in place; returns the field count. */
static int split_csv(char *line, char **fields, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		char *out = p, *start = p;

		if (n == max)
			return max + 1;
		if (*p == '"') {
			p++;
			for (;;) {
				if (!*p)
					return -1;	/* unterminated quote */
				if (*p == '"' && p[1] == '"') {
					*out++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					*out++ = *p++;
				}
			}
			if (*p && *p != ',')
				return -1;
		} else {
			while (*p && *p != ',') {
				if (*p == '"')
					return -1;
				out++;
				p++;
			}
		}
		fields[n++] = start;
		if (!*p) {
			*out = '\0';
			return n;
		}
		*out = '\0';
		p++;
	}
}

static int copy_field(char *dst, size_t len, const char *src)
{
	if (strlen(src) >= len)
		return -1;
	strcpy(dst, src);
	return 0;
}

static int to_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

static int to_i64(const char *s, int64_t *v, int64_t lo, int64_t hi)
{
	char *end;
	long long x;

	if (!*s)
		return -1;
	errno = 0;
	x = strtoll(s, &end, 10);
	if (errno || *end || x < lo || x > hi)
		return -1;
	*v = x;
	return 0;
}

static int parse_row(const char *line, int ncols, struct row *r, char *why, size_t whylen)
{
	static const char *const names[NCOLS] = {
		"label", "kernel", "method", "region", "backing", "align", "node",
		"size", "rep", "op", "ns", "status", "pins_acq", "pins_rel",
		"chunk", "threads", "thread", "call", "boot_id", "boot_seq", "foll_pin",
	};
	char buf[1024];
	char *f[NCOLS];
	int n, bad = -1;
	int64_t v;
	size_t len = strlen(line);

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (len >= sizeof(buf)) {
		snprintf(why, whylen, "line longer than %zu characters", sizeof(buf) - 1);
		return -EINVAL;
	}
	memcpy(buf, line, len);
	buf[len] = '\0';
	n = split_csv(buf, f, ncols);
	if (n != ncols) {
		if (n < 0)
			snprintf(why, whylen, "badly quoted field");
		else
			snprintf(why, whylen, "%s%d fields, expected %d", n > ncols ? "more than " : "",
				 n > ncols ? ncols : n, ncols);
		return -EINVAL;
	}
	memset(r, 0, sizeof(*r));
	r->threads = 1;
	r->boot_seq = r->boot = -1;
	if (copy_field(r->label, sizeof(r->label), f[0]) || !*f[0]) bad = 0;
	else if (copy_field(r->kernel, sizeof(r->kernel), f[1])) bad = 1;
	else if (copy_field(r->method, sizeof(r->method), f[2]) || !*f[2]) bad = 2;
	else if (copy_field(r->region, sizeof(r->region), f[3]) || !*f[3]) bad = 3;
	else if (copy_field(r->backing, sizeof(r->backing), f[4])) bad = 4;
	else if (to_u64(f[5], &r->align)) bad = 5;
	else if (to_i64(f[6], &v, -1, INT_MAX)) bad = 6;
	else if ((r->node = (int)v, to_u64(f[7], &r->size)) || !r->size) bad = 7;
	else if (to_i64(f[8], &v, 0, INT_MAX)) bad = 8;
	else if ((r->rep = (int)v, copy_field(r->op, sizeof(r->op), f[9])) || !*f[9]) bad = 9;
	else if (to_u64(f[10], &r->ns)) bad = 10;
	else if (copy_field(r->status, sizeof(r->status), f[11]) || !*f[11]) bad = 11;
	else if (*f[12] ? to_i64(f[12], &r->pins_acq, 0, INT64_MAX) : (r->pins_acq = -1, 0)) bad = 12;
	else if (*f[13] ? to_i64(f[13], &r->pins_rel, 0, INT64_MAX) : (r->pins_rel = -1, 0)) bad = 13;
	else if (ncols > NCOLS_V1) {
		if (to_u64(f[14], &r->chunk)) bad = 14;
		else if (to_i64(f[15], &v, 1, INT_MAX)) bad = 15;
		else if ((r->threads = (int)v, to_i64(f[16], &v, -1, INT_MAX))) bad = 16;
		else if ((r->thread = (int)v, to_i64(f[17], &v, -1, INT_MAX))) bad = 17;
		else r->call = (int)v;
	}
	if (bad < 0 && ncols > NCOLS_V2) {
		if (copy_field(r->boot_id, sizeof(r->boot_id), f[18])) bad = 18;
		else if (*f[19] ? to_i64(f[19], &v, 0, INT_MAX) : (v = -1, 0)) bad = 19;
		else if ((r->boot_seq = (int)v, strcmp(f[20], "yes") && strcmp(f[20], "no"))) bad = 20;
		else r->foll_pin = !strcmp(f[20], "yes");
	} else if (bad < 0) {
		r->foll_pin = pinkind_foll_pin(r->method) != 0;	/* unknown: judged by its counts */
	}
	if (bad >= 0) {
		snprintf(why, whylen, "column %s: '%.40s' is not valid", names[bad], f[bad]);
		return -EINVAL;
	}
	return 0;
}

int results_parse_row(const char *line, struct row *r, char *why, size_t whylen)
{
	return parse_row(line, NCOLS, r, why, whylen);
}

int results_parse_row_v1(const char *line, struct row *r, char *why, size_t whylen)
{
	return parse_row(line, NCOLS_V1, r, why, whylen);
}

int results_parse_row_v2(const char *line, struct row *r, char *why, size_t whylen)
{
	return parse_row(line, NCOLS_V2, r, why, whylen);
}

int rowset_push(struct rowset *s, const struct row *r)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct row *p = realloc(s->rows, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		s->rows = p;
		s->cap = cap;
	}
	s->rows[s->n++] = *r;
	return 0;
}

/* What a file before format 3 says of its boot in its metadata, for its rows. */
struct file_boot {
	char id[64];
	int seq;
};

static void read_boot_meta(struct file_boot *b, const char *line)
{
	char *end;
	long v;

	if (!strncmp(line, "# boot_id: ", 11)) {
		size_t n;

		/* zeroed first: a shorter second boot_id line leaves no tail of the first */
		memset(b->id, 0, sizeof(b->id));
		n = (size_t)snprintf(b->id, sizeof(b->id), "%s", line + 11);

		n = n < sizeof(b->id) ? n : sizeof(b->id) - 1;
		while (n && (b->id[n - 1] == ' ' || b->id[n - 1] == '\t'))
			b->id[--n] = '\0';
	} else if (!strncmp(line, "# boot_seq: ", 12)) {
		errno = 0;
		v = strtol(line + 12, &end, 10);
		end += strspn(end, " \t");
		b->seq = !errno && end != line + 12 && !*end && v >= 0 && v < 1000000 ? (int)v : -1;
	}
}

int rowset_load_stream(struct rowset *s, FILE *f, const char *name)
{
	static int (*const parse[])(const char *, struct row *, char *, size_t) = {
		results_parse_row_v1, results_parse_row_v2, results_parse_row,
	};
	struct file_boot fb = { .seq = -1 };
	char *line = NULL;
	size_t cap = 0;
	long lineno = 0;
	int header = 0, rc = 0, version = 0;

	while (getline(&line, &cap, f) > 0) {
		char why[160];
		struct row r;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' && !header)
			read_boot_meta(&fb, line);
		if (line[0] == '#' || !line[0])
			continue;
		if (!header) {
			version = !strcmp(line, RESULTS_COLUMNS) ? 3 : !strcmp(line, RESULTS_COLUMNS_V2) ? 2
				  : !strcmp(line, RESULTS_COLUMNS_V1) ? 1 : 0;
			if (!version) {
				pb_err("%s:%ld: not a pinbench result header (format %d expects '%s')",
				       name, lineno, RESULTS_FORMAT, RESULTS_COLUMNS);
				rc = -EINVAL;
				break;
			}
			header = 1;
			continue;
		}
		if (parse[version - 1](line, &r, why, sizeof(why))) {
			pb_err("%s:%ld: %s", name, lineno, why);
			rc = -EINVAL;
			break;
		}
		if (version < 3) {
			memcpy(r.boot_id, fb.id, sizeof(r.boot_id));
			r.boot_seq = fb.seq;
		}
		if ((rc = rowset_push(s, &r))) {
			pb_err("%s: out of memory", name);
			break;
		}
	}
	free(line);
	if (!rc && !header) {
		pb_err("%s: no result header: is this a pinbench result file?", name);
		rc = -EINVAL;
	}
	return rc;
}

/* FILE.gz reads as FILE: committed result sets are kept compressed. */
static ssize_t gz_read(void *cookie, char *buf, size_t len)
{
	int n = gzread(cookie, buf, (unsigned)(len > INT_MAX ? INT_MAX : len));

	return n < 0 ? -1 : n;
}

static int gz_close(void *cookie)
{
	return gzclose(cookie) == Z_OK ? 0 : EOF;
}

FILE *results_fopen(const char *path)
{
	size_t n = strlen(path);
	gzFile z;
	FILE *f;

	if (n < 3 || strcmp(path + n - 3, ".gz"))
		return fopen(path, "re");
	if (!(z = gzopen(path, "rbe")))
		return NULL;
	f = fopencookie(z, "r", (cookie_io_functions_t){ .read = gz_read, .close = gz_close });
	if (!f)
		gzclose(z);
	return f;
}

int rowset_load(struct rowset *s, const char *path)
{
	FILE *f = results_fopen(path);
	int rc;

	if (!f) {
		rc = -errno;
		pb_err("cannot read '%s': %s", path, strerror(-rc));
		return rc;
	}
	rc = rowset_load_stream(s, f, path);
	fclose(f);
	return rc;
}

void rowset_free(struct rowset *s)
{
	free(s->rows);
	memset(s, 0, sizeof(*s));
}

int breakdown_path(char *buf, size_t len, const char *result_path)
{
	size_t n = strlen(result_path);

	if (n > 4 && !strcmp(result_path + n - 4, ".csv"))
		n -= 4;
	if ((size_t)snprintf(buf, len, "%.*s.breakdown", (int)n, result_path) >= len)
		return -ENAMETOOLONG;
	return 0;
}
