/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A uevent as plain data.  The event-loop thread converts each libudev
 * device into one of these (libudev never leaves that thread); unit tests
 * build them directly.
 */
#ifndef MPD_UEVENT_H
#define MPD_UEVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum mp_uev_action { UEV_ADD, UEV_REMOVE, UEV_CHANGE, UEV_OTHER, _UEV_MAX };
const char *mp_uev_action_to_string(enum mp_uev_action a);
enum mp_uev_action mp_uev_action_from_string(const char *s);

struct mp_uevent {
	enum mp_uev_action action;
	char *devname;          /* "sdb", "dm-3" */
	dev_t devt;
	char *syspath;          /* /sys/devices/… */
	bool is_dm;
	char *wwid;             /* from the uid_attribute property; NULL unknown */
	size_t n_env;
	char **env;             /* "KEY=value" */
	uint64_t seqnum;
	uint64_t t_recv;        /* µs, mp_now_usec() */
};

/* env: NULL-terminated "KEY=value" list, copied. */
struct mp_uevent *mp_uevent_new(enum mp_uev_action action, const char *devname,
				dev_t devt, const char *syspath, const char *const *env);
void mp_uevent_free(struct mp_uevent *u);
/* mp_prop_getter-compatible property lookup (ud = the uevent). */
const char *mp_uevent_get_prop(const char *name, void *ud);
/* Add the properties udev stored for u->devt; count or -errno. */
int mp_uevent_load_udev_db(struct mp_uevent *u);
#define MP_UDEV_DB_DIR "/run/udev/data"
/* One property udev stored for a block device in `dir` (NULL: the real
 * database): 0 (value in buf), -ENODATA (no such property), -errno (no
 * database entry: -ENOENT). */
int mp_udev_db_prop(const char *dir, dev_t devt, const char *key, char *buf, size_t len);

#endif
