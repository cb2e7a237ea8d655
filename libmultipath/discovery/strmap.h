/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small string-keyed hash map for the state-file caches (files.c,
 * bindings.c): the daemon asks "is this WWID listed / bound, is this alias
 * taken" once per new map, so those questions must not cost a scan of a
 * file with tens of thousands of lines.  Open addressing with linear
 * probing; keys are copied; there is no deletion because a cache that
 * loses an entry is simply refilled from its file.
 */
#ifndef MP_DISCOVERY_STRMAP_H
#define MP_DISCOVERY_STRMAP_H

#include <stddef.h>

struct mp_strmap;

struct mp_strmap *mp_strmap_new(void);
void mp_strmap_free(struct mp_strmap *m);
/* 1 inserted, 0 the key was there (its value is kept), -ENOMEM. */
int mp_strmap_put(struct mp_strmap *m, const char *key, size_t val);
/* 1 and *ret_val when found, 0 when not. */
int mp_strmap_get(const struct mp_strmap *m, const char *key, size_t *ret_val);
size_t mp_strmap_count(const struct mp_strmap *m);

#endif
