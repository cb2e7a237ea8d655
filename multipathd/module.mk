# SPDX-License-Identifier: GPL-2.0-or-later
# multipathd: core (core*.c, wq, lockdep, checker, loop, main) and the CLI
# server/handlers (cli*, uxsrv*, print*), all picked up by the wildcard.
PROGRAMS += multipathd
multipathd_SRCS := $(wildcard multipathd/*.c)
multipathd_LIBS := -ledit -ljson-c
