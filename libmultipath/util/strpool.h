/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A process-lifetime pool of small immutable strings that many objects
 * repeat: a path's vendor, model, revision and transport names, a
 * prioritizer's name.  mp_str_intern() returns the pool's one copy of a
 * value; the copy is never freed, so any thread may keep and read it
 * without a reference or an RCU grace period.
 *
 * Only values whose number of distinct values is bounded by the hardware
 * and configuration the host has seen belong here (never a WWID, a serial
 * number or a device name): the pool only grows.
 */
#ifndef MP_UTIL_STRPOOL_H
#define MP_UTIL_STRPOOL_H

#include <stdbool.h>

/* The pool's copy of s (NULL for NULL, and when out of memory). */
const char *mp_str_intern(const char *s);
/* Is p the pool's own copy of its value (not a private copy of it)? */
bool mp_str_is_interned(const char *p);
/* free(p) unless p is the pool's copy: for fields that hold either. */
void mp_str_free(const char *p);

#endif
