// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mp-pathtool: what discovery, the checkers and the prioritizers make of
 * real devices, for the VM scenarios (tests/vm/scenarios/30-discovery.sh).
 *
 *   mp-pathtool info DEV              identity as "key value" lines
 *   mp-pathtool wwid DEV              WWID as the daemon would use it (udev first)
 *   mp-pathtool sysfs-wwid DEV        WWID from sysfs / SG_IO only
 *   mp-pathtool check CHECKER DEV [TIMEOUT_MS]   one synchronous check
 *   mp-pathtool check-async CHECKER TIMEOUT_MS DEV...  all started at once
 *                                     through the runner, verdicts as
 *                                     "DEV state" lines
 *   mp-pathtool prio PRIO DEV [ARGS]  priority (-1 = undefined)
 *   mp-pathtool wwids-add|wwids-check FILE WWID
 *   mp-pathtool alias FILE WWID [PREFIX]   user_friendly_names alias
 *
 * Exit status 0 on success, 1 on a verdict other than up (check), 2 on
 * usage or system errors.
 */
#include <inttypes.h>
#include <libudev.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "checkers/checker.h"
#include "discovery/files.h"
#include "discovery/pathinfo.h"
#include "prioritizers/prio.h"
#include "util/clock.h"

static const char *const states[_PATH_MAX] = {
	[PATH_WILD] = "wild", [PATH_UNCHECKED] = "unchecked", [PATH_DOWN] = "down",
	[PATH_UP] = "up", [PATH_SHAKY] = "shaky", [PATH_GHOST] = "ghost",
	[PATH_PENDING] = "pending", [PATH_TIMEOUT] = "timeout", [PATH_REMOVED] = "removed",
	[PATH_DELAYED] = "delayed", [PATH_DISCONNECTED] = "disconnected",
};

static const char *state_name(enum mp_chk_state s)
{
	return (unsigned int)s < _PATH_MAX && states[s] ? states[s] : "?";
}

static const char *str(const char *s)
{
	return s ? s : "";
}

static int get_info(const char *dev, struct mp_path_info **ret)
{
	struct udev *u = udev_new();
	struct udev_device *d = u ? udev_device_new_from_subsystem_sysname(u, "block", dev) : NULL;
	int r;

	if (d)
		r = mp_pathinfo_from_udev(d, NULL, ret);
	else
		r = mp_pathinfo_from_sysfs(dev, NULL, NULL, NULL, ret);
	if (d)
		udev_device_unref(d);
	if (u)
		udev_unref(u);
	return r;
}

static int cmd_info(const char *dev)
{
	struct mp_path_info *pi = NULL;
	int r = get_info(dev, &pi);

	if (r < 0) {
		fprintf(stderr, "%s: %s\n", dev, strerror(-r));
		return 2;
	}
	printf("devname %s\nsyspath %s\ndevt %u:%u\nsize %" PRIu64 "\nro %d\npartial %d\n",
	       pi->devname, pi->syspath, major(pi->devt), minor(pi->devt), pi->size, pi->ro,
	       pi->partial);
	printf("bus %s\nprotocol %s\nvendor %s\nproduct %s\nrevision %s\n",
	       str(mp_bus_to_string(pi->bus)), str(mp_proto_to_string(pi->proto)),
	       str(pi->vendor), str(pi->product), str(pi->revision));
	printf("hbtl %d:%d:%d:%" PRIu64 "\nwwid %s\nserial %s\n", pi->host, pi->channel,
	       pi->target, pi->lun, str(pi->wwid), str(pi->serial));
	printf("host_wwnn %s\nhost_wwpn %s\ntgt_wwnn %s\ntgt_wwpn %s\nhost_adapter %s\n",
	       str(pi->host_wwnn), str(pi->host_wwpn), str(pi->tgt_wwnn), str(pi->tgt_wwpn),
	       str(pi->host_adapter));
	printf("state %s\naccess_state %s\npreferred %d\ntpgs %d\ntpg_id %d\n",
	       str(mp_sdev_state_to_string(pi->state)),
	       str(mp_access_state_to_string(pi->access_state)), pi->preferred, pi->tpgs,
	       pi->tpg_id);
	printf("timeout %d\nmax_sectors_kb %d\n", pi->sysfs_timeout, pi->max_sectors_kb);
	mp_path_info_free(pi);
	return 0;
}

static int cmd_wwid(const char *dev, bool sysfs_only)
{
	struct mp_path_info *pi = NULL;
	char buf[256];
	int r;

	if (sysfs_only) {
		r = mp_wwid_from_sysfs(dev, false, 30000, buf, sizeof(buf));
		if (r > 0)
			puts(buf);
		return r > 0 ? 0 : 2;
	}
	r = get_info(dev, &pi);
	if (r < 0 || !pi->wwid) {
		mp_path_info_free(pi);
		return 2;
	}
	puts(pi->wwid);
	mp_path_info_free(pi);
	return 0;
}

static int cmd_check(const char *checker, const char *dev, int timeout_ms)
{
	struct mp_check *c = NULL;
	enum mp_chk_state st;
	int r = mp_checker_new(checker, dev, 0, timeout_ms, &c);

	if (r < 0) {
		fprintf(stderr, "checker %s: %s\n", checker, strerror(-r));
		return 2;
	}
	st = mp_check_sync(c, 0);
	printf("%s\n", state_name(st));
	fprintf(stderr, "%s\n", mp_check_message(c));
	mp_check_free(c);
	return st == PATH_UP ? 0 : 1;
}

static void print_done(struct mp_check *c, enum mp_chk_state st, void *ud)
{
	int *left = ud;

	(*left)--;
}

/* Start every check at once through the runner, wait on its one fd. */
static int cmd_check_async(const char *checker, int timeout_ms, int n, char **devs)
{
	struct mp_checker_runner *r = NULL;
	struct mp_check **cs = calloc((size_t)n, sizeof(*cs));
	int i, left = 0, rc = 0;
	uint64_t end;

	if (!cs || mp_runner_new(&r) < 0)
		return 2;
	for (i = 0; i < n; i++) {
		if (mp_checker_new(checker, devs[i], 0, timeout_ms, &cs[i]) < 0)
			return 2;
		mp_runner_add(r, cs[i]);
	}
	mp_runner_start_all(r);
	for (i = 0; i < n; i++)
		left += mp_check_in_flight(cs[i]);
	end = mp_now_usec() + (uint64_t)timeout_ms * 2000;
	while (left > 0 && mp_now_usec() < end) {
		struct pollfd p = { .fd = mp_runner_fd(r), .events = POLLIN };
		int t = mp_runner_next_timeout_ms(r);

		poll(&p, 1, t < 0 || t > 100 ? 100 : t);
		mp_runner_dispatch(r, print_done, &left);
	}
	for (i = 0; i < n; i++) {
		enum mp_chk_state st = mp_check_state(cs[i]);

		printf("%s %s\n", devs[i], state_name(st));
		if (st != PATH_UP)
			rc = 1;
		mp_check_free(cs[i]);
	}
	mp_runner_free(r);
	free(cs);
	return rc;
}

static int cmd_prio(const char *name, const char *dev, const char *args)
{
	struct mp_path_info *pi = NULL;
	int r = get_info(dev, &pi), p;

	if (r < 0) {
		fprintf(stderr, "%s: %s\n", dev, strerror(-r));
		return 2;
	}
	p = mp_prio_get(name, args, pi, -1, pi->sysfs_timeout > 0 ? pi->sysfs_timeout * 1000 : 0);
	printf("%d\n", p);
	mp_path_info_free(pi);
	return 0;
}

static int cmd_files(int argc, char **argv)
{
	char *alias = NULL;
	int r;

	if (!strcmp(argv[1], "wwids-add")) {
		r = mp_wwids_add(argv[2], argv[3]);
		printf("%d\n", r);
		return r < 0 ? 2 : 0;
	}
	if (!strcmp(argv[1], "wwids-check")) {
		r = mp_wwids_check(argv[2], argv[3]);
		printf("%d\n", r);
		return r < 0 ? 2 : 0;
	}
	r = mp_bindings_get_alias(argv[2], argv[3], argc > 4 ? argv[4] : "mpath", false, NULL,
				  NULL, &alias);
	if (r < 0)
		return 2;
	puts(alias);
	free(alias);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: mp-pathtool info|wwid|sysfs-wwid DEV\n"
			"       mp-pathtool check CHECKER DEV [TIMEOUT_MS]\n"
			"       mp-pathtool check-async CHECKER TIMEOUT_MS DEV...\n"
			"       mp-pathtool prio PRIO DEV [ARGS]\n"
			"       mp-pathtool wwids-add|wwids-check FILE WWID\n"
			"       mp-pathtool alias FILE WWID [PREFIX]\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (argc == 3 && !strcmp(cmd, "info"))
		return cmd_info(argv[2]);
	if (argc == 3 && (!strcmp(cmd, "wwid") || !strcmp(cmd, "sysfs-wwid")))
		return cmd_wwid(argv[2], cmd[0] == 's');
	if ((argc == 4 || argc == 5) && !strcmp(cmd, "check"))
		return cmd_check(argv[2], argv[3], argc == 5 ? atoi(argv[4]) : 0);
	if (argc >= 5 && !strcmp(cmd, "check-async"))
		return cmd_check_async(argv[2], atoi(argv[3]), argc - 4, argv + 4);
	if ((argc == 4 || argc == 5) && !strcmp(cmd, "prio"))
		return cmd_prio(argv[2], argv[3], argc == 5 ? argv[4] : "");
	if (argc == 4 && (!strcmp(cmd, "wwids-add") || !strcmp(cmd, "wwids-check")))
		return cmd_files(argc, argv);
	if ((argc == 4 || argc == 5) && !strcmp(cmd, "alias"))
		return cmd_files(argc, argv);
	return usage();
}
