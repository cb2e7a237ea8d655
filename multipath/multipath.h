/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The `multipath` command's internal interfaces: options, talking to the
 * daemon, and the daemon-less fallbacks (topology from DM + sysfs, udev
 * claim decisions, flushing).
 */
#ifndef MULTIPATH_MULTIPATH_H
#define MULTIPATH_MULTIPATH_H

#include <stdbool.h>

#include "config/config.h"

struct mp_opts {
	int verbosity;                  /* -v, default 2 */
	bool dry_run;                   /* -d */
	bool ignore_wwids;              /* -i */
	bool bindings_ro;               /* -B */
	bool no_daemon;                 /* -D: never delegate */
	const char *bindings_file;      /* -b */
	const char *policy;             /* -p */
	int ll;                         /* 1 = -l, 2 = -ll */
	int remove_retries;             /* -R */
};

/* Send a command to multipathd.  Returns 0 with *ret = reply, -ECONNREFUSED
 * / -ENOENT when no daemon listens, or another -errno. */
int mp_daemon_command(const char *cmd, char **ret);
/* 1 when a daemon answers on the socket */
bool mp_daemon_running(void);

/* The config, loaded once (built-in defaults if the file is missing). */
struct mp_config *mp_cmd_config(void);

/* DM name of a map given as alias, WWID, dm-N, /dev/dm-N, /dev/mapper/X,
 * maj:min, or one of its path devices.  Caller frees; -ENODEV. */
int mp_resolve_map(const char *arg, char **ret_name);
/* WWID of a map (from its DM UUID) or of a path device. */
int mp_resolve_wwid(const char *arg, char **ret_wwid);

/* -l/-ll without the daemon: read DM and sysfs, print the topology. */
int mp_topology_direct(const struct mp_opts *o, const char *map_name);

/* `multipath [device]` without a daemon: create the missing maps.  Exit status. */
int mp_create_direct(const struct mp_opts *o, const char *dev);

/* udev helpers: -u/-c (path claim), -U/-C (map usable). Exit status. */
int mp_claim_main(const struct mp_opts *o, const char *dev, bool udev);
int mp_map_usable_main(const struct mp_opts *o, const char *dev, bool udev);

#endif
