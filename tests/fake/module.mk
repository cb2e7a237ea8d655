# SPDX-License-Identifier: GPL-2.0-or-later
FAKE_SRCS += tests/fake/fake-sys.c
FAKE_SRCS += tests/fake/fake-dm.c
FAKE_SRCS += tests/fake/tsan.c
