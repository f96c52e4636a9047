// SPDX-License-Identifier: GPL-2.0
/* The '#' metadata lines at the top of a result file. */
#include <errno.h>
#include <numa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "audit.h"
#include "meta.h"
#include "pb.h"

static void cpu_model(char *buf, size_t len)
{
	char line[256];
	FILE *f = fopen("/proc/cpuinfo", "re");

	snprintf(buf, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!strncmp(line, "model name", 10) && colon) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(buf, len, "%s", colon + 2);
			break;
		}
	}
	fclose(f);
}

void meta_boot(const struct options *o, char *id, size_t len, int *seq)
{
	const char *env = getenv("PINBENCH_BOOT_SEQ");
	char *end;
	long v;

	if (pb_read_file("/proc/sys/kernel/random/boot_id", id, len))
		id[0] = '\0';
	*seq = o->boot_seq;
	if (*seq < 0 && env && *env) {
		errno = 0;
		v = strtol(env, &end, 10);
		*seq = !errno && !*end && v >= 0 && v < 1000000 ? (int)v : -1;
	}
}

void meta_write(struct results_out *out, const struct meta_info *mi)
{
	const struct options *o = mi->opt;
	const struct region *r = mi->r;
	struct utsname u;
	char buf[1024], a[16], b[16];
	time_t now = time(NULL);
	struct tm tm;
	int seq;

	uname(&u);
	results_meta(out, "pinbench_format", "%d", RESULTS_FORMAT);
	results_meta(out, "pinbench_version", "%s (git %s)", PB_VERSION, PB_GIT_REV);
	gmtime_r(&now, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	results_meta(out, "date", "%s", buf);
	results_meta(out, "label", "%s", o->label);
	results_meta(out, "kernel", "%s", u.release);
	results_meta(out, "kernel_version", "%s", u.version);
	results_meta(out, "machine", "%s", u.machine);
	if (pb_read_file("/proc/cmdline", buf, sizeof(buf)) == 0)
		results_meta(out, "kernel_cmdline", "%s", buf);
	/* Which boot: pinbench compare resamples boots (make ab sets the sequence). */
	meta_boot(o, buf, sizeof(buf), &seq);
	if (buf[0])
		results_meta(out, "boot_id", "%s", buf);
	if (seq >= 0)
		results_meta(out, "boot_seq", "%d", seq);
	cpu_model(buf, sizeof(buf));
	results_meta(out, "cpu_model", "%s", buf);
	if (numa_available() >= 0)
		results_meta(out, "numa_nodes", "%d (max node %d)", numa_num_configured_nodes(), numa_max_node());
	results_meta(out, "cpu", "%d (node %d)", mi->cpu, mi->cpu_node);
	results_meta(out, "clock", "CLOCK_MONOTONIC_RAW, %llu ns per read", (unsigned long long)mi->clock_ns);
	results_meta(out, "method", "%s (%s)", mi->drv->name, mi->drv->path);
	results_meta(out, "region", "%s", o->region);
	results_meta(out, "region_backing", "%s", r->backing);
	results_meta(out, "region_align", "%s", pb_fmt_size(r->align, a, sizeof(a)));
	results_meta(out, "region_size", "%s mapped of %s", pb_fmt_size(r->len, a, sizeof(a)),
		     pb_fmt_size(r->dev_size ? r->dev_size : r->len, b, sizeof(b)));
	results_meta(out, "region_node", "%d", r->node);
	results_meta(out, "region_mode", "%s", r->mode[0] ? r->mode : "-");
	if (r->map[0])
		results_meta(out, "region_map", "%s", r->map);
	results_meta(out, "region_pmem", "%s", r->pmem ? "yes" : "no");
	results_meta(out, "region_written", "%s", r->written ? "yes" : "no");
	results_meta(out, "sizes", "%s", o->sizes_arg);
	results_meta(out, "reps", "%d (after %d warm-up)", o->reps, o->warmup);
	results_meta(out, "write", "%s", o->write ? "yes" : "no");
	results_meta(out, "pin_audit", "%s", o->no_audit ? "off" :
		     mi->audit ? (audit_exact() ? "on, per-CPU caches folded" : "on, not folded (not root?)") :
		     "unavailable (no nr_foll_pin_* in /proc/vmstat)");
	buf[0] = '\0';
	for (int i = 0; i < mi->argc; i++) {
		strncat(buf, mi->argv[i], sizeof(buf) - strlen(buf) - 2);
		strncat(buf, " ", sizeof(buf) - strlen(buf) - 1);
	}
	results_meta(out, "command", "%s", buf);
}
