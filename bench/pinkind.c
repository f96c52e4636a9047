// SPDX-License-Identifier: GPL-2.0
/* FOLL_PIN or not, per method name (pinkind.h); test_results holds it to the drivers' flags. */
#include <string.h>

#include "pinkind.h"

int pinkind_foll_pin(const char *method)
{
	/* The methods of format 1 and 2 files; a method added since writes its own column. */
	static const struct {
		const char *method;
		int foll_pin;
	} kinds[] = {
		{ "odirect", 1 }, { "iouring", 1 }, { "rdma", 1 }, { "vfio", 1 }, { "iommufd", 1 },
		{ "gup-pin", 1 }, { "gup-longterm", 1 },
		{ "gup-fast", 0 },	/* get_user_pages_fast: FOLL_GET */
		{ "rdma-odp", 0 },	/* on-demand paging: pins nothing */
		{ "null", 0 },		/* pins nothing */
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(method, kinds[i].method))
			return kinds[i].foll_pin;
	return -1;
}
