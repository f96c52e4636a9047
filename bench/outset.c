// SPDX-License-Identifier: GPL-2.0
/* Output files written all or nothing (outset.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outset.h"
#include "pb.h"

/* DIR/.NAME.tmp for DIR/NAME: hidden, so that no reader of DIR takes it for output. */
static char *default_tmp(const char *path)
{
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path + 1) : 0;
	char *t;

	if (asprintf(&t, "%.*s.%s.tmp", dirlen, path, path + dirlen) < 0)
		return NULL;
	return t;
}

static struct outset_member *add(struct outset *s, const char *path, const char *tmp)
{
	struct outset_member *p = pb_grow(s->m, &s->cap, s->n, sizeof(*p), 4);
	struct outset_member *m;

	if (!p)
		return NULL;
	s->m = p;
	m = &s->m[s->n];
	memset(m, 0, sizeof(*m));
	m->path = strdup(path);
	m->tmp = tmp ? strdup(tmp) : default_tmp(path);
	if (!m->path || !m->tmp) {
		free(m->path);
		free(m->tmp);
		errno = ENOMEM;
		return NULL;
	}
	return m;
}

static void empty(struct outset *s);

static void forget(struct outset_member *m)
{
	free(m->path);
	free(m->tmp);
	memset(m, 0, sizeof(*m));
}

FILE *outset_open(struct outset *s, const char *path, const char *tmp, int flags)
{
	struct outset_member *m = add(s, path, tmp);
	int err;

	if (!m) {
		if (!s->n)
			empty(s);
		return NULL;
	}
	m->f = fopen(m->tmp, flags & OUTSET_EXCL ? "wxe" : "we");
	if (!m->f) {
		err = errno;
		forget(m);
		if (!s->n)
			empty(s);	/* nothing opened: nothing for the caller to drop */
		errno = err;
		return NULL;
	}
	s->n++;
	return m->f;
}

const char *outset_mkdir(struct outset *s, const char *path, const char *tmp, outset_clear_fn clear)
{
	struct outset_member *m = add(s, path, tmp);

	if (!m) {
		pb_err("out of memory for '%s'", path);
		if (!s->n)
			empty(s);
		return NULL;
	}
	m->clear = clear;
	if (clear(m->tmp)) {
		forget(m);
		if (!s->n)
			empty(s);
		return NULL;
	}
	if (mkdir(m->tmp, 0755)) {
		pb_err("cannot create '%s': %s", m->tmp, strerror(errno));
		forget(m);
		if (!s->n)
			empty(s);
		return NULL;
	}
	s->n++;
	return m->tmp;
}

/* Remove what a member left at name (its temporary or, once renamed, its path). */
static void remove_member(const struct outset_member *m, const char *name)
{
	if (m->clear)
		m->clear(name);
	else
		unlink(name);
}

static void empty(struct outset *s)
{
	for (size_t i = 0; i < s->n; i++)
		forget(&s->m[i]);
	free(s->m);
	s->m = NULL;
	s->n = s->cap = 0;
}

void outset_drop(struct outset *s, int keep)
{
	for (size_t i = 0; i < s->n; i++) {
		struct outset_member *m = &s->m[i];

		if (m->f) {
			fflush(m->f);
			fclose(m->f);
			m->f = NULL;
		}
		if (!keep)
			remove_member(m, m->tmp);
	}
	empty(s);
}

static int close_member(struct outset_member *m)
{
	int rc = 0;

	if (!m->f)
		return 0;
	if (fflush(m->f) || ferror(m->f) || fsync(fileno(m->f)))
		rc = errno ? -errno : -EIO;
	if (fclose(m->f) && !rc)
		rc = -errno;
	m->f = NULL;
	if (rc)
		pb_err("cannot write '%s': %s", m->tmp, strerror(-rc));
	return rc;
}

/* A failed commit: the members renamed so far go, and the temporaries unless kept. */
static int undo(struct outset *s, int rc)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->m[i].done)
			remove_member(&s->m[i], s->m[i].path);
		else if (!s->keep)
			remove_member(&s->m[i], s->m[i].tmp);
	empty(s);
	return rc;
}

int outset_commit(struct outset *s)
{
	int rc = 0;

	for (size_t i = 0; i < s->n; i++) {
		int r = close_member(&s->m[i]);

		rc = rc ? rc : r;
	}
	if (rc)
		return undo(s, rc);
	/* Old folders are emptied before anything is renamed: one that cannot be stops it all. */
	for (size_t i = 0; i < s->n; i++)
		if (s->m[i].clear && (rc = s->m[i].clear(s->m[i].path)))
			return undo(s, rc);
	for (size_t i = 0; i < s->n; i++) {
		struct outset_member *m = &s->m[i];

		if (rename(m->tmp, m->path)) {
			rc = -errno;
			pb_err("cannot rename '%s' to '%s': %s", m->tmp, m->path, strerror(-rc));
			return undo(s, rc);
		}
		m->done = 1;
	}
	empty(s);
	return 0;
}
