// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Per-thread scheduling precedence.  Only the threads whose latency users
 * see are raised: the CLI server (loop and handlers), the crit workers
 * (fail/reinstate, group switch) and the main event loop (DM events,
 * uevent intake).  The cfg workers and the checker stay at the normal
 * policy: their work is throughput, and raising them would take CPU from
 * the udev workers whose events they wait for.
 *
 * SCHED_RR is tried first (preempts any normal task at once); it fails
 * without CAP_SYS_NICE and RLIMIT_RTPRIO, or in a cgroup with no realtime
 * budget, and then a negative nice value gives the thread a large CFS
 * weight instead.  SCHED_RESET_ON_FORK keeps helpers we spawn normal.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <urcu/uatomic.h>

#include "multipathd/sched.h"
#include "util/log.h"

#ifndef SCHED_RESET_ON_FORK
#define SCHED_RESET_ON_FORK 0x40000000
#endif

static const char *const mode_names[_MPD_SCHED_MAX] = {
	[MPD_SCHED_OFF] = "off",
	[MPD_SCHED_RR] = "rr",
	[MPD_SCHED_NICE] = "nice",
};

static int the_mode = MPD_SCHED_OFF;    /* uatomic */

const char *mpd_sched_mode_to_string(enum mpd_sched_mode m)
{
	return (unsigned)m < _MPD_SCHED_MAX ? mode_names[m] : NULL;
}

enum mpd_sched_mode mpd_sched_mode_from_string(const char *s)
{
	for (int i = 0; s && i < _MPD_SCHED_MAX; i++)
		if (!strcmp(s, mode_names[i]))
			return i;
	return _MPD_SCHED_INVALID;
}

void mpd_sched_enable(const char *mode)
{
	enum mpd_sched_mode m;

	if (!mode)
		mode = getenv(MPD_SCHED_ENV);
	if (!mode || !*mode)
		mode = "rr";
	m = mpd_sched_mode_from_string(mode);
	if (m < 0) {
		log_warn("%s=%s: not off, rr or nice; using off", MPD_SCHED_ENV, mode);
		m = MPD_SCHED_OFF;
	}
	uatomic_set(&the_mode, m);
	log_info("thread scheduling boost: %s", mpd_sched_mode_to_string(m));
}

enum mpd_sched_mode mpd_sched_mode(void)
{
	return uatomic_read(&the_mode);
}

/* The highest RR priority we may use: ours, capped by RLIMIT_RTPRIO
 * unless we are privileged enough to ignore it (then the call decides). */
static int rt_prio(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_RTPRIO, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur > 0 && rl.rlim_cur < MPD_SCHED_RT_PRIO)
		return (int)rl.rlim_cur;
	return MPD_SCHED_RT_PRIO;
}

static int set_rr(void)
{
	struct sched_param sp = { .sched_priority = rt_prio() };

	/* pid 0 is the calling thread, not the whole process */
	if (sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, &sp) < 0)
		return -errno;
	return 0;
}

static int set_nice(void)
{
	/* setpriority on a TID changes that thread only (Linux) */
	if (setpriority(PRIO_PROCESS, (id_t)gettid(), MPD_SCHED_NICE_VAL) < 0)
		return -errno;
	return 0;
}

enum mpd_sched_mode mpd_sched_boost_self(const char *role)
{
	enum mpd_sched_mode m = mpd_sched_mode();
	int r;

	if (m == MPD_SCHED_OFF)
		return MPD_SCHED_OFF;
	if (m == MPD_SCHED_RR) {
		r = set_rr();
		if (r == 0) {
			log_debug("%s thread: SCHED_RR %d", role, rt_prio());
			return MPD_SCHED_RR;
		}
		log_debug("%s thread: SCHED_RR refused (%s), trying nice", role, strerror(-r));
	}
	r = set_nice();
	if (r == 0) {
		log_debug("%s thread: nice %d", role, MPD_SCHED_NICE_VAL);
		return MPD_SCHED_NICE;
	}
	log_info("%s thread: no scheduling boost: %s", role, strerror(-r));
	return MPD_SCHED_OFF;
}
