// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Prioritizers for single array families, from their published
 * behaviour; none of these can be exercised against real arrays here, so
 * they are unit-tested with crafted replies only.
 *
 *   hds       Hitachi modular (DF*): standard INQUIRY carries the owning
 *             controller (byte 48, '0'/'1') and the LDEV number (bytes
 *             50-53, ASCII hex); an even LDEV belongs to controller 0, an
 *             odd one to controller 1 → 1 on the owner's paths, else 0.
 *   ontap     NetApp ONTAP: direct FC 4, iSCSI through an HBA 3, software
 *             iSCSI 2, FC through the partner (proxy, VPD 0xC0 byte 4
 *             bit 0) 1.
 *   datacore  "preferredsds=NAME [timeout=ms]": the SDS name in the
 *             standard INQUIRY (bytes 112-127) equals NAME → 1, else 0.
 *   iet       "preferredip=A.B.C.D": the iSCSI portal of the path from
 *             /dev/disk/by-path (ip-ADDR:PORT-iscsi-…) equals A.B.C.D →
 *             20, else 10.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "backend/backend.h"
#include "prioritizers/internal.h"

static int hds_prio(struct mp_prio_ctx *c)
{
	uint8_t inq[128];
	unsigned int ldev;
	char hex[5];
	int fd = prio_fd(c), r;

	if (fd < 0)
		return MP_PRIO_UNDEF;
	r = mp_scsi_inquiry(fd, false, 0, inq, sizeof(inq), c->timeout_ms);
	if (r < 54 || (memcmp(inq + 8, "HITACHI", 7) && memcmp(inq + 8, "HP      ", 8)) ||
	    memcmp(inq + 16, "DF", 2))
		return MP_PRIO_UNDEF;
	memcpy(hex, inq + 50, 4);
	hex[4] = '\0';
	if (sscanf(hex, "%4x", &ldev) != 1 || (inq[48] != '0' && inq[48] != '1'))
		return MP_PRIO_UNDEF;
	return (int)(ldev & 1) == inq[48] - '0' ? 1 : 0;
}

const struct mp_prio_ops mp_prio_hds = { .name = "hds", .getprio = hds_prio };

static int ontap_prio(struct mp_prio_ctx *c)
{
	uint8_t page[64];
	char dir[PATH_MAX], drv[64];
	int fd, r;

	if (c->pi->proto == PROTO_SCSI_ISCSI) {
		snprintf(dir, sizeof(dir), "/sys/class/scsi_host/host%d", c->pi->host);
		r = mp_backend()->sysfs->read_attr(dir, "proc_name", drv, sizeof(drv));
		return r > 0 && !strcmp(drv, "iscsi_tcp") ? 2 : 3;
	}
	fd = prio_fd(c);
	if (fd < 0)
		return MP_PRIO_UNDEF;
	r = mp_scsi_inquiry(fd, true, 0xc0, page, sizeof(page), c->timeout_ms);
	if (r < 5)
		return MP_PRIO_UNDEF;
	return page[4] & 0x01 ? 1 : 4;
}

const struct mp_prio_ops mp_prio_ontap = { .name = "ontap", .getprio = ontap_prio };

static int datacore_prio(struct mp_prio_ctx *c)
{
	uint8_t inq[255];
	char want[64], tmo[16], name[17];
	int fd, r, timeout = c->timeout_ms;
	size_t n;

	if (!prio_arg(c->args, "preferredsds", want, sizeof(want)) || !*want)
		return MP_PRIO_UNDEF;
	if (prio_arg(c->args, "timeout", tmo, sizeof(tmo)) && sscanf(tmo, "%d", &timeout) != 1)
		return MP_PRIO_UNDEF;
	fd = prio_fd(c);
	if (fd < 0)
		return MP_PRIO_UNDEF;
	r = mp_scsi_inquiry(fd, false, 0, inq, sizeof(inq), timeout);
	if (r < 128)
		return MP_PRIO_UNDEF;
	memcpy(name, inq + 112, 16);
	name[16] = '\0';
	n = strcspn(name, " ");
	name[n] = '\0';
	return !strcmp(name, want) ? 1 : 0;
}

const struct mp_prio_ops mp_prio_datacore = { .name = "datacore", .getprio = datacore_prio };

static char bypath_dir[PATH_MAX] = "/dev/disk/by-path";

void mp_prio_iet_set_bypath_dir(const char *dir)
{
	snprintf(bypath_dir, sizeof(bypath_dir), "%s", dir ? dir : "/dev/disk/by-path");
}

/* Portal address of the by-path link that points at `devname`. */
static int portal_of(const char *devname, char *buf, size_t len)
{
	DIR *d = opendir(bypath_dir);
	struct dirent *e;
	int r = -ENOENT;

	if (!d)
		return -errno;
	while (r < 0 && (e = readdir(d))) {
		char link[PATH_MAX + NAME_MAX + 2], tgt[PATH_MAX];
		const char *base, *ip;
		ssize_t n;

		ip = strstr(e->d_name, "ip-");
		if (!ip || !strstr(e->d_name, "-iscsi-"))
			continue;
		snprintf(link, sizeof(link), "%s/%s", bypath_dir, e->d_name);
		n = readlink(link, tgt, sizeof(tgt) - 1);
		if (n <= 0)
			continue;
		tgt[n] = '\0';
		base = strrchr(tgt, '/');
		if (strcmp(base ? base + 1 : tgt, devname))
			continue;
		snprintf(buf, len, "%.*s", (int)strcspn(ip + 3, ":"), ip + 3);
		r = 0;
	}
	closedir(d);
	return r;
}

static int iet_prio(struct mp_prio_ctx *c)
{
	char want[64], ip[64];

	if (!prio_arg(c->args, "preferredip", want, sizeof(want)) || !*want || !c->pi->devname)
		return MP_PRIO_UNDEF;
	if (portal_of(c->pi->devname, ip, sizeof(ip)) < 0)
		return MP_PRIO_UNDEF;
	return !strcmp(ip, want) ? 20 : 10;
}

const struct mp_prio_ops mp_prio_iet = { .name = "iet", .getprio = iet_prio };
