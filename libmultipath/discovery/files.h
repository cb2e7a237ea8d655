/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * State files shared with the incumbent's format:
 *   wwids     /etc/multipath/wwids: comment header, then one "/WWID/" a line
 *   bindings  /etc/multipath/bindings: comment header, then "alias wwid"
 * Every change is a read-modify-write under flock(2) on the file, finished
 * by an atomic rename, so concurrent multipath/multipathd processes never
 * lose each other's updates and readers never see half a file.
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
