// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test image builders (see testimg.h).  They produce well-formed tables;
 * tests corrupt them afterwards to get the bad cases.
 */
#include <string.h>

#include "kpartx/ptable.h"
#include "kpartx/testimg.h"
#include "util/macro.h"

void ti_put_le16(uint8_t *p, uint16_t v) { p[0] = v; p[1] = v >> 8; }
void ti_put_le32(uint8_t *p, uint32_t v)
{
	ti_put_le16(p, (uint16_t)v);
	ti_put_le16(p + 2, (uint16_t)(v >> 16));
}
void ti_put_le64(uint8_t *p, uint64_t v)
{
	ti_put_le32(p, (uint32_t)v);
	ti_put_le32(p + 4, (uint32_t)(v >> 32));
}
void ti_put_be16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v; }
void ti_put_be32(uint8_t *p, uint32_t v)
{
	ti_put_be16(p, (uint16_t)(v >> 16));
	ti_put_be16(p + 2, (uint16_t)v);
}
void ti_put_be64(uint8_t *p, uint64_t v)
{
	ti_put_be32(p, (uint32_t)(v >> 32));
	ti_put_be32(p + 4, (uint32_t)v);
}

void ti_mbr_entry(uint8_t *sec, int i, uint8_t type, uint32_t start, uint32_t size)
{
	uint8_t *e = sec + 446 + 16 * i;

	e[4] = type;
	ti_put_le32(e + 8, start);
	ti_put_le32(e + 12, size);
	sec[510] = 0x55;
	sec[511] = 0xaa;
}

static void gpt_header(uint8_t *h, uint64_t my, uint64_t alt, uint64_t first,
		       uint64_t last, uint64_t elba, uint32_t n, uint32_t es,
		       uint32_t ecrc)
{
	memcpy(h, "EFI PART", 8);
	ti_put_le32(h + 8, 0x00010000);
	ti_put_le32(h + 12, 92);
	ti_put_le64(h + 24, my);
	ti_put_le64(h + 32, alt);
	ti_put_le64(h + 40, first);
	ti_put_le64(h + 48, last);
	memset(h + 56, 0x42, 16);
	ti_put_le64(h + 72, elba);
	ti_put_le32(h + 80, n);
	ti_put_le32(h + 84, es);
	ti_put_le32(h + 88, ecrc);
	ti_put_le32(h + 16, 0);
	ti_put_le32(h + 16, pt_crc32(0, h, 92));
}

void ti_gpt(uint8_t *img, uint64_t bytes, unsigned ss, const struct ti_part *p,
	    int np, uint32_t nentries, uint32_t esize, bool pmbr)
{
	uint64_t nlba = bytes / ss, elen = (uint64_t)nentries * esize;
	uint64_t esec = (elen + ss - 1) / ss, last = nlba - 1;
	uint8_t *e = img + 2 * ss;
	uint32_t crc;

	if (pmbr)
		ti_mbr_entry(img, 0, 0xee, 1, (uint32_t)MP_MIN(last, 0xffffffffu));
	for (int i = 0; i < np; i++) {
		uint8_t *q = e + (size_t)i * esize;

		if (!p[i].size)
			continue;
		memset(q, 0x11 + i, 16);                /* type guid */
		memset(q + 16, 0x21 + i, 16);           /* unique guid */
		ti_put_le64(q + 32, p[i].start);
		ti_put_le64(q + 40, p[i].start + p[i].size - 1);
	}
	crc = pt_crc32(0, e, elen);
	memcpy(img + (last - esec) * ss, e, elen);
	gpt_header(img + ss, 1, last, 2 + esec, last - esec - 1, 2, nentries,
		   esize, crc);
	gpt_header(img + last * ss, last, 1, 2 + esec, last - esec - 1,
		   last - esec, nentries, esize, crc);
}

void ti_dos(uint8_t *img, unsigned ss, const struct ti_part prim[4],
	    const struct ti_part *logical, int nlog)
{
	uint64_t ext = 0;

	img[510] = 0x55;
	img[511] = 0xaa;
	for (int i = 0; i < 4; i++) {
		if (!prim[i].type)
			continue;
		ti_mbr_entry(img, i, prim[i].type, (uint32_t)prim[i].start,
			     (uint32_t)prim[i].size);
		if (prim[i].type == 0x05 || prim[i].type == 0x0f || prim[i].type == 0x85)
			ext = prim[i].start;
	}
	for (int i = 0; i < nlog; i++) {
		uint8_t *ebr = img + (logical[i].start - 1) * ss;

		ti_mbr_entry(ebr, 0, logical[i].type ? logical[i].type : 0x83, 1,
			     (uint32_t)logical[i].size);
		if (i + 1 < nlog)
			ti_mbr_entry(ebr, 1, 0x05,
				     (uint32_t)(logical[i + 1].start - 1 - ext),
				     (uint32_t)(logical[i + 1].size + 1));
	}
}

void ti_bsd(uint8_t *img, uint64_t slice512, const struct ti_part *p, int np)
{
	uint8_t *l = img + (slice512 + 1) * 512;

	ti_put_le32(l, 0x82564557);
	ti_put_le32(l + 132, 0x82564557);
	ti_put_le16(l + 138, (uint16_t)np);
	for (int i = 0; i < np; i++) {
		ti_put_le32(l + 148 + 16 * i, (uint32_t)p[i].size);
		ti_put_le32(l + 148 + 16 * i + 4, (uint32_t)p[i].start);
		l[148 + 16 * i + 12] = p[i].type ? p[i].type : 7;
	}
}

void ti_solaris(uint8_t *img, uint64_t slice512, const struct ti_part *p, int np)
{
	uint8_t *l = img + (slice512 + 1) * 512;

	ti_put_le32(l + 12, 0x600DDEEE);
	ti_put_le32(l + 16, 1);
	ti_put_le16(l + 30, 16);
	for (int i = 0; i < np; i++) {
		ti_put_le16(l + 72 + 12 * i, p[i].type ? p[i].type : 2);
		ti_put_le32(l + 72 + 12 * i + 4, (uint32_t)p[i].start);
		ti_put_le32(l + 72 + 12 * i + 8, (uint32_t)p[i].size);
	}
}

void ti_unixware(uint8_t *img, uint64_t slice512, const struct ti_part *p, int np)
{
	uint8_t *l = img + (slice512 + 29) * 512;

	ti_put_le32(l + 4, 0xCA5E600D);
	ti_put_le32(l + 156, 0x600DDEEE);
	ti_put_le16(l + 172, (uint16_t)(np + 1));
	ti_put_le16(l + 216, 5);        /* slice 0: whole disk */
	for (int i = 0; i < np; i++) {
		uint8_t *s = l + 216 + 12 * (i + 1);

		ti_put_le16(s, p[i].type ? p[i].type : 4);
		ti_put_le32(s + 4, (uint32_t)p[i].start);
		ti_put_le32(s + 8, (uint32_t)p[i].size);
	}
}

void ti_sun(uint8_t *img, unsigned heads, unsigned spt, const struct ti_part *p,
	    int np)
{
	uint16_t x = 0;

	ti_put_be32(img + 128, 1);
	ti_put_be16(img + 140, 8);
	ti_put_be32(img + 188, 0x600DDEEE);
	ti_put_be16(img + 436, (uint16_t)heads);
	ti_put_be16(img + 438, (uint16_t)spt);
	for (int i = 0; i < np && i < 8; i++) {
		ti_put_be16(img + 142 + 4 * i, p[i].type);
		ti_put_be32(img + 444 + 8 * i, (uint32_t)p[i].start);
		ti_put_be32(img + 444 + 8 * i + 4, (uint32_t)p[i].size);
	}
	ti_put_be16(img + 508, 0xDABE);
	for (int i = 0; i < 510; i += 2)
		x ^= get_be16(img + i);
	ti_put_be16(img + 510, x);
}

void ti_mac(uint8_t *img, unsigned bs, const struct ti_part *p, int np)
{
	ti_put_be16(img, 0x4552);
	ti_put_be16(img + 2, (uint16_t)bs);
	for (int i = 0; i < np; i++) {
		uint8_t *e = img + (size_t)(i + 1) * bs;

		ti_put_be16(e, 0x504D);
		ti_put_be32(e + 4, (uint32_t)np);
		ti_put_be32(e + 8, (uint32_t)p[i].start);
		ti_put_be32(e + 12, (uint32_t)p[i].size);
		memcpy(e + 48, "Apple_UNIX_SVR2", 15);
	}
}

void ti_ps3(uint8_t *img, const struct ti_part *p, int np)
{
	ti_put_be64(img + 16, 0x0FACE0FFull);
	ti_put_be64(img + 24, 0xDEADFACEull);
	for (int i = 0; i < np && i < 8; i++) {
		ti_put_be64(img + 48 + 16 * i, p[i].start);
		ti_put_be64(img + 56 + 16 * i, p[i].size);
	}
}

static unsigned ti_spt(unsigned bs)
{
	return bs == 512 ? 49 : bs == 1024 ? 33 : bs == 2048 ? 19 : 12;
}

void ti_dasd_ldl(uint8_t *img, unsigned bs)
{
	static const uint8_t lnx1[4] = { 0xD3, 0xD5, 0xE7, 0xF1 };

	memcpy(img + 2 * bs, lnx1, 4);
	img[2 * bs + 79] = 0xF1;        /* version 1: no formatted_blocks */
}

static void cchh(uint8_t *p, uint64_t track)
{
	ti_put_be16(p, (uint16_t)(track / 15));
	ti_put_be16(p + 2, (uint16_t)(track % 15));
}

void ti_dasd_cdl(uint8_t *img, unsigned bs, const struct ti_part *p, int np)
{
	static const uint8_t vol1[4] = { 0xE5, 0xD6, 0xD3, 0xF1 };
	unsigned spt = ti_spt(bs);
	uint64_t vtoc = spt;    /* track 1, record 1 */
	uint8_t *l = img + 2 * bs;

	memcpy(l, vol1, 4);
	memcpy(l + 4, vol1, 4);
	cchh(l + 15, 1);
	l[19] = 1;
	img[vtoc * bs + 44] = 0xF4;
	for (int i = 0; i < np; i++) {
		uint8_t *d = img + (vtoc + 1 + i) * bs;

		memset(d, 0x40, 44);
		d[44] = 0xF1;
		cchh(d + 107, p[i].start);
		cchh(d + 111, p[i].start + p[i].size - 1);
	}
}
