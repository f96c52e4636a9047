/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where memory comes from. A region is one mapping made once per run; every
 * measured size is a sub-range of it starting at its base address.
 * One file per kind in regions/, one line per kind in regions/table.c.
 */
#ifndef PB_REGION_H
#define PB_REGION_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct pin_driver;

struct region_opts {
	const uint64_t *sizes;	/* every size the run will pin, ascending */
	int nsizes;
	uint64_t want;		/* bytes the run needs: its largest size */
	int write;		/* --write: stores allowed (prefault by writing) */
};

struct region {
	const struct region_kind *kind;
	char arg[256];		/* what followed "KIND:" on the command line */
	char backing[256];	/* "/dev/dax0.0", "hugetlbfs", "anon", a file */
	void *addr;		/* base of the mapping */
	uint64_t len;		/* bytes mapped (>= opts.want) */
	uint64_t align;		/* page size the mapping is made of */
	uint64_t dev_size;	/* bytes the device or file holds (bounded kinds) */
	int bounded;		/* dev_size limits the sizes (device, file) */
	int node;		/* NUMA node of the memory, -1 if unknown */
	char mode[32];		/* devdax: "devdax" / "system-ram"; else "" */
	char map[8];		/* devdax on nvdimm: "mem" (struct pages in RAM) / "dev" (on the pmem); else "" */
	int pmem;		/* backed by persistent memory */
	int written;		/* prefault stored into it (only with --write) */
	int fd;
	void *priv;		/* the kind's own state (a pmem2 map, ...) */
};

struct region_kind {
	const char *name;	/* "devdax", "hugetlb", ... */
	const char *usage;	/* "devdax:/dev/daxX.Y" */
	const char *what;	/* one line for --help and `pinbench list` */
	/*
	 * Check arg and what this machine offers before anything is mapped:
	 * fill r->backing, r->align, r->node, r->dev_size, r->mode. Returns 0,
	 * or -errno after one pb_err() line naming the value and the fix
	 * (-ENODEV/-ENOENT for "not on this machine": exit 77).
	 */
	int (*describe)(struct region *r, const struct region_opts *o);
	/* Map r->len bytes (set by the caller, a multiple of r->align). */
	int (*map)(struct region *r, const struct region_opts *o);
	void (*unmap)(struct region *r);
	/* Optional: after the prefault, check and record what the memory became (thp). */
	void (*settle)(struct region *r);
	/*
	 * Optional: what a pin by drv that failed with -err means on memory of
	 * this kind: PB_EXPLAINED_UNSUPPORTED or PB_EXPLAINED (driver.h) with
	 * msg filled, 0 when the kind has nothing to add.
	 */
	int (*explain)(const struct region *r, const struct pin_driver *drv, int err, char *msg, size_t len);
	/* `pinbench list`: print to f what this machine has of this kind. */
	void (*list)(FILE *f);
};

extern const struct region_kind *const region_kinds[];

/* "devdax:/dev/dax0.0" -> kind + arg. 0, or -EINVAL after pb_err(). */
int region_parse(const char *spec, struct region *r);
/* describe + size checks. 0 or -errno after pb_err(). */
int region_describe(struct region *r, const struct region_opts *o);
/* map + prefault; the node the memory landed on. 0 or -errno after pb_err(). */
int region_map(struct region *r, const struct region_opts *o);
void region_close(struct region *r);

/* Touch one byte per page: read unless o->write. */
void region_prefault(struct region *r, const struct region_opts *o);

#endif
