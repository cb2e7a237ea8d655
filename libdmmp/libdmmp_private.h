/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libdmmp internals shared by its source files. */
#ifndef LIBDMMP_PRIVATE_H
#define LIBDMMP_PRIVATE_H

#include <stdarg.h>
#include <stdint.h>

#include "libdmmp/libdmmp.h"

struct dmmp_context {
	void (*log_func)(struct dmmp_context *ctx, int priority, const char *file,
			 int line, const char *func_name, const char *format, va_list args);
	int log_priority;
	void *userdata;
	unsigned int tmo;
	char last_error[1024];
};

struct dmmp_path {
	char *blk_name;
	uint32_t status;
};

struct dmmp_path_group {
	uint32_t id;
	uint32_t priority;
	uint32_t status;
	char *selector;
	uint32_t n_paths;
	struct dmmp_path **paths;
};

struct dmmp_mpath {
	char *wwid;
	char *alias;
	char *kdev_name;
	uint32_t n_pgs;
	struct dmmp_path_group **pgs;
};

void _dmmp_log(struct dmmp_context *ctx, int priority, const char *file, int line,
	       const char *func, const char *fmt, ...)
	__attribute__((format(printf, 6, 7))) DMMP_DLL_LOCAL;
/* log and remember as the last error */
#define _error(ctx, ...) _dmmp_log(ctx, DMMP_LOG_PRIORITY_ERROR, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define _debug(ctx, ...) _dmmp_log(ctx, DMMP_LOG_PRIORITY_DEBUG, __FILE__, __LINE__, __func__, __VA_ARGS__)

/* Send `cmd`, retrying while the daemon says "timeout", within ctx->tmo.
 * *reply is malloc'ed.  DMMP_* code. */
int _dmmp_ipc_exec(struct dmmp_context *ctx, const char *cmd, char **reply) DMMP_DLL_LOCAL;
int _dmmp_parse_maps(struct dmmp_context *ctx, const char *json, struct dmmp_mpath ***ret,
		     uint32_t *ret_n) DMMP_DLL_LOCAL;

#endif
