// SPDX-License-Identifier: GPL-2.0
#include <stddef.h>

#include "region.h"

extern const struct region_kind region_devdax, region_fsdax, region_hugetlb,
	region_thp, region_anon, region_file;

const struct region_kind *const region_kinds[] = {
	&region_devdax,
	&region_fsdax,
	&region_hugetlb,
	&region_thp,
	&region_anon,
	&region_file,
	NULL,
};
