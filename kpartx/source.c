// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Sector sources for the table readers: a descriptor (block device or
 * regular file) or a memory buffer.  Every read is bounds-checked against
 * the source size so a table pointing past the end yields -ERANGE instead
 * of a short or out-of-bounds read.
 */
#include <errno.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kpartx/ptable.h"

void pt_source_init_mem(struct pt_source *src, const void *buf, uint64_t size,
			unsigned sector_size)
{
	src->fd = -1;
	src->buf = buf;
	src->size = size;
	src->sector_size = sector_size;
}

int pt_source_init_fd(struct pt_source *src, int fd)
{
	struct stat st;
	int ss = 512;

	if (fstat(fd, &st) < 0)
		return -errno;
	src->fd = fd;
	src->buf = NULL;
	if (S_ISBLK(st.st_mode)) {
		uint64_t bytes;

		if (ioctl(fd, BLKGETSIZE64, &bytes) < 0)
			return -errno;
		if (ioctl(fd, BLKSSZGET, &ss) < 0)
			ss = 512;
		src->size = bytes;
	} else if (S_ISREG(st.st_mode))
		src->size = (uint64_t)st.st_size;
	else
		return -ENOTBLK;
	if (ss < 512 || ss > 65536 || (ss & (ss - 1)))
		return -EINVAL;
	src->sector_size = (unsigned)ss;
	return 0;
}

int pt_read(const struct pt_source *src, uint64_t off, void *dst, size_t len)
{
	size_t done = 0;

	if (off > src->size || len > src->size - off)
		return -ERANGE;
	if (src->fd < 0) {
		memcpy(dst, src->buf + off, len);
		return 0;
	}
	while (done < len) {
		ssize_t r = pread(src->fd, (uint8_t *)dst + done, len - done,
				  (off_t)(off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -EIO;
		done += (size_t)r;
	}
	return 0;
}

uint8_t *pt_read_lba(const struct pt_source *src, uint64_t lba, int *ret_err)
{
	uint8_t *b;
	int r;

	if (lba > UINT64_MAX / src->sector_size) {
		*ret_err = -ERANGE;
		return NULL;
	}
	b = malloc(src->sector_size);
	if (!b) {
		*ret_err = -ENOMEM;
		return NULL;
	}
	r = pt_read(src, lba * src->sector_size, b, src->sector_size);
	if (r < 0) {
		free(b);
		*ret_err = r;
		return NULL;
	}
	return b;
}

/* IEEE 802.3 CRC-32 (reflected, polynomial 0xEDB88320), as GPT uses. */
uint32_t pt_crc32(uint32_t crc, const void *buf, size_t len)
{
	static uint32_t table[256];
	static int ready;
	const uint8_t *p = buf;

	if (!ready) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;

			for (int k = 0; k < 8; k++)
				c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
		ready = 1;
	}
	crc = ~crc;
	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}
