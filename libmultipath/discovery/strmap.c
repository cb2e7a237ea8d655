// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * String → size_t hash map (see strmap.h for why).  The table is kept at
 * most half full so probe chains stay short; it doubles when it reaches
 * that, which makes insertion amortised O(1).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "discovery/strmap.h"

struct slot {
	char *key; /* NULL: empty */
	size_t val;
};

struct mp_strmap {
	size_t cap; /* power of two */
	size_t n;
	struct slot *s;
};

/* FNV-1a: WWIDs share long prefixes, and this mixes every byte. */
static uint64_t hash_str(const char *k)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *k; k++) {
		h ^= (unsigned char)*k;
		h *= 1099511628211ULL;
	}
	return h;
}

struct mp_strmap *mp_strmap_new(void)
{
	struct mp_strmap *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->cap = 64;
	m->s = calloc(m->cap, sizeof(*m->s));
	if (!m->s) {
		free(m);
		return NULL;
	}
	return m;
}

void mp_strmap_free(struct mp_strmap *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->cap; i++)
		free(m->s[i].key);
	free(m->s);
	free(m);
}

static struct slot *find_slot(struct slot *s, size_t cap, const char *key)
{
	size_t i = (size_t)hash_str(key) & (cap - 1);

	while (s[i].key && strcmp(s[i].key, key))
		i = (i + 1) & (cap - 1);
	return &s[i];
}

static int grow(struct mp_strmap *m)
{
	size_t cap = m->cap * 2, i;
	struct slot *s = calloc(cap, sizeof(*s));

	if (!s)
		return -ENOMEM;
	for (i = 0; i < m->cap; i++)
		if (m->s[i].key)
			*find_slot(s, cap, m->s[i].key) = m->s[i];
	free(m->s);
	m->s = s;
	m->cap = cap;
	return 0;
}

int mp_strmap_put(struct mp_strmap *m, const char *key, size_t val)
{
	struct slot *sl;

	if ((m->n + 1) * 2 > m->cap && grow(m) < 0)
		return -ENOMEM;
	sl = find_slot(m->s, m->cap, key);
	if (sl->key)
		return 0;
	sl->key = strdup(key);
	if (!sl->key)
		return -ENOMEM;
	sl->val = val;
	m->n++;
	return 1;
}

int mp_strmap_get(const struct mp_strmap *m, const char *key, size_t *ret_val)
{
	const struct slot *sl = find_slot(m->s, m->cap, key);

	if (!sl->key)
		return 0;
	if (ret_val)
		*ret_val = sl->val;
	return 1;
}

size_t mp_strmap_count(const struct mp_strmap *m)
{
	return m->n;
}
