// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The daemon's current configuration, published with liburcu.  Readers are
 * registered RCU threads inside rcu_read_lock(); the writer swaps the
 * pointer and frees the previous config after synchronize_rcu(), so a
 * reader's pointer stays valid until its rcu_read_unlock().
 */
#include <urcu.h>

#include "config/config.h"

static struct mp_config *current_config;

struct mp_config *mp_config_get(void)
{
	return rcu_dereference(current_config);
}

void mp_config_publish(struct mp_config *c)
{
	struct mp_config *old = rcu_xchg_pointer(&current_config, c);

	if (!old)
		return;
	synchronize_rcu();
	mp_config_free(old);
}
