/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The CLI socket server.  One event-loop thread owns the listening
 * sockets and every client connection (non-blocking, a small state machine
 * per client); read-only commands run right there from the RCU snapshot;
 * commands that call mpd_* actions go to a small pool of handler threads,
 * so a slow action never stalls readers or other clients.
 */
#ifndef MULTIPATHD_UXSRV_H
#define MULTIPATHD_UXSRV_H

#include <stddef.h>

#include "multipathd/daemon.h"

#define UXSRV_MAX_CLIENTS 16384
#define UXSRV_HANDLERS 8         /* `wait map … timeout N` may hold one long */

/* Start the server for `d`.  `fds`: listening sockets from systemd socket
 * activation; n_fds 0 = create them ($MULTIPATH_SOCKET_NAME, else the
 * abstract socket and /run/multipathd.socket).  0 or -errno. */
int uxsrv_start(struct mpd *d, const int *fds, size_t n_fds);
/* Stop and join every server thread, close all connections. */
void uxsrv_stop(struct mpd *d);

#endif
