// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VPD 0x83 / 0x80 decoding.  The WWID must agree byte for byte with what
 * udev's scsi_id exports as ID_SERIAL (and what the incumbent computes from
 * sysfs), because WWIDs are stored in /etc/multipath/wwids and bindings and
 * compared across tools: lowercase hex for binary designators, a type digit
 * prefix, whitespace runs in text designators collapsed to one '_'.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "discovery/scsi.h"
#include "discovery/vpd.h"

#define ASSOC_LU 0
#define ASSOC_PORT 1
#define CODESET_BINARY 1

struct desig {
	const uint8_t *d;       /* designator descriptor header */
	uint8_t type, assoc, codeset, len;
};

/* Walk designators; returns false at the end or on a malformed entry
 * (flagged with *bad). */
static bool next_desig(const uint8_t *page, size_t len, size_t *off, struct desig *ret,
		       bool *bad)
{
	const uint8_t *d;

	if (*off + 4 > len)
		return false;
	d = page + *off;
	if (*off + 4 + d[3] > len) {
		*bad = true;
		return false;
	}
	ret->d = d;
	ret->codeset = d[0] & 0x0f;
	ret->type = d[1] & 0x0f;
	ret->assoc = (d[1] >> 4) & 0x03;
	ret->len = d[3];
	*off += 4 + d[3];
	return true;
}

static int page_limit(const uint8_t *page, size_t len, uint8_t code, size_t *ret)
{
	size_t want;

	if (!page || len < 4 || page[1] != code)
		return -EINVAL;
	want = 4 + get_be16(page + 2);
	*ret = want < len ? want : len;
	return 0;
}

/* Higher is better; 0 = not usable as a WWID. */
static int desig_rank(const struct desig *g)
{
	const uint8_t *v = g->d + 4;

	if (g->assoc != ASSOC_LU)
		return 0;
	switch (g->type) {
	case DESIG_NAA:
		if (g->len < 8)
			return 0;
		switch (v[0] >> 4) {
		case 6: return g->len >= 16 ? 90 : 0;
		case 5: return 80;
		case 2: return 70;
		case 3: return 60;
		default: return 0;
		}
	case DESIG_EUI64:
		switch (g->len) {
		case 16: return 50;
		case 12: return 40;
		case 8: return 30;
		default: return 0;
		}
	case DESIG_NAME:
		return g->len > 0 ? 20 : 0;
	case DESIG_T10:
		return g->len > 8 ? 10 : 0;
	default:
		return 0;
	}
}

static int put_hex(char *buf, size_t buflen, char prefix, const uint8_t *v, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	if (buflen < 2 + 2 * n)
		return -ENOSPC;
	buf[0] = prefix;
	for (i = 0; i < n; i++) {
		buf[1 + 2 * i] = hex[v[i] >> 4];
		buf[2 + 2 * i] = hex[v[i] & 0xf];
	}
	buf[1 + 2 * n] = '\0';
	return (int)(1 + 2 * n);
}

/* Text designator: leading/trailing blanks dropped, inner runs → '_',
 * stops at NUL (name strings are NUL padded). */
static int put_text(char *buf, size_t buflen, char prefix, const uint8_t *v, size_t n)
{
	size_t o = 0, i = 0;
	bool gap = false;

	if (buflen < 2)
		return -ENOSPC;
	buf[o++] = prefix;
	while (i < n && isspace(v[i]))
		i++;
	for (; i < n && v[i]; i++) {
		if (isspace(v[i])) {
			gap = true;
			continue;
		}
		if (o + 2 + gap > buflen)
			return -ENOSPC;
		if (gap)
			buf[o++] = '_';
		gap = false;
		buf[o++] = isprint(v[i]) ? (char)v[i] : '_';
	}
	buf[o] = '\0';
	return o > 1 ? (int)o : -ENODATA;
}

/* A SCSI name string may carry an NAA or EUI identifier in text form
 * ("naa.6001…", "eui.0011…"): that becomes the binary form's WWID. */
static int put_name(char *buf, size_t buflen, const uint8_t *v, size_t n)
{
	size_t i;

	if (n > 4 && (!memcmp(v, "naa.", 4) || !memcmp(v, "eui.", 4))) {
		char prefix = v[0] == 'n' ? '3' : '2';

		if (buflen < 2)
			return -ENOSPC;
		buf[0] = prefix;
		for (i = 4; i < n && v[i] && isxdigit(v[i]); i++) {
			if (i - 2 >= buflen)
				return -ENOSPC;
			buf[i - 3] = (char)tolower(v[i]);
		}
		buf[i - 3] = '\0';
		return i > 4 ? (int)(i - 3) : -ENODATA;
	}
	return put_text(buf, buflen, '8', v, n);
}

static int format_desig(const struct desig *g, char *buf, size_t buflen)
{
	const uint8_t *v = g->d + 4;

	switch (g->type) {
	case DESIG_NAA:
		return put_hex(buf, buflen, '3', v, (v[0] >> 4) == 6 ? 16 : 8);
	case DESIG_EUI64:
		return put_hex(buf, buflen, '2', v, g->len);
	case DESIG_NAME:
		return put_name(buf, buflen, v, g->len);
	case DESIG_T10:
		if (g->codeset == CODESET_BINARY)
			return put_hex(buf, buflen, '1', v, g->len);
		return put_text(buf, buflen, '1', v, g->len);
	default:
		return -ENODATA;
	}
}

int mp_vpd83_wwid(const uint8_t *page, size_t len, char *buf, size_t buflen)
{
	struct desig g, best = { 0 };
	size_t off = 4, end;
	int rank, best_rank = 0;
	bool bad = false;

	if (page_limit(page, len, 0x83, &end) < 0)
		return -EINVAL;
	while (next_desig(page, end, &off, &g, &bad)) {
		rank = desig_rank(&g);
		if (rank > best_rank) {
			best_rank = rank;
			best = g;
		}
	}
	if (!best_rank)
		return bad ? -EINVAL : -ENODATA;
	return format_desig(&best, buf, buflen);
}

static int port_value(const uint8_t *page, size_t len, uint8_t type)
{
	struct desig g;
	size_t off = 4, end;
	bool bad = false;

	if (page_limit(page, len, 0x83, &end) < 0)
		return -EINVAL;
	while (next_desig(page, end, &off, &g, &bad))
		if (g.type == type && g.assoc == ASSOC_PORT && g.len >= 4)
			return get_be16(g.d + 6);
	return -ENODATA;
}

int mp_vpd83_tpg(const uint8_t *page, size_t len)
{
	return port_value(page, len, DESIG_TPG);
}

int mp_vpd83_relport(const uint8_t *page, size_t len)
{
	return port_value(page, len, DESIG_RELPORT);
}

int mp_vpd80_serial(const uint8_t *page, size_t len, char *buf, size_t buflen)
{
	size_t end, i, n, o = 0;

	if (page_limit(page, len, 0x80, &end) < 0)
		return -EINVAL;
	i = 4;
	while (i < end && (page[i] == ' ' || page[i] == '\0'))
		i++;
	n = end;
	while (n > i && (page[n - 1] == ' ' || page[n - 1] == '\0'))
		n--;
	if (n == i)
		return -ENODATA;
	if (n - i + 1 > buflen)
		return -ENOSPC;
	for (; i < n; i++)
		buf[o++] = isprint(page[i]) ? (char)page[i] : '_';
	buf[o] = '\0';
	return (int)o;
}
