// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <numaif.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pb.h"
#include "region.h"

int region_parse(const char *spec, struct region *r)
{
	const char *colon = strchr(spec, ':');
	size_t klen = colon ? (size_t)(colon - spec) : strlen(spec);

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	r->node = -1;
	for (int i = 0; region_kinds[i]; i++) {
		if (strlen(region_kinds[i]->name) != klen || strncmp(region_kinds[i]->name, spec, klen))
			continue;
		r->kind = region_kinds[i];
		if (colon && !colon[1]) {
			pb_err("--region '%s': nothing after the colon; give the argument (%s) or drop the colon",
			       spec, region_kinds[i]->usage);
			return -EINVAL;
		}
		if (colon && strlen(colon + 1) >= sizeof(r->arg)) {
			pb_err("--region '%.60s...' is too long", spec);
			return -EINVAL;
		}
		strcpy(r->arg, colon ? colon + 1 : "");
		return 0;
	}
	pb_err("unknown region kind '%.*s' in --region %s; known kinds:", (int)klen, spec, spec);
	for (int i = 0; region_kinds[i]; i++)
		fprintf(stderr, "  %-24s %s\n", region_kinds[i]->usage, region_kinds[i]->what);
	return -EINVAL;
}

void region_prefault(struct region *r, const struct region_opts *o)
{
	volatile char *p = r->addr;
	uint64_t step = r->align ? r->align : 4096;

	/*
	 * One touch per page the mapping is made of. Writing is only done when
	 * allowed; private DRAM kinds set r->written themselves (see anon.c).
	 */
	if (o->write || r->written) {
		for (uint64_t off = 0; off < r->len; off += step)
			p[off] = p[off];
		r->written = 1;
	} else {
		char sink = 0;

		for (uint64_t off = 0; off < r->len; off += step)
			sink ^= p[off];
		(void)sink;
	}
}

/* The node the first page really landed on (for DRAM kinds). */
static int node_of(void *addr)
{
	int node = -1;

	if (get_mempolicy(&node, NULL, 0, addr, MPOL_F_NODE | MPOL_F_ADDR))
		return -1;
	return node;
}

int region_describe(struct region *r, const struct region_opts *o)
{
	char a[16], b[16];
	int rc;

	if ((rc = r->kind->describe(r, o)))
		return rc;
	if (!r->align)
		r->align = 4096;
	for (int i = 0; i < o->nsizes; i++) {
		if (o->sizes[i] % r->align) {
			pb_err("size %s is not a multiple of the %s alignment of %s: use multiples of %s",
			       pb_fmt_size(o->sizes[i], a, sizeof(a)), pb_fmt_size(r->align, b, sizeof(b)),
			       r->backing, b);
			return -EINVAL;
		}
	}
	if (r->bounded && o->want > r->dev_size) {
		pb_err("size %s is larger than %s (%s): use sizes up to %s",
		       pb_fmt_size(o->want, a, sizeof(a)), r->backing, r->kind->name,
		       pb_fmt_size(r->dev_size, b, sizeof(b)));
		return -EINVAL;
	}
	return 0;
}

int region_map(struct region *r, const struct region_opts *o)
{
	int rc;

	r->len = o->want;
	if ((rc = r->kind->map(r, o)))
		return rc;
	region_prefault(r, o);
	if (r->kind->settle)
		r->kind->settle(r);
	if (r->node < 0)
		r->node = node_of(r->addr);
	return 0;
}

void region_close(struct region *r)
{
	if (r->kind && r->addr)
		r->kind->unmap(r);
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	r->addr = NULL;
}
