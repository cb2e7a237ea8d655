/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel-uevent fast path.  The event loop hears every block disk
 * twice: from the kernel (netlink group "kernel", at once) and from udev
 * (after its rules ran, seconds later in a storm).  A kernel `add` of a
 * SCSI/NVMe disk whose WWID, as udev will export it, can be read from
 * sysfs becomes a path add right away; the udev event of the same device
 * then only confirms it (or corrects it).  Event-loop thread only.
 */
#ifndef MPD_KEVENT_H
#define MPD_KEVENT_H

#include "core.h"

struct mpd_kev;

int mpd_kev_new(struct mpd *d, struct mpd_kev **ret);
void mpd_kev_free(struct mpd_kev *k);
/* A kernel uevent of a block disk; takes ownership. */
void mpd_kev_kernel(struct mpd_kev *k, struct mp_uevent *u);
/* A udev uevent; takes ownership.  Drops it when it is stale or only
 * confirms a kernel add, else hands it (maybe as a change) to
 * mpd_handle_uevent(). */
void mpd_kev_udev(struct mpd_kev *k, struct mp_uevent *u);

#endif
