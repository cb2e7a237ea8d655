// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NVMe ANA admin commands.  Identify Controller: CMIC (byte 76) bit 3 =
 * ANA reporting.  Identify Namespace (CNS 0): ANAGRPID at bytes 92-95.
 * ANA log page (Get Log Page, LID 0x0C): 16-byte header (descriptor count
 * at bytes 8-9), then per group 32 bytes (group id 0-3, NSID count 4-7,
 * state in byte 16 bits 3..0) followed by 4 bytes per NSID.  All fields
 * little endian.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "discovery/nvme.h"
#include "util/macro.h"

#define NVME_ADMIN_IDENTIFY 0x06
#define NVME_ADMIN_GET_LOG 0x02
#define NVME_LOG_ANA 0x0c
#define CNS_NS 0x00
#define CNS_CTRL 0x01
#define ID_LEN 4096
#define ANA_LOG_LEN 4096

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int identify(int fd, uint32_t nsid, uint32_t cns, uint8_t *buf, int timeout_ms)
{
	memset(buf, 0, ID_LEN);
	return mp_backend()->sgio->nvme_admin(fd, NVME_ADMIN_IDENTIFY, nsid, cns, 0, buf, ID_LEN,
					      (uint32_t)timeout_ms);
}

int mp_nvme_ana_capable(int fd, int timeout_ms)
{
	_cleanup_free_ uint8_t *buf = malloc(ID_LEN);
	int r;

	if (!buf)
		return -ENOMEM;
	r = identify(fd, 0, CNS_CTRL, buf, timeout_ms);
	return r < 0 ? r : !!(buf[76] & 0x08);
}

int mp_nvme_ana_group(int fd, uint32_t nsid, int timeout_ms, uint32_t *ret)
{
	_cleanup_free_ uint8_t *buf = malloc(ID_LEN);
	int r;

	if (!buf)
		return -ENOMEM;
	r = identify(fd, nsid, CNS_NS, buf, timeout_ms);
	if (r < 0)
		return r;
	*ret = le32(buf + 92);
	return 0;
}

int mp_ana_log_lookup(const uint8_t *log, size_t len, uint32_t grp)
{
	size_t off = 16, n, i;

	if (len < 16)
		return -EINVAL;
	n = (size_t)log[8] | (size_t)log[9] << 8;
	for (i = 0; i < n && off + 32 <= len; i++) {
		const uint8_t *d = log + off;

		if (le32(d) == grp)
			return d[16] & 0x0f;
		off += 32 + 4 * (size_t)le32(d + 4);
	}
	return -ENOENT;
}

int mp_nvme_ana_state(int fd, uint32_t grp, int timeout_ms)
{
	_cleanup_free_ uint8_t *buf = calloc(1, ANA_LOG_LEN);
	uint32_t numd = ANA_LOG_LEN / 4 - 1;
	int r;

	if (!buf)
		return -ENOMEM;
	r = mp_backend()->sgio->nvme_admin(fd, NVME_ADMIN_GET_LOG, 0xffffffff,
					   (numd & 0xffff) << 16 | NVME_LOG_ANA, numd >> 16, buf,
					   ANA_LOG_LEN, (uint32_t)timeout_ms);
	if (r < 0)
		return r;
	return mp_ana_log_lookup(buf, ANA_LOG_LEN, grp);
}
