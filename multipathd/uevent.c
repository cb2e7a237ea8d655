// SPDX-License-Identifier: GPL-2.0-or-later
/* Plain-data uevents: construction, properties, action names. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <sys/sysmacros.h>
#include <stdlib.h>
#include <string.h>

#include "uevent.h"
#include "util/clock.h"
#include "util/macro.h"

static const char *const action_table[_UEV_MAX] = {
	[UEV_ADD] = "add",
	[UEV_REMOVE] = "remove",
	[UEV_CHANGE] = "change",
	[UEV_OTHER] = "other",
};

const char *mp_uev_action_to_string(enum mp_uev_action a)
{
	return a >= 0 && a < _UEV_MAX ? action_table[a] : NULL;
}

enum mp_uev_action mp_uev_action_from_string(const char *s)
{
	for (int i = 0; i < UEV_OTHER; i++)
		if (s && strcmp(s, action_table[i]) == 0)
			return (enum mp_uev_action)i;
	return UEV_OTHER;
}

void mp_uevent_free(struct mp_uevent *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->n_env; i++)
		free(u->env[i]);
	free(u->env);
	free(u->devname);
	free(u->syspath);
	free(u->wwid);
	free(u);
}

struct mp_uevent *mp_uevent_new(enum mp_uev_action action, const char *devname,
				dev_t devt, const char *syspath, const char *const *env)
{
	struct mp_uevent *u = calloc(1, sizeof(*u));
	size_t n = 0;

	if (!u)
		return NULL;
	u->action = action;
	u->devt = devt;
	u->t_recv = mp_now_usec();
	u->devname = strdup(devname ? devname : "");
	u->syspath = syspath ? strdup(syspath) : NULL;
	if (!u->devname || (syspath && !u->syspath))
		goto oom;
	u->is_dm = strncmp(u->devname, "dm-", 3) == 0;
	while (env && env[n])
		n++;
	u->env = calloc(n + 1, sizeof(char *));
	if (!u->env)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		u->env[i] = strdup(env[i]);
		if (!u->env[i])
			goto oom;
		u->n_env++;
	}
	return u;
oom:
	mp_uevent_free(u);
	return NULL;
}

const char *mp_uevent_get_prop(const char *name, void *ud)
{
	const struct mp_uevent *u = ud;
	size_t len = strlen(name);

	for (size_t i = 0; i < u->n_env; i++)
		if (strncmp(u->env[i], name, len) == 0 && u->env[i][len] == '=')
			return u->env[i] + len + 1;
	return NULL;
}

/* Properties udev stored for a block device (/run/udev/data/b<maj>:<min>,
 * "E:KEY=value" lines), for events we synthesise (CLI add, checker). */
int mp_uevent_load_udev_db(struct mp_uevent *u)
{
	char path[64], line[4096];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "/run/udev/data/b%u:%u", major(u->devt), minor(u->devt));
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char **v, *kv;

		if (strncmp(line, "E:", 2) != 0)
			continue;
		line[strcspn(line, "\n")] = '\0';
		kv = strdup(line + 2);
		v = kv ? realloc(u->env, (u->n_env + 2) * sizeof(*v)) : NULL;
		if (!v) {
			free(kv);
			break;
		}
		u->env = v;
		u->env[u->n_env++] = kv;
		u->env[u->n_env] = NULL;
		n++;
	}
	fclose(f);
	return n;
}

int mp_udev_db_prop(const char *dir, dev_t devt, const char *key, char *buf, size_t len)
{
	char path[PATH_MAX], line[4096];
	size_t klen = strlen(key);
	int r = -ENODATA;
	FILE *f;

	snprintf(path, sizeof(path), "%s/b%u:%u", dir ?: MP_UDEV_DB_DIR, major(devt), minor(devt));
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (r == -ENODATA && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "E:", 2) != 0 || strncmp(line + 2, key, klen) != 0 ||
		    line[2 + klen] != '=')
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(buf, len, "%s", line + 3 + klen);
		r = 0;
	}
	fclose(f);
	return r;
}
