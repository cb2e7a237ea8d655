// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Malloc settings for a daemon with ~20 mostly idle threads.
 *
 * Arenas.  glibc gives each new thread a malloc arena of its own until
 * there are 8 per core: the cfg and crit workers, the checker, the
 * prioritizer, the CLI server's loop and its UXSRV_HANDLERS handlers each
 * got one (16 on a 2-core machine).  An arena keeps the pages of its
 * highest use, so memory a thread touched once stays resident for good:
 * the CLI handlers, each formatting a `show paths` now and then, kept
 * ~2 MiB between them at 1,024 paths (mp-sim phase "cli") while holding
 * less than 50 KiB.  Two arenas: the main thread's and one shared by the
 * others.  One arena would save a little more but serialises every
 * allocation of the workers on one lock; with two, the failure path's
 * CPU per event (mp-sim "flap") was not measurably different from
 * glibc's default.
 *
 * Large blocks.  Left alone, glibc raises its mmap threshold to the size
 * of the largest mmapped block freed so far (up to 32 MiB), after which
 * big transient buffers — a `show paths` reply, the DM device list — come
 * from the arena and their pages stay there.  A fixed threshold keeps
 * them mmapped: their pages go back at free().  64 KiB is a CLI reply of
 * ~1,000 paths; the extra mmap/munmap per such reply is small next to
 * formatting it.
 */
#include <malloc.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "heap.h"

static bool set_by_admin(const char *env, const char *tunable)
{
	const char *t = getenv("GLIBC_TUNABLES");

	return getenv(env) || (t && strstr(t, tunable));
}

void mpd_heap_setup(void)
{
#ifdef __GLIBC__
	if (!set_by_admin("MALLOC_ARENA_MAX", "glibc.malloc.arena_max"))
		mallopt(M_ARENA_MAX, MPD_HEAP_ARENA_MAX);
	if (!set_by_admin("MALLOC_MMAP_THRESHOLD_", "glibc.malloc.mmap_threshold"))
		mallopt(M_MMAP_THRESHOLD, MPD_HEAP_MMAP_THRESHOLD);
#endif
}
