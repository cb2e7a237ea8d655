// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * weightedpath: args "<hbtl|devname|serial|wwn> <regex> <prio> [<regex> <prio>…]".
 * The path's key (H:C:T:L, device name, VPD serial, or
 * host_wwnn:host_wwpn:tgt_wwnn:tgt_wwpn) is matched against each POSIX
 * extended regex in turn; the first match gives the priority, none gives 0.
 */
#include <inttypes.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prioritizers/internal.h"

static int path_key(const struct mp_path_info *pi, const char *mode, char *buf, size_t len)
{
	if (!strcmp(mode, "hbtl"))
		snprintf(buf, len, "%d:%d:%d:%" PRIu64, pi->host, pi->channel, pi->target, pi->lun);
	else if (!strcmp(mode, "devname"))
		snprintf(buf, len, "%s", pi->devname ? pi->devname : "");
	else if (!strcmp(mode, "serial"))
		snprintf(buf, len, "%s", pi->serial ? pi->serial : "");
	else if (!strcmp(mode, "wwn"))
		snprintf(buf, len, "%s:%s:%s:%s", pi->host_wwnn ? pi->host_wwnn : "",
			 pi->host_wwpn ? pi->host_wwpn : "", pi->tgt_wwnn ? pi->tgt_wwnn : "",
			 pi->tgt_wwpn ? pi->tgt_wwpn : "");
	else
		return -EINVAL;
	return 0;
}

static int match(const char *re, const char *key)
{
	regex_t rx;
	int r;

	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB))
		return -EINVAL;
	r = regexec(&rx, key, 0, NULL, 0) == 0;
	regfree(&rx);
	return r;
}

static int weighted_prio(struct mp_prio_ctx *c)
{
	_cleanup_free_ char *args = strdup(c->args);
	char key[1024], *save = NULL, *mode, *re, *val;
	int prio;

	if (!args)
		return MP_PRIO_UNDEF;
	mode = strtok_r(args, " \t", &save);
	if (!mode || path_key(c->pi, mode, key, sizeof(key)) < 0)
		return MP_PRIO_UNDEF;
	while ((re = strtok_r(NULL, " \t", &save)) && (val = strtok_r(NULL, " \t", &save))) {
		int m = match(re, key);

		if (m < 0 || sscanf(val, "%d", &prio) != 1)
			return MP_PRIO_UNDEF;
		if (m)
			return prio;
	}
	return 0;
}

const struct mp_prio_ops mp_prio_weightedpath = {
	.name = "weightedpath",
	.getprio = weighted_prio,
};
