/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running one parsed command against the daemon.  Read-only commands
 * (show/list) read the RCU topology and config and return at once; the
 * others call the daemon's mpd_* actions, which may wait up to the
 * client's timeout, so the server runs them off its event loop.
 */
#ifndef MULTIPATHD_CLI_HANDLERS_H
#define MULTIPATHD_CLI_HANDLERS_H

#include <stdbool.h>
#include <sys/types.h>

#include "multipathd/daemon.h"

#define CLI_REPLY_PERM "fail\npermission deny: need to be root\n"
#define CLI_REPLY_TIMEOUT "fail\ntimeout\n"

/* Execute one command line for a client with credentials `uid`.  Returns a
 * malloc'ed reply (NULL only on OOM).  *ret_close is set when the client
 * asked to end the session (quit/exit). */
char *cli_execute(struct mpd *d, const char *line, uid_t uid, int timeout_ms,
		  bool *ret_close);

#endif
