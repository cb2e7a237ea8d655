# SPDX-License-Identifier: GPL-2.0-or-later
# Unit tests: each owner appends a block (UNIT_TESTS += …, <name>_SRCS, <name>_LIBS).
# Use '=' for _SRCS that mention $(FAKE_SRCS) (defined in tests/fake/module.mk).

# discovery / checkers / prioritizers (owner: path engineer)
UNIT_TESTS += test-vpd test-discovery
test-vpd_SRCS = tests/unit/test-vpd.c
test-vpd_LIBS := -lcmocka
test-discovery_SRCS = tests/unit/test-discovery.c $(FAKE_SRCS)
test-discovery_LIBS := -lcmocka
# wwids/bindings file caches (discovery/files.c, bindings.c)
UNIT_TESTS += test-files
test-files_SRCS = tests/unit/test-files.c
test-files_LIBS := -lcmocka
UNIT_TESTS += test-checker
test-checker_SRCS = tests/unit/test-checker.c $(FAKE_SRCS)
test-checker_LIBS := -lcmocka
UNIT_TESTS += test-prio
test-prio_SRCS = tests/unit/test-prio.c $(FAKE_SRCS)
test-prio_LIBS := -lcmocka

# per-path sysfs tunables (discovery/tunables.c)
UNIT_TESTS += test-tunables
test-tunables_SRCS = tests/unit/test-tunables.c $(FAKE_SRCS)
test-tunables_LIBS := -lcmocka

# thread scheduling boost of the daemon (owner: performance)
UNIT_TESTS += test-sched
test-sched_SRCS := tests/unit/test-sched.c multipathd/sched.c
test-sched_LIBS := -lcmocka
UNIT_TESTS += test-core-tunables
test-core-tunables_SRCS = tests/unit/test-core-tunables.c $(MPD_CORE_SRCS) $(FAKE_SRCS)
test-core-tunables_LIBS := -lcmocka

# recheck_wwid and purge_disconnected through the daemon core
UNIT_TESTS += test-core-purge
test-core-purge_SRCS = tests/unit/test-core-purge.c $(MPD_CORE_SRCS) $(FAKE_SRCS)
test-core-purge_LIBS := -lcmocka
