// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Logging sink.  The verbosity is an atomic int so any thread may test it
 * cheaply; formatting happens in the caller's thread and the line is written
 * with one write (stderr) or one syslog() call, both thread safe.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/log.h"

static atomic_int log_verbosity = 2;
static enum mp_log_target log_target = MP_LOG_STDERR;
static int log_timestamps;
static void (*log_sink)(int, const char *, void *);
static void *log_sink_ud;

void mp_log_init(const char *ident, enum mp_log_target target, int verbosity,
		 int timestamps)
{
	log_target = target;
	log_timestamps = timestamps;
	atomic_store(&log_verbosity, verbosity);
	if (target == MP_LOG_SYSLOG)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void mp_log_set_verbosity(int verbosity)
{
	atomic_store(&log_verbosity, verbosity);
}

int mp_log_get_verbosity(void)
{
	return atomic_load(&log_verbosity);
}

int mp_log_enabled(int prio)
{
	return prio <= LOG_WARNING + atomic_load(&log_verbosity) - 2;
}

void mp_log_set_sink(void (*sink)(int, const char *, void *), void *ud)
{
	log_sink = sink;
	log_sink_ud = ud;
}

void mp_logv(int prio, const char *fmt, va_list ap)
{
	char msg[1024];
	int n;

	if (!mp_log_enabled(prio))
		return;
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		return;
	/* callers sometimes end messages with a newline; store them without */
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	if (log_sink) {
		log_sink(prio, msg, log_sink_ud);
		return;
	}
	if (log_target == MP_LOG_SYSLOG) {
		syslog(prio, "%s", msg);
		return;
	}
	if (log_timestamps) {
		struct timespec ts;
		struct tm tm;
		char stamp[32];

		clock_gettime(CLOCK_REALTIME, &ts);
		localtime_r(&ts.tv_sec, &tm);
		strftime(stamp, sizeof(stamp), "%H:%M:%S", &tm);
		fprintf(stderr, "%s.%03ld | %s\n", stamp, ts.tv_nsec / 1000000, msg);
	} else
		fprintf(stderr, "%s\n", msg);
}

void mp_log(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mp_logv(prio, fmt, ap);
	va_end(ap);
}
