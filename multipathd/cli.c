// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Command parsing.  A line is split into words; the first word must be a
 * verb, the others qualifiers.  Each word matches a keyword exactly or as
 * a unique prefix (an alias counts as the keyword it stands for); a prefix
 * shared by several keywords is ambiguous unless one of them is the
 * designated favourite (`show`), so `s` and `sh` keep meaning show as they
 * always have.  Keywords that take a parameter consume the next word.  The
 * ordered keyword sequence is then looked up in the command table.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "multipathd/cli.h"
#include "ipc/ipc.h"
#include "util/util.h"

struct kw_def {
	const char *name;
	enum cli_kw kw;
	bool verb;
	bool param;
	bool favourite;
};

static const struct kw_def kw_defs[] = {
	{ "show", KW_SHOW, true, false, true },
	{ "list", KW_SHOW, true, false, false },
	{ "add", KW_ADD, true, false, false },
	{ "del", KW_DEL, true, false, false },
	{ "remove", KW_DEL, true, false, false },
	{ "switch", KW_SWITCH, true, false, false },
	{ "switchgroup", KW_SWITCH, true, false, false },
	{ "suspend", KW_SUSPEND, true, false, false },
	{ "resume", KW_RESUME, true, false, false },
	{ "reinstate", KW_REINSTATE, true, false, false },
	{ "fail", KW_FAIL, true, false, false },
	{ "resize", KW_RESIZE, true, false, false },
	{ "reset", KW_RESET, true, false, false },
	{ "reload", KW_RELOAD, true, false, false },
	{ "disablequeueing", KW_DISABLEQ, true, false, false },
	{ "restorequeueing", KW_RESTOREQ, true, false, false },
	{ "forcequeueing", KW_FORCEQ, true, false, false },
	{ "reconfigure", KW_RECONFIGURE, true, false, false },
	{ "getprstatus", KW_GETPRSTATUS, true, false, false },
	{ "setprstatus", KW_SETPRSTATUS, true, false, false },
	{ "unsetprstatus", KW_UNSETPRSTATUS, true, false, false },
	{ "getprkey", KW_GETPRKEY, true, false, false },
	{ "setprkey", KW_SETPRKEY, true, false, false },
	{ "unsetprkey", KW_UNSETPRKEY, true, false, false },
	{ "getprhold", KW_GETPRHOLD, true, false, false },
	{ "setprhold", KW_SETPRHOLD, true, false, false },
	{ "unsetprhold", KW_UNSETPRHOLD, true, false, false },
	{ "setmarginal", KW_SETMARGINAL, true, false, false },
	{ "unsetmarginal", KW_UNSETMARGINAL, true, false, false },
	{ "shutdown", KW_SHUTDOWN, true, false, false },
	{ "quit", KW_QUIT, true, false, false },
	{ "exit", KW_QUIT, true, false, false },
	{ "wait", KW_WAIT, true, false, false },

	{ "paths", KW_PATHS, false, false, false },
	{ "maps", KW_MAPS, false, false, false },
	{ "multipaths", KW_MAPS, false, false, false },
	{ "path", KW_PATH, false, true, false },
	{ "map", KW_MAP, false, true, false },
	{ "multipath", KW_MAP, false, true, false },
	{ "group", KW_GROUP, false, true, false },
	{ "topology", KW_TOPOLOGY, false, false, false },
	{ "status", KW_STATUS, false, false, false },
	{ "stats", KW_STATS, false, false, false },
	{ "daemon", KW_DAEMON, false, false, false },
	{ "config", KW_CONFIG, false, false, false },
	{ "blacklist", KW_BLACKLIST, false, false, false },
	{ "devices", KW_DEVICES, false, false, false },
	{ "wildcards", KW_WILDCARDS, false, false, false },
	{ "format", KW_FORMAT, false, true, false },
	{ "raw", KW_RAW, false, false, false },
	{ "json", KW_JSON, false, false, false },
	{ "local", KW_LOCAL, false, false, false },
	{ "all", KW_ALL, false, false, false },
	{ "key", KW_KEY, false, true, false },
	{ "pathlist", KW_PATHLIST, false, true, false },
	{ "timeout", KW_TIMEOUT, false, true, false },
	{ "path-claim", KW_CLAIM, false, true, false },
	{ "wwid", KW_WWID, false, true, false },
};

/* Placeholder shown in help for each keyword's parameter. */
static const char *const kw_param_help[_KW_MAX] = {
	[KW_PATH] = "$path", [KW_MAP] = "$map", [KW_GROUP] = "$group",
	[KW_FORMAT] = "$format", [KW_KEY] = "$key", [KW_PATHLIST] = "$pathlist",
	[KW_TIMEOUT] = "$secs", [KW_CLAIM] = "$dev", [KW_WWID] = "$wwid",
};

struct cmd_def {
	const char *pattern;
	enum cli_cmd_id id;
};

static const struct cmd_def cmd_defs[] = {
	{ "show paths", CMD_SHOW_PATHS },
	{ "show paths format", CMD_SHOW_PATHS_FMT },
	{ "show paths raw format", CMD_SHOW_PATHS_RAW_FMT },
	{ "show path", CMD_SHOW_PATH },
	{ "show maps", CMD_SHOW_MAPS },
	{ "show maps format", CMD_SHOW_MAPS_FMT },
	{ "show maps raw format", CMD_SHOW_MAPS_RAW_FMT },
	{ "show maps status", CMD_SHOW_MAPS_STATUS },
	{ "show maps stats", CMD_SHOW_MAPS_STATS },
	{ "show maps topology", CMD_SHOW_MAPS_TOPOLOGY },
	{ "show topology", CMD_SHOW_TOPOLOGY },
	{ "show maps json", CMD_SHOW_MAPS_JSON },
	{ "show map topology", CMD_SHOW_MAP_TOPOLOGY },
	{ "show map format", CMD_SHOW_MAP_FMT },
	{ "show map raw format", CMD_SHOW_MAP_RAW_FMT },
	{ "show map json", CMD_SHOW_MAP_JSON },
	{ "show status", CMD_SHOW_STATUS },
	{ "show daemon", CMD_SHOW_DAEMON },
	{ "show config", CMD_SHOW_CONFIG },
	{ "show config local", CMD_SHOW_CONFIG_LOCAL },
	{ "show blacklist", CMD_SHOW_BLACKLIST },
	{ "show devices", CMD_SHOW_DEVICES },
	{ "show wildcards", CMD_SHOW_WILDCARDS },
	{ "show stats", CMD_SHOW_STATS },
	{ "show stats json", CMD_SHOW_STATS_JSON },
	{ "show path-claim", CMD_SHOW_CLAIM },
	{ "show path-claim wwid", CMD_SHOW_CLAIM },
	{ "reset maps stats", CMD_RESET_MAPS_STATS },
	{ "reset map stats", CMD_RESET_MAP_STATS },
	{ "add path", CMD_ADD_PATH },
	{ "del path", CMD_DEL_PATH },
	{ "add map", CMD_ADD_MAP },
	{ "del map", CMD_DEL_MAP },
	{ "del maps", CMD_DEL_MAPS },
	{ "switch map group", CMD_SWITCH_GROUP },
	{ "reconfigure", CMD_RECONFIGURE },
	{ "reconfigure all", CMD_RECONFIGURE_ALL },
	{ "suspend map", CMD_SUSPEND_MAP },
	{ "resume map", CMD_RESUME_MAP },
	{ "resize map", CMD_RESIZE_MAP },
	{ "reload map", CMD_RELOAD_MAP },
	{ "reset map", CMD_RESET_MAP },
	{ "fail path", CMD_FAIL_PATH },
	{ "reinstate path", CMD_REINSTATE_PATH },
	{ "disablequeueing maps", CMD_DISABLEQ_MAPS },
	{ "disablequeueing map", CMD_DISABLEQ_MAP },
	{ "disablequeueing daemon", CMD_DISABLEQ_DAEMON },
	{ "restorequeueing maps", CMD_RESTOREQ_MAPS },
	{ "restorequeueing map", CMD_RESTOREQ_MAP },
	{ "restorequeueing daemon", CMD_RESTOREQ_DAEMON },
	{ "forcequeueing daemon", CMD_FORCEQ_DAEMON },
	{ "getprstatus map", CMD_GETPRSTATUS },
	{ "setprstatus map", CMD_SETPRSTATUS },
	{ "setprstatus map pathlist", CMD_SETPRSTATUS_LIST },
	{ "unsetprstatus map", CMD_UNSETPRSTATUS },
	{ "getprkey map", CMD_GETPRKEY },
	{ "setprkey map key", CMD_SETPRKEY },
	{ "unsetprkey map", CMD_UNSETPRKEY },
	{ "getprhold map", CMD_GETPRHOLD },
	{ "setprhold map", CMD_SETPRHOLD },
	{ "unsetprhold map", CMD_UNSETPRHOLD },
	{ "setmarginal path", CMD_SETMARGINAL },
	{ "unsetmarginal path", CMD_UNSETMARGINAL },
	{ "unsetmarginal map", CMD_UNSETMARGINAL_MAP },
	{ "shutdown", CMD_SHUTDOWN },
	{ "quit", CMD_QUIT },
	{ "wait map", CMD_WAIT_MAP },
	{ "wait map timeout", CMD_WAIT_MAP_TIMEOUT },
};

#define CMD_MAX_KWS 5

struct cmd_compiled {
	enum cli_kw kws[CMD_MAX_KWS];
	size_t n;
};

static struct cmd_compiled compiled[ARRAY_SIZE(cmd_defs)];
static pthread_once_t compile_once = PTHREAD_ONCE_INIT;

static const struct kw_def *kw_exact(const char *w)
{
	for (size_t i = 0; i < ARRAY_SIZE(kw_defs); i++)
		if (strcmp(kw_defs[i].name, w) == 0)
			return &kw_defs[i];
	return NULL;
}

static const struct kw_def *kw_primary(enum cli_kw k)
{
	for (size_t i = 0; i < ARRAY_SIZE(kw_defs); i++)
		if (kw_defs[i].kw == k)
			return &kw_defs[i];
	return NULL;
}

const char *cli_kw_name(enum cli_kw k)
{
	const struct kw_def *d = kw_primary(k);

	return d ? d->name : "?";
}

static void compile_table(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(cmd_defs); i++) {
		char buf[128], *save = NULL, *w;

		strlcpy_mp(buf, cmd_defs[i].pattern, sizeof(buf));
		for (w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
			compiled[i].kws[compiled[i].n++] = kw_exact(w)->kw;
	}
}

/* Resolve one word in its position: exact name, else unique prefix. */
static int kw_match(const char *w, bool verb, const struct kw_def **ret)
{
	const struct kw_def *found = NULL, *fav = NULL;
	size_t len = strlen(w);
	bool ambiguous = false;

	if (len == 0)
		return -EINVAL;
	for (size_t i = 0; i < ARRAY_SIZE(kw_defs); i++) {
		const struct kw_def *d = &kw_defs[i];

		if (d->verb != verb || strncmp(d->name, w, len) != 0)
			continue;
		if (d->name[len] == '\0') {
			*ret = d;
			return 0;
		}
		if (d->favourite)
			fav = d;
		if (found && found->kw != d->kw)
			ambiguous = true;
		if (!found)
			found = d;
	}
	if (!found)
		return -EINVAL;
	if (ambiguous && !fav)
		return -ENOTUNIQ;
	*ret = ambiguous ? fav : found;
	return 0;
}

int cli_split(const char *line, char *storage, char **words, size_t max_words)
{
	const char *p = line;
	char *o = storage;
	size_t n = 0;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		if (n == max_words)
			return -E2BIG;
		words[n++] = o;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
			if (*p == '"' || *p == '\'') {
				char q = *p++;

				while (*p && *p != q) {
					if (q == '"' && *p == '\\' && p[1])
						p++;
					*o++ = *p++;
				}
				if (!*p)
					return -EINVAL;
				p++;
				continue;
			}
			*o++ = *p++;
		}
		*o++ = '\0';
	}
	return (int)n;
}

void cli_cmd_done(struct cli_cmd *c)
{
	free(c->buf);
	c->buf = NULL;
}

static int parse_err(struct strbuf *err, int r, const char *msg, const char *word)
{
	if (err) {
		if (msg) {
			strbuf_append(err, msg);
			if (word)
				strbuf_appendf(err, " '%s'", word);
			strbuf_append(err, "\n");
		}
		cli_help(err);
	}
	return r;
}

static int lookup(const enum cli_kw *kws, size_t n, enum cli_cmd_id *ret)
{
	pthread_once(&compile_once, compile_table);
	for (size_t i = 0; i < ARRAY_SIZE(cmd_defs); i++) {
		if (compiled[i].n != n)
			continue;
		if (memcmp(compiled[i].kws, kws, n * sizeof(*kws)) == 0) {
			*ret = cmd_defs[i].id;
			return 0;
		}
	}
	return -EINVAL;
}

int cli_parse(const char *line, struct cli_cmd *ret, struct strbuf *err)
{
	char *words[CLI_MAX_WORDS];
	enum cli_kw kws[CMD_MAX_KWS];
	struct cli_cmd c = { 0 };
	size_t n_kws = 0, len = strlen(line);
	int n, r = 0;

	if (len >= MP_IPC_MAX_CMD)
		return parse_err(err, -E2BIG, "command too long", NULL);
	c.buf = malloc(len + 1);
	if (!c.buf)
		return -ENOMEM;
	n = cli_split(line, c.buf, words, ARRAY_SIZE(words));
	if (n < 0) {
		r = parse_err(err, n, n == -E2BIG ? "too many words" : "unbalanced quote", NULL);
		goto fail;
	}
	for (int i = 0; i < n; i++) {
		const struct kw_def *d;

		r = kw_match(words[i], i == 0, &d);
		if (r < 0) {
			r = parse_err(err, r, r == -ENOTUNIQ ? "ambiguous keyword"
							   : "unknown keyword", words[i]);
			goto fail;
		}
		if (n_kws == CMD_MAX_KWS) {
			r = parse_err(err, -EINVAL, "too many keywords", NULL);
			goto fail;
		}
		kws[n_kws++] = d->kw;
		if (d->param) {
			if (i + 1 >= n) {
				r = parse_err(err, -EINVAL, "missing parameter for", d->name);
				goto fail;
			}
			c.param[d->kw] = words[++i];
		}
	}
	if (n_kws == 0 || lookup(kws, n_kws, &c.id) < 0) {
		r = parse_err(err, -EINVAL, n_kws ? "unknown command" : NULL, NULL);
		goto fail;
	}
	c.read_only = kws[0] == KW_SHOW;
	*ret = c;
	return 0;
fail:
	cli_cmd_done(&c);
	return r;
}

bool cli_line_is_read_only(const char *line)
{
	char buf[MP_IPC_MAX_CMD], *words[CLI_MAX_WORDS];
	const struct kw_def *d;
	int n;

	if (strlen(line) >= sizeof(buf))
		return false;
	n = cli_split(line, buf, words, ARRAY_SIZE(words));
	if (n <= 0)
		return true;    /* empty or garbage: only help text comes back */
	if (kw_match(words[0], true, &d) < 0)
		return true;
	return d->kw == KW_SHOW;
}

static void help_line(struct strbuf *out, const struct cmd_compiled *cc)
{
	strbuf_append(out, "  ");
	for (size_t j = 0; j < cc->n; j++) {
		enum cli_kw k = cc->kws[j];

		if (j)
			strbuf_append(out, " ");
		if (k == KW_SHOW)
			strbuf_append(out, "list|show");
		else if (k == KW_DEL)
			strbuf_append(out, "del|remove");
		else if (k == KW_QUIT)
			strbuf_append(out, "quit|exit");
		else
			strbuf_append(out, cli_kw_name(k));
		if (kw_param_help[k])
			strbuf_appendf(out, " %s", kw_param_help[k]);
	}
	strbuf_append(out, "\n");
}

int cli_help(struct strbuf *out)
{
	pthread_once(&compile_once, compile_table);
	strbuf_append(out, "multipathd commands (words may be abbreviated to a unique prefix):\n");
	for (size_t i = 0; i < ARRAY_SIZE(cmd_defs); i++)
		help_line(out, &compiled[i]);
	return 0;
}

static bool contains(const char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == s)
			return true;
	return false;
}

/* Resolve typed words into keywords; -1 when they lead nowhere. */
static ssize_t resolve_words(char **words, size_t n_words, enum cli_kw *kws)
{
	size_t n = 0;

	for (size_t i = 0; i < n_words; i++) {
		const struct kw_def *d;

		if (n == CMD_MAX_KWS || kw_match(words[i], n == 0, &d) < 0)
			return -1;
		kws[n++] = d->kw;
		if (d->param && ++i == n_words)
			return -2;      /* the word being completed is a parameter */
	}
	return (ssize_t)n;
}

int cli_complete(char **words, size_t n_words, const char *prefix, const char ***ret)
{
	enum cli_kw kws[CMD_MAX_KWS];
	const char **v;
	size_t n = 0, plen = strlen(prefix);
	ssize_t nk;

	pthread_once(&compile_once, compile_table);
	v = calloc(ARRAY_SIZE(kw_defs) + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	nk = resolve_words(words, n_words, kws);
	for (size_t i = 0; nk >= 0 && i < ARRAY_SIZE(cmd_defs); i++) {
		const struct cmd_compiled *cc = &compiled[i];

		if (cc->n <= (size_t)nk || memcmp(cc->kws, kws, nk * sizeof(*kws)) != 0)
			continue;
		for (size_t j = 0; j < ARRAY_SIZE(kw_defs); j++) {
			const struct kw_def *d = &kw_defs[j];

			if (d->kw != cc->kws[nk] || strncmp(d->name, prefix, plen) != 0)
				continue;
			if (!contains(v, n, d->name))
				v[n++] = d->name;
		}
	}
	*ret = v;
	return (int)n;
}
