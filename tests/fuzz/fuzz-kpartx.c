// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the kpartx table readers.  Input byte 0 picks the
 * logical sector size (bit 0: 4096, else 512) and -g (bit 1); the rest is
 * the disk image.  Every reader runs alone (as with -t) and the automatic
 * scan runs once; ASan/UBSan catch out-of-bounds reads and overflows.
 *
 * With KPARTX_SEED_DIR set, the target writes a seed corpus of well-formed
 * images of every table type into that directory and exits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpartx/ptable.h"
#include "kpartx/testimg.h"
#include "util/log.h"

static const struct pt_reader *const all[] = {
	&pt_gpt, &pt_dos, &pt_bsd, &pt_solaris, &pt_unixware,
	&pt_sun, &pt_mac, &pt_dasd, &pt_ps3,
};

#define SEED_BYTES 65536

static void put_seed(const char *dir, const char *name, uint8_t flags,
		     const uint8_t *img, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		return;
	fputc(flags, f);
	fwrite(img, 1, len, f);
	fclose(f);
}

static void write_seeds(const char *dir)
{
	static uint8_t img[SEED_BYTES];
	const struct ti_part g[] = { { 40, 20 }, { 60, 30 } };
	const struct ti_part prim[4] = { { 4, 8, 0x83 }, { 12, 60, 0x05 },
					 { 72, 40, 0xa5 }, { 0 } };
	const struct ti_part lg[] = { { 13, 10 }, { 24, 10 }, { 35, 10 } };
	const struct ti_part sub[] = { { 74, 10 }, { 84, 10 } };
	const struct ti_part four[] = { { 1, 1 }, { 2, 2 } };

#define SEED(n, fl) put_seed(dir, n, fl, img, sizeof(img)); memset(img, 0, sizeof(img))
	ti_gpt(img, sizeof(img), 512, g, 2, 128, 128, true);
	SEED("gpt", 0);
	ti_gpt(img, sizeof(img), 512, g, 2, 16, 256, false);
	SEED("gpt-nopmbr", 2);
	ti_gpt(img, sizeof(img), 4096, four, 2, 32, 128, true);
	SEED("gpt4k", 1);
	ti_dos(img, 512, prim, lg, 3);
	ti_bsd(img, 72, sub, 2);
	SEED("dos", 0);
	{
		const struct ti_part sp[4] = { { 4, 40, 0x82 }, { 0 }, { 0 }, { 0 } };
		const struct ti_part in[] = { { 2, 10 }, { 12, 10 } };

		ti_dos(img, 512, sp, NULL, 0);
		ti_solaris(img, 4, in, 2);
		SEED("solaris", 0);
	}
	{
		const struct ti_part up[4] = { { 4, 100, 0x63 }, { 0 }, { 0 }, { 0 } };
		const struct ti_part in[] = { { 40, 10 }, { 50, 10 } };

		ti_dos(img, 512, up, NULL, 0);
		ti_unixware(img, 4, in, 2);
		SEED("unixware", 0);
	}
	{
		const struct ti_part sp[] = { { 1, 20, 2 }, { 0, 128, 5 }, { 3, 30, 4 } };

		ti_sun(img, 2, 5, sp, 3);
		SEED("sun", 0);
	}
	{
		const struct ti_part mp[] = { { 1, 3 }, { 8, 20 }, { 40, 20 } };

		ti_mac(img, 512, mp, 3);
		SEED("mac", 0);
	}
	{
		const struct ti_part pp[] = { { 8, 16 }, { 24, 16 } };

		ti_ps3(img, pp, 2);
		SEED("ps3", 0);
	}
	ti_dasd_ldl(img, 512);
	SEED("dasd-ldl", 0);
	{
		const struct ti_part dp[] = { { 2, 1 } };

		ti_dasd_cdl(img, 512, dp, 1);
		SEED("dasd-cdl", 0);
	}
#undef SEED
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("KPARTX_SEED_DIR");

	mp_log_init("fuzz-kpartx", MP_LOG_STDERR, -10, 0);
	if (dir) {
		write_seeds(dir);
		exit(0);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pt_slice out[PT_MAX_SLICES];
	struct pt_source src;
	uint8_t *img;

	if (size < 1)
		return 0;
	/* an exact-size copy so ASan sees any read past the image */
	img = malloc(size - 1 ? size - 1 : 1);
	if (!img)
		return 0;
	memcpy(img, data + 1, size - 1);
	pt_source_init_mem(&src, img, size - 1, (data[0] & 1) ? 4096 : 512);
	pt_gpt_force = data[0] & 2;
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		int n = all[i]->read(&src, out, PT_MAX_SLICES);

		if (n > PT_MAX_SLICES)
			abort();
		if (n > 0)
			pt_validate(&src, all[i]->name, out, n);
	}
	pt_scan(&src, NULL, data[0] & 2, out, PT_MAX_SLICES, NULL);
	free(img);
	return 0;
}
