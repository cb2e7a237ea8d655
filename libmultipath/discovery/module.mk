# SPDX-License-Identifier: GPL-2.0-or-later
LIBMP_SRCS += libmultipath/discovery/scsi.c libmultipath/discovery/vpd.c \
	libmultipath/discovery/pathinfo.c libmultipath/discovery/transport.c \
	libmultipath/discovery/names.c libmultipath/discovery/udev.c \
	libmultipath/discovery/files.c libmultipath/discovery/bindings.c \
	libmultipath/discovery/strmap.c \
	libmultipath/discovery/vendor.c libmultipath/discovery/nvme.c \
	libmultipath/discovery/tunables.c

# mp-pathtool: discovery, checkers and prioritizers by hand, for
# tests/vm/scenarios/30-discovery.sh; installed outside $PATH under
# /usr/lib/mpath-tests so the VM image carries it.
PROGRAMS += mp-pathtool
mp-pathtool_SRCS := tests/tools/pathtool.c
INSTALL_HOOKS += install-mp-pathtool
.PHONY: install-mp-pathtool
install-mp-pathtool: $(BUILD)/mp-pathtool
	install -D -m 0755 $(BUILD)/mp-pathtool $(DESTDIR)$(prefix)/lib/mpath-tests/mp-pathtool
