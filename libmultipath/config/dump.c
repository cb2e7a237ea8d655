// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Config dump (`multipath -t` / `-T`, `show config`).  The output is valid
 * multipath.conf: every value is printed by its type's printer, so parsing
 * the dump gives back the same settings, and dumping that again gives the
 * same text.  `defaults` lists the effective value of every keyword that
 * has a fixed compiled-in default; keywords whose default is "unset" or
 * depends on the device (uid_attribute) appear only when configured.
 */
#include <string.h>

#include "config/internal.h"

static int dump_defaults(const struct mp_config *c, struct strbuf *out)
{
	strbuf_append(out, "defaults {\n");
	for (int k = 0; k < _MP_G_MAX; k++) {
		const struct mp_desc *d = &mp_g_descs[k];
		const struct mp_val *v = (c->gset >> k) & 1 ? &c->g[k] : &d->def;
		struct mp_val mpi = { .i = c->globals.max_polling_interval };

		if (k == MP_G_MAX_POLLING_INTERVAL)
			v = &mpi;
		else if (!((c->gset >> k) & 1) && d->def_unset)
			continue;
		strbuf_appendf(out, "\t%s ", d->name);
		d->type->print(d->type, v, out);
		strbuf_append(out, "\n");
	}
	for (int k = 0; k < _MP_SET_MAX; k++) {
		const struct mp_desc *d = &mp_set_descs[k];
		const struct mp_val *v = layer_has(&c->defaults, k) ? &c->defaults.v[k] : &d->def;

		if (!(d->sections & SEC_D) || (!layer_has(&c->defaults, k) && d->def_unset))
			continue;
		strbuf_appendf(out, "\t%s ", d->name);
		d->type->print(d->type, v, out);
		strbuf_append(out, "\n");
	}
	return strbuf_append(out, "}\n");
}

static void dump_str(struct strbuf *out, const char *kw, const char *s)
{
	if (!s)
		return;
	strbuf_appendf(out, "\t\t%s ", kw);
	mp_print_quoted(out, s);
	strbuf_append(out, "\n");
}

/* Which built-in entries to print: all, none, or those matching a path. */
struct hwe_filter {
	bool all;
	const struct mp_path_info *const *paths;
	size_t n;
};

static bool want_hwe(const struct mp_hwe *h, const struct hwe_filter *f)
{
	if (!h->builtin || f->all)
		return true;
	for (size_t k = 0; k < f->n; k++)
		if (f->paths[k] && mp_hwe_match(h, f->paths[k]->vendor, f->paths[k]->product,
					       f->paths[k]->revision))
			return true;
	return false;
}

static int dump_devices(const struct mp_config *c, const struct hwe_filter *f,
			struct strbuf *out)
{
	strbuf_append(out, "devices {\n");
	for (size_t k = 0; k < c->n_hwe; k++) {
		const struct mp_hwe *h = c->hwe[k];

		if (!want_hwe(h, f))
			continue;
		strbuf_append(out, "\tdevice {\n");
		dump_str(out, "vendor", h->vendor);
		dump_str(out, "product", h->product);
		dump_str(out, "revision", h->revision);
		dump_str(out, "product_blacklist", h->bl_product);
		mp_layer_dump(&h->l, SEC_H, 2, out);
		strbuf_append(out, "\t}\n");
	}
	return strbuf_append(out, "}\n");
}

static int dump_overrides(const struct mp_config *c, struct strbuf *out)
{
	strbuf_append(out, "overrides {\n");
	mp_layer_dump(&c->overrides, SEC_O, 1, out);
	for (size_t k = 0; k < c->n_pce; k++) {
		strbuf_append(out, "\tprotocol {\n");
		dump_str(out, "type", c->pce[k]->type);
		mp_layer_dump(&c->pce[k]->l, SEC_P, 2, out);
		strbuf_append(out, "\t}\n");
	}
	return strbuf_append(out, "}\n");
}

static int dump_multipaths(const struct mp_config *c, struct strbuf *out)
{
	strbuf_append(out, "multipaths {\n");
	for (size_t k = 0; k < c->n_mpe; k++) {
		strbuf_append(out, "\tmultipath {\n");
		dump_str(out, "wwid", c->mpe[k]->wwid);
		mp_layer_dump(&c->mpe[k]->l, SEC_M, 2, out);
		strbuf_append(out, "\t}\n");
	}
	return strbuf_append(out, "}\n");
}

static int dump(const struct mp_config *c, bool with_builtin, const struct hwe_filter *f,
		struct strbuf *out)
{
	if (!c || !out)
		return -EINVAL;
	dump_defaults(c, out);
	strbuf_append(out, "blacklist {\n");
	mp_blist_dump(&c->blist, with_builtin, out);
	strbuf_append(out, "}\nblacklist_exceptions {\n");
	mp_blist_dump(&c->blexc, with_builtin, out);
	strbuf_append(out, "}\n");
	dump_devices(c, f, out);
	dump_overrides(c, out);
	if (dump_multipaths(c, out) < 0)
		return -ENOMEM;
	return 0;
}

int mp_config_dump(const struct mp_config *c, bool with_builtin, struct strbuf *out)
{
	struct hwe_filter f = { .all = with_builtin };

	return dump(c, with_builtin, &f, out);
}

int mp_config_dump_local(const struct mp_config *c, const struct mp_path_info *const *paths,
			 size_t n, struct strbuf *out)
{
	struct hwe_filter f = { .paths = paths, .n = n };

	return dump(c, true, &f, out);
}
