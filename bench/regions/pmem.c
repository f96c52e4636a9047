// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <libpmem2.h>

#include "pb.h"
#include "regions/pmem.h"

int pmem_map(struct region *r)
{
	struct pmem2_config *cfg = NULL;
	struct pmem2_source *src = NULL;
	struct pmem2_map *map = NULL;
	int rc = 0;

	/* Read-write because pins ask for write access; nothing is stored without --write. */
	r->fd = open(r->arg, O_RDWR | O_CLOEXEC);
	if (r->fd < 0) {
		rc = -errno;
		pb_err("cannot open %s read-write: %s%s", r->arg, strerror(-rc),
		       rc == -EACCES ? " (run as root, or give yourself access to it)" : "");
		return rc;
	}
	if (pmem2_source_from_fd(&src, r->fd) || pmem2_config_new(&cfg) ||
	    pmem2_config_set_required_store_granularity(cfg, PMEM2_GRANULARITY_PAGE) ||
	    pmem2_config_set_sharing(cfg, PMEM2_SHARED) ||
	    pmem2_config_set_length(cfg, r->len) ||
	    pmem2_map_new(&map, cfg, src)) {
		pb_err("cannot map %llu bytes of %s: %s", (unsigned long long)r->len, r->arg, pmem2_errormsg());
		rc = -EINVAL;
	} else {
		r->addr = pmem2_map_get_address(map);
		r->priv = map;
	}
	pmem2_config_delete(&cfg);
	pmem2_source_delete(&src);
	return rc;
}

void pmem_unmap(struct region *r)
{
	struct pmem2_map *map = r->priv;

	if (map)
		pmem2_map_delete(&map);
	r->priv = NULL;
}
