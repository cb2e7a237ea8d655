// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * multipathd client mode.  One connection per session; each line is one
 * framed request.  The interactive shell uses libedit's readline
 * interface: history (kept in ~/.multipathd_history) and completion that
 * asks the parser which keywords may come next.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <editline/readline.h>

#include "config/config.h"
#include "ipc/ipc.h"
#include "multipathd/cli.h"
#include "multipathd/multipathc.h"
#include "util/strbuf.h"

/* The daemon answers within uxsock_timeout (it replies "timeout" itself);
 * wait a little longer than that so its answer, not ours, is what the user
 * sees. */
static int base_timeout_ms(void)
{
	static int tmo;

	if (!tmo)
		tmo = mp_ipc_config_timeout(MP_DEFAULT_CONFIG_FILE, MP_DEFAULT_CONFIG_DIR) + 1000;
	return tmo;
}

/* Requests with their own wait (`wait map … timeout N`) get N more seconds. */
static int request_timeout(const char *line)
{
	const char *t = strstr(line, "timeout ");
	int extra = 0;

	if (t)
		extra = atoi(t + 8);
	if (extra < 0 || extra > 86400)
		extra = 0;
	return base_timeout_ms() + extra * 1000;
}

static int send_one(int fd, const char *line, bool *failed)
{
	_cleanup_free_ char *reply = NULL;
	int r = mp_ipc_request(fd, line, &reply, request_timeout(line));

	if (r < 0) {
		fprintf(stderr, "multipathd: %s\n", r == -ETIMEDOUT ? "timeout" : strerror(-r));
		return r;
	}
	fputs(reply, stdout);
	fflush(stdout);
	*failed = strncmp(reply, "fail", 4) == 0;
	return 0;
}

static int connect_daemon(void)
{
	int fd = mp_ipc_connect();

	if (fd < 0)
		fprintf(stderr, "multipathd: cannot connect to the daemon: %s\n", strerror(-fd));
	return fd;
}

/* Join words back into a line, quoting those that need it. */
static char *join_words(int argc, char **argv)
{
	struct strbuf sb = STRBUF_INIT;

	for (int i = 0; i < argc; i++) {
		if (i)
			strbuf_append(&sb, " ");
		if (!*argv[i] || strpbrk(argv[i], " \t\"'")) {
			strbuf_append(&sb, "\"");
			for (const char *p = argv[i]; *p; p++) {
				if (*p == '"' || *p == '\\')
					strbuf_append(&sb, "\\");
				strbuf_appendn(&sb, p, 1);
			}
			strbuf_append(&sb, "\"");
		} else {
			strbuf_append(&sb, argv[i]);
		}
	}
	return strbuf_steal(&sb);
}

/* ---- completion ---- */

static const char **compl_v;
static int compl_n, compl_i;

static char *compl_next(const char *text, int state)
{
	if (state == 0)
		compl_i = 0;
	if (!compl_v || compl_i >= compl_n)
		return NULL;
	return strdup(compl_v[compl_i++]);
}

static char **complete(const char *text, int start, int end)
{
	char buf[MP_IPC_MAX_CMD], *words[CLI_MAX_WORDS];
	int n;

	rl_attempted_completion_over = 1;
	if (start >= (int)sizeof(buf))
		return NULL;
	memcpy(buf, rl_line_buffer, start);
	buf[start] = '\0';
	{
		char storage[MP_IPC_MAX_CMD];

		n = cli_split(buf, storage, words, CLI_MAX_WORDS);
		free(compl_v);
		compl_v = NULL;
		compl_n = n < 0 ? 0 : cli_complete(words, n, text, &compl_v);
		if (compl_n < 0)
			compl_n = 0;
		return rl_completion_matches(text, compl_next);
	}
}

static char *history_path(void)
{
	const char *home = getenv("HOME");
	char *p;

	if (!home || asprintf(&p, "%s/.multipathd_history", home) < 0)
		return NULL;
	return p;
}

static int interactive(void)
{
	_cleanup_free_ char *hist = history_path();
	int fd = connect_daemon();
	char *line;

	if (fd < 0)
		return 1;
	rl_readline_name = "multipathd";
	rl_attempted_completion_function = complete;
	using_history();
	if (hist)
		read_history(hist);
	while ((line = readline("multipathd> "))) {
		bool failed = false;
		char *w = line + strspn(line, " \t");

		if (*w)
			add_history(line);
		if (strcmp(w, "quit") == 0 || strcmp(w, "exit") == 0) {
			free(line);
			break;
		}
		if (*w && send_one(fd, w, &failed) < 0) {
			/* the daemon may have restarted: reconnect once */
			close(fd);
			fd = connect_daemon();
			if (fd < 0) {
				free(line);
				break;
			}
		}
		free(line);
	}
	if (hist)
		write_history(hist);
	free(compl_v);
	if (fd >= 0)
		close(fd);
	return 0;
}

int multipathc_main(const char *cmd, int argc, char **argv)
{
	_cleanup_free_ char *joined = NULL;
	bool failed = false;
	int fd, r;

	if (!cmd && argc == 0)
		return interactive();
	if (!cmd)
		cmd = joined = join_words(argc, argv);
	if (!cmd)
		return 1;
	fd = connect_daemon();
	if (fd < 0)
		return 1;
	r = send_one(fd, cmd, &failed);
	close(fd);
	return r < 0 || failed ? 1 : 0;
}
