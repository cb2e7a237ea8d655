/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * NVMe Asymmetric Namespace Access through admin commands (the sysfs
 * ana_state exists only with native NVMe multipath, which dm-multipath
 * users turn off).  Shared by discovery (ANA capability, group, state) and
 * the ana prioritizer.
 */
#ifndef MP_DISCOVERY_NVME_H
#define MP_DISCOVERY_NVME_H

#include <stddef.h>
#include <stdint.h>

enum mp_ana_state {
	MP_ANA_OPTIMIZED = 1,
	MP_ANA_NON_OPTIMIZED = 2,
	MP_ANA_INACCESSIBLE = 3,
	MP_ANA_PERSISTENT_LOSS = 4,
	MP_ANA_CHANGE = 0xf,
};

/* Does the controller report ANA (Identify Controller CMIC bit 3)?
 * 1 / 0 / -errno. */
int mp_nvme_ana_capable(int fd, int timeout_ms);
/* ANA group of a namespace (Identify Namespace ANAGRPID), 0 = none. */
int mp_nvme_ana_group(int fd, uint32_t nsid, int timeout_ms, uint32_t *ret);
/* ANA state of group `grp` (enum mp_ana_state) from the ANA log page. */
int mp_nvme_ana_state(int fd, uint32_t grp, int timeout_ms);
/* Decoder of an ANA log page: state of `grp` or -ENOENT / -EINVAL. */
int mp_ana_log_lookup(const uint8_t *log, size_t len, uint32_t grp);

#endif
