/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Builders of small partitioned disk images in memory, for the unit tests
 * and the fuzzer's seed corpus.  Each writes the table's sectors into an
 * already zeroed image buffer; positions are in the table's native units
 * as documented per builder.
 */
#ifndef KPARTX_TESTIMG_H
#define KPARTX_TESTIMG_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

struct ti_part {
	uint64_t start, size;
	uint8_t type;
};

/* GPT with entries at LBA 2 and the backup at the end; starts/sizes in LBAs. */
void ti_gpt(uint8_t *img, uint64_t bytes, unsigned ss, const struct ti_part *p,
	    int np, uint32_t nentries, uint32_t esize, bool pmbr);
/* DOS: prim[4] (type 0 = empty) and logicals (absolute LBA starts; the EBR
 * of each sits in the LBA before it) inside prim[ext]. */
void ti_dos(uint8_t *img, unsigned ss, const struct ti_part prim[4],
	    const struct ti_part *logical, int nlog);
void ti_mbr_entry(uint8_t *sec, int i, uint8_t type, uint32_t start, uint32_t size);
/* Labels inside a DOS slice starting at slice512 (512-byte sectors). */
void ti_bsd(uint8_t *img, uint64_t slice512, const struct ti_part *p, int np);
void ti_solaris(uint8_t *img, uint64_t slice512, const struct ti_part *p, int np);
void ti_unixware(uint8_t *img, uint64_t slice512, const struct ti_part *p, int np);
/* Sun: p[].start is a cylinder. */
void ti_sun(uint8_t *img, unsigned heads, unsigned spt, const struct ti_part *p,
	    int np);
/* Mac APM with block size bs; p[] in blocks (entry 1 is the map itself). */
void ti_mac(uint8_t *img, unsigned bs, const struct ti_part *p, int np);
void ti_ps3(uint8_t *img, const struct ti_part *p, int np);
/* DASD: LDL label, or CDL with one data set per p[] (start/size in tracks);
 * 3390 geometry for block size bs. */
void ti_dasd_ldl(uint8_t *img, unsigned bs);
void ti_dasd_cdl(uint8_t *img, unsigned bs, const struct ti_part *p, int np);

void ti_put_le16(uint8_t *p, uint16_t v);
void ti_put_le32(uint8_t *p, uint32_t v);
void ti_put_le64(uint8_t *p, uint64_t v);
void ti_put_be16(uint8_t *p, uint16_t v);
void ti_put_be32(uint8_t *p, uint32_t v);
void ti_put_be64(uint8_t *p, uint64_t v);

#endif
