// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The string pool (strpool.h): an open-addressing hash set of the pool's
 * copies under one leaf mutex, taken only to add or look up (building a
 * path info, changing a path's settings, freeing a path info), never by
 * the readers of the strings.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/strpool.h"

static struct {
	pthread_mutex_t lock;           /* leaf */
	char **slot;
	size_t cap, n;                  /* cap: a power of two, or 0 */
} pool = { .lock = PTHREAD_MUTEX_INITIALIZER };

static size_t hash_of(const char *s)
{
	uint64_t h = 1469598103934665603ULL;    /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)h;
}

/* The slot holding s, or the empty one where it would go; lock held. */
static char **find_locked(const char *s)
{
	size_t i = hash_of(s) & (pool.cap - 1);

	while (pool.slot[i] && strcmp(pool.slot[i], s))
		i = (i + 1) & (pool.cap - 1);
	return &pool.slot[i];
}

static int grow_locked(void)
{
	size_t old_cap = pool.cap, cap = old_cap ? 2 * old_cap : 64;
	char **old = pool.slot, **t = calloc(cap, sizeof(*t));

	if (!t)
		return -1;
	pool.slot = t;
	pool.cap = cap;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i])
			*find_locked(old[i]) = old[i];
	free(old);
	return 0;
}

const char *mp_str_intern(const char *s)
{
	char **sl, *copy = NULL;

	if (!s)
		return NULL;
	pthread_mutex_lock(&pool.lock);
	if ((pool.n + 1) * 4 > pool.cap * 3 && grow_locked() < 0)
		goto out;
	sl = find_locked(s);
	if (!*sl && (*sl = strdup(s)))
		pool.n++;
	copy = *sl;
out:
	pthread_mutex_unlock(&pool.lock);
	return copy;
}

bool mp_str_is_interned(const char *p)
{
	bool r = false;

	if (!p)
		return false;
	pthread_mutex_lock(&pool.lock);
	if (pool.cap)
		r = *find_locked(p) == p;
	pthread_mutex_unlock(&pool.lock);
	return r;
}

void mp_str_free(const char *p)
{
	if (p && !mp_str_is_interned(p))
		free((char *)p);
}
