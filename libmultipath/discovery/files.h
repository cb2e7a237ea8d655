/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * State files shared with the incumbent's format:
 *   wwids     /etc/multipath/wwids: comment header, then one "/WWID/" a line
 *   bindings  /etc/multipath/bindings: comment header, then "alias wwid"
 * Every change is made under flock(2) on the file: an addition appends
 * one line (one write), a removal rewrites the file and renames it into
 * place; so concurrent multipath/multipathd processes never lose each
 * other's updates and readers never see half a line.
 * And the find_multipaths decision.
 */
#ifndef MP_DISCOVERY_FILES_H
#define MP_DISCOVERY_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "config/settings.h"

#define MP_WWIDS_FILE SYSCONFDIR "/multipath/wwids"
#define MP_BINDINGS_FILE SYSCONFDIR "/multipath/bindings"

/* 1 listed, 0 not (also when the file does not exist), -errno. */
int mp_wwids_check(const char *file, const char *wwid);
/* 1 added, 0 was already there. */
int mp_wwids_add(const char *file, const char *wwid);
/* 1 removed, 0 was not there. */
int mp_wwids_remove(const char *file, const char *wwid);
/* Replace the list (multipath -W style); n may be 0. */
int mp_wwids_replace(const char *file, const char *const *wwids, size_t n);
/* The same for a long-lived process (the daemon): the listed WWIDs are
 * kept in memory and the file is read again only when someone else
 * changed it, so checking and adding are O(1) while it is ours alone.
 * Not thread-safe: the owner serialises calls on one cache. */
struct mp_wwids_cache;
struct mp_wwids_cache *mp_wwids_cache_new(void);
void mp_wwids_cache_free(struct mp_wwids_cache *c);
int mp_wwids_cache_check(struct mp_wwids_cache *c, const char *file, const char *wwid);
int mp_wwids_cache_add(struct mp_wwids_cache *c, const char *file, const char *wwid);
/* Listed WWIDs, NULL-terminated array (free with mp_strv_free). */
int mp_wwids_list(const char *file, char ***ret);
void mp_strv_free(char **v);

/* Bindings, parsed.  Corrupt and duplicate lines are skipped (warned). */
struct mp_binding {
	char *alias;
	char *wwid;
};
struct mp_bindings {
	size_t n;
	struct mp_binding *v;
};
int mp_bindings_read(const char *file, struct mp_bindings *ret);
void mp_bindings_done(struct mp_bindings *b);
const char *mp_bindings_alias_of(const struct mp_bindings *b, const char *wwid);
const char *mp_bindings_wwid_of(const struct mp_bindings *b, const char *alias);

/* User-friendly alias of index n: 0 → "mpatha", 25 → "mpathz",
 * 26 → "mpathaa" …; index of an alias or -EINVAL if not of that prefix. */
int mp_alias_format(const char *prefix, unsigned int n, char *buf, size_t len);
int mp_alias_index(const char *prefix, const char *alias);

/* Alias for `wwid`: the bound one, else the lowest free "<prefix><suffix>"
 * that is bound to no other WWID and for which `in_use` (optional, e.g. a
 * DM device of that name with another UUID) says false; the new binding is
 * written unless `readonly`.  Caller frees *ret_alias. */
int mp_bindings_get_alias(const char *file, const char *wwid, const char *prefix,
			  bool readonly, bool (*in_use)(const char *alias, void *ud),
			  void *ud, char **ret_alias);
/* The same for a long-lived process (the daemon): bindings kept in
 * memory, indexed, re-read only when someone else changed the file; a new
 * binding is one appended line.  Not thread-safe: the owner serialises. */
struct mp_bindings_cache;
struct mp_bindings_cache *mp_bindings_cache_new(void);
void mp_bindings_cache_free(struct mp_bindings_cache *c);
int mp_bindings_cache_get_alias(struct mp_bindings_cache *c, const char *file,
				const char *wwid, const char *prefix, bool readonly,
				bool (*in_use)(const char *alias, void *ud), void *ud,
				char **ret_alias);
/* Bind a given alias (multipath -a / rename); -EEXIST if it is bound to
 * another WWID.  A previous binding of `wwid` is replaced. */
int mp_bindings_set(const char *file, const char *alias, const char *wwid);
int mp_bindings_lookup_wwid(const char *file, const char *alias, char **ret_wwid);

enum mp_find_verdict { MP_FIND_NO, MP_FIND_YES, MP_FIND_MAYBE };
/* Should a path with this WWID be multipathed?  MAYBE (smart only): claim
 * it provisionally and give up after find_multipaths_timeout.  `daemon`
 * distinguishes multipathd (find_multipaths off = greedy) from the
 * command (off = strict). */
enum mp_find_verdict mp_should_multipath(enum mp_find mode, bool in_wwids_file,
					 bool map_exists, int n_paths_with_wwid, bool daemon);

#endif
