// SPDX-License-Identifier: GPL-2.0-or-later
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "util/util.h"

int parse_int(const char *s, int *ret)
{
	char *end;
	long v;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno)
		return -errno;
	if (*end != '\0' || end == s)
		return -EINVAL;
	if (v < INT_MIN || v > INT_MAX)
		return -ERANGE;
	*ret = (int)v;
	return 0;
}

int parse_uint64(const char *s, uint64_t *ret)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno)
		return -errno;
	if (*end != '\0' || end == s)
		return -EINVAL;
	*ret = v;
	return 0;
}

int parse_devt(const char *s, dev_t *ret)
{
	unsigned int ma, mi;
	char c;

	if (!s || sscanf(s, "%u:%u%c", &ma, &mi, &c) != 2)
		return -EINVAL;
	*ret = makedev(ma, mi);
	return 0;
}

size_t strlcpy_mp(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size) {
		size_t c = n >= size ? size - 1 : n;

		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

char *strstrip_right(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

bool str_startswith(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int read_file_str(const char *path, char **ret)
{
	_cleanup_close_ int fd = -1;
	char buf[4096];
	ssize_t n;
	char *s;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	s = strdup(strstrip_right(buf));
	if (!s)
		return -ENOMEM;
	*ret = s;
	return 0;
}

int write_file_str(const char *path, const char *value)
{
	_cleanup_close_ int fd = -1;
	size_t len = strlen(value);
	ssize_t n;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, value, len);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int write_file_atomic(const char *path, const char *content, mode_t mode)
{
	char tmp[PATH_MAX];
	_cleanup_close_ int fd = -1;
	size_t len = strlen(content);

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, mode) < 0 || write(fd, content, len) != (ssize_t)len ||
	    fsync(fd) < 0) {
		int r = -errno ? -errno : -EIO;

		unlink(tmp);
		return r;
	}
	if (rename(tmp, path) < 0) {
		int r = -errno;

		unlink(tmp);
		return r;
	}
	return 0;
}

void format_size_sectors(uint64_t sectors, char *buf, size_t len)
{
	static const char units[] = "KMGTPE";
	double s = (double)sectors / 2; /* KiB */
	int i = 0;

	while (s >= 1024 && units[i + 1]) {
		s /= 1024;
		i++;
	}
	snprintf(buf, len, "%.*f%c", s == (uint64_t)s ? 0 : 1, s, units[i]);
}
