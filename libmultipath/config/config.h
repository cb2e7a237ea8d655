/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The configuration: multipath.conf + conf.d drop-ins + the built-in
 * hardware table, parsed into one immutable object.  A reload builds a new
 * object and publishes it with RCU (mp_config_publish); readers call
 * mp_config_get() inside rcu_read_lock() and never lock.
 */
#ifndef MP_CONFIG_CONFIG_H
#define MP_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "config/settings.h"
#include "discovery/pathinfo.h"
#include "util/strbuf.h"

#define MP_DEFAULT_CONFIG_FILE SYSCONFDIR "/multipath.conf"
#define MP_DEFAULT_CONFIG_DIR SYSCONFDIR "/multipath/conf.d"

struct mp_config;

/* One id per per-device setting of struct mp_settings: the index of
 * settings->origin[].  Pairs (failback + failback_delay, no_path_retry +
 * no_path_retry_count) share one id. */
enum mp_setting_id {
	MP_SET_PGPOLICY,
	MP_SET_SELECTOR,
	MP_SET_FEATURES,
	MP_SET_HWHANDLER,
	MP_SET_RR_WEIGHT,
	MP_SET_RR_MIN_IO,
	MP_SET_RR_MIN_IO_RQ,
	MP_SET_FAILBACK,
	MP_SET_NO_PATH_RETRY,
	MP_SET_FLUSH_ON_LAST_DEL,
	MP_SET_DEFERRED_REMOVE,
	MP_SET_GHOST_DELAY,
	MP_SET_ALIAS,
	MP_SET_USER_FRIENDLY_NAMES,
	MP_SET_ALIAS_PREFIX,
	MP_SET_SKIP_KPARTX,
	MP_SET_CHECKER,
	MP_SET_PRIO,
	MP_SET_PRIO_ARGS,
	MP_SET_DETECT_PRIO,
	MP_SET_DETECT_CHECKER,
	MP_SET_DETECT_PGPOLICY,
	MP_SET_DETECT_PGPOLICY_USE_TPG,
	MP_SET_RETAIN_HWHANDLER,
	MP_SET_UID_ATTRIBUTE,
	MP_SET_FAST_IO_FAIL_TMO,
	MP_SET_DEV_LOSS_TMO,
	MP_SET_EH_DEADLINE,
	MP_SET_SAN_PATH_ERR_THRESHOLD,
	MP_SET_SAN_PATH_ERR_FORGET_RATE,
	MP_SET_SAN_PATH_ERR_RECOVERY_TIME,
	MP_SET_MARGINAL_PATH_DOUBLE_FAILED_TIME,
	MP_SET_MARGINAL_PATH_ERR_SAMPLE_TIME,
	MP_SET_MARGINAL_PATH_ERR_RATE_THRESHOLD,
	MP_SET_MARGINAL_PATH_ERR_RECHECK_GAP_TIME,
	MP_SET_DELAY_WATCH_CHECKS,
	MP_SET_DELAY_WAIT_CHECKS,
	MP_SET_ALL_TG_PT,
	MP_SET_RECHECK_WWID,
	MP_SET_PURGE_DISCONNECTED,
	MP_SET_MAX_SECTORS_KB,
	MP_SET_RESERVATION_KEY,
	MP_SET_MODE,
	MP_SET_UID,
	MP_SET_GID,
	MP_SET_VPD_VENDOR,
	_MP_SET_MAX,
	_MP_SET_INVALID = -22,
};
/* Canonical keyword of a setting ("path_grouping_policy"), and back
 * (aliases such as "checker" are accepted). */
const char *mp_setting_id_to_string(enum mp_setting_id id);
enum mp_setting_id mp_setting_id_from_string(const char *keyword);

/* Settings that exist only in `defaults` (daemon-wide). */
struct mp_globals {
	int verbosity;
	int polling_interval;
	int max_polling_interval;
	bool reassign_maps;
	char *uid_attrs;                /* NULL = unset */
	bool queue_without_daemon;
	int max_fds;                    /* 0 = max */
	int checker_timeout;            /* 0 = from sysfs */
	bool allow_usb_devices;
	int max_retries;                /* MP_UNSET */
	bool log_checker_err_once;
	bool force_sync;
	bool strict_timing;
	char *partition_delimiter;      /* NULL = unset */
	enum mp_marginal_pgs marginal_pathgroups;
	enum mp_find find_multipaths;
	int find_multipaths_timeout;
	int uxsock_timeout;             /* ms */
	int retrigger_tries;
	int retrigger_delay;
	int missing_uev_wait_timeout;
	int remove_retries;
	enum mp_auto_resize auto_resize;
	char *enable_foreign;
	char *bindings_file;            /* fixed paths, not keywords any more */
	char *wwids_file;
	char *prkeys_file;
};

/* One problem found while parsing, with its place. */
struct mp_config_diag {
	int prio;                       /* LOG_ERR (fatal) or LOG_WARNING */
	char *file;
	int line;
	char *msg;                      /* "unknown keyword 'foo'" */
};

struct mp_config_diags {
	size_t n;
	struct mp_config_diag *v;
};
void mp_config_diags_done(struct mp_config_diags *d);
/* Log every diagnostic as "file:line: msg" at its priority; returns the
 * number of LOG_ERR ones. */
int mp_config_diags_print(const struct mp_config_diags *d);
/* Number of diagnostics at `prio` or more urgent. */
size_t mp_config_diags_count(const struct mp_config_diags *d, int prio);

/* Load `file` (missing file = built-in defaults only) and the *.conf files
 * of `confdir` in alphabetical order.  Diagnostics are appended to `diags`
 * (may be NULL); any LOG_ERR diagnostic makes the load fail with -EINVAL. */
int mp_config_load(const char *file, const char *confdir,
		   struct mp_config **ret, struct mp_config_diags *diags);
/* Parse a config held in memory (tests, fuzzing); `name` labels diagnostics. */
int mp_config_load_string(const char *text, const char *name,
			  struct mp_config **ret, struct mp_config_diags *diags);
void mp_config_free(struct mp_config *c);

const struct mp_globals *mp_config_globals(const struct mp_config *c);

/* Resolve the effective settings for a device.  `pi` gives the hardware
 * identity (vendor/product/revision/protocol) and what autodetection needs
 * (tpgs, access_state, bus); `wwid` selects the multipaths entry (NULL:
 * pi->wwid).  `pi` may be NULL (no hardware entry, no autodetection).
 * NVMe ANA support is read from pi as tpgs > 0 or a known access_state. */
int mp_config_resolve(const struct mp_config *c, const struct mp_path_info *pi,
		      const char *wwid, struct mp_settings **ret);
/* Text of the origin of one resolved setting, by keyword name, e.g.
 * "(setting: storage device configuration)". */
const char *mp_settings_origin(const struct mp_settings *s, const char *keyword);
/* Same, by id (enum mp_origin), MP_UNSET-safe: _ORIGIN_MAX if unknown. */
enum mp_origin mp_settings_origin_id(const struct mp_settings *s, enum mp_setting_id id);
/* Deep copy / value equality (origins ignored) of resolved settings. */
int mp_settings_dup(const struct mp_settings *s, struct mp_settings **ret);
bool mp_settings_equal(const struct mp_settings *a, const struct mp_settings *b);
/* Text of one resolved value as it would be written in multipath.conf
 * (e.g. "group_by_prio", "\"service-time 0\"", "queue"). */
int mp_settings_print_value(const struct mp_settings *s, enum mp_setting_id id,
			    struct strbuf *out);

/* Blacklist.  Returns 1 (blacklisted) or 0, and a static reason text such
 * as "devnode blacklisted" / "wwid whitelisted".  `get_prop` looks up a udev
 * property of the device (NULL = no properties known: the property rule is
 * skipped). */
typedef const char *(*mp_prop_getter)(const char *name, void *ud);
int mp_config_blacklisted_devnode(const struct mp_config *c, const char *devname,
				  const char **reason);
int mp_config_blacklisted_path(const struct mp_config *c, const struct mp_path_info *pi,
			       mp_prop_getter get_prop, void *ud, const char **reason);
int mp_config_blacklisted_wwid(const struct mp_config *c, const char *wwid,
			       const char **reason);
/* The property rule alone, on an explicit list of udev property names
 * (what mp_config_blacklisted_path does when it can enumerate them).
 * `uid_attribute` NULL or "" disables the missing-property rule. */
int mp_config_blacklisted_props(const struct mp_config *c, const char *const *names,
				size_t n, const char *uid_attribute, const char **reason);
/* How many `property` rules the blacklist (exceptions: the
 * blacklist_exceptions section) holds, built-in ones included.  Lets a
 * caller that knows only part of a device's udev properties tell whether
 * the property criterion can still change once udev has the rest. */
size_t mp_config_n_property_rules(const struct mp_config *c, bool exceptions);
/* mp_config_blacklisted_path() with the property rule fed by a name list
 * instead of a getter (preferred: a getter cannot enumerate, so
 * mp_config_blacklisted_path() probes well-known property names only). */
int mp_config_blacklisted_path_props(const struct mp_config *c,
				     const struct mp_path_info *pi,
				     const char *const *names, size_t n,
				     const char **reason);

/* Config dump (multipath -t / -T, `show config`): parses back to the same
 * settings.  with_builtin=false omits the built-in hardware table. */
int mp_config_dump(const struct mp_config *c, bool with_builtin, struct strbuf *out);
/* `show config local`: like mp_config_dump(c, true, out) but only the
 * built-in hardware entries that match one of `paths`. */
int mp_config_dump_local(const struct mp_config *c, const struct mp_path_info *const *paths,
			 size_t n, struct strbuf *out);
/* `show blacklist` report */
int mp_config_dump_blacklist(const struct mp_config *c, struct strbuf *out);

/* RCU publication of the daemon's current config (liburcu, default memb
 * flavour).  Readers must be threads registered with rcu_register_thread()
 * and call mp_config_get() inside rcu_read_lock()/rcu_read_unlock(); the
 * pointer is valid until rcu_read_unlock().  mp_config_publish() swaps the
 * pointer, waits for a grace period (synchronize_rcu) and frees the old
 * config, so it must not be called inside a read-side critical section.
 * mp_config_publish(NULL) retires and frees the current config (exit). */
struct mp_config *mp_config_get(void);          /* inside rcu_read_lock() */
void mp_config_publish(struct mp_config *c);    /* frees the old one after a grace period */

/* Number of entries in the built-in hardware table. */
size_t mp_config_builtin_hwtable_size(void);

#endif
