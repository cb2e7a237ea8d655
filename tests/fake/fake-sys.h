/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stateful fakes of the sysfs and sgio backends for unit tests.
 *
 * sysfs: a flat map "full path" → value (text or binary), plus links for
 * the backend's resolve op.  read_attr(dir, attr) looks up "dir/attr".
 *
 * sgio: devices opened with open_dev get an eventfd; per device, replies
 * are canned by (opcode, key) where key is the VPD page of an EVPD INQUIRY,
 * FAKE_SG_STD for a standard INQUIRY, the service action of MAINTENANCE IN
 * (0xA3), else FAKE_SG_ANY.  Unconfigured commands: TUR and READ succeed,
 * others fail with ILLEGAL REQUEST 20/00.  Async requests (sg_submit)
 * complete at once unless the device is held (fake_sg_hold), in which case
 * they complete on fake_sg_release.
 *
 * fake_sys_install() replaces sysfs and sgio in the current backend and
 * keeps its dm ops (so the DM fake can be installed before or after).
 */
#ifndef MP_TESTS_FAKE_SYS_H
#define MP_TESTS_FAKE_SYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FAKE_SG_ANY (-1)
#define FAKE_SG_STD 0x100

void fake_sys_install(void);
void fake_sys_reset(void);              /* forget everything, close fds */

void fake_sys_set(const char *path, const char *value);
void fake_sys_setf(const char *path, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void fake_sys_set_bin(const char *path, const void *data, size_t len);
void fake_sys_unset(const char *path);
/* Value last written by write_attr or set; NULL if none. */
const char *fake_sys_get(const char *path);
void fake_sys_link(const char *path, const char *target);

struct fake_sg_reply {
	uint8_t status;
	uint16_t host_status;
	uint8_t sense[32];
	uint8_t sense_len;
	uint8_t data[4096];
	size_t len;
	int err;                /* != 0: the command cannot be issued (-errno) */
};
void fake_sg_set(const char *dev, uint8_t opcode, int key, const struct fake_sg_reply *r);
void fake_sg_set_data(const char *dev, uint8_t opcode, int key, const void *data, size_t len);
void fake_sg_set_sense(const char *dev, uint8_t opcode, int key, uint8_t sk, uint8_t asc,
		       uint8_t ascq);
void fake_sg_set_status(const char *dev, uint8_t opcode, int key, uint8_t status,
			uint16_t host_status);
/* The next reply to (opcode,key) is `first`; later ones the configured one
 * (several calls queue several one-shot replies). */
void fake_sg_set_once(const char *dev, uint8_t opcode, int key, const struct fake_sg_reply *first);
void fake_sg_hold(const char *dev, bool hold);
void fake_sg_release(const char *dev);  /* complete held requests */
int fake_sg_count(const char *dev, uint8_t opcode);     /* commands seen */
int fake_sg_open_count(const char *dev);                /* open fds */
/* last CDB seen for dev */
const uint8_t *fake_sg_last_cdb(const char *dev);

/* NVMe admin: canned data by (opcode, cdw10 & 0xff) (log id / CNS). */
void fake_nvme_set(const char *dev, uint8_t opcode, uint8_t sel, const void *data, size_t len);

#endif
