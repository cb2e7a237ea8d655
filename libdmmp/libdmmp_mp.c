// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Maps, path groups and paths: parsed from multipathd's `show maps json`
 * (schema major version 0) with json-c into plain structs the caller owns.
 */
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "libdmmp_private.h"

#define JSON_MAJOR 0

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static int jint(struct json_object *o, const char *key, int *ret)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return -1;
	*ret = json_object_get_int(v);
	return 0;
}

static uint32_t path_status(const char *s)
{
	static const struct { const char *s; uint32_t v; } map[] = {
		{ "ready", DMMP_PATH_STATUS_UP }, { "faulty", DMMP_PATH_STATUS_DOWN },
		{ "shaky", DMMP_PATH_STATUS_SHAKY }, { "ghost", DMMP_PATH_STATUS_GHOST },
		{ "i/o pending", DMMP_PATH_STATUS_PENDING },
		{ "i/o timeout", DMMP_PATH_STATUS_TIMEOUT },
		{ "delayed", DMMP_PATH_STATUS_DELAYED },
	};

	for (size_t i = 0; s && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(s, map[i].s) == 0)
			return map[i].v;
	return DMMP_PATH_STATUS_UNKNOWN;
}

static uint32_t pg_status(const char *s)
{
	if (!s)
		return DMMP_PATH_GROUP_STATUS_UNKNOWN;
	if (strcmp(s, "active") == 0)
		return DMMP_PATH_GROUP_STATUS_ACTIVE;
	if (strcmp(s, "enabled") == 0)
		return DMMP_PATH_GROUP_STATUS_ENABLED;
	if (strcmp(s, "disabled") == 0)
		return DMMP_PATH_GROUP_STATUS_DISABLED;
	return DMMP_PATH_GROUP_STATUS_UNKNOWN;
}

static void path_free(struct dmmp_path *p)
{
	if (!p)
		return;
	free(p->blk_name);
	free(p);
}

static void pg_free(struct dmmp_path_group *pg)
{
	if (!pg)
		return;
	for (uint32_t i = 0; i < pg->n_paths; i++)
		path_free(pg->paths[i]);
	free(pg->paths);
	free(pg->selector);
	free(pg);
}

static void mpath_free(struct dmmp_mpath *m)
{
	if (!m)
		return;
	for (uint32_t i = 0; i < m->n_pgs; i++)
		pg_free(m->pgs[i]);
	free(m->pgs);
	free(m->wwid);
	free(m->alias);
	free(m->kdev_name);
	free(m);
}

void dmmp_mpath_array_free(struct dmmp_mpath **dmmp_mps, uint32_t dmmp_mp_count)
{
	if (!dmmp_mps)
		return;
	for (uint32_t i = 0; i < dmmp_mp_count; i++)
		mpath_free(dmmp_mps[i]);
	free(dmmp_mps);
}

static int parse_path(struct json_object *o, struct dmmp_path **ret)
{
	struct dmmp_path *p = calloc(1, sizeof(*p));
	const char *dev = jstr(o, "dev");

	if (!p)
		return DMMP_ERR_NO_MEMORY;
	if (!dev) {
		free(p);
		return DMMP_ERR_BUG;
	}
	p->blk_name = strdup(dev);
	p->status = path_status(jstr(o, "chk_st"));
	if (!p->blk_name) {
		path_free(p);
		return DMMP_ERR_NO_MEMORY;
	}
	*ret = p;
	return DMMP_OK;
}

static int parse_pg(struct json_object *o, struct dmmp_path_group **ret)
{
	struct dmmp_path_group *pg = calloc(1, sizeof(*pg));
	struct json_object *paths;
	int id = 0, pri = 0, rc = DMMP_OK;
	size_t n;

	if (!pg)
		return DMMP_ERR_NO_MEMORY;
	if (jint(o, "group", &id) < 0 || !json_object_object_get_ex(o, "paths", &paths) ||
	    !json_object_is_type(paths, json_type_array)) {
		free(pg);
		return DMMP_ERR_BUG;
	}
	jint(o, "pri", &pri);
	pg->id = (uint32_t)id;
	pg->priority = (uint32_t)pri;
	pg->status = pg_status(jstr(o, "dm_st"));
	pg->selector = strdup(jstr(o, "selector") ? jstr(o, "selector") : "");
	n = json_object_array_length(paths);
	pg->paths = calloc(n + 1, sizeof(*pg->paths));
	if (!pg->selector || !pg->paths) {
		pg_free(pg);
		return DMMP_ERR_NO_MEMORY;
	}
	for (size_t i = 0; i < n && rc == DMMP_OK; i++) {
		rc = parse_path(json_object_array_get_idx(paths, i), &pg->paths[i]);
		if (rc == DMMP_OK)
			pg->n_paths++;
	}
	if (rc != DMMP_OK) {
		pg_free(pg);
		return rc;
	}
	*ret = pg;
	return DMMP_OK;
}

static int parse_map(struct json_object *o, struct dmmp_mpath **ret)
{
	struct dmmp_mpath *m = calloc(1, sizeof(*m));
	const char *name = jstr(o, "name"), *uuid = jstr(o, "uuid"), *sysfs = jstr(o, "sysfs");
	struct json_object *pgs;
	int rc = DMMP_OK;
	size_t n;

	if (!m)
		return DMMP_ERR_NO_MEMORY;
	if (!name || !uuid || !sysfs || !json_object_object_get_ex(o, "path_groups", &pgs) ||
	    !json_object_is_type(pgs, json_type_array)) {
		free(m);
		return DMMP_ERR_BUG;
	}
	m->alias = strdup(name);
	m->wwid = strdup(uuid);
	m->kdev_name = strdup(sysfs);
	n = json_object_array_length(pgs);
	m->pgs = calloc(n + 1, sizeof(*m->pgs));
	if (!m->alias || !m->wwid || !m->kdev_name || !m->pgs) {
		mpath_free(m);
		return DMMP_ERR_NO_MEMORY;
	}
	for (size_t i = 0; i < n && rc == DMMP_OK; i++) {
		rc = parse_pg(json_object_array_get_idx(pgs, i), &m->pgs[i]);
		if (rc == DMMP_OK)
			m->n_pgs++;
	}
	if (rc != DMMP_OK) {
		mpath_free(m);
		return rc;
	}
	*ret = m;
	return DMMP_OK;
}

int _dmmp_parse_maps(struct dmmp_context *ctx, const char *json, struct dmmp_mpath ***ret,
		     uint32_t *ret_n)
{
	struct json_object *root = json_tokener_parse(json), *maps;
	struct dmmp_mpath **v = NULL;
	uint32_t count = 0;
	int major = -1, rc = DMMP_OK;
	size_t n;

	if (!root) {
		_error(ctx, "multipathd sent JSON that does not parse");
		return DMMP_ERR_BUG;
	}
	if (jint(root, "major_version", &major) < 0 || major != JSON_MAJOR) {
		_error(ctx, "incompatible multipathd JSON major version %d (want %d)",
		       major, JSON_MAJOR);
		json_object_put(root);
		return DMMP_ERR_INCOMPATIBLE;
	}
	if (!json_object_object_get_ex(root, "maps", &maps) ||
	    !json_object_is_type(maps, json_type_array)) {
		_error(ctx, "multipathd JSON has no 'maps' array");
		json_object_put(root);
		return DMMP_ERR_BUG;
	}
	n = json_object_array_length(maps);
	v = calloc(n + 1, sizeof(*v));
	if (!v)
		rc = DMMP_ERR_NO_MEMORY;
	for (size_t i = 0; v && i < n && rc == DMMP_OK; i++) {
		rc = parse_map(json_object_array_get_idx(maps, i), &v[i]);
		if (rc == DMMP_OK)
			count++;
	}
	json_object_put(root);
	if (rc != DMMP_OK) {
		_error(ctx, "cannot parse the maps of multipathd's JSON: %s", dmmp_strerror(rc));
		dmmp_mpath_array_free(v, count);
		return rc;
	}
	*ret = v;
	*ret_n = count;
	return DMMP_OK;
}

int dmmp_mpath_array_get(struct dmmp_context *ctx, struct dmmp_mpath ***dmmp_mps,
			 uint32_t *dmmp_mp_count)
{
	char *reply = NULL;
	int rc;

	if (!ctx || !dmmp_mps || !dmmp_mp_count)
		return DMMP_ERR_INVALID_ARGUMENT;
	*dmmp_mps = NULL;
	*dmmp_mp_count = 0;
	rc = _dmmp_ipc_exec(ctx, "show maps json", &reply);
	if (rc != DMMP_OK)
		return rc;
	rc = _dmmp_parse_maps(ctx, reply, dmmp_mps, dmmp_mp_count);
	free(reply);
	return rc;
}

const char *dmmp_mpath_wwid_get(struct dmmp_mpath *m) { return m ? m->wwid : NULL; }
const char *dmmp_mpath_name_get(struct dmmp_mpath *m) { return m ? m->alias : NULL; }
const char *dmmp_mpath_kdev_name_get(struct dmmp_mpath *m) { return m ? m->kdev_name : NULL; }

void dmmp_path_group_array_get(struct dmmp_mpath *m, struct dmmp_path_group ***pgs,
			       uint32_t *count)
{
	*pgs = m ? m->pgs : NULL;
	*count = m ? m->n_pgs : 0;
}

uint32_t dmmp_path_group_id_get(struct dmmp_path_group *pg) { return pg ? pg->id : 0; }
uint32_t dmmp_path_group_priority_get(struct dmmp_path_group *pg) { return pg ? pg->priority : 0; }
uint32_t dmmp_path_group_status_get(struct dmmp_path_group *pg)
{
	return pg ? pg->status : DMMP_PATH_GROUP_STATUS_UNKNOWN;
}
const char *dmmp_path_group_selector_get(struct dmmp_path_group *pg) { return pg ? pg->selector : NULL; }

const char *dmmp_path_group_status_str(uint32_t s)
{
	switch (s) {
	case DMMP_PATH_GROUP_STATUS_UNKNOWN: return "undef";
	case DMMP_PATH_GROUP_STATUS_ENABLED: return "enabled";
	case DMMP_PATH_GROUP_STATUS_DISABLED: return "disabled";
	case DMMP_PATH_GROUP_STATUS_ACTIVE: return "active";
	default: return "Invalid argument";
	}
}

void dmmp_path_array_get(struct dmmp_path_group *pg, struct dmmp_path ***ps, uint32_t *count)
{
	*ps = pg ? pg->paths : NULL;
	*count = pg ? pg->n_paths : 0;
}

const char *dmmp_path_blk_name_get(struct dmmp_path *p) { return p ? p->blk_name : NULL; }
uint32_t dmmp_path_status_get(struct dmmp_path *p) { return p ? p->status : DMMP_PATH_STATUS_UNKNOWN; }

const char *dmmp_path_status_str(uint32_t s)
{
	switch (s) {
	case DMMP_PATH_STATUS_UNKNOWN: return "undef";
	case DMMP_PATH_STATUS_DOWN: return "faulty";
	case DMMP_PATH_STATUS_UP: return "ready";
	case DMMP_PATH_STATUS_SHAKY: return "shaky";
	case DMMP_PATH_STATUS_GHOST: return "ghost";
	case DMMP_PATH_STATUS_PENDING: return "i/o pending";
	case DMMP_PATH_STATUS_TIMEOUT: return "i/o timeout";
	case DMMP_PATH_STATUS_DELAYED: return "delayed";
	default: return "Invalid argument";
	}
}
