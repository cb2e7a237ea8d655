// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Real system backends and the switch tests use to replace them.  The
 * backend is chosen once at start-up, before any thread runs, so a plain
 * pointer is enough.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
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

static int real_read_bin(const char *dir, const char *attr, void *buf, size_t len)
{
	char path[PATH_MAX];
	_cleanup_close_ int fd = -1;
	size_t got = 0;

	if (snprintf(path, sizeof(path), "%s/%s", dir, attr) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (int)got;
}

static int real_resolve(const char *path, char *buf, size_t len)
{
	char tmp[PATH_MAX];

	if (!realpath(path, tmp))
		return -errno;
	if (strlcpy_mp(buf, tmp, len) >= len)
		return -ENAMETOOLONG;
	return 0;
}

static const struct mp_sysfs_ops real_sysfs = {
	.read_attr = real_read_attr,
	.write_attr = real_write_attr,
	.read_bin = real_read_bin,
	.resolve = real_resolve,
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

/* The sg node of a disk is the one entry of device/scsi_generic/. */
static int sg_name_of(const char *devname, char *buf, size_t len)
{
	char dir[PATH_MAX];
	DIR *d;
	struct dirent *e;
	int r = -ENODEV;

	if (str_startswith(devname, "sg"))
		return strlcpy_mp(buf, devname, len) < len ? 0 : -ENAMETOOLONG;
	snprintf(dir, sizeof(dir), "/sys/block/%s/device/scsi_generic", devname);
	d = opendir(dir);
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		if (str_startswith(e->d_name, "sg")) {
			r = strlcpy_mp(buf, e->d_name, len) < len ? 0 : -ENAMETOOLONG;
			break;
		}
	}
	closedir(d);
	return r;
}

static int real_open_dev(const char *devname, int kind)
{
	char name[NAME_MAX + 1], path[PATH_MAX];
	int fd;

	if (strchr(devname, '/') || !*devname)
		return -EINVAL;
	if (kind == MP_OPEN_SG) {
		int r = sg_name_of(devname, name, sizeof(name));

		if (r < 0)
			return r;
		snprintf(path, sizeof(path), "/dev/%s", name);
		fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	} else {
		snprintf(path, sizeof(path), "/dev/%s", devname);
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC |
				(kind == MP_OPEN_DIRECT ? O_DIRECT : 0));
	}
	return fd < 0 ? -errno : fd;
}

static int real_sg_submit(int fd, struct mp_sg_cmd *cmd)
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
		.usr_ptr = cmd,
	};
	ssize_t n = write(fd, &hdr, sizeof(hdr));

	if (n < 0)
		return -errno;
	return n == (ssize_t)sizeof(hdr) ? 0 : -EIO;
}

static int real_sg_collect(int fd, struct mp_sg_cmd *cmd)
{
	struct sg_io_hdr hdr = { .interface_id = 'S' };
	ssize_t n = read(fd, &hdr, sizeof(hdr));

	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if (n != (ssize_t)sizeof(hdr))
		return -EIO;
	cmd->status = hdr.status;
	cmd->host_status = hdr.host_status;
	cmd->driver_status = hdr.driver_status;
	cmd->sense_len = hdr.sb_len_wr;
	cmd->resid = hdr.resid;
	return 0;
}

static const struct mp_sgio_ops real_sgio = {
	.scsi_cmd = real_scsi_cmd,
	.nvme_admin = real_nvme_admin,
	.open_dev = real_open_dev,
	.sg_submit = real_sg_submit,
	.sg_collect = real_sg_collect,
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
