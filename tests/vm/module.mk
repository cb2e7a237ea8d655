# SPDX-License-Identifier: GPL-2.0-or-later
#
# VM tier: real kernel, real udev, simulated SAN (scsi_debug, LIO tcm_loop,
# NVMe/TCP loopback) in one qemu boot.  See tests/vm/README.md.
#
#   make deps                    install build + VM packages, fetch the kernel
#   make vm-image                initramfs in $(BUILD)/vm/initramfs.cpio
#   make vm-test [SCENARIOS=..]  boot and run tests/vm/scenarios (glob, comma list)
#   make test                    deps, then check + vm-test
#   make demo                    deps, build, boot tests/vm/demo.sh
#
# VM_EXTRA_DEBS="multipath-tools kpartx" adds Debian packages to the image.

VM_DIR := $(BUILD)/vm
VM_ROOT := $(VM_DIR)/root
VM_INITRD := $(VM_DIR)/initramfs.cpio
SCENARIOS ?= *
VM_TIMEOUT ?=
VM_RUN_FLAGS ?=
VM_IMAGE_FLAGS ?=
VM_EXTRA_DEBS ?=
export VM_EXTRA_DEBS MP_VM_CACHE

.PHONY: vm-install vm-image vm-test vm-shell

deps:
	scripts/deps.sh

# A fresh install tree each time (stale files from a removed install hook
# must not linger in the image), under a lock: several people may run
# vm-test in one work tree at once.
vm-install: all
	@mkdir -p $(VM_DIR)
	flock $(VM_DIR)/.image.lock $(SHELL) -c 'rm -rf $(VM_ROOT) && \
		$(MAKE) --no-print-directory install DESTDIR=$(abspath $(VM_ROOT))'

vm-image: vm-install
	flock $(VM_DIR)/.image.lock tests/vm/build-initramfs.sh \
		--destdir $(VM_ROOT) --out $(VM_INITRD) $(VM_IMAGE_FLAGS)

vm-test: vm-image
	tests/vm/run.sh --initrd $(VM_INITRD) --scenarios '$(SCENARIOS)' \
		--log $(VM_DIR)/console.log $(if $(VM_TIMEOUT),--timeout $(VM_TIMEOUT)) $(VM_RUN_FLAGS)

# Interactive guest on the serial console (Ctrl-A X quits qemu).
vm-shell: vm-image
	tests/vm/run.sh --initrd $(VM_INITRD) --mode shell --log $(VM_DIR)/shell.log

test:
	$(MAKE) --no-print-directory deps
	$(MAKE) --no-print-directory check vm-test

demo:
	$(MAKE) --no-print-directory deps
	$(MAKE) --no-print-directory vm-image
	tests/vm/run.sh --initrd $(VM_INITRD) --mode demo --log $(VM_DIR)/demo.log
