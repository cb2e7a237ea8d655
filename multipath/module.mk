# SPDX-License-Identifier: GPL-2.0-or-later
# The `multipath` command, plus the unit tests and fuzzer of the command
# interfaces (CLI parser, printers, IPC) that live in multipathd/ and
# libmultipath/ipc/.

UNIT_TESTS += test-cli test-print test-ipc
test-cli_SRCS := tests/unit/test-cli.c multipathd/cli.c
test-cli_LIBS := -lcmocka
test-print_SRCS := tests/unit/test-print.c multipathd/print.c
test-print_LIBS := -lcmocka -ljson-c
test-ipc_SRCS := tests/unit/test-ipc.c
test-ipc_LIBS := -lcmocka

UNIT_TESTS += test-cli-server
test-cli-server_SRCS := tests/unit/test-cli-server.c multipathd/uxsrv.c \
	multipathd/cli-handlers.c multipathd/cli.c multipathd/print.c
test-cli-server_LIBS := -lcmocka -ljson-c
