# SPDX-License-Identifier: GPL-2.0-or-later
LIBMP_SRCS += libmultipath/discovery/scsi.c libmultipath/discovery/vpd.c \
	libmultipath/discovery/pathinfo.c libmultipath/discovery/transport.c \
	libmultipath/discovery/names.c libmultipath/discovery/udev.c \
	libmultipath/discovery/files.c libmultipath/discovery/bindings.c \
	libmultipath/discovery/vendor.c
