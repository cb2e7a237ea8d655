# SPDX-License-Identifier: GPL-2.0-or-later
LIBMP_SRCS += libmultipath/checkers/checker.c libmultipath/checkers/runner.c \
	libmultipath/checkers/tur.c libmultipath/checkers/directio.c \
	libmultipath/checkers/readsector0.c libmultipath/checkers/emc_clariion.c \
	libmultipath/checkers/hp_sw.c libmultipath/checkers/rdac.c \
	libmultipath/checkers/cciss_tur.c libmultipath/checkers/none.c
