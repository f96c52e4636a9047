// SPDX-License-Identifier: GPL-2.0
/* libFuzzer: the result-file reader behind `pinbench summary`. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "group.h"
#include "results.h"
#include "summary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rowset rs = { 0 };
	struct groups gs;
	FILE *f, *devnull;

	if (!size)
		return 0;
	f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	if (!rowset_load_stream(&rs, f, "fuzz") && !groups_build(&gs, &rs)) {
		devnull = fopen("/dev/null", "w");
		if (devnull) {
			summary_write_csv(devnull, &gs);
			fclose(devnull);
		}
		groups_free(&gs);
	}
	fclose(f);
	/* Whatever was read writes back and parses again to the same row. */
	for (size_t i = 0; i < rs.n; i++) {
		char line[1024], why[128];
		struct row back;

		if (results_format_row(line, sizeof(line), &rs.rows[i]))
			continue;
		if (results_parse_row(line, &back, why, sizeof(why)) ||
		    memcmp(&back, &rs.rows[i], sizeof(back)))
			abort();
	}
	rowset_free(&rs);
	return 0;
}
