// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mp-bench: the measuring half of the benchmark, run inside the VM.
 *
 * One static binary with a few subcommands, so that the guest scripts need
 * neither a float-capable shell nor dmsetup forks in their polling loops
 * (a fork under TCG costs tens of milliseconds and would blur the figures):
 *
 *   now                       monotonic clock in seconds, µs resolution
 *   cli CMD...                one request to the daemon, reply on stdout
 *                             (timeout: $MPBENCH_CLI_TIMEOUT s, default 60)
 *   probe [opts] CMD...       CLI latency prober (see usage)
 *   dmwait [opts]             poll DM until M multipath maps have P paths
 *   dmstate [opts] DEV A|F    poll DM until path DEV (maj:min) is A or F
 *   cliwait [opts] DEV WORD   poll `show paths` until DEV's line has WORD
 *   pidstat PID|all           CPU seconds (utime+stime) and VmRSS in KiB;
 *                             "all": busy CPU seconds of the whole guest
 *   sdwait -n N               wait until /sys/block holds N sd* disks
 *   memsplit [-v] PID         RSS split by mapping kind (KiB, from smaps):
 *                             main malloc arena, other arenas, thread stacks,
 *                             aio rings, other anonymous, files, their total;
 *                             and the thread count; -v: every resident
 *                             mapping on stderr.  The total is exact; VmRSS
 *                             (pidstat) is not on kernels before 6.2, where
 *                             each thread caches up to 63 pages of its
 *                             count (SPLIT_RSS_COUNTING)
 *
 * It speaks both to the kernel (raw DM ioctls on /dev/mapper/control: one
 * DM_LIST_DEVICES plus one DM_TABLE_STATUS per map per poll) and to any
 * multipathd that uses the incumbent's socket framing: a native size_t
 * length that counts the terminating NUL, then the NUL-terminated command,
 * on the abstract socket @/org/kernel/linux/storage/multipathd; the reply
 * comes back framed the same way.  Timestamps printed are CLOCK_MONOTONIC
 * seconds, comparable between processes of the guest.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/dm-ioctl.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_SOCKET "/org/kernel/linux/storage/multipathd"
#define MAX_REPLY (64u << 20)

static const char *sock_name = DEFAULT_SOCKET;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
	struct timespec ts;

	if (s <= 0)
		return;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* ---- socket client --------------------------------------------------- */

static int wait_fd(int fd, short events, double deadline)
{
	struct pollfd p = { .fd = fd, .events = events };
	int r;

	for (;;) {
		double left = deadline - now_s();

		if (left <= 0)
			return -ETIMEDOUT;
		r = poll(&p, 1, (int)(left * 1000) + 1);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -errno;
	}
}

static int xfer(int fd, void *buf, size_t len, bool out, double deadline)
{
	char *p = buf;

	while (len > 0) {
		ssize_t n;
		int r = wait_fd(fd, out ? POLLOUT : POLLIN, deadline);

		if (r < 0)
			return r;
		n = out ? send(fd, p, len, MSG_NOSIGNAL) : recv(fd, p, len, 0);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ECONNRESET;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int cli_connect(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t l = strlen(sock_name);
	int fd;

	if (l + 1 > sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	/* abstract namespace: leading NUL, no terminator counted */
	memcpy(sa.sun_path + 1, sock_name, l);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa,
		    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + l)) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

/* Sends cmd, stores the malloc'ed reply in *ret (NUL-terminated). */
static int cli_request(const char *cmd, double timeout, char **ret, size_t *ret_len)
{
	double deadline = now_s() + timeout;
	size_t len = strlen(cmd) + 1, rlen = 0;
	char *reply;
	int fd, r;

	fd = cli_connect();
	if (fd < 0)
		return fd;
	r = xfer(fd, &len, sizeof(len), true, deadline);
	if (!r)
		r = xfer(fd, (void *)cmd, len, true, deadline);
	if (!r)
		r = xfer(fd, &rlen, sizeof(rlen), false, deadline);
	if (!r && rlen > MAX_REPLY)
		r = -EMSGSIZE;
	if (r < 0) {
		close(fd);
		return r;
	}
	reply = malloc(rlen + 1);
	if (!reply) {
		close(fd);
		return -ENOMEM;
	}
	r = xfer(fd, reply, rlen, false, deadline);
	close(fd);
	if (r < 0) {
		free(reply);
		return r;
	}
	reply[rlen] = '\0';
	*ret = reply;
	if (ret_len)
		*ret_len = rlen;
	return 0;
}

/* Joins argv words with spaces, as the incumbent's client does. */
static char *join_words(int argc, char **argv)
{
	size_t len = 1;
	char *s;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = calloc(1, len);
	if (!s)
		exit(1);
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

static int cmd_cli(int argc, char **argv)
{
	const char *env;
	double timeout = 60;
	char *cmd, *reply;
	int r;

	if (argc < 2) {
		fprintf(stderr, "usage: mp-bench cli CMD...\n");
		return 2;
	}
	env = getenv("MPBENCH_CLI_TIMEOUT");
	if (env && atof(env) > 0)
		timeout = atof(env);
	cmd = join_words(argc - 1, argv + 1);
	r = cli_request(cmd, timeout, &reply, NULL);
	free(cmd);
	if (r < 0) {
		fprintf(stderr, "mp-bench cli: %s\n", strerror(-r));
		return 1;
	}
	fputs(reply, stdout);
	free(reply);
	return 0;
}

/* ---- latency prober --------------------------------------------------- */

struct lat_set {
	const char *cmd;
	double *v;
	size_t n, cap;
	unsigned errors;
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double percentile(const double *sorted, size_t n, double p)
{
	size_t i;

	if (!n)
		return 0;
	/* nearest rank: the smallest value with at least p% at or below it */
	i = (size_t)(p / 100.0 * (double)n + 0.999999);
	if (i < 1)
		i = 1;
	if (i > n)
		i = n;
	return sorted[i - 1];
}

static void lat_add(struct lat_set *s, double ms)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v)
			exit(1);
	}
	s->v[s->n++] = ms;
}

static void lat_report(struct lat_set *s, const char *tag)
{
	char key[64];
	size_t k = 0;

	qsort(s->v, s->n, sizeof(*s->v), cmp_double);
	for (const char *c = s->cmd; *c && k < sizeof(key) - 1; c++)
		key[k++] = (*c == ' ') ? '_' : *c;
	key[k] = '\0';
	printf("BENCH %s.%s.n=%zu\n", tag, key, s->n);
	printf("BENCH %s.%s.errors=%u\n", tag, key, s->errors);
	printf("BENCH %s.%s.median_ms=%.1f\n", tag, key, percentile(s->v, s->n, 50));
	printf("BENCH %s.%s.p99_ms=%.1f\n", tag, key, percentile(s->v, s->n, 99));
	printf("BENCH %s.%s.max_ms=%.1f\n", tag, key, s->n ? s->v[s->n - 1] : 0.0);
}

static void usage_probe(void)
{
	fprintf(stderr,
		"usage: mp-bench probe [-r REQ_PER_S] [-d SECONDS] [-S STOPFILE]\n"
		"                      [-t TIMEOUT_S] [-o LOGFILE] [-T TAG] CMD [CMD...]\n"
		"  each CMD is one quoted command; requests rotate over them,\n"
		"  one at a time, at most REQ_PER_S per second in total\n");
}

/*
 * Requests are issued one at a time on a fixed schedule; a slow reply
 * delays the next request instead of piling up connections (so a stalled
 * daemon shows as few, long samples, not as many).  Stops when STOPFILE
 * exists or after SECONDS.
 */
static int cmd_probe(int argc, char **argv)
{
	double rate = 20, duration = 600, timeout = 30, t_end, next;
	const char *stopfile = NULL, *logname = NULL, *tag = "cli";
	struct lat_set *sets, wake = { .cmd = "wake_late" };
	FILE *logf = NULL;
	unsigned long i = 0;
	int c, nsets;

	while ((c = getopt(argc, argv, "r:d:S:t:o:T:")) != -1) {
		switch (c) {
		case 'r': rate = atof(optarg); break;
		case 'd': duration = atof(optarg); break;
		case 'S': stopfile = optarg; break;
		case 't': timeout = atof(optarg); break;
		case 'o': logname = optarg; break;
		case 'T': tag = optarg; break;
		default: usage_probe(); return 2;
		}
	}
	nsets = argc - optind;
	if (nsets < 1 || rate <= 0) {
		usage_probe();
		return 2;
	}
	sets = calloc((size_t)nsets, sizeof(*sets));
	if (!sets)
		return 1;
	for (int k = 0; k < nsets; k++)
		sets[k].cmd = argv[optind + k];
	if (logname && !(logf = fopen(logname, "w"))) {
		perror(logname);
		return 1;
	}
	next = now_s();
	t_end = next + duration;
	while (now_s() < t_end) {
		struct lat_set *s = &sets[i++ % (unsigned)nsets];
		double t0, ms;
		char *reply = NULL;
		size_t rlen = 0;
		int r;

		if (stopfile && access(stopfile, F_OK) == 0)
			break;
		t0 = now_s();
		r = cli_request(s->cmd, timeout, &reply, &rlen);
		ms = (now_s() - t0) * 1000.0;
		if (r < 0)
			s->errors++;
		else
			lat_add(s, ms);
		if (logf)
			fprintf(logf, "%.3f %.2f %d %zu %s\n", t0, ms, r, rlen, s->cmd);
		free(reply);
		next += 1.0 / rate;
		if (next < now_s())
			next = now_s();
		sleep_s(next - now_s());
		/* how late this (normal priority) prober woke up: the share of
		 * a reply's time that is the client's wait for a CPU, not the
		 * daemon's */
		lat_add(&wake, (now_s() - next) * 1000.0);
	}
	if (logf)
		fclose(logf);
	for (int k = 0; k < nsets; k++)
		lat_report(&sets[k], tag);
	lat_report(&wake, tag);
	return 0;
}

/* ---- device-mapper polling ------------------------------------------- */

static int dm_fd = -1;

static struct dm_ioctl *dm_call(unsigned long req, const char *name, uint32_t flags,
				size_t *io_size)
{
	size_t size = *io_size ? *io_size : 16384;

	for (;;) {
		struct dm_ioctl *io = calloc(1, size);

		if (!io)
			return NULL;
		io->version[0] = DM_VERSION_MAJOR;
		io->version[1] = 0;
		io->version[2] = 0;
		io->data_size = (uint32_t)size;
		io->data_start = sizeof(*io);
		io->flags = flags;
		if (name)
			snprintf(io->name, sizeof(io->name), "%s", name);
		if (ioctl(dm_fd, req, io) < 0) {
			free(io);
			return NULL;
		}
		if (!(io->flags & DM_BUFFER_FULL_FLAG)) {
			*io_size = size;
			return io;
		}
		free(io);
		size *= 2;
	}
}

struct mp_status {
	int paths;
	int active;
};

/*
 * Walks a multipath status line: features, hw handler, groups; each group
 * is "state #ps-status args... #paths #per-path-selector-args" followed by
 * "dev A|F fail_count <selector args>" per path.  If want_dev is set, its
 * state letter is stored in *dev_state.
 */
static int parse_mp_status(const char *params, struct mp_status *st,
			   const char *want_dev, char *dev_state)
{
	char *copy = strdup(params), *save = NULL, *tok;
	long n, ngroups, npaths, pargs;

#define NEXT() (tok = strtok_r(NULL, " ", &save))
#define NUM() (NEXT() ? strtol(tok, NULL, 10) : -1)
	memset(st, 0, sizeof(*st));
	if (!copy)
		return -ENOMEM;
	tok = strtok_r(copy, " ", &save);
	n = tok ? strtol(tok, NULL, 10) : -1;        /* features */
	for (long k = 0; k < n; k++)
		NEXT();
	n = NUM();                                    /* hw handler */
	for (long k = 0; k < n; k++)
		NEXT();
	ngroups = NUM();
	NEXT();                                       /* next group */
	for (long g = 0; g < ngroups; g++) {
		if (!NEXT())
			break;                        /* group state */
		n = NUM();
		for (long k = 0; k < n; k++)
			NEXT();
		npaths = NUM();
		pargs = NUM();
		for (long p = 0; p < npaths; p++) {
			char *dev = NEXT(), *state = dev ? NEXT() : NULL;

			if (!state)
				break;
			st->paths++;
			if (*state == 'A')
				st->active++;
			if (want_dev && !strcmp(dev, want_dev))
				*dev_state = *state;
			NEXT();                       /* fail count */
			for (long k = 0; k < pargs; k++)
				NEXT();
		}
	}
#undef NUM
#undef NEXT
	free(copy);
	return 0;
}

struct dm_snapshot {
	int maps;          /* multipath maps */
	int complete;      /* with >= want paths */
	int paths, active;
	char dev_state;    /* of the watched device, or 0 */
};

static int dm_snapshot(int want_paths, const char *want_dev, struct dm_snapshot *snap)
{
	static size_t list_size, st_size;
	struct dm_ioctl *list;
	struct dm_name_list *nl;

	memset(snap, 0, sizeof(*snap));
	list = dm_call(DM_LIST_DEVICES, NULL, 0, &list_size);
	if (!list)
		return -errno;
	nl = (struct dm_name_list *)((char *)list + list->data_start);
	if (list->data_size <= list->data_start || !nl->dev) {
		free(list);
		return 0;
	}
	for (;;) {
		struct dm_ioctl *io = dm_call(DM_TABLE_STATUS, nl->name, 0, &st_size);

		if (io && io->target_count == 1) {
			struct dm_target_spec *sp =
				(struct dm_target_spec *)((char *)io + io->data_start);

			if (!strcmp(sp->target_type, "multipath")) {
				struct mp_status st;

				parse_mp_status((char *)(sp + 1), &st, want_dev,
						&snap->dev_state);
				snap->maps++;
				snap->paths += st.paths;
				snap->active += st.active;
				if (st.paths >= want_paths)
					snap->complete++;
			}
		}
		free(io);
		if (!nl->next)
			break;
		nl = (struct dm_name_list *)((char *)nl + nl->next);
	}
	free(list);
	return 0;
}

static int dm_open(void)
{
	dm_fd = open("/dev/mapper/control", O_RDWR | O_CLOEXEC);
	if (dm_fd < 0) {
		perror("/dev/mapper/control");
		return -1;
	}
	return 0;
}

/* dmwait -m MAPS -p PATHS [-t TIMEOUT] [-i INTERVAL_MS] [-P PROGRESS_S] */
static int cmd_dmwait(int argc, char **argv)
{
	int want_maps = 1, want_paths = 1, c;
	double timeout = 600, interval = 0.5, progress = 10, t0, last_print;
	struct dm_snapshot s = { 0 };
	unsigned long polls = 0;

	while ((c = getopt(argc, argv, "m:p:t:i:P:")) != -1) {
		switch (c) {
		case 'm': want_maps = atoi(optarg); break;
		case 'p': want_paths = atoi(optarg); break;
		case 't': timeout = atof(optarg); break;
		case 'i': interval = atof(optarg) / 1000.0; break;
		case 'P': progress = atof(optarg); break;
		default:
			fprintf(stderr, "usage: mp-bench dmwait -m MAPS -p PATHS "
				"[-t TIMEOUT_S] [-i INTERVAL_MS] [-P PROGRESS_S]\n");
			return 2;
		}
	}
	if (dm_open() < 0)
		return 1;
	t0 = last_print = now_s();
	for (;;) {
		double t = now_s();

		dm_snapshot(want_paths, NULL, &s);
		polls++;
		if (s.maps >= want_maps && s.complete >= want_maps) {
			printf("BENCH dmwait.done=%.3f\n", t);
			printf("BENCH dmwait.polls=%lu\n", polls);
			printf("BENCH dmwait.maps=%d\nBENCH dmwait.paths=%d\n"
			       "BENCH dmwait.active=%d\n", s.maps, s.paths, s.active);
			return 0;
		}
		if (t - t0 > timeout)
			break;
		if (progress > 0 && t - last_print >= progress) {
			fprintf(stderr, "  [%6.1fs] maps %d/%d complete %d paths %d active %d\n",
				t - t0, s.maps, want_maps, s.complete, s.paths, s.active);
			last_print = t;
		}
		sleep_s(interval - (now_s() - t));
	}
	printf("BENCH dmwait.timeout=%.3f\n", now_s());
	printf("BENCH dmwait.maps=%d\nBENCH dmwait.complete=%d\nBENCH dmwait.paths=%d\n",
	       s.maps, s.complete, s.paths);
	return 1;
}

/* dmstate [-t TIMEOUT] [-i INTERVAL_MS] MAJ:MIN A|F -- prints the time seen */
static int cmd_dmstate(int argc, char **argv)
{
	double timeout = 60, interval = 0.01, t0;
	struct dm_snapshot s;
	int c;

	while ((c = getopt(argc, argv, "t:i:")) != -1) {
		switch (c) {
		case 't': timeout = atof(optarg); break;
		case 'i': interval = atof(optarg) / 1000.0; break;
		default: return 2;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "usage: mp-bench dmstate [-t S] [-i MS] MAJ:MIN A|F\n");
		return 2;
	}
	if (dm_open() < 0)
		return 1;
	t0 = now_s();
	while (now_s() - t0 < timeout) {
		double t = now_s();

		dm_snapshot(0, argv[optind], &s);
		if (s.dev_state == argv[optind + 1][0]) {
			printf("%.6f\n", t);
			return 0;
		}
		sleep_s(interval - (now_s() - t));
	}
	printf("timeout\n");
	return 1;
}

/*
 * cliwait [-t TIMEOUT] [-i INTERVAL_MS] [-c CMD] DEV WORD: polls the daemon
 * until a reply line that names DEV as a word also contains WORD.
 */
static bool line_matches(const char *reply, const char *dev, const char *word)
{
	size_t dl = strlen(dev);
	const char *line = reply;

	while (line && *line) {
		const char *eol = strchr(line, '\n');
		size_t ll = eol ? (size_t)(eol - line) : strlen(line);
		char *l = strndup(line, ll);
		const char *p = l;
		bool dev_ok = false;

		while ((p = strstr(p, dev))) {
			bool left = p == l || p[-1] == ' ' || p[-1] == '\t';
			char right = p[dl];

			if (left && (right == ' ' || right == '\t' || right == '\0')) {
				dev_ok = true;
				break;
			}
			p += dl;
		}
		if (dev_ok && strstr(l, word)) {
			free(l);
			return true;
		}
		free(l);
		line = eol ? eol + 1 : NULL;
	}
	return false;
}

static int cmd_cliwait(int argc, char **argv)
{
	double timeout = 60, interval = 0.01, t0;
	const char *cmd = "show paths";
	int c;

	while ((c = getopt(argc, argv, "t:i:c:")) != -1) {
		switch (c) {
		case 't': timeout = atof(optarg); break;
		case 'i': interval = atof(optarg) / 1000.0; break;
		case 'c': cmd = optarg; break;
		default: return 2;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "usage: mp-bench cliwait [-t S] [-i MS] [-c CMD] DEV WORD\n");
		return 2;
	}
	t0 = now_s();
	while (now_s() - t0 < timeout) {
		double t = now_s();
		char *reply = NULL;

		if (cli_request(cmd, 5, &reply, NULL) == 0 &&
		    line_matches(reply, argv[optind], argv[optind + 1])) {
			free(reply);
			printf("%.6f\n", t);
			return 0;
		}
		free(reply);
		sleep_s(interval - (now_s() - t));
	}
	printf("timeout\n");
	return 1;
}

/* Busy (non-idle, non-iowait) CPU seconds of all CPUs since boot. */
static int sys_busy(void)
{
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (!f)
		return 1;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
		   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n != 8)
		return 1;
	printf("%.2f 0\n", (double)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) /
	       (double)sysconf(_SC_CLK_TCK));
	return 0;
}

/* pidstat PID: "cpu_s rss_kib" */
static int cmd_pidstat(int argc, char **argv)
{
	char path[64], buf[4096], *p;
	unsigned long long ut = 0, st = 0;
	long rss = -1;
	FILE *f;

	if (argc != 2)
		return 2;
	if (!strcmp(argv[1], "all"))
		return sys_busy();
	snprintf(path, sizeof(path), "/proc/%s/stat", argv[1]);
	f = fopen(path, "r");
	if (!f || !fgets(buf, sizeof(buf), f)) {
		printf("nan nan\n");
		return 1;
	}
	fclose(f);
	/* fields after the last ')' start at field 3 (state) */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			 &ut, &st) != 2) {
		printf("nan nan\n");
		return 1;
	}
	snprintf(path, sizeof(path), "/proc/%s/status", argv[1]);
	f = fopen(path, "r");
	while (f && fgets(buf, sizeof(buf), f))
		if (sscanf(buf, "VmRSS: %ld", &rss) == 1)
			break;
	if (f)
		fclose(f);
	printf("%.2f %ld\n", (double)(ut + st) / (double)sysconf(_SC_CLK_TCK), rss);
	return 0;
}

/* memsplit [-v] PID: "main arenas stacks aio anon file total threads".  Glibc's
 * arenas other than the main one are anonymous mappings aligned to their
 * 64 MiB reservation; a thread stack is an anonymous mapping of 1 MiB or
 * more right above its PROT_NONE guard. */
static int cmd_memsplit(int argc, char **argv)
{
	long kib[6] = { 0 }, *cur = NULL, threads = -1;
	enum { MAIN, ARENAS, STACKS, AIO, ANON, FILES };
	unsigned long lo, hi, prev_hi = 0;
	bool verbose = argc > 2 && !strcmp(argv[1], "-v"), prev_guard = false;
	char path[64], line[512], desc[512] = "";
	FILE *f;

	if (argc != 2 + verbose)
		return 2;
	snprintf(path, sizeof(path), "/proc/%s/smaps", argv[1 + verbose]);
	f = fopen(path, "r");
	if (!f) {
		printf("nan nan nan nan nan nan nan nan\n");
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		char perms[8], name[256] = "";
		long v;

		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %255[^\n]", &lo, &hi, perms, name) >= 3) {
			bool anon = !name[0], guard = !strcmp(perms, "---p");

			if (!strcmp(name, "[heap]"))
				cur = &kib[MAIN];
			else if (anon && !guard && lo % (64UL << 20) == 0)
				cur = &kib[ARENAS];
			else if (anon && !guard && prev_guard && prev_hi == lo && hi - lo >= (1UL << 20))
				cur = &kib[STACKS];
			else if (strstr(name, "[aio]"))
				cur = &kib[AIO];
			else if (anon || name[0] == '[')
				cur = &kib[ANON];
			else
				cur = &kib[FILES];
			prev_guard = anon && guard;
			prev_hi = hi;
			snprintf(desc, sizeof(desc), "%lx %lu KiB %s %s (%s)", lo, (hi - lo) >> 10,
				 perms, name, (const char *[]){ "main", "arena", "stack", "aio",
								"anon", "file" }[cur - kib]);
		} else if (cur && sscanf(line, "Rss: %ld kB", &v) == 1) {
			*cur += v;
			if (verbose && v)
				fprintf(stderr, "memsplit: %s rss %ld KiB\n", desc, v);
		}
	}
	fclose(f);
	snprintf(path, sizeof(path), "/proc/%s/status", argv[1 + verbose]);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Threads: %ld", &threads) == 1)
			break;
	if (f)
		fclose(f);
	printf("%ld %ld %ld %ld %ld %ld %ld %ld\n", kib[MAIN], kib[ARENAS], kib[STACKS], kib[AIO],
	       kib[ANON], kib[FILES], kib[MAIN] + kib[ARENAS] + kib[STACKS] + kib[AIO] + kib[ANON] +
	       kib[FILES], threads);
	return 0;
}

static int count_sd(void)
{
	DIR *d = opendir("/sys/block");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "sd", 2))
			n++;
	closedir(d);
	return n;
}

/* sdwait -n N [-t TIMEOUT_S] [-i INTERVAL_MS]: prints the time N was reached */
static int cmd_sdwait(int argc, char **argv)
{
	double timeout = 600, interval = 0.1, t0;
	int want = 1, c, n = 0;

	while ((c = getopt(argc, argv, "n:t:i:")) != -1) {
		switch (c) {
		case 'n': want = atoi(optarg); break;
		case 't': timeout = atof(optarg); break;
		case 'i': interval = atof(optarg) / 1000.0; break;
		default: return 2;
		}
	}
	t0 = now_s();
	while (now_s() - t0 < timeout) {
		double t = now_s();

		n = count_sd();
		if (n >= want) {
			printf("%.6f\n", t);
			return 0;
		}
		sleep_s(interval - (now_s() - t));
	}
	printf("timeout %d\n", n);
	return 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: mp-bench [-s SOCKET] now|cli|probe|dmwait|dmstate|"
		"cliwait|pidstat|memsplit|sdwait ...\n");
}

int main(int argc, char **argv)
{
	const char *env = getenv("MULTIPATH_SOCKET_NAME");

	if (env && *env)
		sock_name = env;
	if (argc > 2 && !strcmp(argv[1], "-s")) {
		sock_name = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc < 2) {
		usage();
		return 2;
	}
	argc--;
	argv++;
	if (!strcmp(argv[0], "now")) {
		printf("%.6f\n", now_s());
		return 0;
	}
	if (!strcmp(argv[0], "cli"))
		return cmd_cli(argc, argv);
	if (!strcmp(argv[0], "probe"))
		return cmd_probe(argc, argv);
	if (!strcmp(argv[0], "dmwait"))
		return cmd_dmwait(argc, argv);
	if (!strcmp(argv[0], "dmstate"))
		return cmd_dmstate(argc, argv);
	if (!strcmp(argv[0], "cliwait"))
		return cmd_cliwait(argc, argv);
	if (!strcmp(argv[0], "pidstat"))
		return cmd_pidstat(argc, argv);
	if (!strcmp(argv[0], "memsplit"))
		return cmd_memsplit(argc, argv);
	if (!strcmp(argv[0], "sdwait"))
		return cmd_sdwait(argc, argv);
	usage();
	return 2;
}
