/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Job files of `pinbench sweep`, fio style: a [global] section of defaults,
 * then one [NAME] section per job, each line `key = value`. A job starts with
 * every [global] key and may override it. Keys are the sweep's own (regions,
 * methods, sizes, sizes-1g, label, outdir) or long options of `pinbench run`
 * without the dashes; only names are checked here, values by the sweep's plan.
 */
#ifndef PB_JOBFILE_H
#define PB_JOBFILE_H

#include <stddef.h>

struct job_kv {
	char *key;
	char *val;		/* "1" for a bare flag */
	int line;		/* where it was set; 0: --set on the command line */
	int inherited;		/* copied from [global], not set in the job itself */
};

struct job {
	char name[64];
	int line;		/* its [NAME] line */
	struct job_kv *kv;	/* in file order, [global]'s first */
	size_t nkv, cap;
};

struct jobfile {
	char path[256];
	struct job global;
	struct job *jobs;
	size_t njobs, cap;
};

/* Parse text read from path (path only names errors). 0, or -errno after one pb_err() naming path:line. */
int jobfile_parse(struct jobfile *jf, const char *path, const char *text);
/* Read and parse a job file. 0 or -errno after pb_err(). */
int jobfile_load(struct jobfile *jf, const char *path);
/* --set KEY=VALUE: checked as a file's key, then overrides it in every job. 0 or -EINVAL after pb_err(). */
int jobfile_set(struct jobfile *jf, const char *keyval);
void jobfile_free(struct jobfile *jf);

/* The value of key in job j, NULL when not set; kv (optional) says where. */
const char *job_get(const struct job *j, const char *key, const struct job_kv **kv);
/* Is key one of the sweep's own keys (not passed to `pinbench run`)? */
int jobfile_sweep_key(const char *key);
/* "FILE:LINE" or "--set" for messages. */
const char *job_where(const struct jobfile *jf, const struct job_kv *kv, char *buf, size_t len);

#endif
