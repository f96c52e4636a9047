// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"

static int refresh_state;	/* 0 untried, 1 works, -1 does not */

/* Writing anything to stat_refresh folds every CPU's vmstat diffs (root only). */
static void fold_percpu(void)
{
	int fd;

	if (refresh_state < 0)
		return;
	fd = open("/proc/sys/vm/stat_refresh", O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		refresh_state = -1;
		return;
	}
	/* EINVAL here only reports a negative counter elsewhere: still folded. */
	if (write(fd, "1", 1) == 1 || errno == EINVAL)
		refresh_state = 1;
	else
		refresh_state = -1;
	close(fd);
}

int audit_exact(void)
{
	if (!refresh_state)
		fold_percpu();
	return refresh_state > 0;
}

int audit_read(struct pin_counts *c)
{
	char line[128];
	FILE *f;

	c->acquired = c->released = -1;
	fold_percpu();
	f = fopen("/proc/vmstat", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		long long v;

		if (sscanf(line, "nr_foll_pin_acquired %lld", &v) == 1)
			c->acquired = v;
		else if (sscanf(line, "nr_foll_pin_released %lld", &v) == 1)
			c->released = v;
	}
	fclose(f);
	return c->acquired < 0 || c->released < 0 ? -ENOENT : 0;
}

int64_t audit_slack(void)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);

	return 125 * (n > 0 ? n : 1);
}

void audit_judge(const struct audit_input *in, struct audit_result *out)
{
	int64_t diff = in->acquired - in->released;

	out->acquired = in->acquired;
	out->released = in->released;
	out->expected = in->expected;
	out->leaked = 0;
	/*
	 * A method that does not pin with FOLL_PIN (get_user_pages, ODP, ...)
	 * leaves the counters to whoever else runs: nothing to judge.
	 */
	if (!in->foll_pin || in->acquired < 0 || in->released < 0 ||
	    (in->acquired == 0 && in->released == 0)) {
		out->verdict = AUDIT_NOT_COUNTED;
		return;
	}
	if (diff == 0 || (!in->exact && llabs(diff) <= in->slack)) {
		out->verdict = AUDIT_BALANCED;
	} else if (diff > 0) {
		out->verdict = AUDIT_LEAKED;
		out->leaked = diff;
	} else {
		out->verdict = AUDIT_OVER_RELEASED;
		out->leaked = diff;
	}
}

const char *audit_verdict_str(const struct audit_result *a, char *buf, size_t len)
{
	switch (a->verdict) {
	case AUDIT_BALANCED:
		snprintf(buf, len, "balanced");
		break;
	case AUDIT_LEAKED:
		snprintf(buf, len, "leaked %" PRId64 " pages", a->leaked);
		break;
	case AUDIT_OVER_RELEASED:
		snprintf(buf, len, "over-released %" PRId64 " pages", -a->leaked);
		break;
	default:
		snprintf(buf, len, "not counted");
		break;
	}
	return buf;
}
