// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mp_dm_real_ops: the DM operations over libdevmapper.
 *
 * THREADS.  A dm_task is private to one call, and the ioctl itself is
 * thread-safe in the kernel, so read-only calls (list, info, table,
 * status) and target messages run fully in parallel — the failure path
 * (fail_path / switch_group messages) never waits for anything here.
 *
 * libdevmapper keeps some process-global state without locks:
 *   - the control fd, opened lazily by the first dm_task_run();
 *   - the "node ops" list: every ioctl that creates, renames, removes or
 *     resumes a device stacks a node operation that dm_udev_wait*() later
 *     pops (update_devs()), even with DM_UDEV_DISABLE_LIBRARY_FALLBACK;
 *   - the udev sync switch (dm_udev_set_sync_support) and cookie creation.
 * So one mutex, `libdm_lock`, covers exactly: dm_task_run() of CREATE,
 * RESUME, REMOVE and RENAME (with their cookie set-up), every
 * dm_udev_wait_immediate() call, and the process's first dm_task_create()
 * (which opens the control fd).  RELOAD (table load), SUSPEND, messages and reads never take it.
 *
 * Waiting for udev (the cookie's semaphore) is done by polling
 * dm_udev_wait_immediate() under the lock with the lock dropped between
 * polls, so several workers' creates can wait for udev at the same time
 * instead of queueing behind one blocking dm_udev_wait().
 *
 * MP_DM_FLAG_NOSYNC: udev flags travel in the cookie value, but a real
 * cookie is a SysV semaphore that someone must wait on or it leaks.  With
 * sync support switched off (inside the locked section) libdevmapper passes
 * the flags without creating a semaphore; we switch it back on before
 * unlocking, so no other caller ever sees it off, and pop the node
 * operation the ioctl stacked (dm_task_update_nodes()), which otherwise
 * only a wait would free.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <libdevmapper.h>

#include "dm/dm.h"
#include "util/log.h"
#include "util/util.h"

static pthread_mutex_t libdm_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t libdm_once = PTHREAD_ONCE_INIT;
static atomic_bool control_open;
static atomic_uint remove_retries;
static atomic_uint remove_delay_ms = 100;

#define UDEV_POLL_MAX_MS 16
#define UDEV_POLL_LIMIT_MS 60000

void mp_dm_set_remove_retries(unsigned int retries, unsigned int delay_ms)
{
	atomic_store(&remove_retries, retries);
	atomic_store(&remove_delay_ms, delay_ms);
}

/* libdevmapper's messages: library code logs at debug at most. */
_printf_(5, 6)
static void libdm_log(int level, const char *file, int line, int dm_errno_or_class,
		      const char *fmt, ...)
{
	va_list ap;

	if (!mp_log_enabled(LOG_DEBUG))
		return;
	va_start(ap, fmt);
	mp_logv(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

static void libdm_init(void)
{
	dm_log_with_errno_init(libdm_log);
	dm_udev_set_sync_support(1);
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/*
 * dm_task_create() checks the driver version on first use, opening the
 * process-wide control fd: the first creations are serialised until one
 * succeeds.  NULL with errno set (ENODEV: no device-mapper in the kernel).
 */
static struct dm_task *task_new(int type, const char *name)
{
	struct dm_task *dmt;
	bool locked = false;
	int err;

	pthread_once(&libdm_once, libdm_init);
	if (!atomic_load(&control_open)) {
		pthread_mutex_lock(&libdm_lock);
		locked = true;
	}
	errno = 0;
	dmt = dm_task_create(type);
	err = errno;
	if (dmt)
		atomic_store(&control_open, true);
	if (locked)
		pthread_mutex_unlock(&libdm_lock);
	if (!dmt) {
		errno = err ? err : ENOMEM;
		return NULL;
	}
	if (name && !dm_task_set_name(dmt, name)) {
		dm_task_destroy(dmt);
		errno = EINVAL;
		return NULL;
	}
	return dmt;
}

/* The error of a failed task_new(). */
static int task_new_err(void)
{
	return errno > 0 ? -errno : -ENOMEM;
}

DEFINE_TRIVIAL_CLEANUP_FUNC(struct dm_task *, dm_task_destroy);
#define _cleanup_task_ _cleanup_(dm_task_destroyp)

static int task_errno(struct dm_task *dmt)
{
	int e = dm_task_get_errno(dmt);

	return e > 0 ? -e : -EIO;
}

/* Run a task that needs no global state (see the top comment). */
static int task_run(struct dm_task *dmt)
{
	return dm_task_run(dmt) ? 0 : task_errno(dmt);
}

static uint16_t udev_flags(uint32_t flags)
{
	uint16_t f = DM_UDEV_DISABLE_LIBRARY_FALLBACK;

	if (flags & MP_DM_FLAG_RELOAD)
		f |= DM_SUBSYSTEM_UDEV_FLAG0;
	if (flags & MP_DM_FLAG_SKIP_KPARTX)
		f |= DM_SUBSYSTEM_UDEV_FLAG1;
	if (flags & MP_DM_FLAG_NO_PATHS)
		f |= DM_SUBSYSTEM_UDEV_FLAG2;
	return f;
}

/* Run a uevent-generating task with a udev cookie (under libdm_lock). */
static int task_run_cookie(struct dm_task *dmt, uint32_t flags, uint32_t *ret_cookie)
{
	uint32_t cookie = 0;
	bool nosync = flags & MP_DM_FLAG_NOSYNC;
	int ok, r = 0;

	pthread_mutex_lock(&libdm_lock);
	if (nosync)
		dm_udev_set_sync_support(0);
	ok = dm_task_set_cookie(dmt, &cookie, udev_flags(flags));
	if (ok)
		ok = dm_task_run(dmt);
	if (!ok)
		r = task_errno(dmt);
	if (nosync) {
		/* nobody waits for this cookie, and libdevmapper frees the node
		 * operation the ioctl stacked only when someone does: pop it
		 * now (udev makes the nodes; the ops are only skipped), or a
		 * long-running daemon keeps one per create and reload forever */
		dm_task_update_nodes();
		dm_udev_set_sync_support(1);
	}
	pthread_mutex_unlock(&libdm_lock);
	/* the cookie must be waited for even after a failed ioctl: libdm
	 * has created its semaphore already */
	*ret_cookie = nosync ? 0 : cookie;
	return r;
}

static int udev_wait(uint32_t cookie)
{
	unsigned int slept = 0, step = 1;
	int ready = 0, ok;

	if (!cookie)
		return 0;
	for (;;) {
		pthread_mutex_lock(&libdm_lock);
		ok = dm_udev_wait_immediate(cookie, &ready);
		pthread_mutex_unlock(&libdm_lock);
		if (!ok)
			return -EIO;
		if (ready)
			return 0;
		if (slept >= UDEV_POLL_LIMIT_MS)
			break;
		sleep_ms(step);
		slept += step;
		step = MP_MIN(step * 2, UDEV_POLL_MAX_MS);
	}
	/* udev is very late: let libdevmapper apply its own timeout */
	log_debug("dm: udev cookie 0x%x not released after %u ms", cookie, slept);
	pthread_mutex_lock(&libdm_lock);
	ok = dm_udev_wait(cookie);
	pthread_mutex_unlock(&libdm_lock);
	return ok ? 0 : -ETIMEDOUT;
}

static int run_and_wait(struct dm_task *dmt, uint32_t flags)
{
	uint32_t cookie = 0;
	int r, w;

	r = task_run_cookie(dmt, flags, &cookie);
	w = udev_wait(cookie);
	return r < 0 ? r : w;
}

/* ------------------------------------------------------------------ list */

/* The kernel (4.37+) puts the event number right after each name,
 * 8-byte aligned (linux/dm-ioctl.h, struct dm_name_list). */
static uint32_t names_event_nr(const struct dm_names *n)
{
	uintptr_t p = (uintptr_t)n->name + strlen(n->name) + 1;

	p = (p + 7) & ~(uintptr_t)7;
	return *(const uint32_t *)p;
}

static bool driver_has_list_event_nr(struct dm_task *dmt)
{
	char v[32];
	unsigned int ma = 0, mi = 0;

	if (!dm_task_get_driver_version(dmt, v, sizeof(v)) ||
	    sscanf(v, "%u.%u", &ma, &mi) != 2)
		return false;
	return ma > 4 || (ma == 4 && mi >= 37);
}

static int libdm_list(struct mp_dm_list_entry **ret, size_t *ret_n)
{
	_cleanup_task_ struct dm_task *dmt = task_new(DM_DEVICE_LIST, NULL);
	struct mp_dm_list_entry *l = NULL;
	struct dm_names *names, *n;
	size_t cnt = 0, bytes = 0, i = 0;
	char *s;
	bool has_ev;
	int r;

	if (!dmt)
		return task_new_err();
	r = task_run(dmt);
	if (r < 0)
		return r;
	names = dm_task_get_names(dmt);
	has_ev = driver_has_list_event_nr(dmt);
	for (n = names; n && n->dev; n = n->next ? (void *)((char *)n + n->next) : NULL) {
		cnt++;
		bytes += strlen(n->name) + 1;
	}
	/* one block: the entries, then their names */
	l = malloc((cnt ? cnt : 1) * sizeof(*l) + bytes);
	if (!l)
		return -ENOMEM;
	s = (char *)(l + (cnt ? cnt : 1));
	for (n = names; n && n->dev && i < cnt;
	     n = n->next ? (void *)((char *)n + n->next) : NULL, i++) {
		size_t len = strlen(n->name) + 1;

		memcpy(s, n->name, len);
		l[i].name = s;
		s += len;
		l[i].devt = (dev_t)n->dev;
		l[i].event_nr = has_ev ? names_event_nr(n) : 0;
	}
	*ret = l;
	*ret_n = cnt;
	return 0;
}

/* ------------------------------------------------------------------ info */

static int libdm_info(const char *name, struct mp_dm_info *ret)
{
	_cleanup_task_ struct dm_task *dmt = task_new(DM_DEVICE_INFO, name);
	struct dm_info di;
	struct mp_dm_info i = { 0 };
	const char *s;
	int r;

	if (!dmt)
		return task_new_err();
	r = task_run(dmt);
	if (r < 0)
		return r;
	if (!dm_task_get_info(dmt, &di))
		return -EIO;
	if (di.exists) {
		s = dm_task_get_name(dmt);
		i.name = strdup(s ? s : name);
		s = dm_task_get_uuid(dmt);
		i.uuid = strdup(s ? s : "");
		if (!i.name || !i.uuid) {
			mp_dm_info_done(&i);
			return -ENOMEM;
		}
		i.devt = makedev(di.major, di.minor);
		i.event_nr = di.event_nr;
		i.open_count = di.open_count;
		i.suspended = di.suspended;
		i.readonly = di.read_only;
		i.exists = true;
		i.deferred_remove = di.deferred_remove;
		i.target_count = di.target_count;
	}
	*ret = i;
	return 0;
}

/* ---------------------------------------------------------- table/status */

static int get_target(int type, const char *name, struct mp_dm_target *ret)
{
	_cleanup_task_ struct dm_task *dmt = task_new(type, name);
	uint64_t start, length;
	char *ttype = NULL, *params = NULL;
	struct mp_dm_target t = { 0 };
	struct dm_info di;
	int r;

	if (!dmt)
		return task_new_err();
	dm_task_no_open_count(dmt);
	r = task_run(dmt);
	if (r < 0)
		return r;
	/* libdevmapper turns the kernel's ENXIO for STATUS into success with
	 * a "does not exist" info; TABLE may follow it */
	if (!dm_task_get_info(dmt, &di))
		return -EIO;
	if (!di.exists)
		return -ENXIO;
	dm_get_next_target(dmt, NULL, &start, &length, &ttype, &params);
	if (!ttype)
		return -ENODATA;
	t.size = length;
	t.type = strdup(ttype);
	t.params = strdup(params ? params : "");
	if (!t.type || !t.params) {
		mp_dm_target_done(&t);
		return -ENOMEM;
	}
	strstrip_right(t.params);
	*ret = t;
	return 0;
}

static int libdm_get_table(const char *name, struct mp_dm_target *ret)
{
	return get_target(DM_DEVICE_TABLE, name, ret);
}

static int libdm_get_status(const char *name, struct mp_dm_target *ret)
{
	return get_target(DM_DEVICE_STATUS, name, ret);
}

/* --------------------------------------------------------- create/reload */

static int libdm_create(const char *name, const char *uuid, uint64_t size,
			const char *params, uint32_t flags)
{
	_cleanup_task_ struct dm_task *dmt = task_new(DM_DEVICE_CREATE, name);

	if (!dmt)
		return task_new_err();
	if ((uuid && !dm_task_set_uuid(dmt, uuid)) ||
	    !dm_task_add_target(dmt, 0, size, "multipath", params))
		return -ENOMEM;
	if ((flags & MP_DM_FLAG_READONLY) && !dm_task_set_ro(dmt))
		return -ENOMEM;
	/* with a table, libdevmapper creates, loads and resumes: live now */
	return run_and_wait(dmt, flags);
}

static int clear_inactive(const char *name)
{
	_cleanup_task_ struct dm_task *dmt = task_new(DM_DEVICE_CLEAR, name);

	return dmt ? task_run(dmt) : task_new_err();
}

static int resume(const char *name, bool noflush, uint32_t flags)
{
	_cleanup_task_ struct dm_task *dmt = task_new(DM_DEVICE_RESUME, name);

	if (!dmt)
		return task_new_err();
	if (noflush && !dm_task_no_flush(dmt))
		return -ENOMEM;
	return run_and_wait(dmt, flags);
}

static int libdm_reload(const char *name, uint64_t size, const char *params, uint32_t flags)
{
	_cleanup_task_ struct dm_task *dmt = task_new(DM_DEVICE_RELOAD, name);
	int r;

	if (!dmt)
		return task_new_err();
	if (!dm_task_add_target(dmt, 0, size, "multipath", params))
		return -ENOMEM;
	if ((flags & MP_DM_FLAG_READONLY) && !dm_task_set_ro(dmt))
		return -ENOMEM;
	r = task_run(dmt);
	if (r < 0)
		return r;
	/* udev rules must see this as a reload, not a new device */
	r = resume(name, true, flags | MP_DM_FLAG_RELOAD);
	if (r < 0) {
		log_debug("dm: resume of %s after reload failed: %s", name, strerror(-r));
		clear_inactive(name);
	}
	return r;
}

/* ------------------------------------------------------- message, remove */

static int libdm_message(const char *name, const char *msg)
{
	_cleanup_task_ struct dm_task *dmt = task_new(DM_DEVICE_TARGET_MSG, name);

	if (!dmt)
		return task_new_err();
	if (!dm_task_set_sector(dmt, 0) || !dm_task_set_message(dmt, msg))
		return -ENOMEM;
	return task_run(dmt);
}

static int remove_once(const char *name, bool deferred)
{
	_cleanup_task_ struct dm_task *dmt = task_new(DM_DEVICE_REMOVE, name);

	if (!dmt)
		return task_new_err();
	if (deferred && !dm_task_deferred_remove(dmt))
		return -ENOMEM;
	return run_and_wait(dmt, 0);
}

static int libdm_remove(const char *name, bool deferred)
{
	unsigned int tries = atomic_load(&remove_retries);
	int r;

	for (;;) {
		r = remove_once(name, deferred);
		if (r != -EBUSY || tries-- == 0)
			return r;
		sleep_ms(atomic_load(&remove_delay_ms));
	}
}

static int libdm_suspend_resume(const char *name, bool suspend, bool noflush)
{
	_cleanup_task_ struct dm_task *dmt = NULL;

	if (!suspend)
		return resume(name, noflush, 0);
	dmt = task_new(DM_DEVICE_SUSPEND, name);
	if (!dmt)
		return task_new_err();
	if (noflush && !dm_task_no_flush(dmt))
		return -ENOMEM;
	return task_run(dmt);
}

static int libdm_rename(const char *old_name, const char *new_name)
{
	_cleanup_task_ struct dm_task *dmt = task_new(DM_DEVICE_RENAME, old_name);

	if (!dmt)
		return task_new_err();
	if (!dm_task_set_newname(dmt, new_name))
		return -ENOMEM;
	return run_and_wait(dmt, 0);
}

const struct mp_dm_ops mp_dm_real_ops = {
	.list = libdm_list,
	.info = libdm_info,
	.get_table = libdm_get_table,
	.get_status = libdm_get_status,
	.create = libdm_create,
	.reload = libdm_reload,
	.message = libdm_message,
	.remove = libdm_remove,
	.suspend_resume = libdm_suspend_resume,
	.rename = libdm_rename,
};
