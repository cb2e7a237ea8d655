// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The counted front of the DM layer.  Every caller goes through these
 * wrappers, which count the call by kind (lock-free atomics, read by
 * `show stats` and the benchmarks) and dispatch to mp_backend()->dm: the
 * libdevmapper implementation (dm-libdm.c) or a test fake.
 *
 * The DM event fd lives here too: a raw DM_DEV_ARM_POLL ioctl on our own
 * /dev/mapper/control descriptor, independent of libdevmapper's, so the
 * event loop never touches libdevmapper state.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>
#include <linux/dm-ioctl.h>

#include "backend/backend.h"
#include "dm/dm.h"
#include "util/macro.h"

static _Atomic uint64_t dm_stats[_DMOP_MAX];

static const char *const dm_op_names[_DMOP_MAX] = {
	[DMOP_LIST] = "list",
	[DMOP_INFO] = "info",
	[DMOP_TABLE] = "table",
	[DMOP_STATUS] = "status",
	[DMOP_CREATE] = "create",
	[DMOP_RELOAD] = "reload",
	[DMOP_MESSAGE] = "message",
	[DMOP_REMOVE] = "remove",
	[DMOP_SUSPEND_RESUME] = "suspend_resume",
	[DMOP_RENAME] = "rename",
	[DMOP_ARM_POLL] = "arm_poll",
};

const char *mp_dm_op_to_string(enum mp_dm_op op)
{
	if ((unsigned int)op >= _DMOP_MAX)
		return NULL;
	return dm_op_names[op];
}

uint64_t mp_dm_stats(enum mp_dm_op op)
{
	if ((unsigned int)op >= _DMOP_MAX)
		return 0;
	return atomic_load_explicit(&dm_stats[op], memory_order_relaxed);
}

void mp_dm_stats_count(enum mp_dm_op op)
{
	if ((unsigned int)op < _DMOP_MAX)
		atomic_fetch_add_explicit(&dm_stats[op], 1, memory_order_relaxed);
}

void mp_dm_stats_reset(void)
{
	size_t i;

	for (i = 0; i < _DMOP_MAX; i++)
		atomic_store_explicit(&dm_stats[i], 0, memory_order_relaxed);
}

static const struct mp_dm_ops *dm_ops(void)
{
	return mp_backend()->dm;
}

/* ---------------------------------------------------------------- wrappers */

int mp_dm_list(struct mp_dm_list_entry **ret, size_t *ret_n)
{
	if (!ret || !ret_n)
		return -EINVAL;
	mp_dm_stats_count(DMOP_LIST);
	return dm_ops()->list(ret, ret_n);
}

void mp_dm_list_free(struct mp_dm_list_entry *l, size_t n)
{
	free(l);        /* the names are in the same block */
}

int mp_dm_info(const char *name, struct mp_dm_info *ret)
{
	if (!name || !ret)
		return -EINVAL;
	mp_dm_stats_count(DMOP_INFO);
	return dm_ops()->info(name, ret);
}

void mp_dm_info_done(struct mp_dm_info *i)
{
	if (!i)
		return;
	free(i->name);
	free(i->uuid);
	i->name = i->uuid = NULL;
}

int mp_dm_get_table(const char *name, struct mp_dm_target *ret)
{
	if (!name || !ret)
		return -EINVAL;
	mp_dm_stats_count(DMOP_TABLE);
	return dm_ops()->get_table(name, ret);
}

int mp_dm_get_status(const char *name, struct mp_dm_target *ret)
{
	if (!name || !ret)
		return -EINVAL;
	mp_dm_stats_count(DMOP_STATUS);
	return dm_ops()->get_status(name, ret);
}

void mp_dm_target_done(struct mp_dm_target *t)
{
	if (!t)
		return;
	free(t->type);
	free(t->params);
	t->type = t->params = NULL;
}

int mp_dm_create(const char *name, const char *uuid, uint64_t size,
		 const char *params, uint32_t flags)
{
	if (!name || !*name || !params)
		return -EINVAL;
	mp_dm_stats_count(DMOP_CREATE);
	return dm_ops()->create(name, uuid, size, params, flags);
}

int mp_dm_reload(const char *name, uint64_t size, const char *params, uint32_t flags)
{
	if (!name || !params)
		return -EINVAL;
	mp_dm_stats_count(DMOP_RELOAD);
	return dm_ops()->reload(name, size, params, flags);
}

int mp_dm_message(const char *name, const char *msg)
{
	if (!name || !msg || !*msg)
		return -EINVAL;
	mp_dm_stats_count(DMOP_MESSAGE);
	return dm_ops()->message(name, msg);
}

int mp_dm_remove(const char *name, bool deferred)
{
	if (!name)
		return -EINVAL;
	mp_dm_stats_count(DMOP_REMOVE);
	return dm_ops()->remove(name, deferred);
}

int mp_dm_suspend_resume(const char *name, bool suspend, bool noflush)
{
	if (!name)
		return -EINVAL;
	mp_dm_stats_count(DMOP_SUSPEND_RESUME);
	return dm_ops()->suspend_resume(name, suspend, noflush);
}

int mp_dm_rename(const char *old_name, const char *new_name)
{
	if (!old_name || !new_name || !*new_name)
		return -EINVAL;
	mp_dm_stats_count(DMOP_RENAME);
	return dm_ops()->rename(old_name, new_name);
}

/* --------------------------------------------------------------- messages */

static int path_message(const char *name, const char *verb, dev_t devt)
{
	char msg[64];

	snprintf(msg, sizeof(msg), "%s %u:%u", verb, major(devt), minor(devt));
	return mp_dm_message(name, msg);
}

int mp_dm_fail_path(const char *name, dev_t devt)
{
	return path_message(name, "fail_path", devt);
}

int mp_dm_reinstate_path(const char *name, dev_t devt)
{
	return path_message(name, "reinstate_path", devt);
}

int mp_dm_switch_group(const char *name, int pg)
{
	char msg[32];

	if (pg < 1)
		return -EINVAL;
	snprintf(msg, sizeof(msg), "switch_group %d", pg);
	return mp_dm_message(name, msg);
}

int mp_dm_set_queueing(const char *name, bool queue)
{
	return mp_dm_message(name, queue ? "queue_if_no_path" : "fail_if_no_path");
}

int mp_dm_cancel_deferred_remove(const char *name)
{
	return mp_dm_message(name, "@cancel_deferred_remove");
}

const char *mp_dm_uuid_wwid(const char *uuid)
{
	size_t n = strlen(MP_DM_UUID_PREFIX);

	if (!uuid || strncmp(uuid, MP_DM_UUID_PREFIX, n) || !uuid[n])
		return NULL;
	return uuid + n;
}

/* ----------------------------------------------------------------- events */

static int arm_poll(int fd)
{
	struct dm_ioctl dmi = {
		/* the oldest interface that has DM_DEV_ARM_POLL */
		.version = { 4, 37, 0 },
		.data_size = sizeof(dmi),
		.data_start = sizeof(dmi),
	};

	if (ioctl(fd, DM_DEV_ARM_POLL, &dmi) < 0)
		return -errno;
	return 0;
}

int mp_dm_events_open(void)
{
	const struct mp_dm_ops *ops = dm_ops();
	int fd, r;

	mp_dm_stats_count(DMOP_ARM_POLL);
	if (ops->events_open)
		return ops->events_open();
	fd = open("/dev/mapper/control", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	r = arm_poll(fd);
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

int mp_dm_events_rearm(int fd)
{
	const struct mp_dm_ops *ops = dm_ops();

	if (fd < 0)
		return -EBADF;
	mp_dm_stats_count(DMOP_ARM_POLL);
	if (ops->events_rearm)
		return ops->events_rearm(fd);
	return arm_poll(fd);
}

void mp_dm_events_close(int fd)
{
	if (fd >= 0)
		close(fd);
}
