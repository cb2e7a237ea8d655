// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Blacklist and exceptions.  Rules are compiled once, when the config is
 * loaded.  A device is judged criterion by criterion in the incumbent's
 * order: udev property, devnode, vendor/product, protocol, WWID.  Within a
 * criterion an exception beats a blacklist rule; the first criterion that
 * blacklists decides.  A pattern written with a leading '!' matches what
 * the rest of it does not match.
 *
 * The property criterion is inverted in spirit: once an exception property
 * rule exists (the built-in "(SCSI_IDENT_|ID_WWN)" always does), a device
 * whose WWID comes from a udev property must carry at least one property
 * the exceptions accept, or it is blacklisted as "missing property".
 */
#include <string.h>

#include "config/internal.h"

static const char *const kind_names[] = {
	[BL_DEVNODE] = "devnode", [BL_WWID] = "wwid", [BL_PROPERTY] = "property",
	[BL_PROTOCOL] = "protocol", [BL_DEVICE] = "device",
};

const char *mp_bl_kind_to_string(enum mp_bl_kind k)
{
	return k < _BL_MAX ? kind_names[k] : NULL;
}

static int compile(struct mp_ctx *ctx, const char *what, const char *pat, regex_t *re)
{
	char err[128];

	if (mp_regcomp(re, pat, err, sizeof(err)) < 0) {
		if (ctx)
			mp_ctx_diag(ctx, LOG_ERR,
				    "invalid regular expression '%s' for '%s': %s (accepted: a POSIX extended regex)",
				    pat, what, err);
		return -EINVAL;
	}
	return 0;
}

static bool ble_same(const struct mp_ble *e, const char *pattern, bool invert,
		     const char *pattern2)
{
	if (e->invert != invert || strcmp(e->pattern, pattern))
		return false;
	if (!e->pattern2 || !pattern2)
		return e->pattern2 == pattern2;
	return !strcmp(e->pattern2, pattern2);
}

/* Add a rule; an identical rule already present is not added twice (so a
 * dump that lists the built-in rules parses back to the same lists). */
int mp_blist_add(struct mp_blist *b, enum mp_bl_kind kind, const char *pattern,
		 const char *pattern2, bool builtin, struct mp_ctx *ctx)
{
	struct mp_ble e = { .builtin = builtin };
	struct mp_ble *nv;

	if (kind != BL_DEVICE && pattern[0] == '!') {
		e.invert = true;
		pattern++;
	}
	for (size_t k = 0; k < b->n[kind]; k++)
		if (ble_same(&b->v[kind][k], pattern, e.invert, pattern2))
			return 0;
	if (compile(ctx, kind == BL_DEVICE ? "vendor" : kind_names[kind], pattern, &e.re) < 0)
		return 0;
	if (pattern2) {
		if (compile(ctx, "product", pattern2, &e.re2) < 0) {
			regfree(&e.re);
			return 0;
		}
		e.has_re2 = true;
	}
	e.pattern = strdup(pattern);
	e.pattern2 = pattern2 ? strdup(pattern2) : NULL;
	nv = realloc(b->v[kind], (b->n[kind] + 1) * sizeof(*nv));
	if (!e.pattern || (pattern2 && !e.pattern2) || !nv) {
		if (nv)
			b->v[kind] = nv;
		regfree(&e.re);
		if (e.has_re2)
			regfree(&e.re2);
		free(e.pattern);
		free(e.pattern2);
		return -ENOMEM;
	}
	b->v[kind] = nv;
	nv[b->n[kind]++] = e;
	return 0;
}

void mp_blist_done(struct mp_blist *b)
{
	for (int k = 0; k < _BL_MAX; k++) {
		for (size_t i = 0; i < b->n[k]; i++) {
			struct mp_ble *e = &b->v[k][i];

			regfree(&e->re);
			if (e->has_re2)
				regfree(&e->re2);
			free(e->pattern);
			free(e->pattern2);
		}
		free(b->v[k]);
		b->v[k] = NULL;
		b->n[k] = 0;
	}
}

int mp_blist_add_builtin(struct mp_config *c, bool nvme_native)
{
	int r = mp_blist_add(&c->blist, BL_DEVNODE, nvme_native ? "!^(sd[a-z]|dasd[a-z])" :
			     "!^(sd[a-z]|dasd[a-z]|nvme[0-9])", NULL, true, NULL);

	if (r >= 0)
		r = mp_blist_add(&c->blexc, BL_PROPERTY, "(SCSI_IDENT_|ID_WWN)", NULL, true, NULL);
	for (size_t k = 0; r >= 0 && k < c->n_builtin; k++)
		if (c->hwe[k]->bl_product)
			r = mp_blist_add(&c->blist, BL_DEVICE, c->hwe[k]->vendor,
					 c->hwe[k]->bl_product, true, NULL);
	return r;
}

/* ---- matching ---- */

static bool ble_match(const struct mp_ble *e, const char *s, const char *s2)
{
	bool m = regexec(&e->re, s ? s : "", 0, NULL, 0) == 0;

	if (e->has_re2)
		m = m && regexec(&e->re2, s2 ? s2 : "", 0, NULL, 0) == 0;
	return m != e->invert;
}

static bool list_match(const struct mp_blist *b, enum mp_bl_kind kind, const char *s,
		       const char *s2)
{
	for (size_t k = 0; k < b->n[kind]; k++)
		if (ble_match(&b->v[kind][k], s, s2))
			return true;
	return false;
}

static const char *const reason_black[] = {
	[BL_DEVNODE] = "devnode blacklisted", [BL_WWID] = "wwid blacklisted",
	[BL_PROPERTY] = "property blacklisted", [BL_PROTOCOL] = "protocol blacklisted",
	[BL_DEVICE] = "device blacklisted",
};
static const char *const reason_white[] = {
	[BL_DEVNODE] = "devnode whitelisted", [BL_WWID] = "wwid whitelisted",
	[BL_PROPERTY] = "property whitelisted", [BL_PROTOCOL] = "protocol whitelisted",
	[BL_DEVICE] = "device whitelisted",
};

/* One criterion: 1 blacklisted, 0 excepted, -1 no rule matched. */
static int judge(const struct mp_config *c, enum mp_bl_kind kind, const char *s,
		 const char *s2, const char **reason)
{
	if (list_match(&c->blexc, kind, s, s2)) {
		*reason = reason_white[kind];
		return 0;
	}
	if (list_match(&c->blist, kind, s, s2)) {
		*reason = reason_black[kind];
		return 1;
	}
	return -1;
}

static int finish(int r, const char *why, const char **reason)
{
	if (reason)
		*reason = r > 0 || why ? why : "not blacklisted";
	return r > 0 ? 1 : 0;
}

int mp_config_blacklisted_devnode(const struct mp_config *c, const char *devname,
				  const char **reason)
{
	const char *why = NULL;
	int r = devname ? judge(c, BL_DEVNODE, devname, NULL, &why) : -1;

	return finish(r, why, reason);
}

int mp_config_blacklisted_wwid(const struct mp_config *c, const char *wwid,
			       const char **reason)
{
	const char *why = NULL;
	int r = wwid ? judge(c, BL_WWID, wwid, NULL, &why) : -1;

	return finish(r, why, reason);
}

static int judge_props(const struct mp_config *c, const char *const *names, size_t n,
		       bool uid_seen, bool check_missing, const char **why)
{
	for (size_t k = 0; k < n; k++) {
		int r = judge(c, BL_PROPERTY, names[k], NULL, why);

		if (r >= 0)
			return r;
	}
	if (check_missing && uid_seen && c->blexc.n[BL_PROPERTY] > 0) {
		*why = "missing property";
		return 1;
	}
	return -1;
}

int mp_config_blacklisted_props(const struct mp_config *c, const char *const *names,
				size_t n, const char *uid_attribute, const char **reason)
{
	bool check = uid_attribute && *uid_attribute;
	bool seen = false;
	const char *why = NULL;

	int r;

	for (size_t k = 0; check && k < n; k++)
		seen = seen || !strcmp(names[k], uid_attribute);
	r = judge_props(c, names, n, seen, check, &why);
	return finish(r, why, reason);
}

size_t mp_config_n_property_rules(const struct mp_config *c, bool exceptions)
{
	return exceptions ? c->blexc.n[BL_PROPERTY] : c->blist.n[BL_PROPERTY];
}

/* The udev property that holds the WWID for this device, "" for none. */
static int uid_attribute_of(const struct mp_config *c, const struct mp_path_info *pi,
			    char **ret)
{
	struct mp_settings *s = NULL;
	int r = mp_config_resolve(c, pi, NULL, &s);

	if (r < 0)
		return r;
	*ret = s->uid_attribute ? strdup(s->uid_attribute) : strdup("");
	mp_settings_free(s);
	return *ret ? 0 : -ENOMEM;
}

static int judge_rest(const struct mp_config *c, const struct mp_path_info *pi,
		      const char **why)
{
	int r = -1;

	if (pi->devname)
		r = judge(c, BL_DEVNODE, pi->devname, NULL, why);
	if (r <= 0 && (pi->vendor || pi->product)) {
		const char *w2 = NULL;
		int r2 = judge(c, BL_DEVICE, pi->vendor, pi->product, &w2);

		if (r2 >= 0) {
			r = r2;
			*why = w2;
		}
	}
	if (r <= 0) {
		const char *w2 = NULL;
		int r2 = judge(c, BL_PROTOCOL, mp_proto_to_string(pi->proto), NULL, &w2);

		if (r2 >= 0) {
			r = r2;
			*why = w2;
		}
	}
	if (r <= 0 && pi->wwid) {
		const char *w2 = NULL;
		int r2 = judge(c, BL_WWID, pi->wwid, NULL, &w2);

		if (r2 >= 0) {
			r = r2;
			*why = w2;
		}
	}
	return r;
}

static int blacklisted_path(const struct mp_config *c, const struct mp_path_info *pi,
			    const char *const *names, size_t n, bool have_props,
			    const char **reason)
{
	_cleanup_free_ char *uid = NULL;
	const char *why = NULL;
	int r = -1;

	if (have_props) {
		bool seen = false;

		if (uid_attribute_of(c, pi, &uid) < 0)
			return -ENOMEM;
		for (size_t k = 0; *uid && k < n; k++)
			seen = seen || !strcmp(names[k], uid);
		r = judge_props(c, names, n, seen, *uid != '\0', &why);
	}
	if (r <= 0) {
		const char *w2 = NULL;
		int r2 = judge_rest(c, pi, &w2);

		if (r2 >= 0) {
			r = r2;
			why = w2;
		}
	}
	return finish(r, why, reason);
}

int mp_config_blacklisted_path_props(const struct mp_config *c,
				     const struct mp_path_info *pi,
				     const char *const *names, size_t n,
				     const char **reason)
{
	return blacklisted_path(c, pi, names, n, names != NULL, reason);
}

/* A getter cannot list properties, so probe the names udev's rules set
 * for block devices that matter to multipath, plus the uid_attribute. */
static const char *const probe_names[] = {
	"SCSI_IDENT_LUN_NAA_REGEXT", "SCSI_IDENT_LUN_NAA_REG", "SCSI_IDENT_LUN_NAA_EXT",
	"SCSI_IDENT_LUN_NAA_LOCAL", "SCSI_IDENT_LUN_EUI64", "SCSI_IDENT_LUN_T10",
	"SCSI_IDENT_LUN_VENDOR", "SCSI_IDENT_LUN_NAME", "SCSI_IDENT_SERIAL",
	"SCSI_IDENT_PORT_NAA_REG", "SCSI_IDENT_PORT_RELATIVE", "SCSI_IDENT_PORT_TARGET_PORT_GROUP",
	"ID_WWN", "ID_WWN_WITH_EXTENSION", "ID_SERIAL", "ID_SERIAL_SHORT", "ID_UID",
	"ID_VENDOR", "ID_MODEL", "ID_REVISION", "ID_BUS", "ID_TYPE", "ID_PATH", "ID_SCSI",
	"ID_ATA", "ID_USB_DRIVER", "ID_CDROM", "ID_FS_TYPE", "ID_PART_TABLE_TYPE",
	"DEVTYPE", "DEVNAME", "SUBSYSTEM", "DM_MULTIPATH_DEVICE_PATH", "NVME_TRTYPE",
};

int mp_config_blacklisted_path(const struct mp_config *c, const struct mp_path_info *pi,
			       mp_prop_getter get_prop, void *ud, const char **reason)
{
	const char *names[ARRAY_SIZE(probe_names) + 1];
	_cleanup_free_ char *uid = NULL;
	size_t n = 0;

	if (!get_prop)
		return blacklisted_path(c, pi, NULL, 0, false, reason);
	for (size_t k = 0; k < ARRAY_SIZE(probe_names); k++)
		if (get_prop(probe_names[k], ud))
			names[n++] = probe_names[k];
	if (uid_attribute_of(c, pi, &uid) < 0)
		return -ENOMEM;
	if (*uid && get_prop(uid, ud)) {
		bool listed = false;

		for (size_t k = 0; k < n; k++)
			listed = listed || !strcmp(names[k], uid);
		if (!listed)
			names[n++] = uid;
	}
	return blacklisted_path(c, pi, names, n, true, reason);
}

/* ---- report ---- */

static int dump_rules(const struct mp_blist *b, enum mp_bl_kind kind, struct strbuf *out)
{
	int r = 0;

	if (b->n[kind] == 0)
		return strbuf_append(out, "        <empty>\n");
	for (size_t k = 0; k < b->n[kind] && r >= 0; k++) {
		const struct mp_ble *e = &b->v[kind][k];

		strbuf_appendf(out, "        %s %s%s", e->builtin ? "(default rule)" :
			       "(config file rule)", e->invert ? "!" : "", e->pattern);
		if (e->pattern2)
			strbuf_appendf(out, ":%s", e->pattern2);
		r = strbuf_append(out, "\n");
	}
	return r;
}

int mp_config_dump_blacklist(const struct mp_config *c, struct strbuf *out)
{
	static const struct {
		enum mp_bl_kind kind;
		const char *title;
	} order[] = {
		{ BL_DEVNODE, "device node rules" }, { BL_PROPERTY, "udev property rules" },
		{ BL_PROTOCOL, "protocol rules" }, { BL_WWID, "wwid rules" },
		{ BL_DEVICE, "device rules" },
	};
	int r = 0;

	for (size_t k = 0; k < ARRAY_SIZE(order) && r >= 0; k++) {
		strbuf_appendf(out, "%s:\n- blacklist:\n", order[k].title);
		dump_rules(&c->blist, order[k].kind, out);
		strbuf_append(out, "- exceptions:\n");
		r = dump_rules(&c->blexc, order[k].kind, out);
	}
	return r < 0 ? r : 0;
}

int mp_blist_dump(const struct mp_blist *b, bool with_builtin, struct strbuf *out)
{
	int r = 0;

	for (int kind = 0; kind < _BL_MAX && r >= 0; kind++)
		for (size_t k = 0; k < b->n[kind] && r >= 0; k++) {
			const struct mp_ble *e = &b->v[kind][k];

			if (e->builtin && !with_builtin)
				continue;
			if (kind != BL_DEVICE) {
				strbuf_appendf(out, "\t%s ", kind_names[kind]);
				if (e->invert) {
					_cleanup_free_ char *p = NULL;

					if (asprintf(&p, "!%s", e->pattern) < 0)
						return -ENOMEM;
					mp_print_quoted(out, p);
				} else {
					mp_print_quoted(out, e->pattern);
				}
				r = strbuf_append(out, "\n");
				continue;
			}
			strbuf_append(out, "\tdevice {\n\t\tvendor ");
			mp_print_quoted(out, e->pattern);
			if (e->pattern2) {
				strbuf_append(out, "\n\t\tproduct ");
				mp_print_quoted(out, e->pattern2);
			}
			r = strbuf_append(out, "\n\t}\n");
		}
	return r < 0 ? r : 0;
}
