// SPDX-License-Identifier: GPL-2.0-or-later
/* const (always 1) and random (1..10): no I/O. */
#include <stdint.h>

#include "prioritizers/internal.h"
#include "util/clock.h"

static int const_prio(struct mp_prio_ctx *c)
{
	return 1;
}

const struct mp_prio_ops mp_prio_const = { .name = "const", .getprio = const_prio };

static int random_prio(struct mp_prio_ctx *c)
{
	static __thread uint64_t seed;

	if (!seed)
		seed = mp_now_usec() | 1;
	/* xorshift: good enough to spread paths, no shared state */
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (int)(seed % 10) + 1;
}

const struct mp_prio_ops mp_prio_random = { .name = "random", .getprio = random_prio };
