// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reader registry and the checks every table gets after reading: each
 * partition must end before the device does, and no two partitions may
 * overlap unless one contains the other by design (a logical partition and
 * its extended container, a BSD label's partitions and their DOS slice).
 * A table failing a check is rejected as a whole: mapping half a broken
 * table is how data gets overwritten.
 */
#include <errno.h>
#include <string.h>

#include "kpartx/ptable.h"
#include "util/log.h"

/* GPT first (its protective MBR would otherwise look like DOS). */
static const struct pt_reader *const readers[] = {
	&pt_gpt, &pt_dos, &pt_sun, &pt_mac, &pt_ps3, &pt_dasd,
	&pt_bsd, &pt_solaris, &pt_unixware,
};
/* Sub-label readers also reached through DOS; only tried alone with -t. */
#define N_AUTO 6

const struct pt_reader *pt_reader_by_name(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(readers); i++)
		if (!strcmp(readers[i]->name, name))
			return readers[i];
	return NULL;
}

const char *pt_reader_names(void)
{
	return "gpt, dos, sun, mac, ps3, dasd, bsd, solaris, unixware";
}

static bool related(const struct pt_slice *s, int a, int b)
{
	return s[a].container == b + 1 || s[b].container == a + 1;
}

int pt_validate(const struct pt_source *src, const char *type,
		struct pt_slice *s, int n)
{
	uint64_t dev = pt_sectors512(src);

	for (int i = 0; i < n; i++) {
		if (!s[i].size)
			continue;
		if (s[i].start >= dev || s[i].size > dev - s[i].start) {
			log_err("%s: partition %d (start %llu, size %llu) extends beyond the device end (%llu sectors)",
				type, i + 1, (unsigned long long)s[i].start,
				(unsigned long long)s[i].size,
				(unsigned long long)dev);
			return -ERANGE;
		}
	}
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++) {
			if (!s[i].size || !s[j].size || related(s, i, j))
				continue;
			if (s[i].start < s[j].start + s[j].size &&
			    s[j].start < s[i].start + s[i].size) {
				log_err("%s: partitions %d and %d overlap", type,
					i + 1, j + 1);
				return -EUCLEAN;
			}
		}
	return 0;
}

int pt_scan(const struct pt_source *src, const struct pt_reader *only,
	    bool force_gpt, struct pt_slice *out, int max, const char **ret_type)
{
	size_t nr = only ? 1 : N_AUTO;

	pt_gpt_force = force_gpt;
	for (size_t i = 0; i < nr; i++) {
		const struct pt_reader *rd = only ? only : readers[i];
		int n, r;

		memset(out, 0, sizeof(*out) * (size_t)max);
		n = rd->read(src, out, max);
		if (n == 0)
			continue;
		if (ret_type)
			*ret_type = rd->name;
		if (n < 0)
			return n;
		r = pt_validate(src, rd->name, out, n);
		return r < 0 ? r : n;
	}
	return 0;
}
