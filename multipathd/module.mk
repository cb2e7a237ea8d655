# SPDX-License-Identifier: GPL-2.0-or-later
# multipathd: core (core*.c, wq, lockdep, checker, loop, main) and the CLI
# server/handlers (cli*, uxsrv*, print*), all picked up by the wildcard.
PROGRAMS += multipathd
multipathd_SRCS := $(wildcard multipathd/*.c)
multipathd_LIBS := -ledit -ljson-c

# Core unit tests: real threads over the fake device-mapper.  '=' because
# FAKE_SRCS is defined by tests/fake/module.mk, included after this file.
MPD_CORE_SRCS := $(filter-out multipathd/main.c multipathd/loop.c multipathd/cli% \
	multipathd/uxsrv% multipathd/print% multipathd/multipathc%,$(wildcard multipathd/*.c))
UNIT_TESTS += test-core
test-core_SRCS = tests/unit/test-core.c $(MPD_CORE_SRCS) $(FAKE_SRCS)
test-core_LIBS := -lcmocka
UNIT_TESTS += test-core-kevent
test-core-kevent_SRCS = tests/unit/test-core-kevent.c $(MPD_CORE_SRCS) $(FAKE_SRCS)
test-core-kevent_LIBS := -lcmocka
UNIT_TESTS += test-health
test-health_SRCS = tests/unit/test-health.c $(MPD_CORE_SRCS) $(FAKE_SRCS)
test-health_LIBS := -lcmocka

# systemd units, modules-load and tmpfiles snippets (the binary itself is
# installed by install-multipath).
INSTALL_HOOKS += install-multipathd-conf
.PHONY: install-multipathd-conf
install-multipathd-conf:
	install -d $(DESTDIR)$(unitdir) $(DESTDIR)$(modulesloaddir) $(DESTDIR)$(tmpfilesdir)
	for u in multipathd.service multipathd.socket multipathd-queueing.service; do \
		sed 's|@SBINDIR@|$(sbindir)|g' conf/$$u > $(DESTDIR)$(unitdir)/$$u; \
	done
	install -m 0644 conf/modules-load.conf $(DESTDIR)$(modulesloaddir)/multipath.conf
	install -m 0644 conf/tmpfiles.conf $(DESTDIR)$(tmpfilesdir)/multipath.conf
