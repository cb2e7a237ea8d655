// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The keyword table: one descriptor per setting (per-device settings
 * indexed by enum mp_setting_id, daemon-wide ones by enum mp_gid), plus the
 * names that are aliases, deprecated or ignored.  Adding a keyword is adding
 * a row here; parser, resolver and dump are driven by these rows.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include "config/internal.h"
#include "config/values.h"

#define S(f) offsetof(struct mp_settings, f)
#define G(f) offsetof(struct mp_globals, f)
#define DHOM (SEC_D | SEC_H | SEC_O | SEC_M)
#define DHO (SEC_D | SEC_H | SEC_O)
#define DHOP (SEC_D | SEC_H | SEC_O | SEC_P)
#define DHOMP (SEC_D | SEC_H | SEC_O | SEC_M | SEC_P)

#define SET(id_, name_, sec_, type_, kind_, off_, ...) \
	[id_] = { .name = name_, .sections = sec_, .type = &type_, .kind = kind_, \
		  .off = off_, __VA_ARGS__ }
#define DEF_I(x) .def = { .i = (x) }
#define DEF_S(x) .def = { .s = (char *)(x) }
#define UNSET .def_unset = true, .def = { .i = MP_UNSET }

const struct mp_desc mp_set_descs[_MP_SET_MAX] = {
	SET(MP_SET_PGPOLICY, "path_grouping_policy", DHOM, vt_pgpolicy, FK_INT, S(pgpolicy),
	    DEF_I(PGP_FAILOVER)),
	SET(MP_SET_SELECTOR, "path_selector", DHOM, vt_selector, FK_STR, S(selector),
	    DEF_S("service-time 0")),
	SET(MP_SET_FEATURES, "features", DHOM, vt_features, FK_STR, S(features), DEF_S("0")),
	SET(MP_SET_HWHANDLER, "hardware_handler", SEC_H, vt_hwhandler, FK_STR, S(hwhandler),
	    DEF_S("0")),
	SET(MP_SET_RR_WEIGHT, "rr_weight", DHOM, vt_rr_weight, FK_INT, S(rr_weight),
	    DEF_I(RR_UNIFORM)),
	SET(MP_SET_RR_MIN_IO, "rr_min_io", DHOM, vt_int_pos, FK_INT, S(rr_min_io), DEF_I(1000)),
	SET(MP_SET_RR_MIN_IO_RQ, "rr_min_io_rq", DHOM, vt_int_pos, FK_INT, S(rr_min_io_rq),
	    DEF_I(1)),
	SET(MP_SET_FAILBACK, "failback", DHOM, vt_failback, FK_PAIR, S(failback),
	    .off2 = S(failback_delay), DEF_I(FB_MANUAL)),
	SET(MP_SET_NO_PATH_RETRY, "no_path_retry", DHOM, vt_npr, FK_PAIR, S(no_path_retry),
	    .off2 = S(no_path_retry_count), DEF_I(NPR_FAIL)),
	SET(MP_SET_FLUSH_ON_LAST_DEL, "flush_on_last_del", DHOM, vt_flush, FK_INT,
	    S(flush_on_last_del), DEF_I(FLUSH_UNUSED)),
	SET(MP_SET_DEFERRED_REMOVE, "deferred_remove", DHOM, vt_bool, FK_BOOL,
	    S(deferred_remove), DEF_I(0)),
	SET(MP_SET_GHOST_DELAY, "ghost_delay", DHOM, vt_int_or_no, FK_INT, S(ghost_delay), UNSET),
	SET(MP_SET_ALIAS, "alias", SEC_M, vt_str_ne, FK_STR, S(alias), .def_unset = true),
	SET(MP_SET_USER_FRIENDLY_NAMES, "user_friendly_names", DHOM, vt_bool, FK_BOOL,
	    S(user_friendly_names), DEF_I(0)),
	SET(MP_SET_ALIAS_PREFIX, "alias_prefix", DHO, vt_str_ne, FK_STR, S(alias_prefix),
	    DEF_S("mpath")),
	SET(MP_SET_SKIP_KPARTX, "skip_kpartx", DHOM, vt_bool, FK_BOOL, S(skip_kpartx), DEF_I(0)),
	SET(MP_SET_CHECKER, "path_checker", DHO, vt_checker, FK_STR, S(checker), DEF_S("tur")),
	SET(MP_SET_PRIO, "prio", DHOM, vt_prio, FK_STR, S(prio), DEF_S("const")),
	SET(MP_SET_PRIO_ARGS, "prio_args", DHOM, vt_str, FK_STR, S(prio_args), DEF_S("")),
	SET(MP_SET_DETECT_PRIO, "detect_prio", DHO, vt_bool, FK_BOOL, S(detect_prio), DEF_I(1)),
	SET(MP_SET_DETECT_CHECKER, "detect_checker", DHO, vt_bool, FK_BOOL, S(detect_checker),
	    DEF_I(1)),
	SET(MP_SET_DETECT_PGPOLICY, "detect_pgpolicy", DHO, vt_bool, FK_BOOL,
	    S(detect_pgpolicy), DEF_I(1)),
	SET(MP_SET_DETECT_PGPOLICY_USE_TPG, "detect_pgpolicy_use_tpg", DHO, vt_bool, FK_BOOL,
	    S(detect_pgpolicy_use_tpg), DEF_I(0)),
	SET(MP_SET_RETAIN_HWHANDLER, "retain_attached_hw_handler", DHO, vt_bool, FK_BOOL,
	    S(retain_hwhandler), DEF_I(1)),
	/* compiled default depends on the bus: see resolve.c */
	SET(MP_SET_UID_ATTRIBUTE, "uid_attribute", DHO, vt_str, FK_STR, S(uid_attribute),
	    .def_unset = true),
	SET(MP_SET_FAST_IO_FAIL_TMO, "fast_io_fail_tmo", DHOP, vt_off_or_int, FK_INT,
	    S(fast_io_fail_tmo), DEF_I(5)),
	SET(MP_SET_DEV_LOSS_TMO, "dev_loss_tmo", DHOP, vt_dev_loss, FK_INT, S(dev_loss_tmo),
	    UNSET),
	SET(MP_SET_EH_DEADLINE, "eh_deadline", DHOP, vt_off_or_int, FK_INT, S(eh_deadline),
	    UNSET),
	SET(MP_SET_SAN_PATH_ERR_THRESHOLD, "san_path_err_threshold", DHOM, vt_int_or_no,
	    FK_INT, S(san_path_err_threshold), UNSET),
	SET(MP_SET_SAN_PATH_ERR_FORGET_RATE, "san_path_err_forget_rate", DHOM, vt_int_or_no,
	    FK_INT, S(san_path_err_forget_rate), UNSET),
	SET(MP_SET_SAN_PATH_ERR_RECOVERY_TIME, "san_path_err_recovery_time", DHOM,
	    vt_int_or_no, FK_INT, S(san_path_err_recovery_time), UNSET),
	SET(MP_SET_MARGINAL_PATH_DOUBLE_FAILED_TIME, "marginal_path_double_failed_time", DHOM,
	    vt_int_or_no, FK_INT, S(marginal_path_double_failed_time), UNSET),
	SET(MP_SET_MARGINAL_PATH_ERR_SAMPLE_TIME, "marginal_path_err_sample_time", DHOM,
	    vt_sample_time, FK_INT, S(marginal_path_err_sample_time), UNSET),
	SET(MP_SET_MARGINAL_PATH_ERR_RATE_THRESHOLD, "marginal_path_err_rate_threshold", DHOM,
	    vt_permille, FK_INT, S(marginal_path_err_rate_threshold), UNSET),
	SET(MP_SET_MARGINAL_PATH_ERR_RECHECK_GAP_TIME, "marginal_path_err_recheck_gap_time",
	    DHOM, vt_int_or_no, FK_INT, S(marginal_path_err_recheck_gap_time), UNSET),
	SET(MP_SET_DELAY_WATCH_CHECKS, "delay_watch_checks", DHOM, vt_int_or_no, FK_INT,
	    S(delay_watch_checks), UNSET, .deprecated = true),
	SET(MP_SET_DELAY_WAIT_CHECKS, "delay_wait_checks", DHOM, vt_int_or_no, FK_INT,
	    S(delay_wait_checks), UNSET, .deprecated = true),
	SET(MP_SET_ALL_TG_PT, "all_tg_pt", DHO, vt_bool, FK_BOOL, S(all_tg_pt), DEF_I(0),
	    .unused = "the ALL_TG_PT bit is never set in registrations"),
	SET(MP_SET_RECHECK_WWID, "recheck_wwid", DHO, vt_bool, FK_BOOL, S(recheck_wwid),
	    DEF_I(0)),
	SET(MP_SET_PURGE_DISCONNECTED, "purge_disconnected", DHOM, vt_bool, FK_BOOL,
	    S(purge_disconnected), DEF_I(0)),
	SET(MP_SET_MAX_SECTORS_KB, "max_sectors_kb", DHOM, vt_int_pos, FK_INT,
	    S(max_sectors_kb), UNSET),
	SET(MP_SET_RESERVATION_KEY, "reservation_key", SEC_D | SEC_M, vt_prkey, FK_STR,
	    S(reservation_key), .def_unset = true),
	SET(MP_SET_MODE, "mode", SEC_D | SEC_M, vt_mode, FK_MODE, S(mode), UNSET,
	    .unused = "map device nodes keep the mode udev gives them"),
	SET(MP_SET_UID, "uid", SEC_D | SEC_M, vt_uid, FK_UID, S(uid), UNSET,
	    .unused = "map device nodes keep the owner udev gives them"),
	SET(MP_SET_GID, "gid", SEC_D | SEC_M, vt_gid, FK_GID, S(gid), UNSET,
	    .unused = "map device nodes keep the group udev gives them"),
	SET(MP_SET_VPD_VENDOR, "vpd_vendor", SEC_H, vt_vpd_vendor, FK_INT, S(vpd_vendor_id),
	    DEF_I(0),
	    .unused = "the vendor VPD page is not read"),
};

#define GL(id_, name_, type_, kind_, off_, ...) \
	[id_] = { .name = name_, .sections = SEC_D, .type = &type_, .kind = kind_, \
		  .off = off_, __VA_ARGS__ }

const struct mp_desc mp_g_descs[_MP_G_MAX] = {
	GL(MP_G_VERBOSITY, "verbosity", vt_verbosity, FK_INT, G(verbosity), DEF_I(2)),
	GL(MP_G_POLLING_INTERVAL, "polling_interval", vt_int_pos, FK_INT, G(polling_interval),
	   DEF_I(5)),
	/* unset = 4 × polling_interval (mp_globals_finalize) */
	GL(MP_G_MAX_POLLING_INTERVAL, "max_polling_interval", vt_int_pos, FK_INT,
	   G(max_polling_interval), UNSET),
	GL(MP_G_REASSIGN_MAPS, "reassign_maps", vt_bool, FK_BOOL, G(reassign_maps), DEF_I(0),
	    .unused = "devices stacked on a map are never reassigned"),
	GL(MP_G_UID_ATTRS, "uid_attrs", vt_uid_attrs, FK_STR, G(uid_attrs), .def_unset = true),
	GL(MP_G_QUEUE_WITHOUT_DAEMON, "queue_without_daemon", vt_bool, FK_BOOL,
	   G(queue_without_daemon), DEF_I(0)),
	GL(MP_G_MAX_FDS, "max_fds", vt_max_fds, FK_INT, G(max_fds), DEF_I(0)),
	GL(MP_G_CHECKER_TIMEOUT, "checker_timeout", vt_int_nonneg, FK_INT, G(checker_timeout),
	   DEF_I(0)),
	GL(MP_G_ALLOW_USB_DEVICES, "allow_usb_devices", vt_bool, FK_BOOL, G(allow_usb_devices),
	   DEF_I(0),
	    .unused = "USB devices are not told apart from other SCSI devices"),
	GL(MP_G_MAX_RETRIES, "max_retries", vt_max_retries, FK_INT, G(max_retries), UNSET,
	    .unused = "the SCSI disks' max_retries is not changed"),
	GL(MP_G_LOG_CHECKER_ERR, "log_checker_err", vt_log_checker_err, FK_BOOL,
	   G(log_checker_err_once), DEF_I(0),
	    .unused = "checker errors are logged as the checker reports them"),
	GL(MP_G_FORCE_SYNC, "force_sync", vt_bool, FK_BOOL, G(force_sync), DEF_I(0)),
	GL(MP_G_STRICT_TIMING, "strict_timing", vt_bool, FK_BOOL, G(strict_timing), DEF_I(0),
	    .unused = "checks are scheduled on whole seconds"),
	GL(MP_G_PARTITION_DELIMITER, "partition_delimiter", vt_pdelim, FK_STR,
	   G(partition_delimiter), .def_unset = true,
	    .unused = "partition names are chosen by kpartx and its udev rule"),
	GL(MP_G_MARGINAL_PATHGROUPS, "marginal_pathgroups", vt_marginal_pgs, FK_INT,
	   G(marginal_pathgroups), DEF_I(MARGINAL_PG_OFF)),
	GL(MP_G_FIND_MULTIPATHS, "find_multipaths", vt_find, FK_INT, G(find_multipaths),
	   DEF_I(FIND_STRICT)),
	GL(MP_G_FIND_MULTIPATHS_TIMEOUT, "find_multipaths_timeout", vt_int_any, FK_INT,
	   G(find_multipaths_timeout), DEF_I(-10)),
	GL(MP_G_UXSOCK_TIMEOUT, "uxsock_timeout", vt_int_pos, FK_INT, G(uxsock_timeout),
	   DEF_I(4000)),
	GL(MP_G_RETRIGGER_TRIES, "retrigger_tries", vt_int_nonneg, FK_INT, G(retrigger_tries),
	   DEF_I(3),
	    .unused = "uevents without a WWID are not retriggered"),
	GL(MP_G_RETRIGGER_DELAY, "retrigger_delay", vt_int_nonneg, FK_INT, G(retrigger_delay),
	   DEF_I(10),
	    .unused = "uevents without a WWID are not retriggered"),
	GL(MP_G_MISSING_UEV_WAIT_TIMEOUT, "missing_uev_wait_timeout", vt_int_nonneg, FK_INT,
	   G(missing_uev_wait_timeout), DEF_I(30),
	    .unused = "the daemon does not wait for a map's change uevent"),
	GL(MP_G_REMOVE_RETRIES, "remove_retries", vt_int_nonneg, FK_INT, G(remove_retries),
	   DEF_I(0),
	    .unused = "only multipath -R sets removal retries"),
	GL(MP_G_AUTO_RESIZE, "auto_resize", vt_auto_resize, FK_INT, G(auto_resize),
	   DEF_I(RESIZE_NEVER)),
	GL(MP_G_ENABLE_FOREIGN, "enable_foreign", vt_regex, FK_STR, G(enable_foreign),
	   DEF_S("NONE"),
	    .unused = "there is no foreign (native NVMe) library support"),
};

/* Names that are not settings of their own. */
static const struct {
	const char *name;
	enum mp_kw_kind kind;
	int id;
	unsigned sections;
	const char *note;
} kw_extra[] = {
	{ "checker", KW_SETTING, MP_SET_CHECKER, DHO, NULL },
	{ "multipath_dir", KW_IGNORED, 0, SEC_D, "no longer used" },
	{ "config_dir", KW_IGNORED, 0, SEC_D, "drop-ins are always read from " MP_DEFAULT_CONFIG_DIR },
	{ "getuid_callout", KW_IGNORED, 0, DHO, "use uid_attribute" },
	{ "pg_timeout", KW_IGNORED, 0, DHOM, "no longer supported by the kernel" },
	{ "bindings_file", KW_IGNORED, 0, SEC_D, "fixed to /etc/multipath/bindings" },
	{ "wwids_file", KW_IGNORED, 0, SEC_D, "fixed to /etc/multipath/wwids" },
	{ "prkeys_file", KW_IGNORED, 0, SEC_D, "fixed to /etc/multipath/prkeys" },
	{ "disable_changed_wwids", KW_IGNORED, 0, SEC_D, "changed WWIDs are always handled" },
	{ "hw_str_match", KW_IGNORED, 0, SEC_D, "no longer used" },
	{ "ignore_new_boot_devs", KW_IGNORED, 0, SEC_D, "no longer used" },
	{ "default_selector", KW_IGNORED, 0, SEC_D, "use path_selector" },
	{ "default_path_grouping_policy", KW_IGNORED, 0, SEC_D, "use path_grouping_policy" },
	{ "default_uid_attribute", KW_IGNORED, 0, SEC_D, "use uid_attribute" },
	{ "default_getuid_callout", KW_IGNORED, 0, SEC_D, "use uid_attribute" },
	{ "default_features", KW_IGNORED, 0, SEC_D, "use features" },
	{ "default_path_checker", KW_IGNORED, 0, SEC_D, "use path_checker" },
};

int mp_kw_lookup(const char *name, struct mp_kw *ret)
{
	for (size_t k = 0; k < _MP_SET_MAX; k++)
		if (!strcmp(name, mp_set_descs[k].name)) {
			*ret = (struct mp_kw){ KW_SETTING, (int)k, mp_set_descs[k].sections, NULL };
			return 0;
		}
	for (size_t k = 0; k < _MP_G_MAX; k++)
		if (!strcmp(name, mp_g_descs[k].name)) {
			*ret = (struct mp_kw){ KW_GLOBAL, (int)k, SEC_D, NULL };
			return 0;
		}
	for (size_t k = 0; k < ARRAY_SIZE(kw_extra); k++)
		if (!strcmp(name, kw_extra[k].name)) {
			*ret = (struct mp_kw){ kw_extra[k].kind, kw_extra[k].id,
					       kw_extra[k].sections, kw_extra[k].note };
			return 0;
		}
	return -ENOENT;
}

const char *mp_setting_id_to_string(enum mp_setting_id id)
{
	if (id < 0 || id >= _MP_SET_MAX)
		return NULL;
	return mp_set_descs[id].name;
}

enum mp_setting_id mp_setting_id_from_string(const char *keyword)
{
	struct mp_kw kw;

	if (!keyword || mp_kw_lookup(keyword, &kw) < 0 || kw.kind != KW_SETTING)
		return _MP_SET_INVALID;
	return (enum mp_setting_id)kw.id;
}

/* ---- values and layers ---- */

void mp_val_done(struct mp_val *v)
{
	free(v->s);
	*v = (struct mp_val){ 0 };
}

int mp_val_copy(struct mp_val *dst, const struct mp_val *src)
{
	*dst = *src;
	if (src->s && !(dst->s = strdup(src->s)))
		return -ENOMEM;
	return 0;
}

static bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

bool mp_val_equal(const struct mp_vtype *t, const struct mp_val *a, const struct mp_val *b)
{
	return a->i == b->i && a->j == b->j && str_eq(a->s, b->s);
}

void mp_layer_done(struct mp_layer *l)
{
	for (size_t k = 0; k < _MP_SET_MAX; k++)
		mp_val_done(&l->v[k]);
	l->set = 0;
}

int mp_layer_merge(struct mp_layer *dst, const struct mp_layer *src)
{
	for (int k = 0; k < _MP_SET_MAX; k++) {
		if (!layer_has(src, k))
			continue;
		mp_val_done(&dst->v[k]);
		if (mp_val_copy(&dst->v[k], &src->v[k]) < 0)
			return -ENOMEM;
		dst->set |= UINT64_C(1) << k;
	}
	return 0;
}

bool mp_layer_equal(const struct mp_layer *a, const struct mp_layer *b)
{
	if (a->set != b->set)
		return false;
	for (int k = 0; k < _MP_SET_MAX; k++)
		if (layer_has(a, k) && !mp_val_equal(mp_set_descs[k].type, &a->v[k], &b->v[k]))
			return false;
	return true;
}

int mp_desc_store(const struct mp_desc *d, const struct mp_val *v, void *obj)
{
	char *base = obj;

	switch (d->kind) {
	case FK_INT:
		*(int *)(base + d->off) = v->i;
		break;
	case FK_BOOL:
		*(bool *)(base + d->off) = v->i != 0;
		break;
	case FK_PAIR:
		*(int *)(base + d->off) = v->i;
		*(int *)(base + d->off2) = v->j;
		break;
	case FK_MODE:
		*(mode_t *)(base + d->off) = (mode_t)v->i;
		break;
	case FK_UID:
		*(uid_t *)(base + d->off) = (uid_t)v->i;
		break;
	case FK_GID:
		*(gid_t *)(base + d->off) = (gid_t)v->i;
		break;
	case FK_STR: {
		char **p = (char **)(base + d->off);

		free(*p);
		*p = NULL;
		if (v->s && !(*p = strdup(v->s)))
			return -ENOMEM;
		break;
	}
	default:
		break;
	}
	return 0;
}

int mp_layer_dump(const struct mp_layer *l, unsigned section, int tabs, struct strbuf *out)
{
	int r = 0;

	for (int k = 0; k < _MP_SET_MAX && r >= 0; k++) {
		const struct mp_desc *d = &mp_set_descs[k];

		if (!layer_has(l, k) || !(d->sections & section))
			continue;
		for (int t = 0; t < tabs; t++)
			strbuf_append(out, "\t");
		strbuf_appendf(out, "%s ", d->name);
		d->type->print(d->type, &l->v[k], out);
		r = strbuf_append(out, "\n");
	}
	return r < 0 ? r : 0;
}

/* ---- globals ---- */

void mp_globals_done(struct mp_globals *g)
{
	free(g->uid_attrs);
	free(g->partition_delimiter);
	free(g->enable_foreign);
	free(g->bindings_file);
	free(g->wwids_file);
	free(g->prkeys_file);
	*g = (struct mp_globals){ 0 };
}

void mp_globals_finalize(struct mp_config *c)
{
	struct mp_globals *g = &c->globals;

	mp_globals_done(g);
	for (int k = 0; k < _MP_G_MAX; k++) {
		const struct mp_desc *d = &mp_g_descs[k];
		const struct mp_val *v = (c->gset >> k) & 1 ? &c->g[k] : &d->def;

		mp_desc_store(d, v, g);
	}
	if (!((c->gset >> MP_G_MAX_POLLING_INTERVAL) & 1))
		g->max_polling_interval = 4 * g->polling_interval;
	if (g->max_polling_interval < g->polling_interval)
		g->max_polling_interval = g->polling_interval;
	g->bindings_file = strdup(SYSCONFDIR "/multipath/bindings");
	g->wwids_file = strdup(SYSCONFDIR "/multipath/wwids");
	g->prkeys_file = strdup(SYSCONFDIR "/multipath/prkeys");
}
