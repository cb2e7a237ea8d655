# SPDX-License-Identifier: GPL-2.0-or-later
LIBMP_SRCS += libmultipath/grouping/group.c libmultipath/topology/state.c

UNIT_TESTS += test-group
test-group_SRCS := tests/unit/test-group.c
test-group_LIBS := -lcmocka
