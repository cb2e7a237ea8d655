// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libdmmp: context, logging, error strings and the daemon requests.
 * Every call opens one connection to multipathd, sends one command and
 * closes it; a daemon that answers "timeout" (busy) is asked again until
 * the context's timeout runs out.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ipc/ipc.h"
#include "libdmmp_private.h"

#define DEFAULT_TIMEOUT_MS 60000
#define RETRY_PAUSE_MS 100

static const char *const rc_strs[] = {
	[DMMP_OK] = "OK",
	[DMMP_ERR_BUG] = "BUG of libdmmp library",
	[DMMP_ERR_NO_MEMORY] = "Out of memory",
	[DMMP_ERR_IPC_TIMEOUT] = "Timeout when communicate with multipathd, try to increase it via dmmp_context_timeout_set()",
	[DMMP_ERR_IPC_ERROR] = "Error when communicate with multipathd daemon",
	[DMMP_ERR_NO_DAEMON] = "The multipathd daemon not started",
	[DMMP_ERR_INCOMPATIBLE] = "Incompatible multipathd daemon version",
	[DMMP_ERR_MPATH_BUSY] = "Specified multipath device map is in use",
	[DMMP_ERR_MPATH_NOT_FOUND] = "Specified multipath not found",
	[DMMP_ERR_INVALID_ARGUMENT] = "Invalid argument",
	[DMMP_ERR_PERMISSION_DENY] = "Permission deny",
};

const char *dmmp_strerror(int rc)
{
	if (rc < 0 || (size_t)rc >= sizeof(rc_strs) / sizeof(rc_strs[0]) || !rc_strs[rc])
		return "Invalid argument";
	return rc_strs[rc];
}

const char *dmmp_log_priority_str(int priority)
{
	switch (priority) {
	case DMMP_LOG_PRIORITY_ERROR: return "ERROR";
	case DMMP_LOG_PRIORITY_WARNING: return "WARNING";
	case DMMP_LOG_PRIORITY_INFO: return "INFO";
	case DMMP_LOG_PRIORITY_DEBUG: return "DEBUG";
	default: return "Invalid argument";
	}
}

__attribute__((format(printf, 6, 0)))
static void default_log(struct dmmp_context *ctx, int priority, const char *file,
			int line, const char *func, const char *format, va_list args)
{
	fprintf(stderr, "libdmmp %s: ", dmmp_log_priority_str(priority));
	vfprintf(stderr, format, args);
	if (priority == DMMP_LOG_PRIORITY_DEBUG)
		fprintf(stderr, " (%s:%d %s)", file, line, func);
	fprintf(stderr, "\n");
}

void _dmmp_log(struct dmmp_context *ctx, int priority, const char *file, int line,
	       const char *func, const char *fmt, ...)
{
	va_list ap;

	if (priority == DMMP_LOG_PRIORITY_ERROR) {
		va_start(ap, fmt);
		vsnprintf(ctx->last_error, sizeof(ctx->last_error), fmt, ap);
		va_end(ap);
	}
	if (priority > ctx->log_priority || !ctx->log_func)
		return;
	va_start(ap, fmt);
	ctx->log_func(ctx, priority, file, line, func, fmt, ap);
	va_end(ap);
}

struct dmmp_context *dmmp_context_new(void)
{
	struct dmmp_context *ctx = calloc(1, sizeof(*ctx));
	const char *env = getenv("LIBDMMP_LOG_PRIORITY");

	if (!ctx)
		return NULL;
	ctx->log_func = default_log;
	ctx->log_priority = DMMP_LOG_PRIORITY_DEFAULT;
	ctx->tmo = DEFAULT_TIMEOUT_MS;
	if (env && atoi(env) >= DMMP_LOG_PRIORITY_ERROR && atoi(env) <= DMMP_LOG_PRIORITY_DEBUG)
		ctx->log_priority = atoi(env);
	return ctx;
}

void dmmp_context_free(struct dmmp_context *ctx)
{
	free(ctx);
}

void dmmp_context_timeout_set(struct dmmp_context *ctx, unsigned int tmo)
{
	ctx->tmo = tmo;
}

unsigned int dmmp_context_timeout_get(struct dmmp_context *ctx)
{
	return ctx->tmo;
}

void dmmp_context_log_priority_set(struct dmmp_context *ctx, int priority)
{
	ctx->log_priority = priority;
}

int dmmp_context_log_priority_get(struct dmmp_context *ctx)
{
	return ctx->log_priority;
}

void dmmp_context_log_func_set(
	struct dmmp_context *ctx,
	void (*log_func)(struct dmmp_context *ctx, int priority, const char *file,
			 int line, const char *func_name, const char *format, va_list args))
{
	ctx->log_func = log_func ? log_func : default_log;
}

void dmmp_context_userdata_set(struct dmmp_context *ctx, void *userdata)
{
	ctx->userdata = userdata;
}

void *dmmp_context_userdata_get(struct dmmp_context *ctx)
{
	return ctx->userdata;
}

const char *dmmp_last_error_msg(struct dmmp_context *ctx)
{
	return ctx->last_error;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int one_request(struct dmmp_context *ctx, const char *cmd, int tmo, char **reply)
{
	int fd = mp_ipc_connect(), r;

	if (fd < 0) {
		_error(ctx, "cannot connect to multipathd: %s", strerror(-fd));
		return DMMP_ERR_NO_DAEMON;
	}
	r = mp_ipc_request(fd, cmd, reply, tmo);
	close(fd);
	if (r == -ETIMEDOUT) {
		_error(ctx, "timeout waiting for multipathd to answer '%s'", cmd);
		return DMMP_ERR_IPC_TIMEOUT;
	}
	if (r < 0) {
		_error(ctx, "IPC error with multipathd on '%s': %s", cmd, strerror(-r));
		return r == -ENOMEM ? DMMP_ERR_NO_MEMORY : DMMP_ERR_IPC_ERROR;
	}
	return DMMP_OK;
}

int _dmmp_ipc_exec(struct dmmp_context *ctx, const char *cmd, char **reply)
{
	long long deadline = ctx->tmo ? now_ms() + ctx->tmo : -1;

	for (;;) {
		int tmo = -1, rc;

		if (deadline >= 0) {
			long long left = deadline - now_ms();

			if (left <= 0) {
				_error(ctx, "timeout waiting for multipathd to answer '%s'", cmd);
				return DMMP_ERR_IPC_TIMEOUT;
			}
			tmo = left > 0x7fffffff ? 0x7fffffff : (int)left;
		}
		_debug(ctx, "sending '%s'", cmd);
		rc = one_request(ctx, cmd, tmo, reply);
		if (rc != DMMP_OK)
			return rc;
		if (strncmp(*reply, "fail\ntimeout", 12) != 0)
			break;
		/* the daemon is busy: ask again */
		free(*reply);
		*reply = NULL;
		usleep(RETRY_PAUSE_MS * 1000);
	}
	if (strstr(*reply, "permission deny")) {
		_error(ctx, "permission denied by multipathd: need to be root");
		free(*reply);
		*reply = NULL;
		return DMMP_ERR_PERMISSION_DENY;
	}
	return DMMP_OK;
}

int dmmp_flush_mpath(struct dmmp_context *ctx, const char *mpath_name)
{
	char cmd[600], *reply = NULL;
	int rc;

	if (!ctx || !mpath_name || !*mpath_name || strchr(mpath_name, '"') ||
	    strlen(mpath_name) > 500)
		return DMMP_ERR_INVALID_ARGUMENT;
	snprintf(cmd, sizeof(cmd), "del map \"%s\"", mpath_name);
	rc = _dmmp_ipc_exec(ctx, cmd, &reply);
	if (rc != DMMP_OK)
		return rc;
	if (strncmp(reply, "ok", 2) == 0)
		rc = DMMP_OK;
	else if (strstr(reply, "in use"))
		rc = DMMP_ERR_MPATH_BUSY;
	else if (strstr(reply, "not found"))
		rc = DMMP_ERR_MPATH_NOT_FOUND;
	else
		rc = DMMP_ERR_IPC_ERROR;
	if (rc != DMMP_OK)
		_error(ctx, "flush of '%s' failed: %s", mpath_name, dmmp_strerror(rc));
	free(reply);
	return rc;
}

int dmmp_reconfig(struct dmmp_context *ctx)
{
	char *reply = NULL;
	int rc;

	if (!ctx)
		return DMMP_ERR_INVALID_ARGUMENT;
	rc = _dmmp_ipc_exec(ctx, "reconfigure", &reply);
	if (rc != DMMP_OK)
		return rc;
	if (strncmp(reply, "ok", 2) != 0) {
		_error(ctx, "reconfigure failed: %s", reply);
		rc = DMMP_ERR_IPC_ERROR;
	}
	free(reply);
	return rc;
}
