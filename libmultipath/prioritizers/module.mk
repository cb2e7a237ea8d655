# SPDX-License-Identifier: GPL-2.0-or-later
LIBMP_SRCS += libmultipath/prioritizers/prio.c libmultipath/prioritizers/simple.c \
	libmultipath/prioritizers/sysfs.c libmultipath/prioritizers/alua.c \
	libmultipath/prioritizers/ana.c libmultipath/prioritizers/weightedpath.c \
	libmultipath/prioritizers/path_latency.c libmultipath/prioritizers/vendor.c \
	libmultipath/prioritizers/vendor2.c
