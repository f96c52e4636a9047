// SPDX-License-Identifier: GPL-2.0
/* libFuzzer: --sizes lists and ranges, single sizes, region specs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pb.h"
#include "region.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t v[PB_MAX_SIZES], one;
	char why[256], *s = malloc(size + 1);
	struct region r;
	int n;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	n = pb_parse_sizes(s, v, PB_MAX_SIZES, why, sizeof(why));
	if (n > 0) {
		/* What the parser promises: sorted, unique, non-zero, within the bound. */
		if (n > PB_MAX_SIZES)
			abort();
		for (int i = 0; i < n; i++)
			if (!v[i] || (i && v[i] <= v[i - 1]))
				abort();
	} else if (!why[0] || !memchr(why, '\0', sizeof(why))) {
		abort();	/* every refusal says why */
	}
	if (!pb_parse_size(s, &one)) {
		char buf[32];

		pb_fmt_size(one, buf, sizeof(buf));
	}
	region_parse(s, &r);
	free(s);
	return 0;
}
