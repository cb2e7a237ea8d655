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
	enum mp_bus bus;
	enum mp_proto proto;
	int host, channel, target;      /* NVMe: instance, cntlid, ns, nsid */
	int tpgs;                       /* INQUIRY TPGS bits, 0 = no ALUA */
	/* vendor, product, revision and the transport names below: the
	 * string pool's copies when discovery built the info (util/strpool.h:
	 * one copy for all paths of a model, HBA or port, never freed; as
	 * many distinct values as models, HBAs and ports the host has seen);
	 * mp_path_info_free() frees private copies only */
	const char *vendor, *product, *revision;
	uint64_t lun;
	char *wwid;
	char *serial;                   /* VPD 0x80 */
	const char *host_wwnn, *host_wwpn;      /* FC/iSCSI/SAS names, "[undef]" if none */
	const char *tgt_wwnn, *tgt_wwpn;
	const char *host_adapter;       /* PCI address of the HBA */
	enum mp_sdev_state state;
	enum mp_access_state access_state;
	bool ro;
	bool partial;                   /* udev had not finished with it */
	bool preferred;                 /* ALUA pref bit */
	int tpg_id;                     /* target port group, -1 unknown */
	int sysfs_timeout;              /* device/timeout secs, for checker_timeout */
	int max_sectors_kb;
};

void mp_path_info_free(struct mp_path_info *pi);
static inline void mp_path_info_freep(struct mp_path_info **pi)
{
	if (*pi)
		mp_path_info_free(*pi);
}

/* A udev property of the device (same shape as config.h's mp_prop_getter);
 * NULL when not set. */
typedef const char *(*mp_pi_getprop)(const char *name, void *ud);

struct mp_pathinfo_opts {
	const char *uid_attribute;      /* NULL: bus default; "": sysfs/VPD only */
	const char *uid_attrs;          /* "sd:ID_SERIAL nvme:ID_WWN", NULL = unset */
	mp_pi_getprop getprop;          /* NULL: no udev properties known */
	void *ud;
	bool no_io;                     /* never send SG_IO (event-loop context) */
	int timeout_ms;                 /* SG_IO timeout, 0 = 30 s */
};

/* Build the path info of /sys/block/<devname> through mp_backend()->sysfs
 * (and ->sgio unless opts->no_io).  WWID order: uid_attrs match, the
 * uid_attribute property, then sysfs (SCSI vpd_pg83 or SG_IO INQUIRY 0x83,
 * NVMe `wwid`).  When the udev property is missing but sysfs gave a WWID,
 * `partial` is set.  -ENODEV when the device does not exist. */
int mp_pathinfo_build(const char *devname, const struct mp_pathinfo_opts *opts,
		      struct mp_path_info **ret);
/* Convenience form of the above. */
int mp_pathinfo_from_sysfs(const char *devname, const char *uid_attribute,
			   mp_pi_getprop getprop, void *ud, struct mp_path_info **ret);
/* From a libudev device: properties come from udev, the rest from sysfs. */
struct udev_device;
int mp_pathinfo_from_udev(struct udev_device *dev, const struct mp_pathinfo_opts *opts,
			  struct mp_path_info **ret);

/* Which udev property holds the WWID of `devname`: the uid_attrs entry whose
 * prefix matches, else `uid_attribute`, else the bus default (ID_SERIAL for
 * SCSI, ID_WWN for NVMe, ID_UID for DASD).  "" means sysfs only. */
const char *mp_uid_property(const char *devname, const char *uid_attrs,
			    const char *uid_attribute, char *buf, size_t len);
/* WWID from sysfs/VPD alone (no udev).  strlen or -errno. */
int mp_wwid_from_sysfs(const char *devname, bool no_io, int timeout_ms, char *buf,
		       size_t len);

/* Strings of the enums above (for pathtool and the printers). */
const char *mp_bus_to_string(enum mp_bus b);
const char *mp_sdev_state_to_string(enum mp_sdev_state s);
enum mp_sdev_state mp_sdev_state_from_string(const char *s);
const char *mp_access_state_to_string(enum mp_access_state a);
enum mp_access_state mp_access_state_from_string(const char *s);

#endif
