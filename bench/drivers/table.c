// SPDX-License-Identifier: GPL-2.0
#include <stddef.h>
#include <string.h>

#include "driver.h"

extern const struct pin_driver driver_odirect, driver_iouring;
extern const struct pin_driver driver_rdma, driver_rdma_odp, driver_vfio, driver_iommufd;
extern const struct pin_driver driver_gup_fast, driver_gup_pin, driver_gup_longterm;
extern const struct pin_driver driver_null;

const struct pin_driver *const pin_drivers[] = {
	&driver_odirect,
	&driver_iouring,
	&driver_rdma,
	&driver_rdma_odp,
	&driver_vfio,
	&driver_iommufd,
	&driver_gup_fast,
	&driver_gup_pin,
	&driver_gup_longterm,
	&driver_null,
	NULL,
};

const struct pin_driver *driver_find(const char *name)
{
	for (int i = 0; pin_drivers[i]; i++)
		if (!strcmp(pin_drivers[i]->name, name))
			return pin_drivers[i];
	return NULL;
}
