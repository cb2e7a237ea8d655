// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * String tables of the discovery enums and the choice of the udev property
 * that carries a device's WWID.
 */
#include <string.h>

#include "discovery/pathinfo.h"
#include "util/util.h"

static const char *const bus_names[] = {
	[BUS_UNDEF] = "undef", [BUS_SCSI] = "scsi", [BUS_NVME] = "nvme",
	[BUS_DASD] = "ccw", [BUS_CCISS] = "cciss",
};

static const char *const sdev_names[] = {
	[SDEV_UNKNOWN] = "unknown", [SDEV_RUNNING] = "running",
	[SDEV_OFFLINE] = "offline", [SDEV_BLOCKED] = "blocked",
	[SDEV_QUIESCE] = "quiesce", [SDEV_TRANSPORT_OFFLINE] = "transport-offline",
	[SDEV_CREATED] = "created", [SDEV_CANCEL] = "cancel", [SDEV_DELETED] = "deleted",
};

static const char *const access_names[] = {
	[ACCESS_UNKNOWN] = "unknown", [ACCESS_OPTIMIZED] = "active/optimized",
	[ACCESS_NON_OPTIMIZED] = "active/non-optimized", [ACCESS_STANDBY] = "standby",
	[ACCESS_UNAVAILABLE] = "unavailable", [ACCESS_LBA_DEPENDENT] = "lba-dependent",
	[ACCESS_OFFLINE] = "offline", [ACCESS_TRANSITIONING] = "transitioning",
};

#define NAME_OF(table, v) \
	((unsigned int)(v) < ARRAY_SIZE(table) && (table)[v] ? (table)[v] : NULL)

const char *mp_bus_to_string(enum mp_bus b)
{
	return NAME_OF(bus_names, b);
}

const char *mp_sdev_state_to_string(enum mp_sdev_state s)
{
	return NAME_OF(sdev_names, s);
}

enum mp_sdev_state mp_sdev_state_from_string(const char *s)
{
	size_t i;

	for (i = 1; i < ARRAY_SIZE(sdev_names); i++)
		if (!strcmp(s, sdev_names[i]))
			return (enum mp_sdev_state)i;
	return SDEV_UNKNOWN;
}

const char *mp_access_state_to_string(enum mp_access_state a)
{
	return NAME_OF(access_names, a);
}

/* NVMe ANA states in sysfs are spelt differently from ALUA's. */
enum mp_access_state mp_access_state_from_string(const char *s)
{
	static const struct { const char *s; enum mp_access_state a; } ana[] = {
		{ "optimized", ACCESS_OPTIMIZED },
		{ "non-optimized", ACCESS_NON_OPTIMIZED },
		{ "inaccessible", ACCESS_UNAVAILABLE },
		{ "persistent-loss", ACCESS_OFFLINE },
		{ "change", ACCESS_TRANSITIONING },
	};
	size_t i;

	for (i = 1; i < ARRAY_SIZE(access_names); i++)
		if (!strcmp(s, access_names[i]))
			return (enum mp_access_state)i;
	for (i = 0; i < ARRAY_SIZE(ana); i++)
		if (!strcmp(s, ana[i].s))
			return ana[i].a;
	return ACCESS_UNKNOWN;
}

/* uid_attrs: blank-separated "prefix:PROPERTY" words. */
static const char *uid_attrs_match(const char *devname, const char *uid_attrs, char *buf,
				   size_t len)
{
	const char *p = uid_attrs;

	while (p && *p) {
		size_t w, c;

		p += strspn(p, " \t");
		w = strcspn(p, " \t");
		c = strcspn(p, ":");
		if (c < w && c > 0 && !strncmp(devname, p, c) && w - c - 1 < len) {
			memcpy(buf, p + c + 1, w - c - 1);
			buf[w - c - 1] = '\0';
			return buf;
		}
		p += w;
	}
	return NULL;
}

const char *mp_uid_property(const char *devname, const char *uid_attrs,
			    const char *uid_attribute, char *buf, size_t len)
{
	const char *m = uid_attrs ? uid_attrs_match(devname, uid_attrs, buf, len) : NULL;

	if (m)
		return m;
	if (uid_attribute)
		return uid_attribute;
	if (str_startswith(devname, "nvme"))
		return "ID_WWN";
	if (str_startswith(devname, "dasd"))
		return "ID_UID";
	if (str_startswith(devname, "sd"))
		return "ID_SERIAL";
	return "";
}
