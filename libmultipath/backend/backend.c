// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Real system backends and the switch tests use to replace them.  The
 * backend is chosen once at start-up, before any thread runs, so a plain
 * pointer is enough.
 */
#include <fcntl.h>
#include <limits.h>
#include <scsi/sg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/nvme_ioctl.h>

#include "backend/backend.h"
#include "dm/dm.h"
#include "util/util.h"

static int real_read_attr(const char *dir, const char *attr, char *buf, size_t len)
{
	char path[PATH_MAX];
	_cleanup_close_ int fd = -1;
	ssize_t n;

	if (snprintf(path, sizeof(path), "%s/%s", dir, attr) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	strstrip_right(buf);
	return (int)strlen(buf);
}

static int real_write_attr(const char *dir, const char *attr, const char *value)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/%s", dir, attr) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	return write_file_str(path, value);
}

static const struct mp_sysfs_ops real_sysfs = {
	.read_attr = real_read_attr,
	.write_attr = real_write_attr,
};

static int real_scsi_cmd(int fd, struct mp_sg_cmd *cmd)
{
	struct sg_io_hdr hdr = {
		.interface_id = 'S',
		.dxfer_direction = cmd->data_len ? SG_DXFER_FROM_DEV : SG_DXFER_NONE,
		.cmd_len = cmd->cdb_len,
		.mx_sb_len = sizeof(cmd->sense),
		.dxfer_len = cmd->data_len,
		.dxferp = cmd->data,
		.cmdp = (unsigned char *)cmd->cdb,
		.sbp = cmd->sense,
		.timeout = cmd->timeout_ms,
	};

	if (ioctl(fd, SG_IO, &hdr) < 0)
		return -errno;
	cmd->status = hdr.status;
	cmd->host_status = hdr.host_status;
	cmd->driver_status = hdr.driver_status;
	cmd->sense_len = hdr.sb_len_wr;
	cmd->resid = hdr.resid;
	return 0;
}

static int real_nvme_admin(int fd, uint8_t opcode, uint32_t nsid, uint32_t cdw10,
			   uint32_t cdw11, void *data, uint32_t len, uint32_t timeout_ms)
{
	struct nvme_admin_cmd c = {
		.opcode = opcode,
		.nsid = nsid,
		.addr = (uint64_t)(uintptr_t)data,
		.data_len = len,
		.cdw10 = cdw10,
		.cdw11 = cdw11,
		.timeout_ms = timeout_ms,
	};

	if (ioctl(fd, NVME_IOCTL_ADMIN_CMD, &c) < 0)
		return -errno;
	return 0;
}

static const struct mp_sgio_ops real_sgio = {
	.scsi_cmd = real_scsi_cmd,
	.nvme_admin = real_nvme_admin,
};

static const struct mp_backend real_backend = {
	.sysfs = &real_sysfs,
	.sgio = &real_sgio,
	.dm = &mp_dm_real_ops,
};

static const struct mp_backend *current = &real_backend;

const struct mp_backend *mp_backend(void)
{
	return current;
}

void mp_backend_set(const struct mp_backend *b)
{
	current = b ? b : &real_backend;
}
