// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Should this block device be claimed as a multipath path?  Run from udev
 * for every new disk, so it must be cheap: one round trip to the daemon
 * (`show path-claim`), answered from its in-memory state.  Only without a
 * daemon do we decide here, from sysfs (no SG_IO), the config, the wwids
 * file and the DM UUID symlinks udev keeps.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "discovery/files.h"
#include "discovery/pathinfo.h"
#include "dm/dm.h"
#include "dm/table.h"
#include "multipath/multipath.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/util.h"

static const char *basename_dev(const char *dev)
{
	const char *s = strrchr(dev, '/');

	return s ? s + 1 : dev;
}

/* Already held by a dm device: a multipath map took it (or someone else). */
static bool held_by_dm(const char *dev)
{
	char path[256];
	struct dirent *de;
	DIR *d;
	bool held = false;

	snprintf(path, sizeof(path), "/sys/block/%s/holders", dev);
	d = opendir(path);
	if (!d)
		return false;
	while ((de = readdir(d)))
		if (str_startswith(de->d_name, "dm-"))
			held = true;
	closedir(d);
	return held;
}

/* The WWID udev found (the bus default property: ID_SERIAL, ID_WWN, ...).
 * No config parse here: this runs for every new disk. */
static const char *env_wwid(const char *dev, char *buf, size_t len)
{
	const char *prop = mp_uid_property(dev, NULL, NULL, buf, len);
	const char *v = prop && *prop ? getenv(prop) : NULL;

	return v && *v ? v : NULL;
}

/* 0 no, 1 yes, 2 maybe; *wait_until for maybe. */
static int decide_locally(const char *dev, const char *wwid_in, long long *wait_until)
{
	struct mp_config *c = mp_cmd_config();
	const struct mp_globals *g = c ? mp_config_globals(c) : NULL;
	const char *reason, *file = g && g->wwids_file ? g->wwids_file : MP_WWIDS_FILE;
	char wbuf[256], link[512];
	const char *wwid = wwid_in;
	bool in_file, map_exists;
	enum mp_find_verdict v;

	if (c && mp_config_blacklisted_devnode(c, dev, &reason) == 1)
		return 0;
	if (!wwid && mp_wwid_from_sysfs(dev, true, 0, wbuf, sizeof(wbuf)) > 0)
		wwid = wbuf;
	if (!wwid)
		return 0;
	if (c && mp_config_blacklisted_wwid(c, wwid, &reason) == 1)
		return 0;
	snprintf(link, sizeof(link), "/dev/disk/by-id/dm-uuid-" MP_DM_UUID_PREFIX "%s", wwid);
	map_exists = access(link, F_OK) == 0;
	in_file = mp_wwids_check(file, wwid) == 1;
	v = mp_should_multipath(g ? g->find_multipaths : FIND_STRICT, in_file, map_exists, 1, true);
	if (v == MP_FIND_MAYBE)
		*wait_until = (long long)time(NULL) +
			      (g && g->find_multipaths_timeout ? abs(g->find_multipaths_timeout) : 10);
	return v == MP_FIND_YES ? 1 : v == MP_FIND_MAYBE ? 2 : 0;
}

static int ask_daemon(const char *dev, const char *wwid, int *ret, long long *wait_until)
{
	_cleanup_strbuf_ struct strbuf cmd = STRBUF_INIT;
	_cleanup_free_ char *reply = NULL;
	const char *p;
	int r;

	strbuf_appendf(&cmd, "show path-claim %s", dev);
	if (wwid && !strpbrk(wwid, "'\""))
		strbuf_appendf(&cmd, " wwid '%s'", wwid);
	r = mp_daemon_command(strbuf_str(&cmd), &reply);
	if (r < 0)
		return r;
	p = strstr(reply, "DM_MULTIPATH_DEVICE_PATH=");
	if (!p)
		return -EPROTO;
	*ret = atoi(p + strlen("DM_MULTIPATH_DEVICE_PATH="));
	p = strstr(reply, "FIND_MULTIPATHS_WAIT_UNTIL=");
	if (p)
		*wait_until = atoll(p + strlen("FIND_MULTIPATHS_WAIT_UNTIL="));
	return 0;
}

int mp_claim_main(const struct mp_opts *o, const char *devarg, bool udev)
{
	const char *dev = basename_dev(devarg);
	char pbuf[64];
	const char *wwid = udev ? env_wwid(dev, pbuf, sizeof(pbuf)) : NULL;
	long long wait_until = 0;
	int verdict = 0;

	char wbuf[256];
	const char *prev;

	/* 56-multipath.rules runs before the rules that set ID_SERIAL/ID_WWN:
	 * read the WWID from sysfs (no SG_IO) so the daemon can match it */
	if (!wwid && mp_wwid_from_sysfs(dev, true, 0, wbuf, sizeof(wbuf)) > 0)
		wwid = wbuf;
	if (held_by_dm(dev))
		verdict = 1;
	else if (o->no_daemon || ask_daemon(dev, wwid, &verdict, &wait_until) < 0)
		verdict = decide_locally(dev, wwid, &wait_until);
	if (o->ignore_wwids && verdict == 2)
		verdict = 0;
	/* a provisional claim is not extended: once its time is up (udev
	 * re-triggers the device then), the device is released */
	prev = udev ? getenv("FIND_MULTIPATHS_WAIT_UNTIL") : NULL;
	if (verdict == 2 && prev && atoll(prev) > 0) {
		if (time(NULL) >= atoll(prev))
			verdict = 0;
		else
			wait_until = atoll(prev);
	}
	if (udev) {
		printf("DM_MULTIPATH_DEVICE_PATH=%d\n", verdict);
		if (verdict == 2)
			printf("FIND_MULTIPATHS_WAIT_UNTIL=%lld\n", wait_until);
		return 0;
	}
	if (o->verbosity > 0)
		printf("%s %s a valid multipath device path\n", devarg,
		       verdict == 1 ? "is" : verdict == 2 ? "may be" : "is not");
	return verdict ? 0 : 1;
}

/* Has the map usable paths?  From the kernel's status line (no daemon
 * needed: this is what the kernel will do with I/O right now). */
int mp_map_usable_main(const struct mp_opts *o, const char *devarg, bool udev)
{
	_cleanup_free_ char *name = NULL;
	struct mp_dm_target t = { 0 };
	struct mp_status *st = NULL;
	size_t usable = 0;
	int r;

	r = mp_resolve_map(devarg, &name);
	if (r < 0) {
		if (o->verbosity > 0 && !udev)
			fprintf(stderr, "%s: not a multipath device\n", devarg);
		return 1;
	}
	r = mp_dm_get_status(name, &t);
	if (r == 0 && t.type && strcmp(t.type, "multipath") == 0)
		r = mp_status_parse(t.params, &st);
	else if (r == 0)
		r = -EINVAL;
	for (size_t g = 0; r == 0 && g < st->n_pgs; g++)
		for (size_t i = 0; i < st->pgs[g].n_paths; i++)
			usable += !st->pgs[g].paths[i].failed;
	mp_status_free(st);
	mp_dm_target_done(&t);
	if (!udev && o->verbosity > 0)
		printf("%s %s usable paths\n", name, usable ? "has" : "has no");
	return usable ? 0 : 1;
}
