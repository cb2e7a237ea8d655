/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The multipathd command language: keywords (with unique-prefix matching
 * and the incumbent's aliases), the command table and the parser.  Pure
 * text in, a struct cli_cmd out; no daemon state, so it is unit tested and
 * fuzzed on its own.  Handlers live in cli-handlers.c.
 */
#ifndef MULTIPATHD_CLI_H
#define MULTIPATHD_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

enum cli_kw {
	/* verbs */
	KW_SHOW, KW_ADD, KW_DEL, KW_SWITCH, KW_SUSPEND, KW_RESUME, KW_REINSTATE,
	KW_FAIL, KW_RESIZE, KW_RESET, KW_RELOAD, KW_DISABLEQ, KW_RESTOREQ,
	KW_FORCEQ, KW_RECONFIGURE, KW_GETPRSTATUS, KW_SETPRSTATUS,
	KW_UNSETPRSTATUS, KW_GETPRKEY, KW_SETPRKEY, KW_UNSETPRKEY, KW_GETPRHOLD,
	KW_SETPRHOLD, KW_UNSETPRHOLD, KW_SETMARGINAL, KW_UNSETMARGINAL,
	KW_SHUTDOWN, KW_QUIT, KW_WAIT,
	/* qualifiers */
	KW_PATHS, KW_MAPS, KW_PATH, KW_MAP, KW_GROUP, KW_TOPOLOGY, KW_STATUS,
	KW_STATS, KW_DAEMON, KW_CONFIG, KW_BLACKLIST, KW_DEVICES, KW_WILDCARDS,
	KW_FORMAT, KW_RAW, KW_JSON, KW_LOCAL, KW_ALL, KW_KEY, KW_PATHLIST,
	KW_TIMEOUT, KW_CLAIM, KW_WWID,
	_KW_MAX,
};

enum cli_cmd_id {
	CMD_SHOW_PATHS, CMD_SHOW_PATHS_FMT, CMD_SHOW_PATHS_RAW_FMT, CMD_SHOW_PATH,
	CMD_SHOW_MAPS, CMD_SHOW_MAPS_FMT, CMD_SHOW_MAPS_RAW_FMT, CMD_SHOW_MAPS_STATUS,
	CMD_SHOW_MAPS_STATS, CMD_SHOW_MAPS_TOPOLOGY, CMD_SHOW_TOPOLOGY,
	CMD_SHOW_MAPS_JSON, CMD_SHOW_MAP_TOPOLOGY, CMD_SHOW_MAP_FMT,
	CMD_SHOW_MAP_RAW_FMT, CMD_SHOW_MAP_JSON, CMD_SHOW_STATUS, CMD_SHOW_DAEMON,
	CMD_SHOW_CONFIG, CMD_SHOW_CONFIG_LOCAL, CMD_SHOW_BLACKLIST, CMD_SHOW_DEVICES,
	CMD_SHOW_WILDCARDS, CMD_SHOW_STATS, CMD_SHOW_STATS_JSON, CMD_SHOW_CLAIM,
	CMD_RESET_MAPS_STATS, CMD_RESET_MAP_STATS,
	CMD_ADD_PATH, CMD_DEL_PATH, CMD_ADD_MAP, CMD_DEL_MAP, CMD_DEL_MAPS,
	CMD_SWITCH_GROUP, CMD_RECONFIGURE, CMD_RECONFIGURE_ALL, CMD_SUSPEND_MAP,
	CMD_RESUME_MAP, CMD_RESIZE_MAP, CMD_RELOAD_MAP, CMD_RESET_MAP,
	CMD_FAIL_PATH, CMD_REINSTATE_PATH, CMD_DISABLEQ_MAPS, CMD_DISABLEQ_MAP,
	CMD_RESTOREQ_MAPS, CMD_RESTOREQ_MAP, CMD_FORCEQ_DAEMON, CMD_RESTOREQ_DAEMON,
	CMD_DISABLEQ_DAEMON,
	CMD_GETPRSTATUS, CMD_SETPRSTATUS, CMD_SETPRSTATUS_LIST, CMD_UNSETPRSTATUS,
	CMD_GETPRKEY, CMD_SETPRKEY, CMD_UNSETPRKEY, CMD_GETPRHOLD, CMD_SETPRHOLD,
	CMD_UNSETPRHOLD, CMD_SETMARGINAL, CMD_UNSETMARGINAL, CMD_UNSETMARGINAL_MAP,
	CMD_SHUTDOWN, CMD_QUIT, CMD_WAIT_MAP, CMD_WAIT_MAP_TIMEOUT,
	_CMD_MAX,
};

#define CLI_MAX_WORDS 16

struct cli_cmd {
	enum cli_cmd_id id;
	bool read_only;                 /* a `show`/`list` command: any user, no action */
	char *param[_KW_MAX];           /* value following a keyword that takes one */
	char *buf;                      /* storage for all param strings */
};

/* Parse one command line.  On error returns -EINVAL (unknown word,
 * missing parameter, no such command), -ENOTUNIQ (ambiguous prefix) or
 * -E2BIG (too long / too many words) and, when `err` is not NULL, appends
 * a reason and the help text to it. */
int cli_parse(const char *line, struct cli_cmd *ret, struct strbuf *err);
void cli_cmd_done(struct cli_cmd *c);
static inline const char *cli_param(const struct cli_cmd *c, enum cli_kw k)
{
	return c->param[k];
}

/* Whether a line is read-only without parsing fully (for the permission
 * check before parsing errors are reported): its verb is show/list. */
bool cli_line_is_read_only(const char *line);

const char *cli_kw_name(enum cli_kw k);
/* The help listing of every command, one per line. */
int cli_help(struct strbuf *out);

/* Split a line into words honouring "…" and '…' quotes.  Returns the
 * word count or -E2BIG / -EINVAL (unbalanced quote); words point into
 * `storage`, which must be at least strlen(line)+1 bytes. */
int cli_split(const char *line, char *storage, char **words, size_t max_words);

/* Completion for interactive shells: the keywords that may follow the
 * complete `words` and start with `prefix`.  Returns the count; *ret is a
 * malloc'ed NULL-terminated array of static strings (free only the array). */
int cli_complete(char **words, size_t n_words, const char *prefix, const char ***ret);

#endif
