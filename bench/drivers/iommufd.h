/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The testable pieces of drivers/iommufd.c, and the uAPI it needs: Debian 12's
 * linux-libc-dev (6.1) has neither <linux/iommufd.h> (6.2) nor the VFIO
 * device cdev ioctls (6.6), so the few structs are copied here from
 * include/uapi/linux/iommufd.h and vfio.h of Linux 6.12 (a stable ABI).
 */
#ifndef PB_DRIVERS_IOMMUFD_H
#define PB_DRIVERS_IOMMUFD_H

#include <linux/types.h>
#include <linux/vfio.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>

#define IOMMUFD_TYPE_PB (';')
#define IOMMUFD_CMD_DESTROY_PB 0x80
#define IOMMUFD_CMD_IOAS_ALLOC_PB 0x81
#define IOMMUFD_CMD_IOAS_IOVA_RANGES_PB 0x84
#define IOMMUFD_CMD_IOAS_MAP_PB 0x85
#define IOMMUFD_CMD_IOAS_UNMAP_PB 0x86

struct pb_iommu_ioas_alloc {
	__u32 size;
	__u32 flags;
	__u32 out_ioas_id;
};
#define PB_IOMMU_IOAS_ALLOC _IO(IOMMUFD_TYPE_PB, IOMMUFD_CMD_IOAS_ALLOC_PB)

struct pb_iommu_iova_range {
	__aligned_u64 start;
	__aligned_u64 last;
};

struct pb_iommu_ioas_iova_ranges {
	__u32 size;
	__u32 ioas_id;
	__u32 num_iovas;
	__u32 __reserved;
	__aligned_u64 allowed_iovas;
	__aligned_u64 out_iova_alignment;
};
#define PB_IOMMU_IOAS_IOVA_RANGES _IO(IOMMUFD_TYPE_PB, IOMMUFD_CMD_IOAS_IOVA_RANGES_PB)

#define PB_IOMMU_IOAS_MAP_FIXED_IOVA (1u << 0)
#define PB_IOMMU_IOAS_MAP_WRITEABLE (1u << 1)
#define PB_IOMMU_IOAS_MAP_READABLE (1u << 2)

struct pb_iommu_ioas_map {
	__u32 size;
	__u32 flags;
	__u32 ioas_id;
	__u32 __reserved;
	__aligned_u64 user_va;
	__aligned_u64 length;
	__aligned_u64 iova;
};
#define PB_IOMMU_IOAS_MAP _IO(IOMMUFD_TYPE_PB, IOMMUFD_CMD_IOAS_MAP_PB)

struct pb_iommu_ioas_unmap {
	__u32 size;
	__u32 ioas_id;
	__aligned_u64 iova;
	__aligned_u64 length;
};
#define PB_IOMMU_IOAS_UNMAP _IO(IOMMUFD_TYPE_PB, IOMMUFD_CMD_IOAS_UNMAP_PB)

/* VFIO device cdev (/dev/vfio/devices/vfioN), Linux 6.6+ */
struct pb_vfio_device_bind_iommufd {
	__u32 argsz;
	__u32 flags;
	__s32 iommufd;
	__u32 out_devid;
};
#define PB_VFIO_DEVICE_BIND_IOMMUFD _IO(VFIO_TYPE, VFIO_BASE + 18)

struct pb_vfio_device_attach_iommufd_pt {
	__u32 argsz;
	__u32 flags;
	__u32 pt_id;
};
#define PB_VFIO_DEVICE_ATTACH_IOMMUFD_PT _IO(VFIO_TYPE, VFIO_BASE + 19)

#define IOMMUFD_DEV_DIR "/dev/vfio/devices"

/*
 * The VFIO device cdev to use, from the names in /dev/vfio/devices and
 * --iommufd-dev (want: NULL or "" for the only one, "vfioN", or
 * "/dev/vfio/devices/vfioN"). 0 with the name ("vfioN") in dev; -EINVAL when
 * want is not of that form; -ENOENT when there is no such device (or none at
 * all); -EEXIST when want is empty and there are several. why gets one line
 * naming the value and the fix.
 */
int iommufd_pick_dev(const char *const *names, size_t n, const char *want, char *dev,
		     size_t devlen, char *why, size_t len);

#endif
