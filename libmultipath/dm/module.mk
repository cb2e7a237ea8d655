# SPDX-License-Identifier: GPL-2.0-or-later
LIBMP_SRCS += libmultipath/dm/dm.c libmultipath/dm/dm-libdm.c libmultipath/dm/table.c
