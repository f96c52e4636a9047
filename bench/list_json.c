// SPDX-License-Identifier: GPL-2.0
/*
 * `pinbench list --json`: every method (its table entry, whether it runs
 * here), every region kind (with its series colours and what this machine
 * has of it) and the machine's devices, for scripts (jq) instead of lists
 * of their own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "driver.h"
#include "list.h"
#include "options.h"
#include "phases.h"
#include "region.h"
#include "series.h"

static void str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void key(FILE *f, const char *k)
{
	str(f, k);
	fputs(": ", f);
}

static void strings(FILE *f, char (*names)[64], size_t n)
{
	fputc('[', f);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ", " : "", f);
		str(f, names[i]);
	}
	fputc(']', f);
}

static const struct {
	unsigned flag;
	const char *name;
} flag_names[] = {
	{ PIN_FOLL_PIN, "FOLL_PIN" }, { PIN_LONGTERM, "FOLL_LONGTERM" }, { PIN_ONESHOT, "oneshot" },
	{ PIN_CHUNKED, "chunked" }, { PIN_SHARED, "shared" }, { PIN_IOVECS, "iovecs" },
};

static void method(FILE *f, const struct pin_driver *d)
{
	const struct phase_fn *lines;
	char why[256] = "";
	int rc = d->probe(why, sizeof(why)), first = 1;

	fputs("    {", f);
	key(f, "name"), str(f, d->name);
	fputs(", ", f), key(f, "what"), str(f, d->what);
	fputs(", ", f), key(f, "path"), str(f, d->path);
	fputs(", ", f), key(f, "title"), str(f, d->title);
	fputs(", ", f), key(f, "flags"), fputc('[', f);
	for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
		if (d->flags & flag_names[i].flag) {
			fputs(first ? "" : ", ", f);
			str(f, flag_names[i].name);
			first = 0;
		}
	fputc(']', f);
	fprintf(f, ", \"foll_pin\": %s, \"longterm\": %s, \"phases\": %zu, \"available\": %s, ",
		d->flags & PIN_FOLL_PIN ? "true" : "false", d->flags & PIN_LONGTERM ? "true" : "false",
		phases_of(d->name, &lines), rc ? "false" : "true");
	key(f, "why"), str(f, why);
	fputs(", ", f), key(f, "options"), fputc('[', f);
	for (const struct opt_def *o = d->opts; o && o->name; o++) {
		fputs(o == d->opts ? "" : ", ", f);
		str(f, o->name);
	}
	fputs("]}", f);
}

/* The lines the kind's list() prints, without their indent. */
static void here(FILE *f, const struct region_kind *k)
{
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *m;
	int first = 1;

	fputc('[', f);
	if (k->list && (m = open_memstream(&buf, &len))) {
		k->list(m);
		fclose(m);
		for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			fputs(first ? "" : ", ", f);
			str(f, line + strspn(line, " "));
			first = 0;
		}
	}
	free(buf);
	fputc(']', f);
}

static void region_kind(FILE *f, const struct region_kind *k)
{
	int n = 0;

	fputs("    {", f);
	key(f, "name"), str(f, k->name);
	fputs(", ", f), key(f, "usage"), str(f, k->usage);
	fputs(", ", f), key(f, "what"), str(f, k->what);
	fputs(", ", f), key(f, "series"), fputc('[', f);
	for (const struct series_style *st = series_styles; st->kind; st++) {
		if (strcmp(st->kind, k->name))
			continue;
		fprintf(f, "%s{\"align\": %llu, \"slot\": %d, ", n++ ? ", " : "",
			(unsigned long long)st->align, st->slot);
		key(f, "colour"), str(f, st->colour);
		fputc('}', f);
	}
	fputs("], ", f), key(f, "here"), here(f, k);
	fputc('}', f);
}

static void machine(FILE *f)
{
	char names[LIST_MAX][64];
	struct list_devdax dax;
	struct pin_counts pc;

	fputs("  \"machine\": {", f);
	key(f, "rdma_devices"), strings(f, names, list_dir("/sys/class/infiniband", 0, names));
	fputs(", ", f), key(f, "vfio_groups"), strings(f, names, list_dir("/dev/vfio", 1, names));
	fprintf(f, ", \"gup_test\": %s, \"pin_audit\": ", access("/sys/kernel/debug/gup_test", F_OK) ? "false" : "true");
	if (audit_read(&pc))
		fputs("null", f);
	else
		fprintf(f, "{\"acquired\": %lld, \"released\": %lld, \"exact\": %s}", (long long)pc.acquired,
			(long long)pc.released, audit_exact() ? "true" : "false");
	list_devdax(&dax);
	fputs(", \"devdax\": ", f);
	if (!dax.backing[0]) {
		fputs("null", f);
	} else {
		fputc('{', f), key(f, "device"), str(f, dax.backing);
		fputs(", \"methods\": [", f);
		for (size_t i = 0; i < dax.n; i++) {
			fprintf(f, "%s{", i ? ", " : "");
			key(f, "name"), str(f, dax.m[i].d->name);
			fprintf(f, ", \"pins\": %s, ", dax.m[i].ok ? "true" : "false");
			key(f, "why"), str(f, dax.m[i].why);
			fputc('}', f);
		}
		fputs("]}", f);
	}
	fputs("}\n", f);
}

void list_json(FILE *f)
{
	fputs("{\n  \"methods\": [\n", f);
	for (int i = 0; pin_drivers[i]; i++) {
		method(f, pin_drivers[i]);
		fputs(pin_drivers[i + 1] ? ",\n" : "\n", f);
	}
	fputs("  ],\n  \"regions\": [\n", f);
	for (int i = 0; region_kinds[i]; i++) {
		region_kind(f, region_kinds[i]);
		fputs(region_kinds[i + 1] ? ",\n" : "\n", f);
	}
	fputs("  ],\n", f);
	machine(f);
	fputs("}\n", f);
}
