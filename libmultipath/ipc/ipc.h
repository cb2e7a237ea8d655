/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The multipathd control socket, client and framing side.  Shared by the
 * daemon (server framing constants), `multipath`, `multipathd` client mode
 * and libdmmp, so it depends on nothing but libc (and stays LGPL).
 *
 * Wire format, both directions: a native size_t byte count (host order),
 * then that many bytes: a NUL-terminated string, the count including the
 * NUL.  One request, one reply; a connection may carry several in turn.
 */
#ifndef MP_IPC_IPC_H
#define MP_IPC_IPC_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

#define MP_IPC_ABSTRACT_NAME "@/org/kernel/linux/storage/multipathd"
#define MP_IPC_PATH_NAME "/run/multipathd.socket"
#define MP_IPC_ENV_NAME "MULTIPATH_SOCKET_NAME"
#define MP_IPC_MAX_CMD 512                      /* incl. the NUL */
#define MP_IPC_MAX_REPLY (32u * 1024 * 1024)
#define MP_IPC_DEFAULT_TIMEOUT_MS 4000

/* Fill a sockaddr for `name` ("@x" = abstract, else a path).  0 or -EINVAL. */
int mp_ipc_sockaddr(const char *name, struct sockaddr_un *sa, socklen_t *ret_len);

/* Connect to the daemon: $MULTIPATH_SOCKET_NAME if set, else the path
 * socket, then the abstract one.  Returns a blocking fd or -errno
 * (-ECONNREFUSED / -ENOENT: no daemon). */
int mp_ipc_connect(void);
int mp_ipc_connect_name(const char *name);

/* Send one frame; `timeout_ms` < 0 waits forever.  0 or -errno. */
int mp_ipc_send(int fd, const char *msg, int timeout_ms);
/* Receive one frame of at most `max` bytes; *ret is NUL terminated and
 * malloc'ed.  Returns the string length or -errno (-ETIMEDOUT, -EPROTO,
 * -EMSGSIZE, -ECONNRESET on EOF). */
int mp_ipc_recv(int fd, char **ret, size_t max, int timeout_ms);
/* send + recv of a reply on an open connection */
int mp_ipc_request(int fd, const char *cmd, char **ret, int timeout_ms);
/* uxsock_timeout (ms) as set in multipath.conf or its conf.d drop-ins,
 * else MP_IPC_DEFAULT_TIMEOUT_MS.  A quick scan for that one keyword,
 * not a config parse: clients run from udev must start fast. */
int mp_ipc_config_timeout(const char *file, const char *confdir);

/* connect, request, close */
int mp_ipc_command(const char *cmd, char **ret, int timeout_ms);

#endif
