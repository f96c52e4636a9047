/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the time of a pin goes: the named phases of a pin or unpin, and, per
 * method, the kernel functions whose calls make each phase (the method's own
 * list, its driver's .phases). `pinbench run --breakdown` traces exactly these
 * functions with ftrace's function_graph tracer; `pinbench list -v` prints them.
 *
 * Functions are chosen to be called once per batch or per contiguous run, not
 * once per 4 KiB page, so that tracing them costs little. Functions the
 * running kernel cannot trace (inlined, static in a module, or in lib/, which
 * is built without ftrace hooks) are reported by `pinbench run --breakdown`
 * and `pinbench list -v`; their time then falls to the enclosing listed call
 * or to "other".
 *
 * Attribution: a call's time belongs to its phase minus the time of listed
 * calls nested inside it (innermost listed function wins). What no listed
 * call covers is "other" (syscall entry, ioctl dispatch, allocations, and
 * every phase whose function the kernel cannot trace).
 */
#ifndef PB_PHASES_H
#define PB_PHASES_H

#include <stdio.h>

enum phase {
	PHASE_GUP,	/* page walk and references (pin) */
	PHASE_RELEASE,	/* dropping the references (unpin) */
	PHASE_ACCOUNT,	/* locked-memory accounting (RLIMIT_MEMLOCK, pinned_vm/locked_vm) */
	PHASE_SG,	/* building or freeing the scatterlist */
	PHASE_DMA,	/* DMA mapping or unmapping of the scatterlist */
	PHASE_IOMMU,	/* IOMMU page-table writes, unmaps and IOTLB flushes */
	PHASE_DRIVER,	/* the method's own driver: rxe's page map, vfio type1's pfn loop, io_uring's buffer table */
	PHASE_CORE,	/* the shared layer between syscall and GUP: ib_umem, the bio */
	PHASE_NAMED,	/* number of named phases */
	PHASE_OTHER = PHASE_NAMED,	/* wall minus the named phases */
	PHASE_WALL,	/* the op's wall time while traced */
	PHASE_COUNT,
};

const char *phase_name(int phase);
const char *phase_what(int phase);

/* One line of a method's list: in its OP, calls of FUNC make PHASE. */
struct phase_fn {
	const char *op;		/* "pin" or "unpin" (the op whose wall time it splits); NULL ends a list */
	int phase;		/* enum phase */
	const char *func;	/* kernel function, as in available_filter_functions */
	const char *note;	/* where it is called from, kernels it exists in */
};

/* A note for functions in lib/. */
#define PHASE_NOTE_LIB "lib/, built without ftrace hooks: not traceable"

/* METHOD's lines (its driver's .phases) in *lines; how many (0: none, unknown method). */
size_t phases_of(const char *method, const struct phase_fn **lines);

/*
 * Is FUNC listed in the text of available_filter_functions ("name" or
 * "name [module]" per line)? Sets present[i] for each of the n lines.
 * Returns how many are missing.
 */
size_t phases_resolve(const char *avail, const struct phase_fn *lines, size_t n, int *present);

/*
 * METHOD's lines, for `pinbench list -v`; with AVAIL
 * (available_filter_functions), functions missing from it are marked.
 */
void phases_print(FILE *f, const char *method, const char *avail);

#endif
