# SPDX-License-Identifier: LGPL-2.1-or-later
# libdmmp: shared library (LGPL).  It must not link libmultipath.a (GPL):
# only its own sources and the LGPL IPC layer, plus json-c.

LIBDMMP_SRCS := libdmmp/libdmmp.c libdmmp/libdmmp_mp.c libmultipath/ipc/ipc.c
LIBDMMP_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIBDMMP_SRCS))
LIBDMMP_SO := $(BUILD)/libdmmp.so.0.2.0
LIBDMMP_LIST := $(BUILD)/dmmp-list

$(BUILD)/obj/libdmmp/%.o: CPPFLAGS += -Ilibdmmp

$(LIBDMMP_SO): $(LIBDMMP_OBJS) libdmmp/libdmmp.sym
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -shared -Wl,-soname,libdmmp.so.0 \
		-Wl,--version-script=libdmmp/libdmmp.sym -o $@ $(LIBDMMP_OBJS) -ljson-c
	ln -sf libdmmp.so.0.2.0 $(BUILD)/libdmmp.so.0
	ln -sf libdmmp.so.0 $(BUILD)/libdmmp.so

$(LIBDMMP_LIST): libdmmp/test/dmmp-list.c $(LIBDMMP_SO)
	$(CC) $(CFLAGS) -Ilibdmmp $(LDFLAGS) -o $@ $< -L$(BUILD) -ldmmp -Wl,-rpath-link,$(BUILD)

all: $(LIBDMMP_SO) $(LIBDMMP_LIST)

UNIT_TESTS += test-libdmmp
test-libdmmp_SRCS := tests/unit/test-libdmmp.c libdmmp/libdmmp.c libdmmp/libdmmp_mp.c
test-libdmmp_LIBS := -lcmocka -ljson-c
$(BUILD)/obj/tests/unit/test-libdmmp.o: CPPFLAGS += -Ilibdmmp

INSTALL_HOOKS += install-libdmmp
.PHONY: install-libdmmp
install-libdmmp: $(LIBDMMP_SO) $(LIBDMMP_LIST)
	install -D -m 0755 $(LIBDMMP_SO) $(DESTDIR)$(libdir)/libdmmp.so.0.2.0
	ln -sf libdmmp.so.0.2.0 $(DESTDIR)$(libdir)/libdmmp.so.0
	ln -sf libdmmp.so.0 $(DESTDIR)$(libdir)/libdmmp.so
	install -D -m 0644 libdmmp/libdmmp/libdmmp.h $(DESTDIR)$(includedir)/libdmmp/libdmmp.h
	install -d $(DESTDIR)$(pkgconfigdir)
	sed -e 's|@PREFIX@|$(prefix)|' -e 's|@LIBDIR@|$(libdir)|' \
		-e 's|@INCLUDEDIR@|$(includedir)|' libdmmp/libdmmp.pc.in \
		> $(DESTDIR)$(pkgconfigdir)/libdmmp.pc
	install -D -m 0755 $(LIBDMMP_LIST) $(DESTDIR)$(prefix)/lib/mpath-tests/dmmp-list
	install -d $(DESTDIR)$(mandir)/man3
	for m in man/libdmmp.3 man/dmmp_*.3; do \
		if [ -f $$m ]; then install -m 0644 $$m $(DESTDIR)$(mandir)/man3/; fi; \
	done
