/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A set of output files written all or nothing. Each member is written under
 * a temporary name; outset_commit renames every member to its name, or, when
 * any part fails, leaves none of the set; outset_drop removes every
 * temporary. A member may be a folder (the gnuplot data): written into a
 * temporary folder, its old self emptied by the member's clear() first.
 */
#ifndef PB_OUTSET_H
#define PB_OUTSET_H

#include <stddef.h>
#include <stdio.h>

/* Empty and remove folder PATH (a missing one is fine). 0 or -errno after pb_err(). */
typedef int (*outset_clear_fn)(const char *path);

struct outset_member {
	char *path;		/* its name once committed */
	char *tmp;		/* where it is written */
	FILE *f;		/* NULL for a folder, or once closed */
	outset_clear_fn clear;	/* folders only */
	int done;		/* renamed by the commit under way */
};

struct outset {
	struct outset_member *m;
	size_t n, cap;
	int keep;		/* a failed commit keeps the temporaries (rows not to lose) */
};

enum { OUTSET_EXCL = 1 };	/* the temporary must not exist yet (another writer's) */

/*
 * Add file PATH, written through TMP (NULL: DIR/.NAME.tmp beside PATH).
 * The stream to write, or NULL with errno set (nothing added).
 */
FILE *outset_open(struct outset *s, const char *path, const char *tmp, int flags);
/*
 * Add folder PATH, written into TMP (NULL: DIR/.NAME.tmp), created empty
 * (an old TMP cleared first). The temporary folder's name, or NULL after pb_err().
 */
const char *outset_mkdir(struct outset *s, const char *path, const char *tmp, outset_clear_fn clear);
/*
 * Close every stream (flushed and synced), then rename each member in the
 * order added. 0, or -errno after pb_err(): then none of the set is there
 * (members renamed already are removed again), the temporaries gone too
 * unless s->keep. The set is empty afterwards either way.
 */
int outset_commit(struct outset *s);
/* Close and remove every temporary (keep: leave them); the set is empty afterwards. */
void outset_drop(struct outset *s, int keep);

#endif
