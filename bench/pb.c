// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pb.h"

int pb_quiet;
_Atomic int pb_stop_signal;

void pb_catch_stop_signals(void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;	/* no SA_RESTART: a blocking call returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

void pb_err(const char *fmt, ...)
{
	va_list ap;

	fputs("pinbench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void pb_info(const char *fmt, ...)
{
	va_list ap;

	if (pb_quiet)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int pb_parse_size(const char *s, uint64_t *out)
{
	uint64_t v = 0, mult = 1;
	const char *p = s;

	if (!s || !isdigit((unsigned char)*p))
		return -EINVAL;
	while (isdigit((unsigned char)*p)) {
		unsigned d = (unsigned)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
		p++;
	}
	switch (toupper((unsigned char)*p)) {
	case '\0': break;
	case 'K': mult = PB_KIB; p++; break;
	case 'M': mult = PB_MIB; p++; break;
	case 'G': mult = PB_GIB; p++; break;
	case 'T': mult = 1024 * PB_GIB; p++; break;
	default: return -EINVAL;
	}
	/* Accept "2M", "2MB", "2MiB"; nothing else may follow. */
	if (mult > 1 && (*p == 'i' || *p == 'I') && toupper((unsigned char)p[1]) == 'B')
		p += 2;
	else if (mult > 1 && toupper((unsigned char)*p) == 'B')
		p++;
	if (*p)
		return -EINVAL;
	if (v && mult > UINT64_MAX / v)
		return -ERANGE;
	*out = v * mult;
	return 0;
}

const char *pb_fmt_size(uint64_t v, char *buf, size_t len)
{
	static const char units[] = "KMGT";
	int u = -1;

	while (v && v % 1024 == 0 && u < 3) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%" PRIu64, v);
	else
		snprintf(buf, len, "%" PRIu64 "%c", v, units[u]);
	return buf;
}

static int is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int parse_one(const char *tok, uint64_t *v, char *why, size_t whylen)
{
	int rc = pb_parse_size(tok, v);

	if (rc == -ERANGE) {
		snprintf(why, whylen, "size '%s' is too large", tok);
		return rc;
	}
	if (rc) {
		snprintf(why, whylen, "'%s' is not a size: use a number with K, M, G or T (e.g. 2M, 1G)", tok);
		return rc;
	}
	if (*v == 0) {
		snprintf(why, whylen, "size '%s' is zero: give a size of at least 4K", tok);
		return -EINVAL;
	}
	return 0;
}

int pb_parse_sizes(const char *s, uint64_t *out, int max, char *why, size_t whylen)
{
	char buf[256], *rest, *tok;
	int n = 0;

	if (!s || !*s) {
		snprintf(why, whylen, "no sizes given: use --sizes 2M,64M,1G or --sizes 4K..1G");
		return -EINVAL;
	}
	if (strlen(s) >= sizeof(buf)) {
		snprintf(why, whylen, "size list is too long (over %zu characters)", sizeof(buf) - 1);
		return -EINVAL;
	}
	strcpy(buf, s);
	rest = buf;
	while ((tok = strsep(&rest, ","))) {
		char *dots = strstr(tok, "..");
		uint64_t lo, hi;
		int rc;

		if (!*tok) {
			snprintf(why, whylen, "empty element in the size list '%s': remove the stray comma", s);
			return -EINVAL;
		}
		if (!dots) {
			if ((rc = parse_one(tok, &lo, why, whylen)))
				return rc;
			if (n == max)
				goto too_many;
			out[n++] = lo;
			continue;
		}
		*dots = '\0';
		if ((rc = parse_one(tok, &lo, why, whylen)) ||
		    (rc = parse_one(dots + 2, &hi, why, whylen)))
			return rc;
		if (!is_pow2(lo) || !is_pow2(hi)) {
			snprintf(why, whylen, "range '%s..%s': both ends must be powers of two (e.g. 4K..1G)", tok, dots + 2);
			return -EINVAL;
		}
		if (lo > hi) {
			snprintf(why, whylen, "range '%s..%s' runs backwards: put the smaller size first", tok, dots + 2);
			return -EINVAL;
		}
		for (uint64_t v = lo; v <= hi && v; v <<= 1) {
			if (n == max)
				goto too_many;
			out[n++] = v;
		}
	}
	if (!n) {
		snprintf(why, whylen, "no sizes in '%s'", s);
		return -EINVAL;
	}
	qsort(out, (size_t)n, sizeof(*out), cmp_u64);
	int m = 1;
	for (int i = 1; i < n; i++)
		if (out[i] != out[m - 1])
			out[m++] = out[i];
	return m;
too_many:
	snprintf(why, whylen, "more than %d sizes in '%s'", max, s);
	return -E2BIG;
}

uint64_t pb_clock_cost_ns(void)
{
	enum { N = 101 };
	uint64_t d[N];

	for (int i = 0; i < N; i++) {
		uint64_t t0 = pb_now_ns();
		uint64_t t1 = pb_now_ns();

		d[i] = t1 - t0;
	}
	qsort(d, N, sizeof(d[0]), cmp_u64);
	return d[N / 2];
}

const char *pb_errno_name(int err)
{
	static __thread char buf[16];
	const char *n = strerrorname_np(err);

	if (n)
		return n;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

int pb_read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	close(fd);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

int pb_read_u64(const char *path, uint64_t *out)
{
	char buf[64], *end;
	int rc = pb_read_file(path, buf, sizeof(buf));

	if (rc)
		return rc;
	errno = 0;
	*out = strtoull(buf, &end, 0);
	if (errno || end == buf)
		return -EINVAL;
	return 0;
}

int pb_mkdir_p(const char *dir)
{
	char buf[4096];
	size_t n = strlen(dir);

	if (n >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, dir, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

void pb_sanitize(char *dst, size_t len, const char *src)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < len; i++) {
		char ch = src[i];

		dst[i] = isalnum((unsigned char)ch) || ch == '.' || ch == '-' || ch == '_' ? ch : '_';
	}
	dst[i] = '\0';
}

int pb_label_ok(const char *label)
{
	if (!*label || *label == '.')
		return 0;
	for (; *label; label++)
		if (!isalnum((unsigned char)*label) && !strchr("._+-@", *label))
			return 0;
	return 1;
}

void pb_region_slug(const char *spec, char *buf, size_t len)
{
	const char *colon = strchr(spec, ':'), *arg = colon ? colon + 1 : "";
	int klen = colon ? (int)(colon - spec) : (int)strlen(spec);

	if (strrchr(arg, '/'))
		arg = strrchr(arg, '/') + 1;
	snprintf(buf, len, "%.*s%s%.80s", klen, spec, *arg ? "-" : "", arg);
	for (size_t i = 0; buf[i]; i++)
		if (!isalnum((unsigned char)buf[i]) && !strchr(".+-", buf[i]))
			buf[i] = '_';
}

void *pb_grow(void *p, size_t *cap, size_t n, size_t elem, size_t first)
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
