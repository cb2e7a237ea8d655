/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a checker implementation sees.  A checker is an ops table; the
 * generic code (checker.c) owns timing, the in-flight rule and messages.
 */
#ifndef MP_CHECKERS_INTERNAL_H
#define MP_CHECKERS_INTERNAL_H

#include <errno.h>
#include <stdint.h>

#include "backend/backend.h"
#include "checkers/checker.h"
#include "discovery/scsi.h"

/* complete() result: a follow-up request was submitted */
#define CHK_AGAIN ((enum mp_chk_state)(_PATH_MAX + 1))

struct chk_sg {
	struct mp_sg_cmd cmd;
	uint8_t cdb[16];
};

struct mp_check {
	const struct mp_checker_ops *ops;
	char *devname;
	dev_t devt;
	int timeout_ms;
	int fd;                         /* checker's device fd, -1 */
	uint64_t deadline;              /* µs, while in flight */
	bool in_flight;
	bool timeout_reported;
	enum mp_chk_state state;
	char *msg;                      /* last verdict's reason, NULL none:
	                                 * replaced only when it changes */
	/* sg checkers: the one outstanding command and its data, allocated
	 * by chk_sg_submit() and freed once its verdict is taken: a path
	 * between two checks keeps neither */
	struct chk_sg *sg;
	uint8_t *data;
	uint32_t data_cap;
	int step;                       /* position in a multi-command check */
	int retries;
	void *priv;                     /* checker private */
	struct mp_check *run_next;      /* runner list */
	struct mp_checker_runner *runner;
	bool run_held;                  /* runner holds an epoll ref on our fd */
	int run_fd;                     /* the fd that ref is on */
	struct mp_check *fd_next;       /* runner: next check waiting on run_fd */
};

struct mp_checker_ops {
	const char *name;
	/* Begin a check: submit (return PATH_PENDING) or decide now. */
	enum mp_chk_state (*start)(struct mp_check *c);
	/* The request completed: verdict, or CHK_AGAIN after a follow-up. */
	enum mp_chk_state (*complete)(struct mp_check *c);
	/* 0: completion reaped; -EAGAIN: still in flight; other -errno. */
	int (*reap)(struct mp_check *c);
	int (*fd)(const struct mp_check *c);
	void (*free)(struct mp_check *c);
};

extern const struct mp_checker_ops mp_checker_tur, mp_checker_directio,
	mp_checker_readsector0, mp_checker_emc_clariion, mp_checker_hp_sw,
	mp_checker_rdac, mp_checker_cciss_tur, mp_checker_none;

void chk_msg(struct mp_check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* sg helpers: open /dev/sgN lazily; submit a data-in command of
 * `data_len` bytes (c->data grows as needed); reap via the backend. */
int chk_sg_open(struct mp_check *c);
int chk_sg_submit(struct mp_check *c, const uint8_t *cdb, uint8_t cdb_len, uint32_t data_len);
int chk_sg_reap(struct mp_check *c);
int chk_sg_fd(const struct mp_check *c);
/* Start helper: open + submit, mapping failures to a verdict. */
enum mp_chk_state chk_sg_start(struct mp_check *c, const uint8_t *cdb, uint8_t cdb_len,
			       uint32_t data_len);
/* TUR verdict from a completed command (shared by tur and hp_sw). */
enum mp_chk_state chk_tur_verdict(struct mp_check *c);

#endif
