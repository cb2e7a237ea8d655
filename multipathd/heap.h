/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon's malloc settings (glibc), applied once before any thread
 * starts.  Why and the measurements: multipathd/heap.c and
 * docs/performance.md, "Memory, 2026-12-03 (afternoon)".
 */
#ifndef MPD_HEAP_H
#define MPD_HEAP_H

/* At most this many malloc arenas (glibc's default: 8 per core). */
#define MPD_HEAP_ARENA_MAX 2
/* Blocks of this size or more are mmapped, and unmapped when freed. */
#define MPD_HEAP_MMAP_THRESHOLD (64 * 1024)

/* Apply both, except where the administrator set the same knob through
 * MALLOC_ARENA_MAX / MALLOC_MMAP_THRESHOLD_ or GLIBC_TUNABLES. */
void mpd_heap_setup(void);

#endif
