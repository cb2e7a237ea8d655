// SPDX-License-Identifier: GPL-2.0-or-later
#include <time.h>

#include "util/clock.h"

static uint64_t real_now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * USEC_PER_SEC + ts.tv_nsec / 1000;
}

static const struct mp_clock_ops real_clock = { .now_usec = real_now_usec };
static const struct mp_clock_ops *clock_ops = &real_clock;

void mp_clock_set_ops(const struct mp_clock_ops *ops)
{
	clock_ops = ops ? ops : &real_clock;
}

uint64_t mp_now_usec(void)
{
	return clock_ops->now_usec();
}
