/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Resolved settings: what the configuration says for one device, after the
 * precedence chain  multipaths(WWID) > overrides/protocol > overrides >
 * devices (user, then built-in) > defaults > compiled-in  and the
 * autodetection rules.  Produced by config_resolve() (config/config.h),
 * consumed by discovery, grouping, the DM table builder and the daemon.
 *
 * Every field has an origin (enum mp_origin) so `show config` and debug logs
 * can say where a value came from.  Strings are owned by the settings object
 * (mp_settings_free()).  "Unset" integers use MP_UNSET.
 */
#ifndef MP_CONFIG_SETTINGS_H
#define MP_CONFIG_SETTINGS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define MP_UNSET (-1)
/* "off" for fast_io_fail_tmo and eh_deadline: the kernel tells "off" (no
 * timeout) from 0 (act at once), so the settings do too. */
#define MP_TMO_OFF (-2)

enum mp_origin {
	ORIGIN_COMPILED,        /* "(setting: multipath internal)" */
	ORIGIN_DEFAULTS,        /* "(setting: multipath.conf defaults/devices section)" */
	ORIGIN_HWTABLE,         /* "(setting: storage device configuration)" built-in */
	ORIGIN_DEVICES,         /* user `devices` entry */
	ORIGIN_OVERRIDES,
	ORIGIN_PROTOCOL,        /* overrides/protocol */
	ORIGIN_MULTIPATHS,
	ORIGIN_AUTODETECT,      /* detect_prio/checker/pgpolicy, kernel hw handler */
	ORIGIN_CMDLINE,         /* multipath -p */
	_ORIGIN_MAX,
};
const char *mp_origin_to_string(enum mp_origin o);

enum mp_pgpolicy {
	PGP_FAILOVER,
	PGP_MULTIBUS,
	PGP_GROUP_BY_SERIAL,
	PGP_GROUP_BY_PRIO,
	PGP_GROUP_BY_NODE_NAME,
	PGP_GROUP_BY_TPG,
	_PGP_MAX,
	_PGP_INVALID = -22,
};
const char *mp_pgpolicy_to_string(enum mp_pgpolicy p);
enum mp_pgpolicy mp_pgpolicy_from_string(const char *s);

enum mp_failback {
	FB_MANUAL,
	FB_IMMEDIATE,
	FB_FOLLOWOVER,
	FB_DEFERRED,            /* failback_delay seconds */
};

enum mp_npr {                   /* no_path_retry */
	NPR_FAIL,               /* "fail" / 0: never queue */
	NPR_QUEUE,              /* "queue": queue forever */
	NPR_RETRY,              /* N checker intervals, then fail */
};

enum mp_flush { FLUSH_NEVER, FLUSH_UNUSED, FLUSH_ALWAYS };
enum mp_rr_weight { RR_UNIFORM, RR_PRIORITIES };
enum mp_find { FIND_STRICT, FIND_OFF, FIND_ON, FIND_GREEDY, FIND_SMART };
enum mp_auto_resize { RESIZE_NEVER, RESIZE_GROW_ONLY, RESIZE_GROW_SHRINK };
enum mp_marginal_pgs { MARGINAL_PG_OFF, MARGINAL_PG_ON, MARGINAL_PG_FPIN };

/* Per device (map or path) settings.  Map-level code uses the settings
 * resolved for the map's WWID and its first path's hardware identity. */
struct mp_settings {
	/* grouping, table */
	enum mp_pgpolicy pgpolicy;
	char *selector;                 /* "service-time 0" */
	char *features;                 /* "0", "2 pg_init_retries 50" */
	char *hwhandler;                /* "0", "1 alua" */
	enum mp_rr_weight rr_weight;
	int rr_min_io;
	int rr_min_io_rq;
	/* failover behaviour */
	enum mp_failback failback;
	int failback_delay;             /* FB_DEFERRED seconds */
	enum mp_npr no_path_retry;
	int no_path_retry_count;        /* NPR_RETRY */
	enum mp_flush flush_on_last_del;
	bool deferred_remove;
	int ghost_delay;                /* MP_UNSET = no */
	/* naming */
	char *alias;                    /* multipaths/alias, else NULL */
	bool user_friendly_names;
	char *alias_prefix;             /* "mpath" */
	bool skip_kpartx;
	/* path checking, priority */
	char *checker;                  /* "tur" */
	char *prio;                     /* "const", "alua", … */
	char *prio_args;
	bool detect_prio;
	bool detect_checker;
	bool detect_pgpolicy;
	bool detect_pgpolicy_use_tpg;
	bool retain_hwhandler;
	char *uid_attribute;            /* udev property for the WWID; "" = sysfs */
	/* SCSI transport */
	int fast_io_fail_tmo;           /* MP_UNSET, MP_TMO_OFF, or seconds (0 = at once) */
	int dev_loss_tmo;               /* MP_UNSET, INT32_MAX = infinity */
	int eh_deadline;                /* MP_UNSET, MP_TMO_OFF, or seconds */
	/* shaky paths */
	int san_path_err_threshold;     /* MP_UNSET = no */
	int san_path_err_forget_rate;
	int san_path_err_recovery_time;
	int marginal_path_double_failed_time;
	int marginal_path_err_sample_time;
	int marginal_path_err_rate_threshold;
	int marginal_path_err_recheck_gap_time;
	int delay_watch_checks;
	int delay_wait_checks;
	bool all_tg_pt;
	bool recheck_wwid;
	bool purge_disconnected;
	int max_sectors_kb;             /* MP_UNSET */
	char *reservation_key;
	mode_t mode;                    /* MP_UNSET as (mode_t)-1 */
	uid_t uid;
	gid_t gid;
	int vpd_vendor_id;

	/* where each value came from, indexed by enum mp_setting_id
	 * (config/config.h) */
	uint8_t *origin;
};

void mp_settings_free(struct mp_settings *s);

#endif
