// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the `multipath` command and the udev claim helper share: the config
 * (loaded once, on first use) and the round trip to multipathd.
 */
#include <errno.h>
#include <stdbool.h>
#include <unistd.h>

#include "ipc/ipc.h"
#include "multipath/multipath.h"

static struct mp_config *the_config;

struct mp_config *mp_cmd_config(void)
{
	if (!the_config && mp_config_load(MP_DEFAULT_CONFIG_FILE, MP_DEFAULT_CONFIG_DIR,
					  &the_config, NULL) < 0)
		the_config = NULL;
	return the_config;
}

int mp_daemon_command(const char *cmd, char **ret)
{
	int fd, r;

	/* the socket first: nothing else is paid for when no daemon listens */
	fd = mp_ipc_connect();
	if (fd < 0)
		return fd;
	r = mp_ipc_request(fd, cmd, ret,
			   mp_ipc_config_timeout(MP_DEFAULT_CONFIG_FILE, MP_DEFAULT_CONFIG_DIR));
	close(fd);
	return r < 0 ? r : 0;
}

bool mp_daemon_running(void)
{
	int fd = mp_ipc_connect();

	if (fd < 0)
		return false;
	close(fd);
	return true;
}
