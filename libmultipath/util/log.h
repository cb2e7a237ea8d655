/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Logging.  Levels are syslog LOG_* priorities, never bare numbers.
 * Library code returns -errno and logs at LOG_DEBUG at most; programs log
 * errors once, where they decide what to do about them.
 *
 * Verbosity (-v N, `verbosity` keyword) maps as the incumbent's does:
 * v0 = LOG_ERR .. v5 = LOG_DEBUG, i.e. a message is shown when
 * prio <= LOG_WARNING + verbosity - 2 (v2 = LOG_NOTICE and more urgent).
 */
#ifndef MP_UTIL_LOG_H
#define MP_UTIL_LOG_H

#include <stdarg.h>
#include <syslog.h>

#include "util/macro.h"

enum mp_log_target {
	MP_LOG_STDERR,          /* -d: foreground, human readable */
	MP_LOG_SYSLOG,          /* daemon: syslog(3), which the journal reads */
};

void mp_log_init(const char *ident, enum mp_log_target target, int verbosity,
		 int timestamps);
void mp_log_set_verbosity(int verbosity);
int mp_log_get_verbosity(void);
int mp_log_enabled(int prio);
/* Test hook: capture every emitted line (NULL restores the normal sink). */
void mp_log_set_sink(void (*sink)(int prio, const char *msg, void *ud), void *ud);

void mp_logv(int prio, const char *fmt, va_list ap) _printf_(2, 0);
void mp_log(int prio, const char *fmt, ...) _printf_(2, 3);

#define log_err(...) mp_log(LOG_ERR, __VA_ARGS__)
#define log_warn(...) mp_log(LOG_WARNING, __VA_ARGS__)
#define log_notice(...) mp_log(LOG_NOTICE, __VA_ARGS__)
#define log_info(...) mp_log(LOG_INFO, __VA_ARGS__)
#define log_debug(...)                                \
	do {                                          \
		if (mp_log_enabled(LOG_DEBUG))        \
			mp_log(LOG_DEBUG, __VA_ARGS__); \
	} while (0)

/* Log and return the (negative) error code: `return log_errno(r, "x: %m")`
 * style is not available in C, so %s with strerror(-r) is used by callers. */
#define log_error_errno(r, fmt, ...) \
	({ mp_log(LOG_ERR, fmt, ##__VA_ARGS__); (r) < 0 ? (r) : -(r); })

#endif
