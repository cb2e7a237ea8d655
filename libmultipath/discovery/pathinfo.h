/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What we know about one block device that may be a path: identity from
 * udev + sysfs (+ SG_IO VPD when udev has no WWID).  Immutable once built:
 * a change uevent produces a new mp_path_info that replaces the old one.
 */
#ifndef MP_DISCOVERY_PATHINFO_H
#define MP_DISCOVERY_PATHINFO_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

enum mp_bus { BUS_UNDEF, BUS_SCSI, BUS_NVME, BUS_DASD, BUS_CCISS };

/* Transport protocol, as the incumbent's `protocol` blacklist/overrides
 * strings: "scsi:fcp", "scsi:iscsi", "nvme:tcp", … */
enum mp_proto {
	PROTO_UNDEF,
	PROTO_SCSI_FCP, PROTO_SCSI_SPI, PROTO_SCSI_SSA, PROTO_SCSI_SBP,
	PROTO_SCSI_SRP, PROTO_SCSI_ISCSI, PROTO_SCSI_SAS, PROTO_SCSI_ADT,
	PROTO_SCSI_ATA, PROTO_SCSI_UNSPEC,
	PROTO_NVME_PCIE, PROTO_NVME_RDMA, PROTO_NVME_FC, PROTO_NVME_TCP,
	PROTO_NVME_LOOP, PROTO_NVME_APPLE, PROTO_NVME_UNSPEC,
	PROTO_CCW, PROTO_CCISS,
	_PROTO_MAX,
};
const char *mp_proto_to_string(enum mp_proto p);

/* SCSI device `state` attribute (NVMe controller state mapped onto it). */
enum mp_sdev_state {
	SDEV_UNKNOWN, SDEV_RUNNING, SDEV_OFFLINE, SDEV_BLOCKED, SDEV_QUIESCE,
	SDEV_TRANSPORT_OFFLINE, SDEV_CREATED, SDEV_CANCEL, SDEV_DELETED,
};

/* ALUA access_state (scsi_dh_alua sysfs) or NVMe ANA state. */
enum mp_access_state {
	ACCESS_UNKNOWN, ACCESS_OPTIMIZED, ACCESS_NON_OPTIMIZED, ACCESS_STANDBY,
	ACCESS_UNAVAILABLE, ACCESS_LBA_DEPENDENT, ACCESS_OFFLINE,
	ACCESS_TRANSITIONING,
};

struct mp_path_info {
	char *devname;          /* "sdb", "nvme1n1" */
	char *syspath;          /* /sys/devices/… of the block device */
	dev_t devt;
	uint64_t size;          /* 512-byte sectors */
	bool ro;
	bool partial;           /* udev had not finished with it */
	enum mp_bus bus;
	enum mp_proto proto;
	char *vendor, *product, *revision;
	int host, channel, target;      /* NVMe: instance, cntlid, ns, nsid */
	uint64_t lun;
	char *wwid;
	char *serial;                   /* VPD 0x80 */
	char *host_wwnn, *host_wwpn;    /* FC/iSCSI/SAS names, "[undef]" if none */
	char *tgt_wwnn, *tgt_wwpn;
	char *host_adapter;             /* PCI address of the HBA */
	enum mp_sdev_state state;
	enum mp_access_state access_state;
	bool preferred;                 /* ALUA pref bit */
	int tpgs;                       /* INQUIRY TPGS bits, 0 = no ALUA */
	int tpg_id;                     /* target port group, -1 unknown */
	int sysfs_timeout;              /* device/timeout secs, for checker_timeout */
	int max_sectors_kb;
};

void mp_path_info_free(struct mp_path_info *pi);

#endif
