// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Loop device handling.  A file's loop device is found through
 * /sys/block/loopN/loop/backing_file; attaching uses LOOP_CTL_GET_FREE and
 * LOOP_CONFIGURE (one ioctl, no window where the device is half set up),
 * falling back to LOOP_SET_FD + LOOP_SET_STATUS64 on kernels before 5.8.
 * Devices are attached with autoclear so they go away once the partition
 * maps stop holding them, even if nobody runs `kpartx -d` on the file.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/loop.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kpartx/loop.h"
#include "util/log.h"
#include "util/util.h"

int loop_find(const char *file, char *dev, size_t len)
{
	_cleanup_free_ char *real = realpath(file, NULL);
	DIR *d;
	struct dirent *de;
	int found = 0;

	if (!real)
		return -errno;
	d = opendir("/sys/block");
	if (!d)
		return 0;
	while (!found && (de = readdir(d))) {
		char p[PATH_MAX];
		_cleanup_free_ char *bf = NULL;

		if (strncmp(de->d_name, "loop", 4))
			continue;
		snprintf(p, sizeof(p), "/sys/block/%s/loop/backing_file", de->d_name);
		if (read_file_str(p, &bf) < 0)
			continue;
		strstrip_right(bf);
		if (!strcmp(bf, real)) {
			snprintf(dev, len, "/dev/%s", de->d_name);
			found = 1;
		}
	}
	closedir(d);
	return found;
}

static int configure(int lfd, int ffd, const char *file, bool ro)
{
	struct loop_config cfg;
	struct loop_info64 info;

	memset(&cfg, 0, sizeof(cfg));
	cfg.fd = (unsigned)ffd;
	cfg.info.lo_flags = LO_FLAGS_AUTOCLEAR | (ro ? LO_FLAGS_READ_ONLY : 0);
	strlcpy_mp((char *)cfg.info.lo_file_name, file, LO_NAME_SIZE);
#ifdef LOOP_CONFIGURE
	if (ioctl(lfd, LOOP_CONFIGURE, &cfg) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOTTY)
		return -errno;
#endif
	if (ioctl(lfd, LOOP_SET_FD, ffd) < 0)
		return -errno;
	memset(&info, 0, sizeof(info));
	info.lo_flags = LO_FLAGS_AUTOCLEAR;
	strlcpy_mp((char *)info.lo_file_name, file, LO_NAME_SIZE);
	if (ioctl(lfd, LOOP_SET_STATUS64, &info) < 0) {
		int r = -errno;

		ioctl(lfd, LOOP_CLR_FD, 0);
		return r;
	}
	return 0;
}

int loop_attach(const char *file, bool ro, char *dev, size_t len)
{
	_cleanup_close_ int ctl = -1, ffd = -1;
	int r = -EBUSY;
	_cleanup_free_ char *real = realpath(file, NULL);

	if (!real)
		return -errno;
	ffd = open(real, (ro ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (ffd < 0)
		return -errno;
	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0) {
		int r0 = -errno;

		log_err("/dev/loop-control: %s (loop module not loaded?)", strerror(-r0));
		return r0;
	}
	for (int tries = 0; tries < 16; tries++) {
		_cleanup_close_ int lfd = -1;
		int nr = ioctl(ctl, LOOP_CTL_GET_FREE);

		if (nr < 0)
			return -errno;
		snprintf(dev, len, "/dev/loop%d", nr);
		lfd = open(dev, (ro ? O_RDONLY : O_RDWR) | O_CLOEXEC);
		if (lfd < 0)
			return -errno;
		r = configure(lfd, ffd, real, ro);
		if (r == -EBUSY)
			continue;       /* someone else took it meanwhile */
		/* the caller keeps it open: autoclear would fire on close */
		return r < 0 ? r : TAKE_FD(lfd);
	}
	return r;
}

int loop_detach(const char *dev)
{
	_cleanup_close_ int fd = open(dev, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (ioctl(fd, LOOP_CLR_FD, 0) < 0 && errno != ENXIO)
		return -errno;
	return 0;
}
