/* SPDX-License-Identifier: GPL-2.0 */
/* The testable pieces of drivers/rdma.c. */
#ifndef PB_DRIVERS_RDMA_H
#define PB_DRIVERS_RDMA_H

#include <stddef.h>

/*
 * "local-write,remote-read,remote-write" -> IBV_ACCESS_* bits. Words:
 * local-write remote-read remote-write remote-atomic relaxed, or "none".
 * 0, or -EINVAL with the reason (naming the word and the fix) in why.
 */
int rdma_parse_access(const char *s, int *access, char *why, size_t len);

#endif
