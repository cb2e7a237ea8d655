// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * run-as UID GID CMD [ARGS...]: drop to the given ids and exec CMD.  The VM
 * image has no setpriv/su; the CLI permission scenario needs a non-root
 * client.
 */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: run-as UID GID CMD [ARGS...]\n");
		return 2;
	}
	if (setgroups(0, NULL) < 0 || setgid((gid_t)atoi(argv[2])) < 0 ||
	    setuid((uid_t)atoi(argv[1])) < 0) {
		perror("run-as");
		return 2;
	}
	execvp(argv[3], argv + 3);
	perror(argv[3]);
	return 127;
}
