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
 * (tpgs, access_state, bus); `wwid` selects the multipaths entry. */
int mp_config_resolve(const struct mp_config *c, const struct mp_path_info *pi,
		      const char *wwid, struct mp_settings **ret);
/* Text of the origin of one resolved setting, by keyword name, e.g.
 * "(setting: storage device configuration)". */
const char *mp_settings_origin(const struct mp_settings *s, const char *keyword);

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

/* Config dump (multipath -t / -T, `show config`): parses back to the same
 * settings.  with_builtin=false omits the built-in hardware table. */
int mp_config_dump(const struct mp_config *c, bool with_builtin, struct strbuf *out);
/* `show blacklist` report */
int mp_config_dump_blacklist(const struct mp_config *c, struct strbuf *out);

/* RCU publication of the daemon's current config. */
struct mp_config *mp_config_get(void);          /* inside rcu_read_lock() */
void mp_config_publish(struct mp_config *c);    /* frees the old one after a grace period */

#endif
