/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libdmmp: a small C API to query and manage device-mapper multipath maps
 * through multipathd.  Every query asks the daemon over its control socket
 * (`show maps json`) and returns a snapshot owned by the caller; nothing
 * is cached between calls.
 *
 * Thread safety: a context may be used by one thread at a time; use one
 * context per thread otherwise.
 */
#ifndef _LIB_DMMP_H_
#define _LIB_DMMP_H_

#include <stdint.h>
#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DMMP_DLL_EXPORT __attribute__((visibility("default")))
#define DMMP_DLL_LOCAL __attribute__((visibility("hidden")))

/* Return codes */
#define DMMP_OK 0
#define DMMP_ERR_BUG 1
#define DMMP_ERR_NO_MEMORY 2
#define DMMP_ERR_IPC_TIMEOUT 3
#define DMMP_ERR_IPC_ERROR 4
#define DMMP_ERR_NO_DAEMON 5
#define DMMP_ERR_INCOMPATIBLE 6
#define DMMP_ERR_MPATH_BUSY 7
#define DMMP_ERR_MPATH_NOT_FOUND 8
#define DMMP_ERR_INVALID_ARGUMENT 9
#define DMMP_ERR_PERMISSION_DENY 10

/* Log priorities (syslog values) */
#define DMMP_LOG_PRIORITY_ERROR 3
#define DMMP_LOG_PRIORITY_WARNING 4
#define DMMP_LOG_PRIORITY_INFO 6
#define DMMP_LOG_PRIORITY_DEBUG 7
#define DMMP_LOG_PRIORITY_DEFAULT DMMP_LOG_PRIORITY_WARNING

/* Path group status */
#define DMMP_PATH_GROUP_STATUS_UNKNOWN 0
#define DMMP_PATH_GROUP_STATUS_ENABLED 1
#define DMMP_PATH_GROUP_STATUS_DISABLED 2
#define DMMP_PATH_GROUP_STATUS_ACTIVE 3

/* Path status (the daemon's checker verdict) */
#define DMMP_PATH_STATUS_UNKNOWN 0
#define DMMP_PATH_STATUS_DOWN 2
#define DMMP_PATH_STATUS_UP 3
#define DMMP_PATH_STATUS_SHAKY 4
#define DMMP_PATH_STATUS_GHOST 5
#define DMMP_PATH_STATUS_PENDING 6
#define DMMP_PATH_STATUS_TIMEOUT 7
#define DMMP_PATH_STATUS_DELAYED 9

struct dmmp_context;
struct dmmp_mpath;
struct dmmp_path_group;
struct dmmp_path;

/**
 * dmmp_log_priority_str() - Convert a log priority to a string.
 * @priority: DMMP_LOG_PRIORITY_ERROR, _WARNING, _INFO or _DEBUG.
 *
 * Return: "ERROR", "WARNING", "INFO", "DEBUG", or "Invalid argument".
 * The string is static; do not free it.
 */
DMMP_DLL_EXPORT const char *dmmp_log_priority_str(int priority);

/**
 * dmmp_strerror() - Convert a return code to a string.
 * @rc: a DMMP_OK or DMMP_ERR_* code.
 *
 * Return: a static description of @rc; "Invalid argument" for unknown codes.
 */
DMMP_DLL_EXPORT const char *dmmp_strerror(int rc);

/**
 * dmmp_context_new() - Create a library context.
 *
 * The context starts with a 60 second IPC timeout and log priority
 * DMMP_LOG_PRIORITY_WARNING, logging to stderr (the environment variable
 * LIBDMMP_LOG_PRIORITY, 3..7, overrides the priority).
 *
 * Return: a new context, or NULL when out of memory.
 */
DMMP_DLL_EXPORT struct dmmp_context *dmmp_context_new(void);

/**
 * dmmp_context_free() - Release a context.
 * @ctx: the context; NULL is ignored.
 */
DMMP_DLL_EXPORT void dmmp_context_free(struct dmmp_context *ctx);

/**
 * dmmp_context_timeout_set() - Set how long a call may wait for multipathd.
 * @ctx: the context.
 * @tmo: milliseconds; 0 means wait forever.  While the daemon answers
 *       "timeout" (it is busy), the request is retried until @tmo is spent.
 */
DMMP_DLL_EXPORT void dmmp_context_timeout_set(struct dmmp_context *ctx, unsigned int tmo);

/**
 * dmmp_context_timeout_get() - Get the IPC timeout of a context.
 * @ctx: the context.
 *
 * Return: the timeout in milliseconds (0 = infinite).
 */
DMMP_DLL_EXPORT unsigned int dmmp_context_timeout_get(struct dmmp_context *ctx);

/**
 * dmmp_context_log_priority_set() - Set the log threshold.
 * @ctx: the context.
 * @priority: messages more verbose than this are dropped.
 */
DMMP_DLL_EXPORT void dmmp_context_log_priority_set(struct dmmp_context *ctx, int priority);

/**
 * dmmp_context_log_priority_get() - Get the log threshold.
 * @ctx: the context.
 *
 * Return: the current log priority.
 */
DMMP_DLL_EXPORT int dmmp_context_log_priority_get(struct dmmp_context *ctx);

/**
 * dmmp_context_log_func_set() - Route log messages to your own function.
 * @ctx: the context.
 * @log_func: called for each message at or below the log priority; NULL
 *            restores the default (stderr).
 */
DMMP_DLL_EXPORT void dmmp_context_log_func_set(
	struct dmmp_context *ctx,
	void (*log_func)(struct dmmp_context *ctx, int priority, const char *file,
			 int line, const char *func_name, const char *format, va_list args));

/**
 * dmmp_context_userdata_set() - Attach a pointer of yours to the context.
 * @ctx: the context.
 * @userdata: any pointer; the library never dereferences it.
 */
DMMP_DLL_EXPORT void dmmp_context_userdata_set(struct dmmp_context *ctx, void *userdata);

/**
 * dmmp_context_userdata_get() - Get the pointer set by dmmp_context_userdata_set().
 * @ctx: the context.
 *
 * Return: the user pointer, NULL if none was set.
 */
DMMP_DLL_EXPORT void *dmmp_context_userdata_get(struct dmmp_context *ctx);

/**
 * dmmp_mpath_array_get() - Query all multipath maps.
 * @ctx: the context.
 * @dmmp_mps: out: array of maps; free with dmmp_mpath_array_free().
 * @dmmp_mp_count: out: number of maps.
 *
 * Return: DMMP_OK, DMMP_ERR_NO_MEMORY, DMMP_ERR_NO_DAEMON,
 * DMMP_ERR_IPC_TIMEOUT, DMMP_ERR_IPC_ERROR, DMMP_ERR_INCOMPATIBLE,
 * DMMP_ERR_PERMISSION_DENY or DMMP_ERR_BUG.
 */
DMMP_DLL_EXPORT int dmmp_mpath_array_get(struct dmmp_context *ctx,
					 struct dmmp_mpath ***dmmp_mps,
					 uint32_t *dmmp_mp_count);

/**
 * dmmp_mpath_array_free() - Free what dmmp_mpath_array_get() returned.
 * @dmmp_mps: the array; NULL is ignored.
 * @dmmp_mp_count: its size.
 */
DMMP_DLL_EXPORT void dmmp_mpath_array_free(struct dmmp_mpath **dmmp_mps,
					   uint32_t dmmp_mp_count);

/**
 * dmmp_mpath_wwid_get() - WWID of a map.
 * @dmmp_mp: the map.
 *
 * Return: the WWID; valid until the array is freed.
 */
DMMP_DLL_EXPORT const char *dmmp_mpath_wwid_get(struct dmmp_mpath *dmmp_mp);

/**
 * dmmp_mpath_name_get() - Name (alias) of a map.
 * @dmmp_mp: the map.
 *
 * Return: the name; the WWID when the map has no alias.
 */
DMMP_DLL_EXPORT const char *dmmp_mpath_name_get(struct dmmp_mpath *dmmp_mp);

/**
 * dmmp_mpath_kdev_name_get() - Kernel device name of a map.
 * @dmmp_mp: the map.
 *
 * Return: "dm-N".
 */
DMMP_DLL_EXPORT const char *dmmp_mpath_kdev_name_get(struct dmmp_mpath *dmmp_mp);

/**
 * dmmp_path_group_array_get() - Path groups of a map.
 * @dmmp_mp: the map.
 * @dmmp_pgs: out: the groups (owned by the map: do not free).
 * @dmmp_pg_count: out: number of groups.
 */
DMMP_DLL_EXPORT void dmmp_path_group_array_get(struct dmmp_mpath *dmmp_mp,
					       struct dmmp_path_group ***dmmp_pgs,
					       uint32_t *dmmp_pg_count);

/**
 * dmmp_path_group_id_get() - Number of a path group in its map.
 * @dmmp_pg: the group.
 *
 * Return: the 1-based group number (as `switch map … group N` takes it).
 */
DMMP_DLL_EXPORT uint32_t dmmp_path_group_id_get(struct dmmp_path_group *dmmp_pg);

/**
 * dmmp_path_group_priority_get() - Priority of a path group.
 * @dmmp_pg: the group.
 *
 * Return: the group priority.
 */
DMMP_DLL_EXPORT uint32_t dmmp_path_group_priority_get(struct dmmp_path_group *dmmp_pg);

/**
 * dmmp_path_group_status_get() - State of a path group.
 * @dmmp_pg: the group.
 *
 * Return: DMMP_PATH_GROUP_STATUS_*.
 */
DMMP_DLL_EXPORT uint32_t dmmp_path_group_status_get(struct dmmp_path_group *dmmp_pg);

/**
 * dmmp_path_group_status_str() - Convert a path group status to a string.
 * @pg_status: DMMP_PATH_GROUP_STATUS_*.
 *
 * Return: "undef", "enabled", "disabled", "active", or "Invalid argument".
 */
DMMP_DLL_EXPORT const char *dmmp_path_group_status_str(uint32_t pg_status);

/**
 * dmmp_path_group_selector_get() - Path selector of a group.
 * @dmmp_pg: the group.
 *
 * Return: e.g. "service-time 0".
 */
DMMP_DLL_EXPORT const char *dmmp_path_group_selector_get(struct dmmp_path_group *dmmp_pg);

/**
 * dmmp_path_array_get() - Paths of a group.
 * @dmmp_pg: the group.
 * @dmmp_ps: out: the paths (owned by the group: do not free).
 * @dmmp_p_count: out: number of paths.
 */
DMMP_DLL_EXPORT void dmmp_path_array_get(struct dmmp_path_group *dmmp_pg,
					 struct dmmp_path ***dmmp_ps, uint32_t *dmmp_p_count);

/**
 * dmmp_path_blk_name_get() - Block device name of a path.
 * @dmmp_p: the path.
 *
 * Return: e.g. "sdb".
 */
DMMP_DLL_EXPORT const char *dmmp_path_blk_name_get(struct dmmp_path *dmmp_p);

/**
 * dmmp_path_status_get() - Checker state of a path.
 * @dmmp_p: the path.
 *
 * Return: DMMP_PATH_STATUS_*.
 */
DMMP_DLL_EXPORT uint32_t dmmp_path_status_get(struct dmmp_path *dmmp_p);

/**
 * dmmp_path_status_str() - Convert a path status to a string.
 * @path_status: DMMP_PATH_STATUS_*.
 *
 * Return: "undef", "faulty", "ready", "shaky", "ghost", "i/o pending",
 * "i/o timeout", "delayed", or "Invalid argument".
 */
DMMP_DLL_EXPORT const char *dmmp_path_status_str(uint32_t path_status);

/**
 * dmmp_flush_mpath() - Remove a map (multipathd `del map`).
 * @ctx: the context.
 * @mpath_name: the map's name.
 *
 * Return: DMMP_OK, DMMP_ERR_MPATH_BUSY (open), DMMP_ERR_MPATH_NOT_FOUND,
 * DMMP_ERR_INVALID_ARGUMENT, DMMP_ERR_PERMISSION_DENY or an IPC error.
 */
DMMP_DLL_EXPORT int dmmp_flush_mpath(struct dmmp_context *ctx, const char *mpath_name);

/**
 * dmmp_reconfig() - Ask multipathd to reload its configuration.
 * @ctx: the context.
 *
 * Return: DMMP_OK, DMMP_ERR_PERMISSION_DENY or an IPC error.
 */
DMMP_DLL_EXPORT int dmmp_reconfig(struct dmmp_context *ctx);

/**
 * dmmp_last_error_msg() - Text of the last error seen by this context.
 * @ctx: the context.
 *
 * Return: the message, "" if none; valid until the next call with @ctx.
 */
DMMP_DLL_EXPORT const char *dmmp_last_error_msg(struct dmmp_context *ctx);

#ifdef __cplusplus
}
#endif

#endif
