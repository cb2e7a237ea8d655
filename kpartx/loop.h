/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Loop devices for kpartx on regular files: find the loop device already
 * backing a file, attach a free one, detach.
 */
#ifndef KPARTX_LOOP_H
#define KPARTX_LOOP_H

#include <stdbool.h>
#include <stddef.h>

/* Path "/dev/loopN" of a loop device backing `file`: 1 found, 0 none. */
int loop_find(const char *file, char *dev, size_t len);
/* Attach a free loop device to file (read-only if ro): returns an open fd
 * of it (keep it open until the maps exist: the device is autoclear) and
 * its path in dev. */
int loop_attach(const char *file, bool ro, char *dev, size_t len);
int loop_detach(const char *dev);

#endif
