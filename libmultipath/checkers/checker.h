/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Path checkers.  A check is started and later collected; starting never
 * blocks and no thread is created: SCSI checkers write an sg_io_hdr to the
 * path's /dev/sgN and read the completion when the fd polls readable,
 * directio submits one O_DIRECT read through a process-wide libaio context
 * whose completions signal one eventfd.  A device that hangs costs one
 * outstanding request; while it is outstanding no new one is sent, and
 * after the timeout the check reports PATH_TIMEOUT until the device answers.
 *
 *   c = mp_checker_new("tur", "sdb", devt, 30000);
 *   mp_check_start(c);            → PATH_PENDING (or a verdict at once)
 *   poll(mp_check_fd(c)) …
 *   mp_check_collect(c);          → PATH_UP / PATH_DOWN / … / PATH_PENDING
 *   mp_check_free(c);
 *
 * The daemon's checker thread uses a runner (one epoll fd for all checks).
 * A check object is used by one thread at a time.
 */
#ifndef MP_CHECKERS_CHECKER_H
#define MP_CHECKERS_CHECKER_H

#include <stdbool.h>
#include <sys/types.h>

#include "topology/state.h"

struct mp_check;

/* Is `name` a known checker? */
bool mp_checker_exists(const char *name);
/* NULL-terminated list of checker names. */
const char *const *mp_checker_names(void);

/* `devname` is "sdb" (or, for directio only, an absolute file path, for
 * tests).  timeout_ms: checker_timeout, or the sysfs device timeout; <= 0
 * means 30 s.  -ENOENT for an unknown checker name. */
int mp_checker_new(const char *name, const char *devname, dev_t devt, int timeout_ms,
		   struct mp_check **ret);
void mp_check_free(struct mp_check *c);
const char *mp_check_name(const struct mp_check *c);
void mp_check_set_timeout(struct mp_check *c, int timeout_ms);

/* Start a check.  Returns PATH_PENDING while the request is in flight, or
 * the verdict when the checker decides without waiting (none, errors).  If
 * the previous request is still outstanding nothing new is sent and the
 * result is PATH_PENDING or PATH_TIMEOUT. */
enum mp_chk_state mp_check_start(struct mp_check *c);
/* Collect: the verdict once the request completed, PATH_PENDING while in
 * flight, PATH_TIMEOUT once in flight longer than the timeout. */
enum mp_chk_state mp_check_collect(struct mp_check *c);
/* fd that polls readable when a completion may be waiting, -1 if none (the
 * check never pends).  Several checks may share one fd (directio). */
int mp_check_fd(const struct mp_check *c);
bool mp_check_in_flight(const struct mp_check *c);
/* µs (util/clock.h) when the in-flight request times out; 0 if none. */
unsigned long long mp_check_deadline(const struct mp_check *c);
/* Human-readable reason of the last verdict ("tur checker reports path is up"). */
const char *mp_check_message(const struct mp_check *c);
enum mp_chk_state mp_check_state(const struct mp_check *c);

/* start, then wait (poll) for the verdict up to timeout_ms (<= 0: the
 * check's own timeout).  For `multipath -ll` and tools. */
enum mp_chk_state mp_check_sync(struct mp_check *c, int timeout_ms);

/* The timeout a check should use: checker_timeout (s, <= 0 unset), else
 * the device's sysfs timeout (s), else 30 s; in ms. */
int mp_checker_timeout_ms(int checker_timeout_s, int sysfs_timeout_s);

/* The runner: one epoll fd for the daemon's loop. */
struct mp_checker_runner;
int mp_runner_new(struct mp_checker_runner **ret);
void mp_runner_free(struct mp_checker_runner *r);
int mp_runner_fd(const struct mp_checker_runner *r);
int mp_runner_add(struct mp_checker_runner *r, struct mp_check *c);
void mp_runner_remove(struct mp_checker_runner *r, struct mp_check *c);
/* Start every registered check that is not in flight. */
void mp_runner_start_all(struct mp_checker_runner *r);
/* Collect the checks whose fds are ready, and those past their deadline;
 * `done` is called for each that reached a verdict (PATH_TIMEOUT is
 * reported once per request, the late answer again).  `done` may free the
 * check it is given, no other.  Returns the number reported. */
int mp_runner_dispatch(struct mp_checker_runner *r,
		       void (*done)(struct mp_check *c, enum mp_chk_state st, void *ud),
		       void *ud);
/* ms until the earliest in-flight deadline (-1: none) for epoll_wait. */
int mp_runner_next_timeout_ms(const struct mp_checker_runner *r);

#endif
