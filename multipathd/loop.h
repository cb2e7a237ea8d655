/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The event loop: one epoll over the udev monitor (and, with
 * kernel_events, a kernel uevent monitor: kevent.h), the DM event fd
 * (DM_DEV_ARM_POLL), a signalfd, a 1 s timerfd and an eventfd used to ask
 * the loop to stop.  libudev lives in this thread only.
 */
#ifndef MPD_LOOP_H
#define MPD_LOOP_H

#include "core.h"

struct mpd_loop;

int mpd_loop_new(struct mpd *d, bool kernel_events, struct mpd_loop **ret);
/* Queue an add uevent for every block disk udev knows (start-up). */
int mpd_loop_enumerate(struct mpd_loop *l);
/* Run until shutdown is requested (signal or mpd_request_shutdown). */
int mpd_loop_run(struct mpd_loop *l);
void mpd_loop_free(struct mpd_loop *l);

#endif
