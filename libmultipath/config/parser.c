// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * multipath.conf reader.  A line is split into tokens (words, "quoted"
 * strings with "" for a quote, standalone { and }; # or ! at the start of
 * an unquoted token begins a comment), then interpreted against a small
 * section stack.  Keyword handling is table driven (keywords.c); this file
 * only knows the section grammar and the identity keywords of entries
 * (vendor/product/revision, wwid, type, blacklist rules).
 *
 * Every problem becomes a diagnostic with file and line.  Unknown or
 * misplaced keywords are warnings; bad values, bad regexes and brace
 * errors are errors, and any error makes the whole load fail so a daemon
 * can keep its previous configuration.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config/internal.h"
#include "util/log.h"

enum sec {
	S_TOP, S_DEFAULTS, S_BLACKLIST, S_BLEXC, S_BL_DEVICE, S_DEVICES, S_DEVICE,
	S_MULTIPATHS, S_MULTIPATH, S_OVERRIDES, S_PROTOCOL, S_SKIP,
};

static const char *const sec_names[] = {
	[S_TOP] = "top level", [S_DEFAULTS] = "defaults", [S_BLACKLIST] = "blacklist",
	[S_BLEXC] = "blacklist_exceptions", [S_BL_DEVICE] = "device",
	[S_DEVICES] = "devices", [S_DEVICE] = "device", [S_MULTIPATHS] = "multipaths",
	[S_MULTIPATH] = "multipath", [S_OVERRIDES] = "overrides", [S_PROTOCOL] = "protocol",
	[S_SKIP] = "unknown",
};

/* Which sub-sections each section accepts. */
static const struct {
	enum sec parent;
	const char *name;
	enum sec child;
} sec_children[] = {
	{ S_TOP, "defaults", S_DEFAULTS },
	{ S_TOP, "blacklist", S_BLACKLIST },
	{ S_TOP, "blacklist_exceptions", S_BLEXC },
	{ S_TOP, "devices", S_DEVICES },
	{ S_TOP, "multipaths", S_MULTIPATHS },
	{ S_TOP, "overrides", S_OVERRIDES },
	{ S_DEVICES, "device", S_DEVICE },
	{ S_MULTIPATHS, "multipath", S_MULTIPATH },
	{ S_OVERRIDES, "protocol", S_PROTOCOL },
	{ S_BLACKLIST, "device", S_BL_DEVICE },
	{ S_BLEXC, "device", S_BL_DEVICE },
};

#define MAX_DEPTH 8

struct tok {
	char *s;
	bool quoted;
};

struct toks {
	size_t n, cap;
	struct tok *v;
};

struct pstate {
	struct mp_ctx ctx;
	enum sec stack[MAX_DEPTH];
	int open_line[MAX_DEPTH];
	int depth;                      /* stack[depth] is the current section */
	int skip_depth;                 /* nesting inside an ignored section */
	struct mp_hwe *hwe;
	struct mp_pce *pce;
	struct mp_mpe *mpe;
	char *bl_vendor, *bl_product;
	/* notices for accepted-but-unused keywords of the open device entry:
	 * held until the entry closes, so an exact copy of a built-in entry
	 * (multipath -t output) stays quiet */
	struct unused_note {
		const struct mp_desc *d;
		int line;
	} notes[_MP_SET_MAX];
	int n_notes;
};

/* ---- diagnostics ---- */

void mp_ctx_diag(struct mp_ctx *ctx, int prio, const char *fmt, ...)
{
	struct mp_config_diag *nv;
	char *msg = NULL;
	va_list ap;

	if (prio <= LOG_ERR)
		ctx->errors++;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (!msg)
		return;
	if (!ctx->diags) {
		mp_log(prio, "%s:%d: %s", ctx->file, ctx->line, msg);
		free(msg);
		return;
	}
	nv = realloc(ctx->diags->v, (ctx->diags->n + 1) * sizeof(*nv));
	if (!nv) {
		free(msg);
		return;
	}
	ctx->diags->v = nv;
	nv[ctx->diags->n++] = (struct mp_config_diag){
		.prio = prio, .file = strdup(ctx->file), .line = ctx->line, .msg = msg,
	};
}

void mp_config_diags_done(struct mp_config_diags *d)
{
	if (!d)
		return;
	for (size_t k = 0; k < d->n; k++) {
		free(d->v[k].file);
		free(d->v[k].msg);
	}
	free(d->v);
	d->v = NULL;
	d->n = 0;
}

int mp_config_diags_print(const struct mp_config_diags *d)
{
	int errors = 0;

	for (size_t k = 0; d && k < d->n; k++) {
		const struct mp_config_diag *x = &d->v[k];

		mp_log(x->prio, "%s:%d: %s", x->file ? x->file : "?", x->line, x->msg);
		errors += x->prio <= LOG_ERR;
	}
	return errors;
}

size_t mp_config_diags_count(const struct mp_config_diags *d, int prio)
{
	size_t n = 0;

	for (size_t k = 0; d && k < d->n; k++)
		n += d->v[k].prio <= prio;
	return n;
}

/* ---- tokenizer ---- */

static void toks_clear(struct toks *t)
{
	for (size_t k = 0; k < t->n; k++)
		free(t->v[k].s);
	t->n = 0;
}

static int toks_push(struct toks *t, const char *s, size_t len, bool quoted)
{
	char *copy;

	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 8;
		struct tok *nv = realloc(t->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		t->v = nv;
		t->cap = cap;
	}
	copy = strndup(s, len);
	if (!copy)
		return -ENOMEM;
	t->v[t->n++] = (struct tok){ copy, quoted };
	return 0;
}

/* A quoted string starting at p (after the opening quote); "" is a quote. */
static int lex_quoted(struct pstate *ps, const char **pp, const char *end, struct toks *t)
{
	const char *p = *pp;
	_cleanup_free_ char *buf = malloc(end - p + 1);
	size_t n = 0;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (p >= end) {
			mp_ctx_diag(&ps->ctx, LOG_ERR, "unterminated quoted string");
			return -EINVAL;
		}
		if (*p == '"') {
			if (p + 1 < end && p[1] == '"') {
				buf[n++] = '"';
				p += 2;
				continue;
			}
			p++;
			break;
		}
		buf[n++] = *p++;
	}
	*pp = p;
	return toks_push(t, buf, n, true);
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f';
}

static int lex_line(struct pstate *ps, const char *p, const char *end, struct toks *t)
{
	int r;

	while (p < end) {
		const char *start;

		if (is_blank(*p)) {
			p++;
			continue;
		}
		if (*p == '#' || *p == '!')
			break;
		if (*p == '"') {
			p++;
			r = lex_quoted(ps, &p, end, t);
			if (r < 0)
				return r;
			continue;
		}
		start = p;
		while (p < end && !is_blank(*p) && *p != '"')
			p++;
		r = toks_push(t, start, p - start, false);
		if (r < 0)
			return r;
	}
	return 0;
}

static bool tok_is(const struct tok *t, const char *s)
{
	return !t->quoted && !strcmp(t->s, s);
}

/* ---- entries ---- */

static int add_ptr(void ***v, size_t *n, void *p)
{
	void **nv = realloc(*v, (*n + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	nv[(*n)++] = p;
	*v = nv;
	return 0;
}

static void remove_ptr(void **v, size_t *n, size_t at)
{
	memmove(&v[at], &v[at + 1], (*n - at - 1) * sizeof(*v));
	(*n)--;
}

static void pce_free(struct mp_pce *p)
{
	if (!p)
		return;
	free(p->type);
	mp_layer_done(&p->l);
	free(p);
}

static void mpe_free(struct mp_mpe *m)
{
	if (!m)
		return;
	free(m->wwid);
	mp_layer_done(&m->l);
	free(m);
}

static bool str_same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool hwe_same_id(const struct mp_hwe *a, const struct mp_hwe *b)
{
	return str_same(a->vendor, b->vendor) && str_same(a->product, b->product) &&
	       str_same(a->revision, b->revision);
}

static void unused_notice(struct mp_ctx *ctx, const struct mp_desc *d)
{
	mp_ctx_diag(ctx, LOG_NOTICE, "keyword '%s' is accepted but has no effect: %s",
		    d->name, d->unused);
}

static void flush_notes(struct pstate *ps)
{
	int line = ps->ctx.line;

	for (int k = 0; k < ps->n_notes; k++) {
		ps->ctx.line = ps->notes[k].line;
		unused_notice(&ps->ctx, ps->notes[k].d);
	}
	ps->ctx.line = line;
	ps->n_notes = 0;
}

/* An exact copy of a built-in entry with no user entry of the same name
 * before it changes nothing. */
static bool is_builtin_copy(const struct mp_config *c, const struct mp_hwe *h)
{
	bool copy = false;

	for (size_t k = 0; k < c->n_builtin && !copy; k++)
		copy = hwe_same_id(c->hwe[k], h) &&
		       str_same(c->hwe[k]->bl_product, h->bl_product) &&
		       mp_layer_equal(&c->hwe[k]->l, &h->l);
	for (size_t k = c->n_builtin; k < c->n_hwe && copy; k++)
		copy = !hwe_same_id(c->hwe[k], h);
	return copy;
}

/* A user entry with the same vendor/product/revision strings as an earlier
 * user entry absorbs it (its own values win) and takes its place at the
 * end; an exact copy of a built-in entry (what `multipath -t` prints) is
 * dropped, so a dump parses back to the same table. */
static int close_device(struct pstate *ps)
{
	struct mp_config *c = ps->ctx.c;
	_cleanup_(mp_hwe_freep) struct mp_hwe *h = TAKE_PTR(ps->hwe);
	int r;

	if (!h->vendor || !h->product) {
		mp_ctx_diag(&ps->ctx, LOG_WARNING,
			    "device entry without %s, ignoring it", h->vendor ? "product" : "vendor");
		return 0;
	}
	if (mp_hwe_compile(h, &ps->ctx) < 0)
		return -EINVAL;
	if (is_builtin_copy(c, h)) {
		ps->n_notes = 0;
		return 0;
	}
	flush_notes(ps);
	for (size_t k = c->n_builtin; k < c->n_hwe; k++) {
		struct mp_hwe *old = c->hwe[k];

		if (!hwe_same_id(old, h))
			continue;
		r = mp_layer_merge(&old->l, &h->l);
		if (r < 0)
			return r;
		mp_layer_done(&h->l);
		h->l = old->l;
		old->l = (struct mp_layer){ 0 };
		if (!h->bl_product && old->bl_product)
			h->bl_product = TAKE_PTR(old->bl_product);
		mp_hwe_free(old);
		remove_ptr((void **)c->hwe, &c->n_hwe, k);
		break;
	}
	if (h->bl_product) {
		r = mp_blist_add(&c->blist, BL_DEVICE, h->vendor, h->bl_product, false, &ps->ctx);
		if (r < 0)
			return r;
	}
	r = add_ptr((void ***)&c->hwe, &c->n_hwe, h);
	if (r < 0)
		return r;
	TAKE_PTR(h);
	return 0;
}

static int close_protocol(struct pstate *ps)
{
	struct mp_config *c = ps->ctx.c;
	struct mp_pce *p = TAKE_PTR(ps->pce);
	int r;

	if (!p->type) {
		mp_ctx_diag(&ps->ctx, LOG_WARNING, "protocol entry without type, ignoring it");
		pce_free(p);
		return 0;
	}
	for (size_t k = 0; k < c->n_pce; k++)
		if (!strcmp(c->pce[k]->type, p->type)) {
			r = mp_layer_merge(&c->pce[k]->l, &p->l);
			pce_free(p);
			return r;
		}
	r = add_ptr((void ***)&c->pce, &c->n_pce, p);
	if (r < 0)
		pce_free(p);
	return r;
}

static int close_multipath(struct pstate *ps)
{
	struct mp_config *c = ps->ctx.c;
	struct mp_mpe *m = TAKE_PTR(ps->mpe);
	int r;

	if (!m->wwid) {
		mp_ctx_diag(&ps->ctx, LOG_WARNING, "multipath entry without wwid, ignoring it");
		mpe_free(m);
		return 0;
	}
	for (size_t k = 0; k < c->n_mpe; k++) {
		const struct mp_layer *ol = &c->mpe[k]->l;

		if (strcmp(c->mpe[k]->wwid, m->wwid) && layer_has(ol, MP_SET_ALIAS) &&
		    layer_has(&m->l, MP_SET_ALIAS) &&
		    !strcmp(ol->v[MP_SET_ALIAS].s, m->l.v[MP_SET_ALIAS].s))
			mp_ctx_diag(&ps->ctx, LOG_WARNING, "alias '%s' of wwid '%s' is already used by wwid '%s'",
				    m->l.v[MP_SET_ALIAS].s, m->wwid, c->mpe[k]->wwid);
	}
	for (size_t k = 0; k < c->n_mpe; k++)
		if (!strcmp(c->mpe[k]->wwid, m->wwid)) {
			r = mp_layer_merge(&c->mpe[k]->l, &m->l);
			mpe_free(m);
			return r;
		}
	r = add_ptr((void ***)&c->mpe, &c->n_mpe, m);
	if (r < 0)
		mpe_free(m);
	return r;
}

static int close_bl_device(struct pstate *ps, enum sec parent)
{
	struct mp_blist *b = parent == S_BLACKLIST ? &ps->ctx.c->blist : &ps->ctx.c->blexc;
	_cleanup_free_ char *v = TAKE_PTR(ps->bl_vendor);
	_cleanup_free_ char *p = TAKE_PTR(ps->bl_product);

	if (!v && !p) {
		mp_ctx_diag(&ps->ctx, LOG_WARNING,
			    "device rule without vendor or product in '%s', ignoring it",
			    sec_names[parent]);
		return 0;
	}
	return mp_blist_add(b, BL_DEVICE, v ? v : ".*", p, false, &ps->ctx);
}

/* ---- sections ---- */

static int open_section(struct pstate *ps, const char *name)
{
	enum sec cur = ps->stack[ps->depth];
	enum sec child = S_SKIP;

	if (cur == S_SKIP) {
		ps->skip_depth++;
		return 0;
	}
	for (size_t k = 0; k < ARRAY_SIZE(sec_children); k++)
		if (sec_children[k].parent == cur && !strcmp(sec_children[k].name, name))
			child = sec_children[k].child;
	if (ps->depth + 1 >= MAX_DEPTH) {
		mp_ctx_diag(&ps->ctx, LOG_ERR, "sections nested too deeply");
		return -EINVAL;
	}
	if (child == S_SKIP)
		mp_ctx_diag(&ps->ctx, LOG_WARNING, "unknown section '%s' in section '%s', ignoring",
			    name, sec_names[cur]);
	else if (child == S_DEVICE && !(ps->hwe = calloc(1, sizeof(*ps->hwe))))
		return -ENOMEM;
	if (child == S_DEVICE)
		ps->n_notes = 0;
	else if (child == S_PROTOCOL && !(ps->pce = calloc(1, sizeof(*ps->pce))))
		return -ENOMEM;
	else if (child == S_MULTIPATH && !(ps->mpe = calloc(1, sizeof(*ps->mpe))))
		return -ENOMEM;
	ps->stack[++ps->depth] = child;
	ps->open_line[ps->depth] = ps->ctx.line;
	return 0;
}

static struct mp_layer *sec_layer(struct pstate *ps, enum sec s);

static void check_layer(struct pstate *ps, const struct mp_layer *l)
{
	if (l && layer_has(l, MP_SET_PRIO) && layer_has(l, MP_SET_PRIO_ARGS))
		mp_check_prio_args(&ps->ctx, l->v[MP_SET_PRIO].s, l->v[MP_SET_PRIO_ARGS].s);
}

static int close_section(struct pstate *ps)
{
	enum sec cur = ps->stack[ps->depth];

	if (cur == S_SKIP && ps->skip_depth > 0) {
		ps->skip_depth--;
		return 0;
	}
	if (ps->depth == 0) {
		mp_ctx_diag(&ps->ctx, LOG_ERR, "unmatched '}'");
		return -EINVAL;
	}
	if (cur != S_SKIP)
		check_layer(ps, sec_layer(ps, cur));
	ps->depth--;
	switch (cur) {
	case S_DEVICE:
		return close_device(ps);
	case S_PROTOCOL:
		return close_protocol(ps);
	case S_MULTIPATH:
		return close_multipath(ps);
	case S_BL_DEVICE:
		return close_bl_device(ps, ps->stack[ps->depth]);
	default:
		return 0;
	}
}

/* ---- keywords ---- */

static unsigned sec_bit(enum sec s)
{
	switch (s) {
	case S_DEFAULTS:
		return SEC_D;
	case S_DEVICE:
		return SEC_H;
	case S_OVERRIDES:
		return SEC_O;
	case S_MULTIPATH:
		return SEC_M;
	case S_PROTOCOL:
		return SEC_P;
	default:
		return 0;
	}
}

static struct mp_layer *sec_layer(struct pstate *ps, enum sec s)
{
	switch (s) {
	case S_DEFAULTS:
		return &ps->ctx.c->defaults;
	case S_DEVICE:
		return &ps->hwe->l;
	case S_OVERRIDES:
		return &ps->ctx.c->overrides;
	case S_MULTIPATH:
		return &ps->mpe->l;
	case S_PROTOCOL:
		return &ps->pce->l;
	default:
		return NULL;
	}
}

static int set_value(struct pstate *ps, const struct mp_desc *d, const char *kw,
		     const char *value, struct mp_val *slot, uint64_t *set, int bit)
{
	struct mp_val v = { 0 };
	int r = d->type->parse(d->type, &ps->ctx, kw, value, &v);

	if (r < 0)
		return r == -ENOMEM ? r : 0;
	if (d->deprecated)
		mp_ctx_diag(&ps->ctx, LOG_WARNING, "keyword '%s' is deprecated", kw);
	/* the compiled-in default is what happens anyway: only a different
	 * value deserves a notice */
	if (d->unused && !mp_val_equal(d->type, &v, &d->def)) {
		if (ps->stack[ps->depth] != S_DEVICE)
			unused_notice(&ps->ctx, d);
		else if (ps->n_notes < (int)ARRAY_SIZE(ps->notes))
			ps->notes[ps->n_notes++] = (struct unused_note){ d, ps->ctx.line };
	}
	mp_val_done(slot);
	*slot = v;
	*set |= UINT64_C(1) << bit;
	return 0;
}

static int replace_str(char **dst, const char *value)
{
	char *s = strdup(value);

	if (!s)
		return -ENOMEM;
	free(*dst);
	*dst = s;
	return 0;
}

static int set_regex_str(struct pstate *ps, char **dst, const char *kw, const char *value)
{
	regex_t re;
	char err[128];

	if (mp_regcomp(&re, value, err, sizeof(err)) < 0) {
		mp_ctx_diag(&ps->ctx, LOG_ERR,
			    "invalid regular expression '%s' for '%s': %s (accepted: a POSIX extended regex)",
			    value, kw, err);
		return 0;
	}
	regfree(&re);
	return replace_str(dst, value);
}

/* Identity keywords of entries and blacklist rules; 1 = handled. */
static int special_keyword(struct pstate *ps, enum sec s, const char *kw, const char *value)
{
	static const char *const bl_kw[] = {
		[BL_DEVNODE] = "devnode", [BL_WWID] = "wwid", [BL_PROPERTY] = "property",
		[BL_PROTOCOL] = "protocol",
	};
	int r = 1;

	if (s == S_DEVICE) {
		if (!strcmp(kw, "vendor"))
			r = set_regex_str(ps, &ps->hwe->vendor, kw, value);
		else if (!strcmp(kw, "product"))
			r = set_regex_str(ps, &ps->hwe->product, kw, value);
		else if (!strcmp(kw, "revision"))
			r = set_regex_str(ps, &ps->hwe->revision, kw, value);
		else if (!strcmp(kw, "product_blacklist"))
			r = set_regex_str(ps, &ps->hwe->bl_product, kw, value);
		else
			return 0;
	} else if (s == S_MULTIPATH && !strcmp(kw, "wwid")) {
		r = replace_str(&ps->mpe->wwid, value);
	} else if (s == S_PROTOCOL && !strcmp(kw, "type")) {
		bool known = false;

		for (int p = 0; p < _PROTO_MAX; p++)
			known = known || !strcmp(value, mp_proto_to_string((enum mp_proto)p));
		if (!known)
			mp_ctx_diag(&ps->ctx, LOG_WARNING,
				    "protocol type '%s' matches no device (accepted: scsi:fcp, scsi:iscsi, nvme:tcp, … see multipath.conf(5))",
				    value);
		r = replace_str(&ps->pce->type, value);
	} else if (s == S_BL_DEVICE) {
		if (!strcmp(kw, "vendor"))
			r = set_regex_str(ps, &ps->bl_vendor, kw, value);
		else if (!strcmp(kw, "product"))
			r = set_regex_str(ps, &ps->bl_product, kw, value);
		else
			return 0;
	} else if (s == S_BLACKLIST || s == S_BLEXC) {
		struct mp_blist *b = s == S_BLACKLIST ? &ps->ctx.c->blist : &ps->ctx.c->blexc;

		for (size_t k = 0; k < ARRAY_SIZE(bl_kw); k++)
			if (!strcmp(kw, bl_kw[k]))
				return mp_blist_add(b, (enum mp_bl_kind)k, value, NULL, false,
						    &ps->ctx) < 0 ? -ENOMEM : 1;
		return 0;
	} else {
		return 0;
	}
	return r < 0 ? r : 1;
}

static int keyword(struct pstate *ps, const char *kw, const char *value)
{
	enum sec s = ps->stack[ps->depth];
	struct mp_config *c = ps->ctx.c;
	unsigned bit = sec_bit(s);
	struct mp_kw k;
	int r;

	if (s == S_SKIP)
		return 0;
	r = special_keyword(ps, s, kw, value);
	if (r != 0)
		return r < 0 ? r : 0;
	if (mp_kw_lookup(kw, &k) < 0) {
		mp_ctx_diag(&ps->ctx, LOG_WARNING, "unknown keyword '%s' in section '%s', ignoring",
			    kw, sec_names[s]);
		return 0;
	}
	if (!bit || !(k.sections & bit)) {
		mp_ctx_diag(&ps->ctx, LOG_WARNING,
			    "keyword '%s' is not allowed in section '%s', ignoring", kw,
			    sec_names[s]);
		return 0;
	}
	if (k.kind == KW_IGNORED) {
		mp_ctx_diag(&ps->ctx, LOG_WARNING, "keyword '%s' is deprecated and ignored (%s)",
			    kw, k.note);
		return 0;
	}
	if (k.kind == KW_GLOBAL)
		return set_value(ps, &mp_g_descs[k.id], kw, value, &c->g[k.id], &c->gset, k.id);
	return set_value(ps, &mp_set_descs[k.id], kw, value, &sec_layer(ps, s)->v[k.id],
			 &sec_layer(ps, s)->set, k.id);
}

/* Join tokens [from, to) with single blanks: a value written unquoted over
 * several words reads as if it had been quoted. */
static char *join_tokens(const struct toks *t, size_t from, size_t to)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t k = from; k < to; k++) {
		if (k > from)
			strbuf_append(&sb, " ");
		strbuf_append(&sb, t->v[k].s);
	}
	if (!sb.buf)
		return strdup("");
	return strbuf_steal(&sb);
}

static bool is_section_name(const char *s)
{
	for (size_t k = 0; k < ARRAY_SIZE(sec_children); k++)
		if (!strcmp(sec_children[k].name, s))
			return true;
	return false;
}

static int statement(struct pstate *ps, struct toks *t)
{
	size_t n = t->n;
	bool close = false;
	_cleanup_free_ char *value = NULL;
	int r;

	if (n == 0)
		return 0;
	if (tok_is(&t->v[0], "}")) {
		if (n > 1)
			mp_ctx_diag(&ps->ctx, LOG_WARNING, "text after '}' ignored");
		return close_section(ps);
	}
	if (tok_is(&t->v[n - 1], "{")) {
		if (n != 2) {
			mp_ctx_diag(&ps->ctx, LOG_ERR, "expected '<section> {'");
			/* still open a section so the matching '}' balances */
			return open_section(ps, n > 2 ? "" : "{");
		}
		return open_section(ps, t->v[0].s);
	}
	if (n > 1 && tok_is(&t->v[n - 1], "}")) {
		close = true;
		n--;
	}
	if (n == 1) {
		if (is_section_name(t->v[0].s))
			mp_ctx_diag(&ps->ctx, LOG_ERR, "missing '{' after section '%s'", t->v[0].s);
		else if (ps->stack[ps->depth] != S_SKIP)
			mp_ctx_diag(&ps->ctx, LOG_ERR, "missing value for keyword '%s'", t->v[0].s);
	} else {
		value = join_tokens(t, 1, n);
		if (!value)
			return -ENOMEM;
		r = keyword(ps, t->v[0].s, value);
		if (r < 0)
			return r;
	}
	return close ? close_section(ps) : 0;
}

static void pstate_done(struct pstate *ps)
{
	mp_hwe_free(ps->hwe);
	pce_free(ps->pce);
	mpe_free(ps->mpe);
	free(ps->bl_vendor);
	free(ps->bl_product);
	*ps = (struct pstate){ 0 };
}

/* Parse `text` into ctx->c.  -ENOMEM only; syntax errors are counted. */
int mp_parse_text(struct mp_ctx *ctx, const char *text, size_t len)
{
	struct pstate ps = { .ctx = *ctx };
	struct toks t = { 0 };
	const char *p = text, *end = text + len;
	int r = 0;

	ps.ctx.line = 0;
	while (p < end && r != -ENOMEM) {
		const char *eol = memchr(p, '\n', end - p);

		if (!eol)
			eol = end;
		ps.ctx.line++;
		toks_clear(&t);
		r = lex_line(&ps, p, eol, &t);
		if (r == 0)
			r = statement(&ps, &t);
		p = eol + 1;
	}
	for (; r != -ENOMEM && ps.depth > 0; ps.depth--) {
		ps.ctx.line = ps.open_line[ps.depth];
		mp_ctx_diag(&ps.ctx, LOG_ERR, "section '%s' opened here is not closed",
			    sec_names[ps.stack[ps.depth]]);
	}
	toks_clear(&t);
	free(t.v);
	ctx->errors = ps.ctx.errors;
	pstate_done(&ps);
	return r == -ENOMEM ? r : 0;
}

/* ---- load ---- */

void mp_config_free(struct mp_config *c)
{
	if (!c)
		return;
	for (size_t k = 0; k < _MP_G_MAX; k++)
		mp_val_done(&c->g[k]);
	mp_globals_done(&c->globals);
	mp_layer_done(&c->defaults);
	mp_layer_done(&c->overrides);
	for (size_t k = 0; k < c->n_hwe; k++)
		mp_hwe_free(c->hwe[k]);
	free(c->hwe);
	for (size_t k = 0; k < c->n_pce; k++)
		pce_free(c->pce[k]);
	free(c->pce);
	for (size_t k = 0; k < c->n_mpe; k++)
		mpe_free(c->mpe[k]);
	free(c->mpe);
	mp_blist_done(&c->blist);
	mp_blist_done(&c->blexc);
	free(c);
}

int mp_config_new(bool nvme_native, struct mp_config **ret)
{
	_cleanup_(mp_config_freep) struct mp_config *c = calloc(1, sizeof(*c));
	int r;

	if (!c)
		return -ENOMEM;
	r = mp_hwtable_load(c);
	if (r < 0)
		return r;
	r = mp_blist_add_builtin(c, nvme_native);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(c);
	return 0;
}

int mp_config_finish(struct mp_config **pc, struct mp_ctx *ctx, struct mp_config **ret)
{
	mp_globals_finalize(*pc);
	if (ctx->errors > 0)
		return -EINVAL;
	if (!(*pc)->globals.bindings_file || !(*pc)->globals.wwids_file ||
	    !(*pc)->globals.prkeys_file)
		return -ENOMEM;
	*ret = TAKE_PTR(*pc);
	return 0;
}

int mp_config_load_string(const char *text, const char *name, struct mp_config **ret,
			  struct mp_config_diags *diags)
{
	_cleanup_(mp_config_freep) struct mp_config *c = NULL;
	struct mp_ctx ctx = { .diags = diags, .file = name ? name : "<string>" };
	int r = mp_config_new(false, &c);

	if (r < 0)
		return r;
	ctx.c = c;
	r = mp_parse_text(&ctx, text ? text : "", text ? strlen(text) : 0);
	if (r < 0)
		return r;
	return mp_config_finish(&c, &ctx, ret);
}

const struct mp_globals *mp_config_globals(const struct mp_config *c)
{
	return c ? &c->globals : NULL;
}
