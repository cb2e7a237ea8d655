/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Device-mapper access.  The daemon, `multipath` and libmultipath talk to
 * the kernel only through struct mp_dm_ops (backend/backend.h selects the
 * real libdevmapper implementation or a test fake).  Every call is counted
 * by kind (mp_dm_stats) for `show stats` and the benchmark.
 *
 * All functions return 0 or -errno.  Names are DM names (the map alias);
 * multipath maps carry the UUID "mpath-<WWID>".
 *
 * Not-found: info() returns 0 with ret->exists = false; table, status,
 * reload, message, remove, suspend/resume and rename return -ENXIO (the
 * kernel's answer).  get_table/get_status return the first target, params
 * without the kernel's trailing blank; -ENODATA when the map has no table.
 *
 * Threads: every call may be issued from any thread, concurrently; see
 * dm.c / dm-libdm.c for what the real implementation serialises.
 */
#ifndef MP_DM_DM_H
#define MP_DM_DM_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define MP_DM_UUID_PREFIX "mpath-"

/* DM udev flags our rules read (DM_SUBSYSTEM_UDEV_FLAG0..2) */
#define MP_DM_FLAG_RELOAD       (1u << 0)       /* table reload, not a new map */
#define MP_DM_FLAG_SKIP_KPARTX  (1u << 1)
#define MP_DM_FLAG_NO_PATHS     (1u << 2)       /* no usable path: don't scan */
#define MP_DM_FLAG_NOSYNC       (1u << 8)       /* don't wait for udev */
#define MP_DM_FLAG_READONLY     (1u << 9)

struct mp_dm_info {
	char *name;
	char *uuid;
	dev_t devt;
	uint32_t event_nr;
	int open_count;
	bool suspended;
	bool readonly;
	bool exists;
	bool deferred_remove;
	int target_count;
};

/* list() returns the entries and their names in ONE allocation (the
 * names follow the array): a list of every DM device, taken on each DM
 * event wake-up, costs one malloc, not one per device. */
struct mp_dm_list_entry {
	const char *name;       /* inside the list's allocation */
	dev_t devt;
	uint32_t event_nr;
};

/* One multipath target: the whole map is a single target [0, size). */
struct mp_dm_target {
	uint64_t size;          /* sectors */
	char *type;             /* "multipath", "linear", … */
	char *params;           /* table (get_table) or status (get_status) */
};

struct mp_dm_ops {
	int (*list)(struct mp_dm_list_entry **ret, size_t *ret_n);
	int (*info)(const char *name, struct mp_dm_info *ret);
	int (*get_table)(const char *name, struct mp_dm_target *ret);
	int (*get_status)(const char *name, struct mp_dm_target *ret);
	/* create + load + resume; waits for udev unless MP_DM_FLAG_NOSYNC */
	int (*create)(const char *name, const char *uuid, uint64_t size,
		      const char *params, uint32_t flags);
	/* load + resume(noflush); the resume always carries MP_DM_FLAG_RELOAD;
	 * if the resume fails the inactive table is cleared */
	int (*reload)(const char *name, uint64_t size, const char *params, uint32_t flags);
	int (*message)(const char *name, const char *msg);
	int (*remove)(const char *name, bool deferred);
	int (*suspend_resume)(const char *name, bool suspend, bool noflush);
	int (*rename)(const char *old_name, const char *new_name);
	/* optional (NULL = the real DM_DEV_ARM_POLL fd): the event fd of
	 * mp_dm_events_open/rearm, so fakes can drive the daemon's loop */
	int (*events_open)(void);
	int (*events_rearm)(int fd);
};

extern const struct mp_dm_ops mp_dm_real_ops;

/* Convenience wrappers over mp_backend()->dm, counting each call. */
int mp_dm_list(struct mp_dm_list_entry **ret, size_t *ret_n);
void mp_dm_list_free(struct mp_dm_list_entry *l, size_t n);    /* = free(l) */
int mp_dm_info(const char *name, struct mp_dm_info *ret);
void mp_dm_info_done(struct mp_dm_info *i);
int mp_dm_get_table(const char *name, struct mp_dm_target *ret);
int mp_dm_get_status(const char *name, struct mp_dm_target *ret);
void mp_dm_target_done(struct mp_dm_target *t);
int mp_dm_create(const char *name, const char *uuid, uint64_t size,
		 const char *params, uint32_t flags);
int mp_dm_reload(const char *name, uint64_t size, const char *params, uint32_t flags);
int mp_dm_message(const char *name, const char *msg);
int mp_dm_remove(const char *name, bool deferred);
int mp_dm_suspend_resume(const char *name, bool suspend, bool noflush);
int mp_dm_rename(const char *old_name, const char *new_name);
/* fail_path / reinstate_path / switch_group helpers over mp_dm_message */
int mp_dm_fail_path(const char *name, dev_t devt);
int mp_dm_reinstate_path(const char *name, dev_t devt);
int mp_dm_switch_group(const char *name, int pg /* 1-based */);
int mp_dm_set_queueing(const char *name, bool queue);
/* Take back a pending deferred remove ("@cancel_deferred_remove"); the
 * kernel answers 0 also when none is pending. */
int mp_dm_cancel_deferred_remove(const char *name);
/* Parse "mpath-<WWID>" → pointer to WWID inside uuid, NULL if not ours. */
const char *mp_dm_uuid_wwid(const char *uuid);

/* remove: retry this many times, delay_ms apart, while the kernel says
 * EBUSY (default 0: fail at once).  Process-wide; set at start-up. */
void mp_dm_set_remove_retries(unsigned int retries, unsigned int delay_ms);

enum mp_dm_op {
	DMOP_LIST, DMOP_INFO, DMOP_TABLE, DMOP_STATUS, DMOP_CREATE, DMOP_RELOAD,
	DMOP_MESSAGE, DMOP_REMOVE, DMOP_SUSPEND_RESUME, DMOP_RENAME, DMOP_ARM_POLL,
	_DMOP_MAX,
};
const char *mp_dm_op_to_string(enum mp_dm_op op);
uint64_t mp_dm_stats(enum mp_dm_op op);
void mp_dm_stats_count(enum mp_dm_op op);
void mp_dm_stats_reset(void);

/*
 * DM event waiting, one fd for all maps (DM_DEV_ARM_POLL on
 * /dev/mapper/control, ioctl interface 4.37+, kernel 4.14+).  Protocol:
 *
 *   fd = mp_dm_events_open();          opens and arms: baseline taken now
 *   mp_dm_list(…)                      remember each map's event_nr
 *   loop:
 *     poll(fd, POLLIN)                 readable = some DM event since arming
 *     mp_dm_events_rearm(fd)           FIRST re-arm, so an event that fires
 *                                      while we list makes the fd readable
 *                                      again (never lost, maybe seen twice)
 *     mp_dm_list(…)                    maps whose event_nr moved (or that
 *                                      are new / gone) need a status read
 *
 * The kernel's readiness is global (any dm device's event), not per map.
 */
int mp_dm_events_open(void);            /* returns fd or -errno */
int mp_dm_events_rearm(int fd);
void mp_dm_events_close(int fd);

#endif
