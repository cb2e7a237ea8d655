/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The value types of multipath.conf keywords (values.c). */
#ifndef MP_CONFIG_VALUES_H
#define MP_CONFIG_VALUES_H

#include "config/internal.h"

extern const struct mp_vtype vt_bool, vt_str, vt_str_ne, vt_int_pos, vt_int_nonneg,
	vt_int_any, vt_verbosity, vt_max_retries, vt_permille, vt_int_or_no,
	vt_sample_time, vt_off_or_int, vt_dev_loss, vt_max_fds, vt_pgpolicy,
	vt_rr_weight, vt_flush, vt_find, vt_auto_resize, vt_marginal_pgs,
	vt_log_checker_err, vt_vpd_vendor, vt_checker, vt_prio, vt_selector,
	vt_features, vt_hwhandler, vt_failback, vt_npr, vt_regex, vt_uid_attrs,
	vt_pdelim, vt_prkey, vt_mode, vt_uid, vt_gid;

#endif
