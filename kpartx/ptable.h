/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Partition table readers.  Every table format is one `struct pt_reader`
 * whose read() looks at a `struct pt_source` (a file descriptor or a memory
 * buffer, so unit tests and fuzzers feed images without devices) and fills
 * an array of slots.  Slot i is partition number i + 1; a slot of size 0 is
 * an unused number.  All starts and sizes are in 512-byte sectors, which is
 * what device-mapper tables use, whatever the logical sector size.
 *
 * read() returns the number of slots used (> 0), 0 when the format's
 * signature is absent (try the next reader), or a negative errno when the
 * table is present but broken; then the reader has logged what is wrong and
 * no partition of that table may be mapped.
 */
#ifndef KPARTX_PTABLE_H
#define KPARTX_PTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PT_MAX_SLICES 256
/* Refuse table metadata larger than this: keeps absurd headers cheap. */
#define PT_MAX_META_BYTES (4u << 20)

struct pt_source {
	int fd;                 /* >= 0: read with pread() */
	const uint8_t *buf;     /* fd < 0: in-memory image */
	uint64_t size;          /* bytes */
	unsigned sector_size;   /* logical sector size in bytes (512..4096) */
};

struct pt_slice {
	uint64_t start;         /* 512-byte sectors from the parent's start */
	uint64_t size;          /* 512-byte sectors; 0 = unused slot */
	int container;          /* partition number holding this one, or 0 */
	bool is_container;      /* extended partition: only a stub is mapped */
};

struct pt_reader {
	const char *name;
	int (*read)(const struct pt_source *src, struct pt_slice *out, int max);
};

/* source.c */
void pt_source_init_mem(struct pt_source *src, const void *buf, uint64_t size,
			unsigned sector_size);
int pt_source_init_fd(struct pt_source *src, int fd);
/* Read len bytes at byte offset off; -ERANGE past the end, -EIO on errors. */
int pt_read(const struct pt_source *src, uint64_t off, void *dst, size_t len);
/* Read one logical sector (src->sector_size bytes) into a malloc()ed buffer. */
uint8_t *pt_read_lba(const struct pt_source *src, uint64_t lba, int *ret_err);
static inline uint64_t pt_sectors512(const struct pt_source *src)
{
	return src->size >> 9;
}
static inline unsigned pt_mul(const struct pt_source *src)
{
	return src->sector_size / 512;
}

/* Little/big endian fetches from unaligned bytes. */
static inline uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}
static inline uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}
static inline uint64_t get_le64(const uint8_t *p)
{
	return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}
static inline uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}
static inline uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}
static inline uint64_t get_be64(const uint8_t *p)
{
	return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

uint32_t pt_crc32(uint32_t crc, const void *buf, size_t len);

/* The readers. */
extern const struct pt_reader pt_gpt, pt_dos, pt_bsd, pt_solaris, pt_unixware,
	pt_sun, pt_mac, pt_dasd, pt_ps3;

/* Labels nested in a DOS slice (start/size in 512-byte sectors); they append
 * to out[*n ..] with `container` set to the DOS partition number. */
int pt_nested_bsd(const struct pt_source *src, const struct pt_slice *parent,
		  int parent_no, struct pt_slice *out, int *n, int max);
int pt_nested_solaris(const struct pt_source *src, const struct pt_slice *parent,
		      int parent_no, struct pt_slice *out, int *n, int max);
int pt_nested_unixware(const struct pt_source *src,
		       const struct pt_slice *parent, int parent_no,
		       struct pt_slice *out, int *n, int max);
bool pt_dos_is_bsd_type(uint8_t type);

/* ptable.c */
const struct pt_reader *pt_reader_by_name(const char *name);
const char *pt_reader_names(void);
/*
 * Run the readers in order (only `only` when non-NULL) and validate the
 * winner's slots against the device end and against each other.  Returns
 * the slot count (0: no table found) or a negative errno (bad table: nothing
 * may be mapped); *ret_type names the table found.
 */
int pt_scan(const struct pt_source *src, const struct pt_reader *only,
	    bool force_gpt, struct pt_slice *out, int max, const char **ret_type);
int pt_validate(const struct pt_source *src, const char *type,
		struct pt_slice *s, int n);

/* gpt.c: accept a GPT without protective MBR (-g). */
extern bool pt_gpt_force;

#endif
