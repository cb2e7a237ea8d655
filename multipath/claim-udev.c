// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mpath-claim: `multipath -u` for udev, as its own small program.
 *
 * udev runs the claim check once for every new disk; in a storm of a
 * thousand disks the cost of starting the program is most of the work.
 * `multipath` pulls in libdevmapper (and with it libselinux and pcre2)
 * and libudev, whose loading and relocation cost several times the check
 * itself under an emulated CPU; this program is linked with only what the
 * check uses (section garbage collection drops the rest), so udev's
 * backlog drains sooner for everyone.  `multipath -u` gives the same
 * answer and stays for scripts.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dm/dm.h"
#include "multipath/multipath.h"

static void usage(FILE *f)
{
	fputs("Usage: mpath-claim [-i] [-D] DEVICE\n"
	      "Print DM_MULTIPATH_DEVICE_PATH (and FIND_MULTIPATHS_WAIT_UNTIL) for udev:\n"
	      "whether DEVICE should be claimed as a multipath path.\n"
	      "  -i  ignore the wwids file\n"
	      "  -D  decide without asking multipathd\n", f);
}

int main(int argc, char **argv)
{
	struct mp_opts o = { .verbosity = 0 };
	int c;

	while ((c = getopt(argc, argv, "iDh")) != -1) {
		switch (c) {
		case 'i': o.ignore_wwids = true; break;
		case 'D': o.no_daemon = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 1;
	}
	return mp_claim_main(&o, argv[optind], true);
}

/* The claim check never talks to device-mapper (held_by_dm() reads sysfs):
 * this empty table stands in for the libdevmapper one, so the linker takes
 * no DM code from libmultipath.a and the program needs no libdevmapper. */
const struct mp_dm_ops mp_dm_real_ops = { 0 };
