// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the configuration: arbitrary text is parsed; when
 * it loads, every query is exercised (resolve for a few identities,
 * blacklist, dump) and the dump must parse back.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "util/log.h"

static void quiet(int prio, const char *msg, void *ud)
{
}

/* A dump must parse back, and dump to the same text. */
static void roundtrip(const struct mp_config *c, bool builtin)
{
	struct strbuf sb = STRBUF_INIT, sb2 = STRBUF_INIT;
	struct mp_config *c2 = NULL;

	if (mp_config_dump(c, builtin, &sb) != 0)
		abort();
	if (mp_config_load_string(strbuf_str(&sb), "dump", &c2, NULL) != 0)
		abort();
	if (mp_config_dump(c2, builtin, &sb2) != 0 || strcmp(strbuf_str(&sb), strbuf_str(&sb2)))
		abort();
	mp_config_free(c2);
	strbuf_reset(&sb);
	strbuf_reset(&sb2);
}

static void exercise(struct mp_config *c, bool full)
{
	struct mp_path_info pi = {
		.devname = (char *)"sdb", .vendor = (char *)"NETAPP", .product = (char *)"LUN",
		.revision = (char *)"1", .bus = BUS_SCSI, .proto = PROTO_SCSI_FCP,
		.wwid = (char *)"3600a098038303053453f463045727a41", .tpgs = 1,
		.access_state = ACCESS_OPTIMIZED,
	};
	struct strbuf sb = STRBUF_INIT;
	struct mp_settings *s = NULL;
	const char *why;

	if (mp_config_resolve(c, &pi, NULL, &s) == 0)
		mp_settings_free(s);
	pi.bus = BUS_NVME;
	pi.vendor = (char *)"NVME";
	if (mp_config_resolve(c, &pi, "x", &s) == 0)
		mp_settings_free(s);
	mp_config_blacklisted_path(c, &pi, NULL, NULL, &why);
	mp_config_blacklisted_devnode(c, "sda", &why);
	mp_config_blacklisted_wwid(c, "abc", &why);
	mp_config_dump_blacklist(c, &sb);
	strbuf_reset(&sb);
	roundtrip(c, false);
	if (full)               /* the -t round trip is slow: one input in eight */
		roundtrip(c, true);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mp_config_diags diags = { 0 };
	struct mp_config *c = NULL;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	mp_log_set_sink(quiet, NULL);
	memcpy(text, data, size);
	text[size] = '\0';
	if (mp_config_load_string(text, "fuzz", &c, &diags) == 0) {
		exercise(c, size > 0 && (data[0] & 7) == 0);
		mp_config_free(c);
	}
	mp_config_diags_done(&diags);
	free(text);
	return 0;
}
