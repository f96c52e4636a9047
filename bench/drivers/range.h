/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one alignment check every method gets before its pin: meant to be
 * called by measure.c (once per size, before prepare()), not by each driver.
 */
#ifndef PB_DRIVERS_RANGE_H
#define PB_DRIVERS_RANGE_H

#include <stdint.h>

struct region;

/*
 * [addr, addr + len) must lie in the region and start and end on multiples
 * of its align (4K when the region does not say). 0, or -EINVAL after one
 * pb_err() line naming the align and the fix; who names the method.
 */
int pin_range_check(const char *who, const struct region *r, const void *addr, uint64_t len);

#endif
