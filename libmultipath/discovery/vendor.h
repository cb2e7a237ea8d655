/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Vendor VPD pages shared by checkers and prioritizers.  Layouts are as
 * the kernel's device handlers (scsi_dh_rdac, scsi_dh_emc) read them; they
 * cannot be tested against real arrays here, only against crafted pages.
 */
#ifndef MP_DISCOVERY_VENDOR_H
#define MP_DISCOVERY_VENDOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* RDAC (NetApp E-Series / LSI / Engenio) INQUIRY VPD 0xC9 "vac…". */
struct mp_rdac_c9 {
	bool lun_connected;     /* peripheral qualifier 0, type not 0x1f */
	bool owner;             /* this controller currently owns the volume */
	bool ioship;            /* I/O shipping: any controller serves I/O */
	bool avt;               /* auto volume transfer mode */
	bool preferred;         /* this path goes to the preferred controller */
	bool secondary;
	bool alua_valid;        /* asym access state below is meaningful */
	uint8_t aas;            /* ALUA asymmetric access state (0..0xf) */
};
#define RDAC_C9_LEN 0x40
int mp_rdac_c9_decode(const uint8_t *page, size_t len, struct mp_rdac_c9 *ret);

/* EMC CLARiiON SP info, INQUIRY VPD 0xC0. */
struct mp_emc_c0 {
	uint8_t lun_state;      /* 0 unbound, 1 bound (other SP owns), 2 owned */
	uint8_t default_sp;
	uint8_t current_sp;
};
#define EMC_C0_LEN 0xfc
int mp_emc_c0_decode(const uint8_t *page, size_t len, struct mp_emc_c0 *ret);

#endif
