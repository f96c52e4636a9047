/* SPDX-License-Identifier: GPL-2.0 */
/* `pinbench list`: what this machine has, gathered once for text and JSON. */
#ifndef PB_LIST_H
#define PB_LIST_H

#include <stddef.h>
#include <stdio.h>

struct pin_driver;

#define LIST_MAX 32

/* Entries of DIR not starting with '.' (digits: only those starting with one), at most LIST_MAX. */
size_t list_dir(const char *dir, int digits, char (*names)[64]);

/* Whether each method pins device-dax on this kernel: one page of the first dax device. */
struct list_devdax {
	char backing[256];	/* the device; "" when none could be mapped */
	size_t n;
	struct {
		const struct pin_driver *d;
		int ok;
		char why[256];
	} m[LIST_MAX];
};
void list_devdax(struct list_devdax *s);

/* `pinbench list --json`: methods, region kinds and what this machine has. */
void list_json(FILE *f);

#endif
