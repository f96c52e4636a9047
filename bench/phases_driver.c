// SPDX-License-Identifier: GPL-2.0
/* A method's phase functions, looked up through its driver (phases.c holds the names). */
#include "driver.h"
#include "phases.h"

size_t phases_of(const char *method, const struct phase_fn **lines)
{
	const struct pin_driver *d = driver_find(method);
	size_t n = 0;

	*lines = d ? d->phases : NULL;
	while (*lines && (*lines)[n].op)
		n++;
	return n;
}

void phases_print(FILE *f, const char *method, const char *avail)
{
	const struct phase_fn *lines;
	size_t n = phases_of(method, &lines);

	for (size_t i = 0; i < n; i++) {
		const struct phase_fn *p = &lines[i];
		int present;

		phases_resolve(avail ? avail : "", p, 1, &present);
		fprintf(f, "%24s%-5s %-7s %-32s %s%s\n", "", p->op, phase_name(p->phase), p->func,
			avail && !present ? "NOT TRACEABLE HERE: " : "", p->note);
	}
}
