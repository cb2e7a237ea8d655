# SPDX-License-Identifier: LGPL-2.1-or-later
# Control-socket client/framing; also compiled into libdmmp (see libdmmp/module.mk).
IPC_SRCS := libmultipath/ipc/ipc.c
LIBMP_SRCS += $(IPC_SRCS)
