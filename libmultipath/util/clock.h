/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The clock interface.  Everything that measures or schedules time asks
 * here, so tests can drive time by hand (mp_clock_set_ops with a fake).
 */
#ifndef MP_UTIL_CLOCK_H
#define MP_UTIL_CLOCK_H

#include <stdint.h>

struct mp_clock_ops {
	uint64_t (*now_usec)(void);      /* CLOCK_MONOTONIC in µs */
};

void mp_clock_set_ops(const struct mp_clock_ops *ops);
uint64_t mp_now_usec(void);
static inline uint64_t mp_now_msec(void) { return mp_now_usec() / 1000; }

#define USEC_PER_SEC 1000000ULL
#define USEC_PER_MSEC 1000ULL

#endif
