/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Result files: tidy CSV, one row per measured operation, each row carrying
 * its whole setting, so that files from two kernels concatenate and compare
 * without joins. Lines starting with '#' are metadata ("# key: value").
 *
 * Format version 3 columns (RESULTS_COLUMNS):
 *   label,kernel,method,region,backing,align,node,size,rep,op,ns,status,
 *   pins_acq,pins_rel,chunk,threads,thread,call,boot_id,boot_seq,foll_pin
 * (version 1 had the first 14, version 2 the first 18; their files still
 * read: chunk 0, threads 1; boot_id and boot_seq from the file's '# boot_id'
 * and '# boot_seq' lines; foll_pin from the method's name, pinkind.h).
 * op: pin | unpin | io (one O_DIRECT I/O) | kget | kput (gup_test's own times);
 *   with --chunk or --threads, pin/unpin rows are single calls and
 *   pin-total/unpin-total the wall time of a rep, first call to last return
 * chunk: bytes per call, 0 for one call per size; threads: threads pinning;
 * thread, call: which thread and which of its calls (-1 on a total row)
 * status: ok, or the errno name of a failed call
 * pins_acq/pins_rel: change of nr_foll_pin_acquired/released across the op
 *   (empty when the kernel does not count, or --no-audit)
 * boot_id: the kernel's boot_id of the boot measured in (empty: unknown);
 * boot_seq: its place in make ab's interleaved order (empty: none)
 * foll_pin: yes when the method pins with FOLL_PIN (the pin audit counts it)
 * Bump RESULTS_FORMAT when columns change.
 */
#ifndef PB_RESULTS_H
#define PB_RESULTS_H

#include <stdint.h>
#include <stdio.h>

#include "outset.h"

#define RESULTS_FORMAT 3
#define RESULTS_COLUMNS_V1 "label,kernel,method,region,backing,align,node,size,rep,op,ns,status,pins_acq,pins_rel"
#define RESULTS_COLUMNS_V2 RESULTS_COLUMNS_V1 ",chunk,threads,thread,call"
#define RESULTS_COLUMNS RESULTS_COLUMNS_V2 ",boot_id,boot_seq,foll_pin"

struct row {
	char label[128];
	char kernel[128];
	char method[32];
	char region[32];
	char backing[256];
	uint64_t align;
	int node;
	uint64_t size;
	int rep;
	char op[16];
	uint64_t ns;
	char status[24];
	int64_t pins_acq;	/* -1: not counted */
	int64_t pins_rel;
	uint64_t chunk;		/* setting: bytes per call, 0: one call */
	int threads;		/* setting: threads pinning at once */
	int thread, call;	/* which thread and call; -1 on total rows */
	char boot_id[64];	/* boot measured in, "" unknown */
	int boot_seq;		/* -1: none */
	int foll_pin;		/* 1: the method pins with FOLL_PIN */
	/* Not a column: the row's boot in a comparison's pb_boots (-1 none), set by compare.c. */
	int boot;
};

/* Writing: FILE.partial while running, renamed to FILE when complete (an outset of one). */
struct results_out {
	FILE *f;
	char path[512];
	char tmp[520];
	long rows;
	struct outset set;
};

/* Create the folder, open PATH.partial. 0 or -errno after pb_err(). */
int results_open(struct results_out *o, const char *path);
void results_meta(struct results_out *o, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Writes the header line; call once after the metadata. */
void results_header(struct results_out *o);
/* One row, flushed. */
int results_row(struct results_out *o, const struct row *r);
/* Complete: rename PATH.partial -> PATH. */
int results_commit(struct results_out *o);
/* Close without completing: keep PATH.partial if keep and rows were written, else remove it. */
void results_abandon(struct results_out *o, int keep);

/* The setting columns label..size, as in a row. */
int results_format_setting(char *buf, size_t len, const struct row *r);
int results_format_row(char *buf, size_t len, const struct row *r);
/*
 * Parse one data line (no trailing newline needed). 0, or -EINVAL with the
 * column that is wrong in why. Fields may be quoted per RFC 4180.
 */
int results_parse_row(const char *line, struct row *r, char *why, size_t whylen);
/*
 * The same for a line of a format 1 (14 columns) or 2 (18) file: boot_id ""
 * and boot_seq -1 (rowset_load_stream fills them from the metadata),
 * foll_pin from the method's name.
 */
int results_parse_row_v1(const char *line, struct row *r, char *why, size_t whylen);
int results_parse_row_v2(const char *line, struct row *r, char *why, size_t whylen);

struct rowset {
	struct row *rows;
	size_t n, cap;
};
/*
 * Append every data row of FILE (metadata and header skipped; a header that
 * is not RESULTS_COLUMNS, _V2 or _V1 is an error). 0 or -errno after pb_err()
 * naming the file and line.
 */
int rowset_load(struct rowset *s, const char *path);
/* Open a result file for reading; FILE.gz is decompressed on the fly. NULL and errno on failure. */
FILE *results_fopen(const char *path);
int rowset_load_stream(struct rowset *s, FILE *f, const char *name);
int rowset_push(struct rowset *s, const struct row *r);
void rowset_free(struct rowset *s);

/* RESULT.csv -> RESULT.breakdown, the breakdown file beside it. 0, or -ENAMETOOLONG. */
int breakdown_path(char *buf, size_t len, const char *result_path);

#endif
