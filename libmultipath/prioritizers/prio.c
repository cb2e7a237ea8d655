// SPDX-License-Identifier: GPL-2.0-or-later
/* Prioritizer registry and helpers shared by the implementations. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "backend/backend.h"
#include "prioritizers/internal.h"
#include "util/util.h"

static const struct mp_prio_ops *const registry[] = {
	&mp_prio_const, &mp_prio_random, &mp_prio_sysfs, &mp_prio_alua, &mp_prio_ana,
	&mp_prio_weightedpath, &mp_prio_path_latency, &mp_prio_emc, &mp_prio_rdac,
	&mp_prio_hp_sw, &mp_prio_hds, &mp_prio_ontap, &mp_prio_datacore, &mp_prio_iet,
};

static const char *const names[] = {
	"const", "random", "sysfs", "alua", "ana", "weightedpath", "path_latency", "emc",
	"rdac", "hp_sw", "hds", "ontap", "datacore", "iet", NULL,
};

const char *const *mp_prio_names(void)
{
	return names;
}

static const struct mp_prio_ops *find(const char *name)
{
	size_t i;

	for (i = 0; name && i < ARRAY_SIZE(registry); i++)
		if (!strcmp(registry[i]->name, name))
			return registry[i];
	return NULL;
}

bool mp_prio_exists(const char *name)
{
	return find(name) != NULL;
}

int mp_prio_get(const char *name, const char *args, const struct mp_path_info *pi, int fd,
		int timeout_ms)
{
	const struct mp_prio_ops *ops = find(name);
	struct mp_prio_ctx c = {
		.args = args ? args : "",
		.pi = pi,
		.fd = fd,
		.timeout_ms = timeout_ms > 0 ? timeout_ms : 30000,
	};
	int prio;

	if (!ops || !pi)
		return MP_PRIO_UNDEF;
	prio = ops->getprio(&c);
	if (c.own_fd && c.fd >= 0)
		close(c.fd);
	return prio < 0 ? MP_PRIO_UNDEF : prio;
}

int prio_fd(struct mp_prio_ctx *c)
{
	const struct mp_sgio_ops *g = mp_backend()->sgio;

	if (c->fd >= 0)
		return c->fd;
	if (!c->pi->devname || !g->open_dev)
		return -ENODEV;
	c->fd = g->open_dev(c->pi->devname, MP_OPEN_BLOCK);
	if (c->fd < 0)
		return c->fd;
	c->own_fd = true;
	return c->fd;
}

const char *prio_arg(const char *args, const char *key, char *buf, size_t len)
{
	size_t kl = strlen(key);
	const char *p = args;

	while (p && *p) {
		size_t w;

		p += strspn(p, " \t");
		w = strcspn(p, " \t");
		if (w > kl && !strncmp(p, key, kl) && p[kl] == '=') {
			snprintf(buf, len, "%.*s", (int)(w - kl - 1), p + kl + 1);
			return buf;
		}
		p += w;
	}
	return NULL;
}

int prio_from_access(enum mp_access_state st, bool preferred, bool exclusive_pref)
{
	int prio;

	switch (st) {
	case ACCESS_OPTIMIZED: prio = 50; break;
	case ACCESS_NON_OPTIMIZED: prio = 10; break;
	case ACCESS_LBA_DEPENDENT: prio = 5; break;
	case ACCESS_STANDBY: prio = 1; break;
	default: prio = 0; break;
	}
	/* The preferred bit lifts a path above every optimized one, except
	 * that an optimized preferred path stays level with its optimized
	 * peers (so they share a group) unless exclusive_pref_bit asks to
	 * single it out. */
	if (preferred && (st != ACCESS_OPTIMIZED || exclusive_pref))
		prio += 80;
	return prio;
}
