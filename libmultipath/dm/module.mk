# SPDX-License-Identifier: GPL-2.0-or-later
LIBMP_SRCS += libmultipath/dm/dm.c libmultipath/dm/dm-libdm.c libmultipath/dm/table.c

UNIT_TESTS += test-table
test-table_SRCS := tests/unit/test-table.c
test-table_LIBS := -lcmocka

UNIT_TESTS += test-dm
test-dm_SRCS := tests/unit/test-dm.c tests/fake/fake-dm.c
test-dm_LIBS := -lcmocka
