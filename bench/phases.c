// SPDX-License-Identifier: GPL-2.0
/* The phases: their names, and finding a method's functions among the traceable ones. */
#include <string.h>

#include "phases.h"

static const char *const names[PHASE_COUNT] = {
	[PHASE_GUP] = "gup", [PHASE_RELEASE] = "release", [PHASE_ACCOUNT] = "account",
	[PHASE_SG] = "sg", [PHASE_DMA] = "dma", [PHASE_IOMMU] = "iommu",
	[PHASE_DRIVER] = "driver", [PHASE_CORE] = "core", [PHASE_OTHER] = "other",
	[PHASE_WALL] = "wall",
};

static const char *const whats[PHASE_COUNT] = {
	[PHASE_GUP] = "GUP: page-table walk and page references",
	[PHASE_RELEASE] = "releasing the page references",
	[PHASE_ACCOUNT] = "locked-memory accounting (RLIMIT_MEMLOCK, pinned_vm, locked_vm)",
	[PHASE_SG] = "building or freeing the scatterlist",
	[PHASE_DMA] = "DMA mapping or unmapping",
	[PHASE_IOMMU] = "IOMMU page-table writes, unmaps, IOTLB flushes",
	[PHASE_DRIVER] = "the method's driver's own work (rxe page map, vfio type1 pfn loop, io_uring buffer table)",
	[PHASE_CORE] = "the shared layer's own work between syscall and GUP (ib_umem, the bio)",
	[PHASE_OTHER] = "wall minus the named phases: syscall, dispatch, allocations, untraceable functions",
	[PHASE_WALL] = "wall time of the traced op",
};

const char *phase_name(int phase)
{
	return phase >= 0 && phase < PHASE_COUNT ? names[phase] : "?";
}

const char *phase_what(int phase)
{
	return phase >= 0 && phase < PHASE_COUNT ? whats[phase] : "?";
}

/* Does line [s, e) name FUNC, alone or followed by " [module]"? */
static int line_names(const char *s, const char *e, const char *func)
{
	size_t len = strlen(func);

	return (size_t)(e - s) >= len && !memcmp(s, func, len) &&
	       (s + len == e || s[len] == ' ' || s[len] == '\t');
}

size_t phases_resolve(const char *avail, const struct phase_fn *lines, size_t n, int *present)
{
	size_t missing = 0;

	for (size_t k = 0; k < n; k++)
		present[k] = 0;
	for (const char *s = avail; s && *s;) {
		const char *e = strchr(s, '\n');

		if (!e)
			e = s + strlen(s);
		for (size_t k = 0; k < n; k++)
			if (!present[k] && line_names(s, e, lines[k].func))
				present[k] = 1;
		s = *e ? e + 1 : e;
	}
	for (size_t k = 0; k < n; k++)
		missing += !present[k];
	return missing;
}
