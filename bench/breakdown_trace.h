/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ftrace's function_graph tracer, driven with libtracefs, restricted to one
 * method's phase functions (its driver's .phases). A private instance where
 * the kernel allows function_graph in one (6.12); else the top-level
 * tracer, and only when nothing else uses it (current_tracer nop, no function
 * filter, no events). Whatever it changed is put back by bd_tracer_close(), on every
 * exit path: run.c's normal ends, exit() (atexit), and the signals pinbench
 * catches (they stop the loop, which then closes).
 */
#ifndef PB_BREAKDOWN_TRACE_H
#define PB_BREAKDOWN_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "breakdown.h"

struct bd_tracer;

/*
 * Check that METHOD's listed functions can be traced here, and where; changes
 * nothing yet. Functions the kernel lacks are each reported on stderr (which
 * function, which phase loses it). 0, or -ENODEV (no tracefs or no
 * function_graph: why says the fix), -EBUSY (the top-level tracer is in use),
 * -errno.
 */
int bd_tracer_open(struct bd_tracer **t, const char *method, char *why, size_t len);
/*
 * Set the function filter and function_graph (kernel text is patched now: the
 * timed reps before it run without any hook). 0 or -errno with why.
 */
int bd_tracer_arm(struct bd_tracer *t, char *why, size_t len);
/* Is FUNC one of those traced (present in this kernel)? */
int bd_tracer_traces(const struct bd_tracer *t, const char *func);
/* Where: "instance pinbench-PID" or "top-level tracer". */
const char *bd_tracer_where(const struct bd_tracer *t);
/* Turn tracing on (right before the timed op; the buffer is empty: end() consumed it). */
int bd_tracer_begin(struct bd_tracer *t);
/*
 * Turn tracing off; the listed calls of this process since begin, in *calls
 * (n of them; owned by t, valid until the next end), and events the buffer
 * lost in *lost. 0 or -errno.
 */
int bd_tracer_end(struct bd_tracer *t, struct bd_call **calls, size_t *n, int64_t *lost);
/* The text of available_filter_functions (free() it), or NULL (why in errno). */
char *bd_available_functions(void);
/* Put back what open changed; NULL is fine. */
void bd_tracer_close(struct bd_tracer *t);

#endif
