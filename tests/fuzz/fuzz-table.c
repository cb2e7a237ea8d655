// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the multipath table/status parsers and the
 * features helpers.  Properties: no crash, no leak; a table that parses
 * builds, and what it builds parses again to the same line (the builder's
 * output is a fixed point); mp_table_equal is reflexive.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dm/table.h"
#include "util/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_table(const char *s)
{
	struct mp_table *t = NULL, *t2 = NULL;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;

	if (mp_table_parse(s, &t) < 0)
		return;
	if (mp_table_build(t, &a) < 0)
		abort();
	if (mp_table_parse(strbuf_str(&a), &t2) < 0 || mp_table_build(t2, &b) < 0)
		abort();
	if (strcmp(strbuf_str(&a), strbuf_str(&b)))
		abort();
	if (!mp_table_equal(t, t2))
		abort();
	mp_table_free(t);
	mp_table_free(t2);
	strbuf_reset(&a);
	strbuf_reset(&b);
}

static void fuzz_features(const char *s)
{
	char *f = NULL;

	(void)mp_features_has(s, "queue_if_no_path");
	if (mp_features_add(s, "pg_init_retries 5", &f) == 0) {
		if (!mp_features_has(f, "pg_init_retries"))
			abort();
		free(f);
	}
	if (mp_features_remove(s, "queue_if_no_path", &f) == 0) {
		if (mp_features_has(f, "queue_if_no_path"))
			abort();
		free(f);
	}
	if (mp_features_normalise(s, &f) == 0)
		free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mp_status *st = NULL;
	char *s;

	if (size > 65536)
		return 0;
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	fuzz_table(s);
	if (mp_status_parse(s, &st) == 0)
		mp_status_free(st);
	fuzz_features(s);
	free(s);
	return 0;
}
