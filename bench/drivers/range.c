// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdint.h>

#include "drivers/range.h"
#include "pb.h"
#include "region.h"

int pin_range_check(const char *who, const struct region *r, const void *addr, uint64_t len)
{
	uint64_t align = r->align ? r->align : 4096;
	uintptr_t a = (uintptr_t)addr, base = (uintptr_t)r->addr;
	char al[16], sz[16];

	pb_fmt_size(align, al, sizeof(al));
	if (!len || len % align) {
		pb_err("%s: length %llu is not a multiple of the %s align of %s: use multiples of %s",
		       who, (unsigned long long)len, al, r->backing, al);
		return -EINVAL;
	}
	if (a % align) {
		pb_err("%s: address %p is not %s-aligned as %s needs: pin from a multiple of %s",
		       who, addr, al, r->backing, al);
		return -EINVAL;
	}
	if (a < base || a - base > r->len || len > r->len - (a - base)) {
		pb_err("%s: %s at %p is outside the %s mapping of %s",
		       who, pb_fmt_size(len, sz, sizeof(sz)), addr, pb_fmt_size(r->len, al, sizeof(al)), r->backing);
		return -EINVAL;
	}
	return 0;
}
