/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VPD page decoding: Device Identification (0x83) → WWID in the form udev's
 * scsi_id writes to ID_SERIAL, target port group and relative port; Unit
 * Serial Number (0x80).  Pure functions over a page buffer.
 */
#ifndef MP_DISCOVERY_VPD_H
#define MP_DISCOVERY_VPD_H

#include <stddef.h>
#include <stdint.h>

/* Designator types (SPC-4 7.8.6) */
enum {
	DESIG_VENDOR = 0x0,
	DESIG_T10 = 0x1,
	DESIG_EUI64 = 0x2,
	DESIG_NAA = 0x3,
	DESIG_RELPORT = 0x4,
	DESIG_TPG = 0x5,
	DESIG_LUGROUP = 0x6,
	DESIG_MD5 = 0x7,
	DESIG_NAME = 0x8,
};

/* WWID of the logical unit from a 0x83 page: the best LU designator by the
 * order NAA (reg-ext > reg > ext > local) > EUI-64 (16 > 12 > 8 bytes) >
 * SCSI name string > T10 vendor id, written as "3<hex>", "2<hex>",
 * "8<name>", "1<text>".  Returns strlen or -ENODATA (none usable),
 * -EINVAL (malformed page), -ENOSPC. */
int mp_vpd83_wwid(const uint8_t *page, size_t len, char *buf, size_t buflen);
/* Target port group / relative target port from a 0x83 page, or -ENODATA. */
int mp_vpd83_tpg(const uint8_t *page, size_t len);
int mp_vpd83_relport(const uint8_t *page, size_t len);
/* Serial number from a 0x80 page, blanks trimmed.  strlen or -errno. */
int mp_vpd80_serial(const uint8_t *page, size_t len, char *buf, size_t buflen);

#endif
