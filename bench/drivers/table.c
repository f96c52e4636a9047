// SPDX-License-Identifier: GPL-2.0
#include <stddef.h>
#include <string.h>

#include "driver.h"

extern const struct pin_driver driver_odirect, driver_iouring;

const struct pin_driver *const pin_drivers[] = {
	&driver_odirect,
	&driver_iouring,
	NULL,
};

const struct pin_driver *driver_find(const char *name)
{
	for (int i = 0; pin_drivers[i]; i++)
		if (!strcmp(pin_drivers[i]->name, name))
			return pin_drivers[i];
	return NULL;
}
