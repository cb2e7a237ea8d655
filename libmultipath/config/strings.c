// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * String tables owned by the configuration: transport protocol names (the
 * values of `protocol` blacklist rules and of overrides/protocol `type`),
 * grouping policy names and the origin texts printed next to settings.
 */
#include <string.h>

#include "config/config.h"
#include "config/settings.h"
#include "discovery/pathinfo.h"

static const char *const proto_names[_PROTO_MAX] = {
	[PROTO_UNDEF] = "undef",
	[PROTO_SCSI_FCP] = "scsi:fcp",
	[PROTO_SCSI_SPI] = "scsi:spi",
	[PROTO_SCSI_SSA] = "scsi:ssa",
	[PROTO_SCSI_SBP] = "scsi:sbp",
	[PROTO_SCSI_SRP] = "scsi:srp",
	[PROTO_SCSI_ISCSI] = "scsi:iscsi",
	[PROTO_SCSI_SAS] = "scsi:sas",
	[PROTO_SCSI_ADT] = "scsi:adt",
	[PROTO_SCSI_ATA] = "scsi:ata",
	[PROTO_SCSI_UNSPEC] = "scsi:unspec",
	[PROTO_NVME_PCIE] = "nvme:pcie",
	[PROTO_NVME_RDMA] = "nvme:rdma",
	[PROTO_NVME_FC] = "nvme:fc",
	[PROTO_NVME_TCP] = "nvme:tcp",
	[PROTO_NVME_LOOP] = "nvme:loop",
	[PROTO_NVME_APPLE] = "nvme:apple-nvme",
	[PROTO_NVME_UNSPEC] = "nvme:unspec",
	[PROTO_CCW] = "ccw",
	[PROTO_CCISS] = "cciss",
};

const char *mp_proto_to_string(enum mp_proto p)
{
	if ((unsigned)p >= _PROTO_MAX)
		return "undef";
	return proto_names[p];
}

static const char *const pgp_names[_PGP_MAX] = {
	[PGP_FAILOVER] = "failover",
	[PGP_MULTIBUS] = "multibus",
	[PGP_GROUP_BY_SERIAL] = "group_by_serial",
	[PGP_GROUP_BY_PRIO] = "group_by_prio",
	[PGP_GROUP_BY_NODE_NAME] = "group_by_node_name",
	[PGP_GROUP_BY_TPG] = "group_by_tpg",
};

const char *mp_pgpolicy_to_string(enum mp_pgpolicy p)
{
	if ((unsigned)p >= _PGP_MAX)
		return NULL;
	return pgp_names[p];
}

enum mp_pgpolicy mp_pgpolicy_from_string(const char *s)
{
	for (int k = 0; s && k < _PGP_MAX; k++)
		if (!strcmp(s, pgp_names[k]))
			return (enum mp_pgpolicy)k;
	return _PGP_INVALID;
}

static const char *const origin_names[_ORIGIN_MAX] = {
	[ORIGIN_COMPILED] = "(setting: multipath internal)",
	[ORIGIN_DEFAULTS] = "(setting: multipath.conf defaults/devices section)",
	[ORIGIN_HWTABLE] = "(setting: storage device configuration)",
	[ORIGIN_DEVICES] = "(setting: storage device configuration)",
	[ORIGIN_OVERRIDES] = "(setting: multipath.conf overrides section)",
	[ORIGIN_PROTOCOL] = "(setting: multipath.conf overrides protocol section)",
	[ORIGIN_MULTIPATHS] = "(setting: multipath.conf multipaths section)",
	[ORIGIN_AUTODETECT] = "(setting: storage device autodetected)",
	[ORIGIN_CMDLINE] = "(setting: multipath command line [-p] flag)",
};

const char *mp_origin_to_string(enum mp_origin o)
{
	if ((unsigned)o >= _ORIGIN_MAX)
		return NULL;
	return origin_names[o];
}
