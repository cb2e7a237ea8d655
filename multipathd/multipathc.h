/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Client mode of multipathd: `multipathd -k"cmd"`, `multipathd <words>`
 * (one command, reply on stdout, exit status 1 when it starts with
 * "fail") and `multipathd -k` (interactive shell with line editing,
 * history and tab completion from the command table).
 */
#ifndef MULTIPATHD_MULTIPATHC_H
#define MULTIPATHD_MULTIPATHC_H

/* cmd: the -k argument, or NULL; argv[0..argc): command words.  cmd NULL
 * and argc 0 = interactive.  Returns the process exit status. */
int multipathc_main(const char *cmd, int argc, char **argv);

#endif
