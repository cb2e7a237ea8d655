/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Per-path sysfs tunables: dev_loss_tmo, fast_io_fail_tmo, eh_deadline and
 * max_sectors_kb, written to the transport object, SCSI host and block
 * queue of one path, as the protocol allows:
 *
 *   scsi:fcp    fc_remote_ports/rport-*: dev_loss_tmo, fast_io_fail_tmo
 *   scsi:iscsi  iscsi_session/session*: recovery_tmo = fast_io_fail_tmo
 *   scsi:sas    sas_end_device/end_device-*: I_T_nexus_loss_timeout = dev_loss_tmo
 *               (read-only in mainline kernels: tried, not applied there)
 *   scsi:*      scsi_host/host*: eh_deadline
 *   any bus     block/<dev>/queue/max_sectors_kb
 *
 * NVMe paths get only max_sectors_kb: their loss timeouts (ctrl_loss_tmo,
 * fast_io_fail_tmo of the fabrics controller) are connect options, not
 * multipath settings.
 *
 * Every attribute is read first and written only when it differs.  Failures
 * are logged with the device and attribute and never stop the caller: a path
 * with its kernel defaults still works.  max_sectors_kb must be applied
 * before the map table that holds the path is loaded, because the map takes
 * its limits from its paths at table load.
 */
#ifndef MP_DISCOVERY_TUNABLES_H
#define MP_DISCOVERY_TUNABLES_H

#include "config/settings.h"
#include "discovery/pathinfo.h"

struct mp_config;

/* dev_loss_tmo the kernel accepts on an FC rport while fast_io_fail_tmo is
 * off (SCSI_DEVICE_BLOCK_MAX_TIMEOUT). */
#define MP_DEV_LOSS_MAX_NO_FIO 600
#define MP_DEV_LOSS_INFINITY INT32_MAX

/* The values to write after the interplay rules. */
struct mp_tunables {
	int dev_loss;           /* MP_UNSET or seconds (MP_DEV_LOSS_INFINITY) */
	int dev_loss_min;       /* floor when dev_loss is unset; 0 = none */
	int fast_io_fail;       /* MP_UNSET, MP_TMO_OFF or seconds */
	int eh_deadline;        /* MP_UNSET, MP_TMO_OFF or seconds */
	int max_sectors_kb;     /* MP_UNSET or KiB */
};

/* Effective values from resolved settings: queueing (no_path_retry queue,
 * or N × polling_interval) raises dev_loss_tmo so the path device outlives
 * the queueing when fast_io_fail_tmo fails I/O early; fast_io_fail_tmo not
 * below dev_loss_tmo is turned off. */
void mp_tunables_compute(const struct mp_settings *s, int polling_interval,
			 struct mp_tunables *ret);

/* Apply to one path.  Returns the number of attributes written (0 when all
 * were already right); errors are logged, not returned. */
int mp_tunables_apply(const struct mp_path_info *pi, const struct mp_tunables *t);

/* Resolve the path's own settings (its protocol may differ from the map's
 * first path) and compute its tunables: the part that needs the config, so
 * a daemon can do it inside rcu_read_lock() and write sysfs outside. */
int mp_tunables_resolve(const struct mp_config *c, const struct mp_path_info *pi,
			const char *wwid, struct mp_tunables *ret);

/* Resolve the path's own settings (its protocol may differ from the map's
 * first path) with `c`'s polling_interval and apply them.  `wwid` selects
 * the multipaths entry (NULL: pi->wwid).  Returns as mp_tunables_apply, or
 * -errno when the settings cannot be resolved. */
int mp_tunables_apply_config(const struct mp_config *c, const struct mp_path_info *pi,
			     const char *wwid);

#endif
