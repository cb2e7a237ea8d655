// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * path_latency: args "io_num=N base_num=B" (N 2..200, default 100; B
 * 1.1..10, default 1.5).  N synchronous O_DIRECT reads of the first 4 KiB,
 * timed with the monotonic clock; the average latency is ranked on a log
 * scale of base B between 1 µs and 100 s, so paths within a factor B of
 * each other share a priority.  Stops early (undefined priority) when the
 * reads together exceed the timeout.
 */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "backend/backend.h"
#include "prioritizers/internal.h"
#include "util/clock.h"

#define LAT_MAX_US 100000000.0
#define IO_LEN 4096

static int open_direct(const struct mp_path_info *pi)
{
	if (!pi->devname)
		return -ENODEV;
	if (pi->devname[0] == '/') {
		int fd = open(pi->devname, O_RDONLY | O_DIRECT | O_CLOEXEC);

		return fd < 0 ? -errno : fd;
	}
	return mp_backend()->sgio->open_dev(pi->devname, MP_OPEN_DIRECT);
}

/* Priority of an average latency: floor(log_base(max/lat)), at least 1. */
int mp_latency_rank(double avg_us, double base)
{
	double v;

	if (avg_us < 1.0)
		avg_us = 1.0;
	if (avg_us >= LAT_MAX_US)
		return 1;
	v = floor(log(LAT_MAX_US / avg_us) / log(base) + 1e-9);
	return v < 1 ? 1 : (int)v;
}

static int latency_prio(struct mp_prio_ctx *c)
{
	char buf[32];
	int n = 100, i, fd;
	double base = 1.5, total = 0;
	uint64_t start, end;
	void *io;

	if (prio_arg(c->args, "io_num", buf, sizeof(buf)) && (sscanf(buf, "%d", &n) != 1 ||
							     n < 2 || n > 200))
		return MP_PRIO_UNDEF;
	if (prio_arg(c->args, "base_num", buf, sizeof(buf)) &&
	    (sscanf(buf, "%lf", &base) != 1 || base < 1.1 || base > 10))
		return MP_PRIO_UNDEF;
	fd = open_direct(c->pi);
	if (fd < 0)
		return MP_PRIO_UNDEF;
	if (posix_memalign(&io, IO_LEN, IO_LEN)) {
		close(fd);
		return MP_PRIO_UNDEF;
	}
	end = mp_now_usec() + (uint64_t)c->timeout_ms * 1000;
	for (i = 0; i < n; i++) {
		start = mp_now_usec();
		if (start > end || pread(fd, io, IO_LEN, 0) != IO_LEN)
			break;
		total += (double)(mp_now_usec() - start);
	}
	free(io);
	close(fd);
	if (i < n)
		return MP_PRIO_UNDEF;
	return mp_latency_rank(total / n, base);
}

const struct mp_prio_ops mp_prio_path_latency = {
	.name = "path_latency",
	.getprio = latency_prio,
};
