/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Scheduling precedence for the daemon's latency-critical threads (CLI
 * server, failure path, event loop), so that a storm of udev workers
 * saturating the CPUs does not delay a `show` reply or a path failover.
 */
#ifndef MPD_SCHED_H
#define MPD_SCHED_H

#include <errno.h>

enum mpd_sched_mode {
	MPD_SCHED_OFF,                  /* leave every thread as started */
	MPD_SCHED_RR,                   /* SCHED_RR, else a negative nice value */
	MPD_SCHED_NICE,                 /* negative nice value only */
	_MPD_SCHED_MAX,
	_MPD_SCHED_INVALID = -EINVAL,
};

/* Environment variable that picks the mode: off, rr (default), nice. */
#define MPD_SCHED_ENV "MULTIPATHD_SCHED"
/* Below the kernel's threaded IRQ handlers (50) and within the
 * LimitRTPRIO= of the shipped systemd unit. */
#define MPD_SCHED_RT_PRIO 10
#define MPD_SCHED_NICE_VAL (-10)

const char *mpd_sched_mode_to_string(enum mpd_sched_mode m);
enum mpd_sched_mode mpd_sched_mode_from_string(const char *s);

/* Enable boosting (the daemon calls this once; tests never do, so their
 * threads stay as they are).  NULL: read MPD_SCHED_ENV. */
void mpd_sched_enable(const char *mode);
enum mpd_sched_mode mpd_sched_mode(void);

/* Boost the calling thread if enabled; `role` names it in the log.
 * Returns the mode that took effect (MPD_SCHED_OFF if none did). */
enum mpd_sched_mode mpd_sched_boost_self(const char *role);

#endif
