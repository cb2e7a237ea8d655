# SPDX-License-Identifier: GPL-2.0-or-later
LIBMP_SRCS += libmultipath/util/log.c libmultipath/util/strbuf.c \
	libmultipath/util/util.c libmultipath/util/clock.c \
	libmultipath/util/strpool.c
