# SPDX-License-Identifier: GPL-2.0-or-later
LIBMP_SRCS += libmultipath/topology/state.c
