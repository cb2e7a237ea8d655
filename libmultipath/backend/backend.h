/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The narrow interfaces to the system.  Production code calls the system
 * only through these tables; unit tests install stateful fakes
 * (tests/fake/) with mp_backend_set().  Each table stays under ~10 entries.
 *
 *   sysfs   attribute read/write under a root (default "/sys")
 *   dm      device-mapper ioctls (implemented over libdevmapper in dm/)
 *   sgio    SCSI generic pass-through and NVMe admin commands
 *   clock   util/clock.h (separate, because everyone needs it)
 *
 * udev is not here: libudev is confined to the daemon's event-loop thread
 * and the enumeration in discovery/; its data reaches the core as plain
 * structs (struct mp_uevent, struct mp_path_info), which tests build directly.
 */
#ifndef MP_BACKEND_BACKEND_H
#define MP_BACKEND_BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct mp_sysfs_ops {
	/* attr relative to a /sys path, e.g. ("/sys/block/sdb/device", "state") */
	int (*read_attr)(const char *dir, const char *attr, char *buf, size_t len);
	int (*write_attr)(const char *dir, const char *attr, const char *value);
	/* Binary attributes (vpd_pg83, inquiry): raw bytes, no stripping;
	 * returns the byte count.  Optional (NULL: callers fall back to SG_IO). */
	int (*read_bin)(const char *dir, const char *attr, void *buf, size_t len);
	/* Resolve a sysfs link ("/sys/block/sdb/device") to its canonical path.
	 * Optional (NULL: callers do without the path-derived facts). */
	int (*resolve)(const char *path, char *buf, size_t len);
};

/* One SCSI command; returns 0 when the command completed (inspect status
 * and sense), -errno when it could not be issued. */
struct mp_sg_cmd {
	const uint8_t *cdb;
	uint8_t cdb_len;
	uint8_t *data;          /* data-in buffer */
	uint32_t data_len;
	uint32_t timeout_ms;
	uint8_t status;         /* SCSI status */
	uint16_t host_status, driver_status;
	uint8_t sense[32];
	uint8_t sense_len;
	uint32_t resid;
};

enum mp_open_kind { MP_OPEN_BLOCK, MP_OPEN_SG, MP_OPEN_DIRECT };

struct mp_sgio_ops {
	int (*scsi_cmd)(int fd, struct mp_sg_cmd *cmd);
	/* NVMe admin passthrough (identify, get log page) */
	int (*nvme_admin)(int fd, uint8_t opcode, uint32_t nsid, uint32_t cdw10,
			  uint32_t cdw11, void *data, uint32_t len, uint32_t timeout_ms);
	/* Open a device node (enum mp_open_kind): /dev/<devname> read-only,
	 * the same with O_DIRECT, or the SCSI generic node of that disk
	 * (/dev/sgN, read-write, non-blocking, for sg_submit/collect).
	 * Returns an fd or -errno. */
	int (*open_dev)(const char *devname, int kind);
	/* Asynchronous SCSI command on an sg fd: submit writes the request and
	 * returns at once; `cmd` (its cdb, data and sense buffers) must stay
	 * valid until sg_collect returned it.  The fd polls readable when a
	 * completion is waiting; sg_collect returns 0 and fills status/sense,
	 * or -EAGAIN while the command is in flight. */
	int (*sg_submit)(int fd, struct mp_sg_cmd *cmd);
	int (*sg_collect)(int fd, struct mp_sg_cmd *cmd);
};

struct mp_dm_ops;       /* defined in dm/dm.h */

struct mp_backend {
	const struct mp_sysfs_ops *sysfs;
	const struct mp_sgio_ops *sgio;
	const struct mp_dm_ops *dm;
};

/* The active backend; real implementations are the default. */
const struct mp_backend *mp_backend(void);
void mp_backend_set(const struct mp_backend *b);

#endif
