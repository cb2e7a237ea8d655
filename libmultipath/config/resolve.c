// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Effective settings of one device.  For every setting the layers are
 * searched from the most specific to the least:
 *   multipaths entry (exact WWID) > overrides/protocol (exact protocol
 *   string) > overrides > matching device entries (user entries, newest
 *   first, then built-in ones, most specific first) > defaults > compiled,
 * and the first layer that sets it wins and is remembered as its origin.
 * Autodetection (prio, checker, grouping policy, ALUA handler) then looks
 * at what the device reported (TPGS, access state, NVMe ANA).
 */
#include <string.h>

#include "config/internal.h"
#include "util/strpool.h"

struct chain {
	const struct mp_layer *l[8];
	enum mp_origin o[8];
	size_t n;
	const struct mp_hwe **hwe;      /* matching entries, highest precedence first */
	size_t n_hwe;
	const struct mp_config *c;
};

static const struct mp_mpe *find_mpe(const struct mp_config *c, const char *wwid)
{
	for (size_t k = 0; wwid && k < c->n_mpe; k++)
		if (!strcmp(c->mpe[k]->wwid, wwid))
			return c->mpe[k];
	return NULL;
}

static const struct mp_pce *find_pce(const struct mp_config *c, const struct mp_path_info *pi)
{
	const char *proto = pi ? mp_proto_to_string(pi->proto) : NULL;

	for (size_t k = 0; proto && k < c->n_pce; k++)
		if (!strcmp(c->pce[k]->type, proto))
			return c->pce[k];
	return NULL;
}

static int find_hwes(const struct mp_config *c, const struct mp_path_info *pi,
		     struct chain *ch)
{
	ch->hwe = calloc(c->n_hwe + 1, sizeof(*ch->hwe));
	if (!ch->hwe)
		return -ENOMEM;
	if (!pi)
		return 0;
	for (size_t k = c->n_hwe; k-- > 0;)
		if (mp_hwe_match(c->hwe[k], pi->vendor, pi->product, pi->revision))
			ch->hwe[ch->n_hwe++] = c->hwe[k];
	return 0;
}

/* The layer that sets `id`, or NULL (compiled default). */
static const struct mp_layer *pick(const struct chain *ch, int id, enum mp_origin *o)
{
	for (size_t k = 0; k < ch->n; k++)
		if (layer_has(ch->l[k], id)) {
			*o = ch->o[k];
			return ch->l[k];
		}
	for (size_t k = 0; k < ch->n_hwe; k++)
		if (layer_has(&ch->hwe[k]->l, id)) {
			*o = ch->hwe[k]->builtin ? ORIGIN_HWTABLE : ORIGIN_DEVICES;
			return &ch->hwe[k]->l;
		}
	if (layer_has(&ch->c->defaults, id)) {
		*o = ORIGIN_DEFAULTS;
		return &ch->c->defaults;
	}
	*o = ORIGIN_COMPILED;
	return NULL;
}

/* Set above `defaults` by the user (not by the built-in table)? */
static bool user_set(const struct chain *ch, int id)
{
	for (size_t k = 0; k < ch->n; k++)
		if (layer_has(ch->l[k], id))
			return true;
	for (size_t k = 0; k < ch->n_hwe; k++)
		if (!ch->hwe[k]->builtin && layer_has(&ch->hwe[k]->l, id))
			return true;
	return false;
}

static const struct mp_val unset_val = { .i = MP_UNSET };

static int store(struct mp_settings *s, int id, const struct mp_val *v, enum mp_origin o)
{
	s->origin[id] = (uint8_t)o;
	return mp_desc_store(&mp_set_descs[id], v, s);
}

static int store_str(struct mp_settings *s, int id, const char *str, enum mp_origin o)
{
	struct mp_val v = { .s = (char *)str };

	return store(s, id, &v, o);
}

static int resolve_chain(struct mp_settings *s, const struct chain *ch)
{
	for (int id = 0; id < _MP_SET_MAX; id++) {
		const struct mp_desc *d = &mp_set_descs[id];
		enum mp_origin o;
		const struct mp_layer *l = pick(ch, id, &o);
		const struct mp_val *v = l ? &l->v[id] : d->def_unset ? &unset_val : &d->def;
		int r;

		if (id == MP_SET_PRIO_ARGS)
			continue;               /* follows prio, below */
		r = store(s, id, v, o);
		if (r < 0)
			return r;
	}
	return 0;
}

/* prio_args come from the layer that chose prio; among device entries the
 * first entry that sets prio_args. */
static int resolve_prio_args(struct mp_settings *s, const struct chain *ch)
{
	enum mp_origin o;
	const struct mp_layer *l = pick(ch, MP_SET_PRIO, &o);

	if (l && (o == ORIGIN_HWTABLE || o == ORIGIN_DEVICES)) {
		for (size_t k = 0; k < ch->n_hwe; k++)
			if (layer_has(&ch->hwe[k]->l, MP_SET_PRIO_ARGS))
				return store(s, MP_SET_PRIO_ARGS,
					     &ch->hwe[k]->l.v[MP_SET_PRIO_ARGS], o);
	} else if (l && layer_has(l, MP_SET_PRIO_ARGS)) {
		return store(s, MP_SET_PRIO_ARGS, &l->v[MP_SET_PRIO_ARGS], o);
	}
	return store_str(s, MP_SET_PRIO_ARGS, "", o);
}

static const char *bus_uid_attribute(const struct mp_path_info *pi)
{
	if (pi && pi->bus == BUS_NVME)
		return "ID_WWN";
	if (pi && pi->bus == BUS_DASD)
		return "ID_UID";
	return "ID_SERIAL";
}

/* uid_attrs ("sd:ID_SERIAL nvme:ID_WWN") beats every section. */
static int resolve_uid_attribute(struct mp_settings *s, const struct mp_config *c,
				 const struct mp_path_info *pi)
{
	const char *attrs = c->globals.uid_attrs;

	if (attrs && pi && pi->devname) {
		_cleanup_free_ char *copy = strdup(attrs);
		char *save = NULL;

		if (!copy)
			return -ENOMEM;
		for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
			char *colon = strchr(w, ':');

			if (!colon)
				continue;
			*colon = '\0';
			if (!strncmp(pi->devname, w, strlen(w)))
				return store_str(s, MP_SET_UID_ATTRIBUTE, colon + 1, ORIGIN_DEFAULTS);
		}
	}
	if (s->origin[MP_SET_UID_ATTRIBUTE] == ORIGIN_COMPILED)
		return store_str(s, MP_SET_UID_ATTRIBUTE, bus_uid_attribute(pi), ORIGIN_COMPILED);
	return 0;
}

static bool has_ana(const struct mp_path_info *pi)
{
	return pi->bus == BUS_NVME && (pi->tpgs > 0 || pi->access_state != ACCESS_UNKNOWN);
}

static int detect_prio(struct mp_settings *s, const struct chain *ch,
		       const struct mp_path_info *pi)
{
	const char *prio = NULL;

	if (!s->detect_prio || user_set(ch, MP_SET_PRIO))
		return 0;
	if (has_ana(pi))
		prio = "ana";
	else if (pi->bus != BUS_NVME && pi->tpgs > 0) {
		/* RDAC arrays balance on RTPG: keep them on the alua prioritizer
		 * unless they advertise explicit ALUA */
		bool rdac = s->checker && !strcmp(s->checker, "rdac");

		prio = (pi->tpgs == 2 || !rdac) && pi->access_state != ACCESS_UNKNOWN ?
			"sysfs" : "alua";
	}
	if (!prio)
		return 0;
	if (store_str(s, MP_SET_PRIO, prio, ORIGIN_AUTODETECT) < 0 ||
	    store_str(s, MP_SET_PRIO_ARGS, "", ORIGIN_AUTODETECT) < 0)
		return -ENOMEM;
	return 0;
}

static int autodetect(struct mp_settings *s, const struct chain *ch,
		      const struct mp_path_info *pi)
{
	int r;

	if (!pi)
		return 0;
	r = detect_prio(s, ch, pi);
	if (r < 0)
		return r;
	/* RDAC arrays (known here by their rdac checker, as the VPD page that
	 * identifies them is not in mp_path_info) keep it; other ALUA devices
	 * get tur */
	if (s->detect_checker && pi->bus != BUS_NVME && pi->tpgs > 0) {
		bool rdac = s->checker && !strcmp(s->checker, "rdac");

		r = store_str(s, MP_SET_CHECKER, rdac ? "rdac" : "tur", ORIGIN_AUTODETECT);
		if (r < 0)
			return r;
	}
	if (s->detect_pgpolicy && s->prio &&
	    (!strcmp(s->prio, "alua") || !strcmp(s->prio, "sysfs"))) {
		s->pgpolicy = s->detect_pgpolicy_use_tpg ? PGP_GROUP_BY_TPG : PGP_GROUP_BY_PRIO;
		s->origin[MP_SET_PGPOLICY] = ORIGIN_AUTODETECT;
	}
	/* ANA-capable NVMe paths also have tpgs set, but dm-mpath can only
	 * attach SCSI device handlers: "1 alua" on NVMe fails the table load */
	if (pi->bus == BUS_SCSI && pi->tpgs > 0 && s->retain_hwhandler &&
	    s->origin[MP_SET_HWHANDLER] == ORIGIN_COMPILED)
		return store_str(s, MP_SET_HWHANDLER, "1 alua", ORIGIN_AUTODETECT);
	if (pi->bus == BUS_SCSI && pi->tpgs == 0 && s->hwhandler &&
	    !strcmp(s->hwhandler, "1 alua"))
		return store_str(s, MP_SET_HWHANDLER, "0", ORIGIN_AUTODETECT);
	return 0;
}

/* Drop `word` from a "N w1 w2…" features string; true if it was there. */
static bool drop_feature(char *features, const char *word)
{
	char out[512];
	char *save = NULL, *w;
	size_t len = 0;
	int count = 0;
	bool found = false;
	_cleanup_free_ char *copy = strdup(features);

	if (!copy || strlen(features) >= sizeof(out))
		return false;
	out[0] = '\0';
	w = strtok_r(copy, " \t", &save);               /* the count */
	for (w = w ? strtok_r(NULL, " \t", &save) : NULL; w; w = strtok_r(NULL, " \t", &save)) {
		if (!strcmp(w, word)) {
			found = true;
			continue;
		}
		len += snprintf(out + len, sizeof(out) - len, " %s", w);
		count++;
	}
	if (found)
		snprintf(features, strlen(features) + 1, "%d%s", count, out);
	return found;
}

/* The deprecated features map to their keywords when those are unset. */
static void reconcile_features(struct mp_settings *s)
{
	enum mp_origin fo = s->origin[MP_SET_FEATURES];

	if (!s->features)
		return;
	if (drop_feature(s->features, "queue_if_no_path") &&
	    s->origin[MP_SET_NO_PATH_RETRY] == ORIGIN_COMPILED) {
		s->no_path_retry = NPR_QUEUE;
		s->no_path_retry_count = 0;
		s->origin[MP_SET_NO_PATH_RETRY] = fo;
	}
	if (drop_feature(s->features, "retain_attached_hw_handler") &&
	    s->origin[MP_SET_RETAIN_HWHANDLER] == ORIGIN_COMPILED) {
		s->retain_hwhandler = true;
		s->origin[MP_SET_RETAIN_HWHANDLER] = fo;
	}
}

void mp_settings_free(struct mp_settings *s)
{
	if (!s)
		return;
	for (int id = 0; id < _MP_SET_MAX; id++)
		if (mp_set_descs[id].kind == FK_STR)
			mp_str_free(*(char **)((char *)s + mp_set_descs[id].off));
	free(s->origin);
	free(s);
}

/* Resolved strings are configuration values ("service-time 0", "1 alua",
 * "tur", an alias) that many maps and paths share, and as many distinct
 * ones as the configurations loaded gave: the string pool's copies
 * (util/strpool.h) instead of a copy per map. */
static void settings_share_strings(struct mp_settings *s)
{
	for (int id = 0; id < _MP_SET_MAX; id++) {
		char **p = (char **)((char *)s + mp_set_descs[id].off);
		const char *q;

		if (mp_set_descs[id].kind != FK_STR || !*p)
			continue;
		q = mp_str_intern(*p);
		if (q && q != *p) {
			free(*p);
			*p = (char *)q;
		}
	}
}

DEFINE_TRIVIAL_CLEANUP_FUNC(struct mp_settings *, mp_settings_free);

static struct mp_settings *settings_new(void)
{
	struct mp_settings *s = calloc(1, sizeof(*s));

	if (s && !(s->origin = calloc(_MP_SET_MAX, sizeof(*s->origin)))) {
		free(s);
		return NULL;
	}
	return s;
}

int mp_config_resolve(const struct mp_config *c, const struct mp_path_info *pi,
		      const char *wwid, struct mp_settings **ret)
{
	_cleanup_(mp_settings_freep) struct mp_settings *s = settings_new();
	struct chain ch = { .c = c };
	const struct mp_mpe *mpe;
	const struct mp_pce *pce;
	int r;

	if (!s)
		return -ENOMEM;
	if (!c)
		return -EINVAL;
	mpe = find_mpe(c, wwid ? wwid : pi ? pi->wwid : NULL);
	pce = find_pce(c, pi);
	if (mpe) {
		ch.l[ch.n] = &mpe->l;
		ch.o[ch.n++] = ORIGIN_MULTIPATHS;
	}
	if (pce) {
		ch.l[ch.n] = &pce->l;
		ch.o[ch.n++] = ORIGIN_PROTOCOL;
	}
	ch.l[ch.n] = &c->overrides;
	ch.o[ch.n++] = ORIGIN_OVERRIDES;
	r = find_hwes(c, pi, &ch);
	if (r >= 0)
		r = resolve_chain(s, &ch);
	if (r >= 0)
		r = resolve_prio_args(s, &ch);
	if (r >= 0)
		r = resolve_uid_attribute(s, c, pi);
	if (r >= 0)
		reconcile_features(s);
	if (r >= 0)
		r = autodetect(s, &ch, pi);
	free(ch.hwe);
	if (r < 0)
		return r;
	settings_share_strings(s);
	*ret = TAKE_PTR(s);
	return 0;
}

/* ---- queries on resolved settings ---- */

const char *mp_settings_origin(const struct mp_settings *s, const char *keyword)
{
	enum mp_setting_id id = mp_setting_id_from_string(keyword);

	if (!s || id < 0)
		return NULL;
	return mp_origin_to_string((enum mp_origin)s->origin[id]);
}

enum mp_origin mp_settings_origin_id(const struct mp_settings *s, enum mp_setting_id id)
{
	if (!s || id < 0 || id >= _MP_SET_MAX)
		return _ORIGIN_MAX;
	return (enum mp_origin)s->origin[id];
}

/* The value of one field as a struct mp_val (strings borrowed). */
static void load(const struct mp_desc *d, const struct mp_settings *s, struct mp_val *v)
{
	const char *base = (const char *)s;

	*v = (struct mp_val){ 0 };
	switch (d->kind) {
	case FK_INT:
		v->i = *(const int *)(base + d->off);
		break;
	case FK_BOOL:
		v->i = *(const bool *)(base + d->off);
		break;
	case FK_PAIR:
		v->i = *(const int *)(base + d->off);
		v->j = *(const int *)(base + d->off2);
		break;
	case FK_MODE:
		v->i = (int)*(const mode_t *)(base + d->off);
		break;
	case FK_UID:
		v->i = (int)*(const uid_t *)(base + d->off);
		break;
	case FK_GID:
		v->i = (int)*(const gid_t *)(base + d->off);
		break;
	case FK_STR:
		v->s = *(char *const *)(base + d->off);
		break;
	default:
		break;
	}
}

int mp_settings_dup(const struct mp_settings *s, struct mp_settings **ret)
{
	_cleanup_(mp_settings_freep) struct mp_settings *n = settings_new();
	uint8_t *origin;

	if (!n)
		return -ENOMEM;
	origin = n->origin;
	*n = *s;
	n->origin = origin;
	memcpy(n->origin, s->origin, _MP_SET_MAX);
	for (int id = 0; id < _MP_SET_MAX; id++) {
		const struct mp_desc *d = &mp_set_descs[id];
		char **p = (char **)((char *)n + d->off);

		if (d->kind == FK_STR && *p && !(*p = (char *)mp_str_intern(*p)))
			return -ENOMEM;
	}
	*ret = TAKE_PTR(n);
	return 0;
}

bool mp_settings_equal(const struct mp_settings *a, const struct mp_settings *b)
{
	for (int id = 0; id < _MP_SET_MAX; id++) {
		struct mp_val va, vb;

		load(&mp_set_descs[id], a, &va);
		load(&mp_set_descs[id], b, &vb);
		if (!mp_val_equal(mp_set_descs[id].type, &va, &vb))
			return false;
	}
	return true;
}

int mp_settings_print_value(const struct mp_settings *s, enum mp_setting_id id,
			    struct strbuf *out)
{
	const struct mp_desc *d;
	struct mp_val v;

	if (!s || id < 0 || id >= _MP_SET_MAX)
		return -EINVAL;
	d = &mp_set_descs[id];
	load(d, s, &v);
	if (d->kind == FK_STR && !v.s)
		return strbuf_append(out, "<unset>");
	if (d->def_unset && s->origin[id] == ORIGIN_COMPILED && d->kind != FK_STR)
		return strbuf_append(out, "<unset>");
	return d->type->print(d->type, &v, out);
}
