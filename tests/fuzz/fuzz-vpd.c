// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the decoders of raw pages the devices send us:
 * VPD 0x83 (WWID, target port group, relative port), VPD 0x80 (serial),
 * the vendor pages RDAC 0xC9 and EMC 0xC0, sense data, the ALUA REPORT
 * TARGET PORT GROUPS response, the NVMe ANA log page and Identify data
 * (through an sgio backend that answers every admin command with the
 * input), and the kernel's `wwid` attribute text.  Every input is fed to
 * every decoder (they are cheap).  Properties besides no crash/leak/UB:
 * a decoded string is as long as the returned length and fits the buffer;
 * a smaller buffer gives the same string or -ENOSPC, never a different
 * string; numbers stay in their field's range.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "discovery/internal.h"
#include "discovery/nvme.h"
#include "discovery/scsi.h"
#include "discovery/vendor.h"
#include "discovery/vpd.h"
#include "prioritizers/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BIG 512

typedef int (*str_decoder)(const uint8_t *page, size_t len, char *buf, size_t buflen);

/* Decode into an exact-size heap buffer so ASan sees any overrun. */
static int decode_sized(str_decoder f, const uint8_t *d, size_t n, size_t buflen, char **ret)
{
	char *buf = malloc(buflen);
	int r;

	if (!buf)
		abort();
	r = f(d, n, buf, buflen);
	if (r >= 0 && ((size_t)r >= buflen || strlen(buf) != (size_t)r))
		abort();
	*ret = buf;
	return r;
}

static void check_string(str_decoder f, const uint8_t *d, size_t n)
{
	size_t small = n ? (size_t)d[n - 1] % 48 + 1 : 1;
	char *a, *b;
	int ra = decode_sized(f, d, n, BIG, &a);
	int rb = decode_sized(f, d, n, small, &b);

	if (rb >= 0 && (ra != rb || strcmp(a, b)))
		abort();
	if (ra >= 0 && (size_t)ra < small && rb != ra)
		abort();
	if (ra < 0 && rb >= 0)
		abort();
	free(a);
	free(b);
}

static void check_ports(const uint8_t *d, size_t n)
{
	int tpg = mp_vpd83_tpg(d, n), rel = mp_vpd83_relport(d, n);

	if (tpg > 0xffff || rel > 0xffff)
		abort();
}

static void check_vendor(const uint8_t *d, size_t n)
{
	struct mp_rdac_c9 c9;
	struct mp_emc_c0 c0;
	struct mp_sense s;

	if (mp_rdac_c9_decode(d, n, &c9) == 0 && c9.aas > 0xf)
		abort();
	(void)mp_emc_c0_decode(d, n, &c0);
	if (mp_sense_parse(d, n, &s) && s.key > 0xf)
		abort();
}

static void check_groups(const uint8_t *d, size_t n)
{
	uint32_t grp = n >= 2 ? (uint32_t)d[0] | (uint32_t)d[n - 1] << 8 : 1;
	uint8_t aas = 0xff;
	bool pref = false;
	int r;

	r = mp_rtpg_lookup(d, n, (int)(grp & 0xffff), &aas, &pref);
	if (r == 0 && aas > 0xf)
		abort();
	if (r < 0 && r != -ENOENT && r != -EINVAL)
		abort();
	r = mp_ana_log_lookup(d, n, grp);
	if (r > 0xf || (r < 0 && r != -ENOENT && r != -EINVAL))
		abort();
}

/* The admin command answers with the current input, as a device would
 * with whatever bytes it likes; the rest of the buffer stays as the
 * caller prepared it. */
static const uint8_t *admin_data;
static size_t admin_len;

static int fuzz_nvme_admin(int fd, uint8_t opcode, uint32_t nsid, uint32_t cdw10,
			   uint32_t cdw11, void *data, uint32_t len, uint32_t timeout_ms)
{
	(void)fd, (void)opcode, (void)nsid, (void)cdw10, (void)cdw11, (void)timeout_ms;
	memcpy(data, admin_data, admin_len < len ? admin_len : len);
	return 0;
}

static void check_nvme_admin(const uint8_t *d, size_t n)
{
	static struct mp_sgio_ops sgio;
	static struct mp_backend be;
	uint32_t grp = 0;
	int r;

	if (!be.sgio) {
		be = *mp_backend();
		sgio = *be.sgio;
		sgio.nvme_admin = fuzz_nvme_admin;
		be.sgio = &sgio;
		mp_backend_set(&be);
	}
	admin_data = d;
	admin_len = n;
	r = mp_nvme_ana_capable(-1, 1);
	if (r != 0 && r != 1)
		abort();
	if (mp_nvme_ana_group(-1, 1, 1, &grp) < 0)
		abort();
	r = mp_nvme_ana_state(-1, grp, 1);
	if (r > 0xf || (r < 0 && r != -ENOENT && r != -EINVAL))
		abort();
}

/* The kernel's `wwid` attribute ("naa.…", "t10.…") as a NUL-terminated
 * string: the input up to its first NUL. */
static int wwid_from_kernel(const uint8_t *d, size_t n, char *buf, size_t buflen)
{
	char *s = strndup((const char *)d, n);
	int r;

	if (!s)
		abort();
	r = pi_wwid_from_kernel(s, buf, buflen);
	free(s);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_string(mp_vpd83_wwid, data, size);
	check_string(mp_vpd80_serial, data, size);
	check_ports(data, size);
	check_vendor(data, size);
	check_groups(data, size);
	check_nvme_admin(data, size);
	check_string(wwid_from_kernel, data, size);
	return 0;
}
