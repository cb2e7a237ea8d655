// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cciss_tur: TEST UNIT READY through the CCISS_PASSTHRU ioctl of the old
 * HP Smart Array cciss driver (devices named cciss!cXdY).  That driver has
 * no asynchronous interface, so the command is synchronous, bounded by the
 * controller's own timeout; any other device reports "unsupported".
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/cciss_ioctl.h>

#include "checkers/internal.h"
#include "util/util.h"

static int cciss_open(struct mp_check *c)
{
	char path[PATH_MAX], *s;

	snprintf(path, sizeof(path), "/dev/%s", c->devname);
	for (s = path + 5; *s; s++)
		if (*s == '!')
			*s = '/';
	return open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
}

static enum mp_chk_state cciss_start(struct mp_check *c)
{
	LogvolInfo_struct lv;
	IOCTL_Command_struct cmd;

	if (!str_startswith(c->devname, "cciss")) {
		chk_msg(c, "unsupported: %s is not a cciss device", c->devname);
		return PATH_UNCHECKED;
	}
	if (c->fd < 0 && (c->fd = cciss_open(c)) < 0) {
		chk_msg(c, "cannot open %s", c->devname);
		return PATH_DOWN;
	}
	memset(&lv, 0, sizeof(lv));
	if (ioctl(c->fd, CCISS_GETLUNINFO, &lv) < 0) {
		chk_msg(c, "reports path is down (CCISS_GETLUNINFO failed)");
		return PATH_DOWN;
	}
	memset(&cmd, 0, sizeof(cmd));
	memcpy(&cmd.LUN_info, &lv.LunID, sizeof(lv.LunID));
	cmd.LUN_info.LogDev.Mode = 1;   /* logical volume addressing */
	cmd.Request.CDBLen = 6;
	cmd.Request.Type.Type = TYPE_CMD;
	cmd.Request.Type.Attribute = ATTR_SIMPLE;
	cmd.Request.Type.Direction = XFER_NONE;
	cmd.Request.CDB[0] = 0x00;      /* TEST UNIT READY */
	if (ioctl(c->fd, CCISS_PASSTHRU, &cmd) < 0 || cmd.error_info.CommandStatus != 0) {
		chk_msg(c, "reports path is down");
		return PATH_DOWN;
	}
	chk_msg(c, "reports path is up");
	return PATH_UP;
}

const struct mp_checker_ops mp_checker_cciss_tur = {
	.name = "cciss_tur",
	.start = cciss_start,
};
