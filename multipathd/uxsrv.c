// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * CLI server.  Threads: one epoll loop + UXSRV_HANDLERS handler threads.
 *
 * Client states:  READ ──frame complete──▶ (read-only: run inline) ─▶ WRITE
 *                   ▲                     (action: queue job)  ─▶ WORK ─▶ WRITE
 *                   └──────────── reply sent ◀─────────────────────────┘
 * A frame that is partly received or a reply partly sent has a deadline
 * (uxsock_timeout); past it the connection is dropped, so a client that
 * dribbles bytes or never reads cannot hold anything.  Idle connections
 * (between requests) have no deadline: interactive sessions keep theirs.
 * A job that waited in the queue past its deadline is answered
 * `fail\ntimeout` without running.  A client that disconnects while its job
 * runs is freed when the job comes back (the job holds it).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <urcu.h>
#include <urcu/uatomic.h>

#include "config/config.h"
#include "ipc/ipc.h"
#include "multipathd/cli-handlers.h"
#include "multipathd/cli.h"
#include "multipathd/sched.h"
#include "multipathd/uxsrv.h"
#include "util/clock.h"
#include "util/log.h"

/* how long the listening sockets rest after accept() ran out of fds */
#define UXSRV_PAUSE_MS 200

enum { K_LISTEN, K_EVENT, K_CLIENT };
enum cstate { C_READ, C_WORK, C_WRITE };

struct tag {
	int kind;
	int fd;
};

struct client {
	struct tag tag;                 /* first: epoll data points here */
	struct client *prev, *next;
	uid_t uid;
	enum cstate state;
	bool dead, close_after;
	size_t hdr_got;
	union {
		size_t len;
		char b[sizeof(size_t)];
	} hdr;
	char in[MP_IPC_MAX_CMD];
	size_t in_got;
	char *out;                      /* header + reply */
	size_t out_len, out_off;
	uint64_t deadline;              /* µs, 0 = none */
};

struct job {
	struct job *next;
	struct client *cl;
	char line[MP_IPC_MAX_CMD];
	uint64_t deadline;
	int timeout_ms;
	char *reply;
	bool close;
};

struct uxsrv {
	struct mpd *d;
	struct tag lst[2];
	size_t n_lst;
	bool own_lst;
	char *path_name;                /* pathname socket we created */
	struct tag ev;
	int epfd;
	pthread_t loop;
	pthread_t workers[UXSRV_HANDLERS];
	size_t n_workers;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct job *q_head, *q_tail;    /* lock */
	struct job *done;               /* lock */
	bool stop;                      /* lock */
	struct client *clients;         /* loop thread only */
	size_t n_clients;
	uint64_t lst_paused_until;      /* loop thread only: 0 = listening */
	uint64_t lst_warned;            /* loop thread only: last warning */
	int n_jobs;                     /* lock: queued, running or reply not yet framed */
	int n_writing;                  /* uatomic: clients sending a reply */
};

static struct uxsrv *the_server;

static int cur_timeout_ms(void)
{
	struct mp_config *c;
	int t = MP_IPC_DEFAULT_TIMEOUT_MS;

	rcu_read_lock();
	c = mp_config_get();
	if (c && mp_config_globals(c)->uxsock_timeout > 0)
		t = mp_config_globals(c)->uxsock_timeout;
	rcu_read_unlock();
	return t;
}

/* ---- clients ---- */

static void client_free(struct uxsrv *s, struct client *cl)
{
	if (cl->prev)
		cl->prev->next = cl->next;
	else
		s->clients = cl->next;
	if (cl->next)
		cl->next->prev = cl->prev;
	s->n_clients--;
	free(cl->out);
	free(cl);
}

/* Close the connection; the struct stays while a job refers to it. */
static void client_close(struct uxsrv *s, struct client *cl)
{
	if (cl->state == C_WRITE) {
		uatomic_dec(&s->n_writing);
		cl->state = C_READ;
	}
	if (cl->tag.fd >= 0) {
		epoll_ctl(s->epfd, EPOLL_CTL_DEL, cl->tag.fd, NULL);
		close(cl->tag.fd);
		cl->tag.fd = -1;
	}
	if (cl->state == C_WORK)
		cl->dead = true;
	else
		client_free(s, cl);
}

static void client_watch(struct uxsrv *s, struct client *cl, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = &cl->tag };

	epoll_ctl(s->epfd, EPOLL_CTL_MOD, cl->tag.fd, &ev);
}

/* Stop (or resume) polling the listening sockets. */
static void listen_set(struct uxsrv *s, bool on)
{
	for (size_t i = 0; i < s->n_lst; i++) {
		struct epoll_event ev = { .events = on ? EPOLLIN : 0, .data.ptr = &s->lst[i] };

		epoll_ctl(s->epfd, EPOLL_CTL_MOD, s->lst[i].fd, &ev);
	}
}

/* Out of file descriptors (or memory): the pending connection stays
 * queued and the socket stays readable, so polling it now would spin this
 * SCHED_RR thread (the kernel throttles it and every reply stops).  Pause
 * listening for a moment instead; connected clients are still served. */
static void listen_pause(struct uxsrv *s, int err)
{
	uint64_t now = mp_now_usec();

	if (now - s->lst_warned >= 10 * USEC_PER_SEC) {
		log_warn("cli: cannot accept a connection: %s; pausing for %d ms", strerror(err),
			 UXSRV_PAUSE_MS);
		s->lst_warned = now;
	}
	s->lst_paused_until = now + UXSRV_PAUSE_MS * USEC_PER_MSEC;
	listen_set(s, false);
}

static void client_accept(struct uxsrv *s, int lfd)
{
	for (;;) {
		struct epoll_event ev = { .events = EPOLLIN };
		struct ucred cred;
		socklen_t len = sizeof(cred);
		struct client *cl;
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
			    errno == ENOMEM)
				listen_pause(s, errno);
			return;
		}
		if (s->n_clients >= UXSRV_MAX_CLIENTS ||
		    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 ||
		    !(cl = calloc(1, sizeof(*cl)))) {
			close(fd);
			continue;
		}
		cl->tag = (struct tag){ K_CLIENT, fd };
		cl->uid = cred.uid;
		ev.data.ptr = &cl->tag;
		if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
			close(fd);
			free(cl);
			continue;
		}
		cl->next = s->clients;
		if (s->clients)
			s->clients->prev = cl;
		s->clients = cl;
		s->n_clients++;
	}
}

static void client_write(struct uxsrv *s, struct client *cl);

/* Frame `reply` (consumed) and start sending it. */
static void client_reply(struct uxsrv *s, struct client *cl, char *reply)
{
	size_t len;

	if (!reply)
		reply = strdup("fail\nout of memory\n");
	if (reply && strlen(reply) + 1 > MP_IPC_MAX_REPLY) {
		free(reply);
		reply = strdup("fail\nreply too long\n");
	}
	len = reply ? strlen(reply) + 1 : 0;
	free(cl->out);
	cl->out = malloc(sizeof(size_t) + len);
	if (!reply || !cl->out) {
		free(reply);
		client_close(s, cl);
		return;
	}
	memcpy(cl->out, &len, sizeof(len));
	memcpy(cl->out + sizeof(len), reply, len);
	free(reply);
	cl->out_len = sizeof(len) + len;
	cl->out_off = 0;
	cl->state = C_WRITE;
	uatomic_inc(&s->n_writing);
	cl->deadline = mp_now_usec() + (uint64_t)cur_timeout_ms() * USEC_PER_MSEC;
	client_watch(s, cl, EPOLLOUT);
	client_write(s, cl);    /* usually goes out at once; may free cl */
}

static void client_write(struct uxsrv *s, struct client *cl)
{
	while (cl->out_off < cl->out_len) {
		ssize_t n = send(cl->tag.fd, cl->out + cl->out_off, cl->out_len - cl->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			client_close(s, cl);
			return;
		}
		cl->out_off += (size_t)n;
	}
	free(cl->out);
	cl->out = NULL;
	uatomic_dec(&s->n_writing);
	cl->state = C_READ;
	if (cl->close_after) {
		client_close(s, cl);
		return;
	}
	cl->deadline = 0;
	cl->hdr_got = cl->in_got = 0;
	client_watch(s, cl, EPOLLIN);
}

static void queue_job(struct uxsrv *s, struct client *cl, int timeout_ms)
{
	struct job *j = calloc(1, sizeof(*j));

	if (!j) {
		client_reply(s, cl, strdup("fail\nout of memory\n"));
		return;
	}
	j->cl = cl;
	memcpy(j->line, cl->in, sizeof(j->line));
	j->timeout_ms = timeout_ms;
	j->deadline = mp_now_usec() + (uint64_t)timeout_ms * USEC_PER_MSEC;
	cl->state = C_WORK;
	cl->deadline = 0;
	client_watch(s, cl, 0);
	pthread_mutex_lock(&s->lock);
	s->n_jobs++;
	if (s->q_tail)
		s->q_tail->next = j;
	else
		s->q_head = j;
	s->q_tail = j;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

static void client_dispatch(struct uxsrv *s, struct client *cl)
{
	int tmo = cur_timeout_ms();
	bool close_after = false;
	char *reply;

	cl->in[MP_IPC_MAX_CMD - 1] = '\0';
	if (!cli_line_is_read_only(cl->in)) {
		if (cl->uid != 0) {
			client_reply(s, cl, strdup(CLI_REPLY_PERM));
			return;
		}
		queue_job(s, cl, tmo);
		return;
	}
	reply = cli_execute(s->d, cl->in, cl->uid, tmo, &close_after);
	cl->close_after = close_after;
	client_reply(s, cl, reply);
}

static void client_read(struct uxsrv *s, struct client *cl)
{
	for (;;) {
		ssize_t n;

		if (cl->hdr_got < sizeof(size_t))
			n = recv(cl->tag.fd, cl->hdr.b + cl->hdr_got,
				 sizeof(size_t) - cl->hdr_got, MSG_DONTWAIT);
		else
			n = recv(cl->tag.fd, cl->in + cl->in_got, cl->hdr.len - cl->in_got,
				 MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			client_close(s, cl);
			return;
		}
		if (n < 0)
			return;
		if (!cl->deadline)
			cl->deadline = mp_now_usec() + (uint64_t)cur_timeout_ms() * USEC_PER_MSEC;
		if (cl->hdr_got < sizeof(size_t)) {
			cl->hdr_got += (size_t)n;
			if (cl->hdr_got < sizeof(size_t))
				continue;
			if (cl->hdr.len == 0 || cl->hdr.len > MP_IPC_MAX_CMD) {
				/* no way to resynchronise: answer and hang up */
				cl->close_after = true;
				client_reply(s, cl, strdup(cl->hdr.len ? "fail\ncommand too long\n"
								: "fail\nempty command\n"));
				return;
			}
			continue;
		}
		cl->in_got += (size_t)n;
		if (cl->in_got == cl->hdr.len) {
			cl->in[cl->in_got - 1] = '\0';
			client_dispatch(s, cl);
			return;
		}
	}
}

static void expire_clients(struct uxsrv *s)
{
	uint64_t now = mp_now_usec();
	struct client *cl = s->clients, *next;

	for (; cl; cl = next) {
		next = cl->next;
		if (cl->tag.fd >= 0 && cl->deadline && now > cl->deadline)
			client_close(s, cl);
	}
}

/* ---- handler pool ---- */

static void *worker_main(void *arg)
{
	struct uxsrv *s = arg;
	uint64_t one = 1;

	rcu_register_thread();
	mpd_sched_boost_self("cli handler");
	pthread_mutex_lock(&s->lock);
	while (!s->stop) {
		struct job *j = s->q_head;

		if (!j) {
			pthread_cond_wait(&s->cond, &s->lock);
			continue;
		}
		s->q_head = j->next;
		if (!s->q_head)
			s->q_tail = NULL;
		pthread_mutex_unlock(&s->lock);
		if (mp_now_usec() > j->deadline) {
			j->reply = strdup(CLI_REPLY_TIMEOUT);
		} else {
			int left = (int)((j->deadline - mp_now_usec()) / USEC_PER_MSEC);

			j->reply = cli_execute(s->d, j->line, 0, left > 0 ? left : 1, &j->close);
		}
		pthread_mutex_lock(&s->lock);
		j->next = s->done;
		s->done = j;
		if (write(s->ev.fd, &one, sizeof(one)) < 0)
			log_debug("uxsrv: eventfd write: %m");
	}
	pthread_mutex_unlock(&s->lock);
	rcu_unregister_thread();
	return NULL;
}

static void collect_done(struct uxsrv *s)
{
	struct job *j, *next;
	uint64_t v;

	if (read(s->ev.fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		log_debug("uxsrv: eventfd read: %m");
	pthread_mutex_lock(&s->lock);
	j = s->done;
	s->done = NULL;
	pthread_mutex_unlock(&s->lock);
	for (; j; j = next) {
		struct client *cl = j->cl;

		next = j->next;
		pthread_mutex_lock(&s->lock);
		s->n_jobs--;
		pthread_mutex_unlock(&s->lock);
		cl->state = C_READ;
		if (cl->dead) {
			free(j->reply);
			client_free(s, cl);
		} else {
			cl->close_after = j->close;
			client_reply(s, cl, j->reply);
		}
		free(j);
	}
}

/* ---- loop ---- */

static void *loop_main(void *arg)
{
	struct uxsrv *s = arg;
	struct epoll_event evs[64];
	uint64_t last_expire = 0;

	rcu_register_thread();
	/* read-only commands run right here: a reply must not wait for a
	 * CPU behind the udev workers of a storm */
	mpd_sched_boost_self("cli");
	for (;;) {
		int n = epoll_wait(s->epfd, evs, ARRAY_SIZE(evs), 200);
		bool stop;

		pthread_mutex_lock(&s->lock);
		stop = s->stop;
		pthread_mutex_unlock(&s->lock);
		if (stop)
			break;
		for (int i = 0; i < n; i++) {
			struct tag *t = evs[i].data.ptr;

			if (t->kind == K_LISTEN) {
				client_accept(s, t->fd);
			} else if (t->kind == K_EVENT) {
				collect_done(s);
			} else {
				struct client *cl = (struct client *)t;

				if (cl->tag.fd < 0)
					continue;
				/* HUP is reported even with an empty event mask:
				 * a client gone while its job runs would spin us */
				if (cl->state == C_WORK &&
				    (evs[i].events & (EPOLLHUP | EPOLLERR)))
					client_close(s, cl);
				else if (cl->state == C_READ)
					client_read(s, cl);
				else if (cl->state == C_WRITE)
					client_write(s, cl);
			}
		}
		if (mp_now_usec() - last_expire > 100 * USEC_PER_MSEC) {
			expire_clients(s);
			last_expire = mp_now_usec();
		}
		if (s->lst_paused_until && mp_now_usec() >= s->lst_paused_until) {
			s->lst_paused_until = 0;
			listen_set(s, true);
		}
	}
	rcu_unregister_thread();
	return NULL;
}

static int listen_on(const char *name, char **ret_path)
{
	struct sockaddr_un sa;
	socklen_t len;
	int fd, r;

	r = mp_ipc_sockaddr(name, &sa, &len);
	if (r < 0)
		return r;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (name[0] != '@')
		unlink(name);
	if (bind(fd, (struct sockaddr *)&sa, len) < 0 || listen(fd, 1024) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	if (name[0] != '@') {
		/* anyone may connect; the server checks SO_PEERCRED per command */
		chmod(name, 0666);
		*ret_path = strdup(name);
	}
	return fd;
}

static int open_listeners(struct uxsrv *s, const int *fds, size_t n_fds)
{
	const char *env = getenv(MP_IPC_ENV_NAME);
	int fd;

	if (n_fds) {
		for (size_t i = 0; i < n_fds && i < 2; i++) {
			fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
			s->lst[s->n_lst++] = (struct tag){ K_LISTEN, fds[i] };
		}
		return 0;
	}
	s->own_lst = true;
	if (env && *env) {
		fd = listen_on(env, &s->path_name);
		if (fd < 0)
			return fd;
		s->lst[s->n_lst++] = (struct tag){ K_LISTEN, fd };
		return 0;
	}
	fd = listen_on(MP_IPC_ABSTRACT_NAME, &s->path_name);
	if (fd < 0)
		return fd;
	s->lst[s->n_lst++] = (struct tag){ K_LISTEN, fd };
	fd = listen_on(MP_IPC_PATH_NAME, &s->path_name);
	if (fd >= 0)
		s->lst[s->n_lst++] = (struct tag){ K_LISTEN, fd };
	else
		log_warn("cannot listen on %s: %s", MP_IPC_PATH_NAME, strerror(-fd));
	return 0;
}

static void server_free(struct uxsrv *s)
{
	while (s->clients) {
		struct client *cl = s->clients;

		if (cl->tag.fd >= 0)
			close(cl->tag.fd);
		client_free(s, cl);
	}
	while (s->q_head) {
		struct job *j = s->q_head;

		s->q_head = j->next;
		free(j);
	}
	while (s->done) {
		struct job *j = s->done;

		s->done = j->next;
		free(j->reply);
		free(j);
	}
	for (size_t i = 0; s->own_lst && i < s->n_lst; i++)
		close(s->lst[i].fd);
	if (s->path_name)
		unlink(s->path_name);
	free(s->path_name);
	if (s->ev.fd >= 0)
		close(s->ev.fd);
	if (s->epfd >= 0)
		close(s->epfd);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
	free(s);
}

static int server_setup(struct uxsrv *s, const int *fds, size_t n_fds)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int r;

	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	s->ev = (struct tag){ K_EVENT, eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC) };
	if (s->epfd < 0 || s->ev.fd < 0)
		return -errno;
	r = open_listeners(s, fds, n_fds);
	if (r < 0)
		return r;
	ev.data.ptr = &s->ev;
	if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->ev.fd, &ev) < 0)
		return -errno;
	for (size_t i = 0; i < s->n_lst; i++) {
		ev.data.ptr = &s->lst[i];
		if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, s->lst[i].fd, &ev) < 0)
			return -errno;
	}
	return 0;
}

int uxsrv_start(struct mpd *d, const int *fds, size_t n_fds)
{
	struct uxsrv *s;
	int r;

	if (the_server)
		return -EBUSY;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->d = d;
	s->epfd = s->ev.fd = -1;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	r = server_setup(s, fds, n_fds);
	if (r < 0)
		goto fail;
	for (; s->n_workers < UXSRV_HANDLERS; s->n_workers++) {
		r = -pthread_create(&s->workers[s->n_workers], NULL, worker_main, s);
		if (r < 0)
			goto fail_threads;
	}
	r = -pthread_create(&s->loop, NULL, loop_main, s);
	if (r < 0)
		goto fail_threads;
	the_server = s;
	return 0;
fail_threads:
	pthread_mutex_lock(&s->lock);
	s->stop = true;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	for (size_t i = 0; i < s->n_workers; i++)
		pthread_join(s->workers[i], NULL);
fail:
	server_free(s);
	return r;
}

/* Let replies in flight go out (the `shutdown` command's own `ok` among
 * them), for at most a second. */
static void drain(struct uxsrv *s)
{
	for (int i = 0; i < 100; i++) {
		int jobs;

		pthread_mutex_lock(&s->lock);
		jobs = s->n_jobs;
		pthread_mutex_unlock(&s->lock);
		if (jobs == 0 && uatomic_read(&s->n_writing) == 0)
			return;
		usleep(10000);
	}
}

void uxsrv_stop(struct mpd *d)
{
	struct uxsrv *s = the_server;
	uint64_t one = 1;

	if (!s || s->d != d)
		return;
	drain(s);
	pthread_mutex_lock(&s->lock);
	s->stop = true;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	if (write(s->ev.fd, &one, sizeof(one)) < 0)
		log_debug("uxsrv: eventfd write: %m");
	pthread_join(s->loop, NULL);
	for (size_t i = 0; i < s->n_workers; i++)
		pthread_join(s->workers[i], NULL);
	the_server = NULL;
	server_free(s);
}
