// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Blocking client side of the control socket with a deadline: every wait
 * goes through poll() against one absolute deadline so a request never
 * takes longer than its timeout, however the peer dribbles the bytes.
 */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipc/ipc.h"

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int mp_ipc_sockaddr(const char *name, struct sockaddr_un *sa, socklen_t *ret_len)
{
	size_t len;

	if (!name || !*name)
		return -EINVAL;
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (name[0] == '@') {
		/* abstract: leading NUL, name not terminated */
		len = strlen(name + 1);
		if (len + 1 > sizeof(sa->sun_path))
			return -EINVAL;
		memcpy(sa->sun_path + 1, name + 1, len);
		*ret_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len);
		return 0;
	}
	len = strlen(name);
	if (len + 1 > sizeof(sa->sun_path))
		return -EINVAL;
	memcpy(sa->sun_path, name, len);
	*ret_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + 1);
	return 0;
}

int mp_ipc_connect_name(const char *name)
{
	struct sockaddr_un sa;
	socklen_t len;
	int fd, r;

	r = mp_ipc_sockaddr(name, &sa, &len);
	if (r < 0)
		return r;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, len) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	return fd;
}

int mp_ipc_connect(void)
{
	const char *env = getenv(MP_IPC_ENV_NAME);
	int fd;

	if (env && *env)
		return mp_ipc_connect_name(env);
	fd = mp_ipc_connect_name(MP_IPC_PATH_NAME);
	if (fd >= 0)
		return fd;
	return mp_ipc_connect_name(MP_IPC_ABSTRACT_NAME);
}

/* Wait for `events` until the deadline (-1 = none). */
static int wait_fd(int fd, short events, int64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = events };
	int tmo, r;

	for (;;) {
		tmo = -1;
		if (deadline >= 0) {
			int64_t left = deadline - now_ms();

			if (left <= 0)
				return -ETIMEDOUT;
			tmo = left > INT32_MAX ? INT32_MAX : (int)left;
		}
		r = poll(&p, 1, tmo);
		if (r > 0)
			return 0;
		if (r == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
}

static int write_all(int fd, const void *buf, size_t len, int64_t deadline)
{
	const char *p = buf;
	ssize_t n;
	int r;

	while (len) {
		r = wait_fd(fd, POLLOUT, deadline);
		if (r < 0)
			return r;
		n = send(fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int read_all(int fd, void *buf, size_t len, int64_t deadline)
{
	char *p = buf;
	ssize_t n;
	int r;

	while (len) {
		r = wait_fd(fd, POLLIN, deadline);
		if (r < 0)
			return r;
		n = recv(fd, p, len, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		if (n == 0)
			return -ECONNRESET;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int64_t deadline_of(int timeout_ms)
{
	return timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
}

int mp_ipc_send(int fd, const char *msg, int timeout_ms)
{
	int64_t deadline = deadline_of(timeout_ms);
	size_t len = strlen(msg) + 1;
	int r;

	r = write_all(fd, &len, sizeof(len), deadline);
	if (r < 0)
		return r;
	return write_all(fd, msg, len, deadline);
}

int mp_ipc_recv(int fd, char **ret, size_t max, int timeout_ms)
{
	int64_t deadline = deadline_of(timeout_ms);
	size_t len;
	char *buf;
	int r;

	r = read_all(fd, &len, sizeof(len), deadline);
	if (r < 0)
		return r;
	if (len == 0)
		return -EPROTO;
	if (len > max)
		return -EMSGSIZE;
	buf = malloc(len + 1);
	if (!buf)
		return -ENOMEM;
	r = read_all(fd, buf, len, deadline);
	if (r < 0) {
		free(buf);
		return r;
	}
	/* be lenient with a peer that forgot the NUL: terminate ourselves */
	buf[len] = '\0';
	*ret = buf;
	return (int)strlen(buf);
}

int mp_ipc_request(int fd, const char *cmd, char **ret, int timeout_ms)
{
	int64_t start = now_ms();
	int r, left;

	r = mp_ipc_send(fd, cmd, timeout_ms);
	if (r < 0)
		return r;
	left = timeout_ms;
	if (timeout_ms >= 0) {
		left = timeout_ms - (int)(now_ms() - start);
		if (left <= 0)
			return -ETIMEDOUT;
	}
	return mp_ipc_recv(fd, ret, MP_IPC_MAX_REPLY, left);
}

int mp_ipc_command(const char *cmd, char **ret, int timeout_ms)
{
	int fd, r;

	fd = mp_ipc_connect();
	if (fd < 0)
		return fd;
	r = mp_ipc_request(fd, cmd, ret, timeout_ms);
	close(fd);
	return r;
}

/* Last `uxsock_timeout N` of one file (later files and lines win). */
static void scan_timeout(const char *path, int *tmo)
{
	char line[512];
	FILE *f = fopen(path, "re");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *p = line + strspn(line, " \t");
		long v;

		if (strncmp(p, "uxsock_timeout", 14) != 0 || !strchr(" \t", p[14]))
			continue;
		v = strtol(p + 14, NULL, 10);
		if (v > 0 && v < 3600 * 1000)
			*tmo = (int)v;
	}
	fclose(f);
}

static int conf_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && strcmp(d->d_name + n - 5, ".conf") == 0;
}

int mp_ipc_config_timeout(const char *file, const char *confdir)
{
	int tmo = MP_IPC_DEFAULT_TIMEOUT_MS;
	struct dirent **v = NULL;
	int n;

	scan_timeout(file, &tmo);
	n = confdir ? scandir(confdir, &v, conf_filter, alphasort) : -1;
	for (int i = 0; i < n; i++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", confdir, v[i]->d_name);
		scan_timeout(path, &tmo);
		free(v[i]);
	}
	free(v);
	return tmo;
}
