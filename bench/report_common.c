// SPDX-License-Identifier: GPL-2.0
/* Pieces every writer of a comparison shares (report_common.h). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "report.h"
#include "report_common.h"

const char *compare_fmt_ns(double ns, char *buf, size_t len)
{
	if (isnan(ns))
		snprintf(buf, len, "-");
	else if (ns < 1e3)
		snprintf(buf, len, "%.0f ns", ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%.3g us", ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, len, "%.3g ms", ns / 1e6);
	else
		snprintf(buf, len, "%.3g s", ns / 1e9);
	return buf;
}

double report_per_4k(double ns, uint64_t size)
{
	return ns * 4096.0 / (double)size;
}

void report_csv_num(FILE *f, double v)
{
	if (isnan(v))
		fputc(',', f);
	else
		fprintf(f, "%.6g,", v);
}

const struct pb_boot *report_boot_at(const struct comparison *c, int i)
{
	return c->boots && i >= 0 && (size_t)i < c->boots->n ? &c->boots->b[i] : NULL;
}
