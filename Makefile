# SPDX-License-Identifier: GPL-2.0-or-later
#
# Non-recursive build.  Every folder contributes a `module.mk` fragment that
# appends to the variables below; this file only knows how to turn them into
# objects, archives, programs and tests.  Objects live under $(BUILD) so the
# source tree stays clean.
#
#   LIBMP_SRCS                  sources of the internal static libmultipath.a
#   PROGRAMS                    program names; <name>_SRCS, <name>_LIBS
#   UNIT_TESTS                  cmocka programs; <name>_SRCS, <name>_LIBS
#   FUZZERS                     libFuzzer targets; <name>_SRCS (built by clang)
#   INSTALL_HOOKS               extra install targets
#   CHECK_HOOKS                 extra targets run by `make check`

SHELL := /bin/bash
CC ?= gcc
prefix ?= /usr
DESTDIR ?=
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)
sbindir ?= $(prefix)/sbin
bindir ?= $(prefix)/bin
libdir ?= $(prefix)/lib$(if $(MULTIARCH),/$(MULTIARCH))
includedir ?= $(prefix)/include
mandir ?= $(prefix)/share/man
udevrulesdir ?= $(prefix)/lib/udev/rules.d
udevlibexecdir ?= $(prefix)/lib/udev
unitdir ?= $(prefix)/lib/systemd/system
tmpfilesdir ?= $(prefix)/lib/tmpfiles.d
modulesloaddir ?= $(prefix)/lib/modules-load.d
pkgconfigdir ?= $(libdir)/pkgconfig

ifneq ($(SANITIZE),)
BUILD ?= build-$(subst $(comma),-,$(SANITIZE))
else
BUILD ?= build
endif
comma := ,

WARNINGS := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes \
	-Wno-unused-parameter -Wno-missing-field-initializers
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 $(WARNINGS) -fstack-protector-strong -fPIC -pthread \
	-fno-strict-aliasing -D_FORTIFY_SOURCE=2 -D_GNU_SOURCE \
	-ffunction-sections -fdata-sections
ifeq ($(WERROR),1)
CFLAGS += -Werror
endif
ifneq ($(SANITIZE),)
CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -DMP_DEBUG_LOCKS=1
LDFLAGS += -fsanitize=$(SANITIZE)
endif
ifeq ($(DEBUG),1)
CFLAGS += -DMP_DEBUG_LOCKS=1
endif
CPPFLAGS += -I. -Ilibmultipath -DRUNDIR=\"/run\" -DSYSCONFDIR=\"/etc\"
LDFLAGS += -pthread -Wl,--as-needed -Wl,-z,relro -Wl,-z,now

SYS_LIBS := -ldevmapper -ludev -laio -lurcu -lurcu-cds -lsystemd -lm

LIBMP_SRCS :=
PROGRAMS :=
UNIT_TESTS :=
FUZZERS :=
INSTALL_HOOKS :=
CHECK_HOOKS :=
CLEAN_EXTRA :=

.PHONY: all install check test demo clean deps fuzz
all:

include $(sort $(wildcard libmultipath/*/module.mk)) \
	$(sort $(wildcard */module.mk)) \
	$(sort $(wildcard tests/*/module.mk))

# Objects live under $(BUILD)/obj/ so a program $(BUILD)/<name> never
# collides with a source folder of the same name (multipathd/, multipath/).
obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
LIBMP := $(BUILD)/libmultipath.a

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(LIBMP): $(call obj,$(LIBMP_SRCS))
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

define program_template
$(BUILD)/$(1): $$(call obj,$$($(1)_SRCS)) $$(LIBMP)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(LDFLAGS) -o $$@ $$(call obj,$$($(1)_SRCS)) $$(LIBMP) $$($(1)_LIBS) $$(SYS_LIBS)
endef
$(foreach p,$(PROGRAMS) $(UNIT_TESTS),$(eval $(call program_template,$(p))))

all: $(LIBMP) $(addprefix $(BUILD)/,$(PROGRAMS))

# Unit tier: every cmocka program must pass.
check: all $(addprefix $(BUILD)/,$(UNIT_TESTS)) $(CHECK_HOOKS)
	@set -e; fail=0; for t in $(UNIT_TESTS); do \
		echo "== $$t"; \
		if ! (cd tests/unit && ../../$(BUILD)/$$t); then fail=1; echo "FAILED: $$t"; fi; \
	done; exit $$fail

install: all $(INSTALL_HOOKS)

clean:
	rm -rf build build-* $(CLEAN_EXTRA)

-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)

# Short fuzzing pass for CI: every FUZZERS entry defines a phony
# `<name>-run` target running FUZZ_SECONDS (default 60 s) each.
FUZZ_SECONDS ?= 60
fuzz-ci:
	@set -e; for f in $(FUZZERS); do $(MAKE) --no-print-directory $$f-run FUZZ_SECONDS=$(FUZZ_SECONDS); done
