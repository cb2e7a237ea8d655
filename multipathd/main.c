// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * multipathd: options, start-up, shutdown.
 *
 * Start-up order matters for "zero reloads on restart": the udev monitor
 * is opened first (no event lost), the kernel's multipath maps are adopted
 * next, then every known disk is queued as an add while the work queues
 * are still paused, so each map's paths arrive in one batch and the table
 * built from them is compared with the adopted one.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "core.h"
#include "heap.h"
#include "loop.h"
#include "multipathc.h"
#include "sched.h"
#include "util/log.h"
#include "util/util.h"
#include "uxsrv.h"

#define PIDFILE RUNDIR "/multipathd.pid"

struct args {
	bool foreground;
	bool timestamps;
	int verbosity;                  /* -1 = from config */
	bool bindings_ro;
	const char *cmd;                /* -k"…" */
	bool interactive;
	bool kernel_events;             /* --no-kernel-events clears it */
};

static void usage(void)
{
	fprintf(stderr,
		"Usage: multipathd [-d] [-s] [-v N] [-B] [--no-kernel-events]\n"
		"       multipathd -k[\"command\"]\n"
		"       multipathd command words…\n"
		"  -d     stay in the foreground, log to stderr\n"
		"  -s     no timestamps in the log\n"
		"  -v N   verbosity 0..5\n"
		"  -B     read-only bindings file\n"
		"  --no-kernel-events  build paths from udev events only (by default\n"
		"         the kernel's own uevents add paths before udev has run;\n"
		"         also MULTIPATHD_KERNEL_EVENTS=0 in the environment)\n"
		"  -k     send a command (interactive without argument)\n");
}

static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct option longopts[] = {
		{ "no-kernel-events", no_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	const char *kev = getenv("MULTIPATHD_KERNEL_EVENTS");

	/* the environment form serves units and benchmarks that cannot
	 * change the command line */
	*a = (struct args){ .timestamps = true, .verbosity = -1,
			    .kernel_events = !kev || strcmp(kev, "0") != 0 };
	while ((c = getopt_long(argc, argv, "dsv:Bk::wnh", longopts, NULL)) >= 0) {
		switch (c) {
		case 'K':
			a->kernel_events = false;
			break;
		case 'd':
			a->foreground = true;
			break;
		case 's':
			a->timestamps = false;
			break;
		case 'v':
			if (parse_int(optarg, &a->verbosity) < 0 || a->verbosity < 0 ||
			    a->verbosity > 5) {
				fprintf(stderr, "multipathd: bad verbosity '%s'\n", optarg);
				return -EINVAL;
			}
			break;
		case 'B':
			a->bindings_ro = true;
			break;
		case 'k':
			a->cmd = optarg;
			a->interactive = !optarg;
			break;
		case 'w':
		case 'n':
			break;          /* accepted for compatibility, ignored */
		case 'h':
			usage();
			exit(0);
		default:
			usage();
			return -EINVAL;
		}
	}
	return 0;
}

static void sd_notify_msg(struct mpd *d, const char *msg)
{
	sd_notify(0, msg);
}

static void write_pidfile(void)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (write_file_atomic(PIDFILE, buf, 0644) < 0)
		log_debug("cannot write %s", PIDFILE);
}

/* max_fds (0 = max: the kernel's nr_open).  Every path holds a few fds
 * (its checker's device, sg and aio), so the usual soft limit of 1024
 * runs out at a few hundred paths and accept() on the CLI socket fails. */
static void raise_fd_limit(const struct mp_globals *g)
{
	struct rlimit rl;
	rlim_t want = g->max_fds > 0 ? (rlim_t)g->max_fds : 0;
	_cleanup_free_ char *nr_open = NULL;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	if (!want)
		want = read_file_str("/proc/sys/fs/nr_open", &nr_open) >= 0 && nr_open ?
		       (rlim_t)strtoull(nr_open, NULL, 10) : rl.rlim_max;
	if (!want)
		return;
	if (want <= rl.rlim_cur && g->max_fds <= 0)
		return;
	rl.rlim_cur = want;
	if (rl.rlim_max < want)
		rl.rlim_max = want;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		/* not allowed past the hard limit: take all of that */
		if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
			log_warn("cannot raise the open-file limit to %llu: %s; using %llu",
				 (unsigned long long)want, strerror(errno),
				 (unsigned long long)rl.rlim_max);
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &rl);
		}
		return;
	}
	log_info("open-file limit %llu", (unsigned long long)want);
}

static void tune_process(const struct mp_globals *g)
{
	if (write_file_str("/proc/self/oom_score_adj", "-1000") < 0)
		log_debug("cannot set oom_score_adj");
	raise_fd_limit(g);
}

static int start(struct mpd *d, struct mpd_loop *l)
{
	int n_fds, r;

	r = mpd_adopt_kernel_maps(d);
	if (r > 0)
		log_notice("adopted %d existing maps", r);
	r = mpd_loop_enumerate(l);
	log_info("queued %d block devices", r < 0 ? 0 : r);
	mpd_start_processing(d);
	r = mpd_checker_start(d);
	if (r < 0)
		return log_error_errno(r, "cannot start the checker: %s", strerror(-r));
	n_fds = sd_listen_fds(1);
	r = uxsrv_start(d, n_fds > 0 ? (int[]){ SD_LISTEN_FDS_START, SD_LISTEN_FDS_START + 1 }
				     : NULL, n_fds > 0 ? (size_t)n_fds : 0);
	if (r < 0)
		return log_error_errno(r, "cannot start the CLI server: %s", strerror(-r));
	/* Report ready once the start-up batch is applied (bounded wait). */
	if (mpd_settle(d, 60000) < 0)
		log_warn("start-up still busy after 60 s, going on");
	mpd_set_state(d, MPD_IDLE);
	sd_notify(0, "READY=1\nSTATUS=up");
	log_notice("multipathd ready");
	return 0;
}

static void stop(struct mpd *d)
{
	sd_notify(0, "STOPPING=1\nSTATUS=shutting down");
	mpd_set_state(d, MPD_SHUTDOWN);
	uxsrv_stop(d);
	mpd_checker_stop(d);
	mpd_stop_queues(d);
	mpd_disable_queueing_at_exit(d);
	unlink(PIDFILE);
}

static int daemon_main(const struct args *a)
{
	/* Creates and reloads don't park a worker on the udev cookie: during a
	 * storm the dm uevents queue behind hundreds of sd events, and udev
	 * creates the nodes anyway (the flags still travel with the event). */
	struct mpd_options opts = {
		.start_paused = true,
		.bindings_readonly = a->bindings_ro,
		.no_udev_sync = true,
	};
	struct mpd_loop *l = NULL;
	struct mpd *d = NULL;
	sigset_t mask;
	int r;

	/* before any thread: the arena limit counts from the first one */
	mpd_heap_setup();
	/* signals go to the loop's signalfd: block them before any thread */
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &mask, NULL);

	mp_log_init("multipathd", a->foreground ? MP_LOG_STDERR : MP_LOG_SYSLOG,
		    a->verbosity >= 0 ? a->verbosity : 2, a->timestamps);
	/* before mpd_new(): the crit workers boost themselves as they start */
	mpd_sched_enable(NULL);
	r = mpd_new(&opts, &d);
	if (r < 0)
		return log_error_errno(r, "cannot initialise: %s", strerror(-r));
	d->priv->notify = sd_notify_msg;
	d->priv->verbosity_from_cmdline = a->verbosity >= 0;
	r = mpd_load_config(d, MP_DEFAULT_CONFIG_FILE, MP_DEFAULT_CONFIG_DIR);
	if (r < 0) {
		log_err("cannot load the configuration, exiting");
		goto out;
	}
	if (a->verbosity < 0)
		mp_log_set_verbosity(mp_config_globals(d->priv->conf)->verbosity);
	write_pidfile();
	tune_process(mp_config_globals(d->priv->conf));
	r = mpd_loop_new(d, a->kernel_events, &l);
	if (r < 0) {
		log_err("cannot set up the event loop: %s", strerror(-r));
		goto out;
	}
	r = start(d, l);
	/* only now: threads started by start() must not inherit it; this
	 * thread runs the loop (DM events, uevent intake) from here on */
	if (r >= 0)
		mpd_sched_boost_self("event loop");
	if (r >= 0)
		r = mpd_loop_run(l);
	stop(d);
out:
	mpd_loop_free(l);
	mpd_free(d);
	return r < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct args a;

	if (parse_args(argc, argv, &a) < 0)
		return 1;
	if (a.cmd || a.interactive)
		return multipathc_main(a.cmd, argc - optind, argv + optind);
	if (optind < argc)
		return multipathc_main(NULL, argc - optind, argv + optind);
	if (getuid() != 0) {
		fprintf(stderr, "multipathd: must run as root\n");
		return 1;
	}
	return daemon_main(&a);
}
