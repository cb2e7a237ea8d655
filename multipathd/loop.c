// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The event loop (main thread).  It only reads events and queues work:
 * uevents become struct mp_uevent (mpd_handle_uevent picks the queue and
 * key; with kernel events on, kevent.c sees both streams first and feeds
 * kernel adds ahead of udev), a readable DM event fd is re-armed and queues one DM scan, SIGHUP
 * queues a reconfigure, SIGINT/SIGTERM stop the loop, the 1 s timer pings
 * the systemd watchdog.  No DM create/reload, SG_IO or sleeping here.
 */
#include <errno.h>
#include <libudev.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>
#include <urcu/uatomic.h>

#include "dm/dm.h"
#include "kevent.h"
#include "loop.h"
#include "util/log.h"

#define UEVENT_RCVBUF (128 * 1024 * 1024)
#define UEVENT_BURST 1000

/* Kernel events read before each udev burst: a 1024-disk storm is ~2000
 * kernel events, so this drains the socket in practice. */
#define KEVENT_BURST 4096

enum { SRC_UDEV, SRC_KERNEL, SRC_DM, SRC_SIGNAL, SRC_TIMER, SRC_WAKE };

struct mpd_loop {
	struct mpd *d;
	struct udev *udev;
	struct udev_monitor *mon;
	struct udev_monitor *kmon;      /* kernel uevents, NULL when off */
	struct mpd_kev *kev;
	int epfd, dmfd, sigfd, timerfd, wakefd;
	uint64_t watchdog_usec;
	bool stop;
};

static struct mp_uevent *uevent_from_udev(struct udev_device *dev, enum mp_uev_action action)
{
	struct udev_list_entry *e;
	const char **env = NULL;
	size_t n = 0, cap = 0;
	struct mp_uevent *u;

	udev_list_entry_foreach(e, udev_device_get_properties_list_entry(dev)) {
		char *kv;

		if (n + 1 >= cap) {
			const char **ne = realloc(env, (cap = cap ? 2 * cap : 32) * sizeof(*env));

			if (!ne)
				break;
			env = ne;
		}
		if (asprintf(&kv, "%s=%s", udev_list_entry_get_name(e),
			     udev_list_entry_get_value(e) ?: "") < 0)
			break;
		env[n++] = kv;
	}
	if (env)
		env[n] = NULL;
	u = mp_uevent_new(action, udev_device_get_sysname(dev), udev_device_get_devnum(dev),
			  udev_device_get_syspath(dev), env);
	if (u)
		u->seqnum = udev_device_get_seqnum(dev);
	for (size_t i = 0; i < n; i++)
		free((char *)env[i]);
	free(env);
	return u;
}

static void handle_kernel(struct mpd_loop *l)
{
	for (int i = 0; l->kmon && i < KEVENT_BURST; i++) {
		struct udev_device *dev = udev_monitor_receive_device(l->kmon);
		struct mp_uevent *u;

		if (!dev)
			break;
		u = uevent_from_udev(dev, mp_uev_action_from_string(udev_device_get_action(dev)));
		udev_device_unref(dev);
		if (u)
			mpd_kev_kernel(l->kev, u);
	}
}

static void handle_udev(struct mpd_loop *l)
{
	/* a udev event is made from a kernel event: see that one first */
	handle_kernel(l);
	for (int i = 0; i < UEVENT_BURST; i++) {
		struct udev_device *dev = udev_monitor_receive_device(l->mon);
		struct mp_uevent *u;

		if (!dev)
			break;
		u = uevent_from_udev(dev, mp_uev_action_from_string(udev_device_get_action(dev)));
		udev_device_unref(dev);
		if (!u)
			continue;
		if (l->kev)
			mpd_kev_udev(l->kev, u);
		else
			mpd_handle_uevent(l->d, u);
	}
}

int mpd_loop_enumerate(struct mpd_loop *l)
{
	struct udev_enumerate *en = udev_enumerate_new(l->udev);
	struct udev_list_entry *e;
	int n = 0;

	if (!en)
		return -ENOMEM;
	udev_enumerate_add_match_subsystem(en, "block");
	udev_enumerate_add_match_property(en, "DEVTYPE", "disk");
	udev_enumerate_scan_devices(en);
	udev_list_entry_foreach(e, udev_enumerate_get_list_entry(en)) {
		struct udev_device *dev = udev_device_new_from_syspath(l->udev,
								       udev_list_entry_get_name(e));
		struct mp_uevent *u;

		if (!dev)
			continue;
		if (strncmp(udev_device_get_sysname(dev), "dm-", 3) != 0) {
			u = uevent_from_udev(dev, UEV_ADD);
			if (u) {
				mpd_handle_uevent(l->d, u);
				n++;
			}
		}
		udev_device_unref(dev);
	}
	udev_enumerate_unref(en);
	return n;
}

static void handle_signal(struct mpd_loop *l)
{
	struct signalfd_siginfo si;

	while (read(l->sigfd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGHUP:
			log_notice("SIGHUP: reconfigure");
			mpd_reconfigure(l->d, false);
			break;
		case SIGUSR1:
			break;          /* syslog needs no reopening */
		case SIGINT:
		case SIGTERM:
			log_notice("signal %d: shutting down", si.ssi_signo);
			l->stop = true;
			break;
		default:
			break;
		}
	}
}

static void handle_timer(struct mpd_loop *l)
{
	uint64_t n;

	if (read(l->timerfd, &n, sizeof(n)) < 0)
		return;
	if (l->watchdog_usec)
		sd_notify(0, "WATCHDOG=1");
}

static void wake_loop(void *ud)
{
	struct mpd_loop *l = ud;
	uint64_t one = 1;

	if (write(l->wakefd, &one, sizeof(one)) < 0)
		log_debug("wake: %m");
}

static int add_fd(struct mpd_loop *l, int fd, int src)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)src };

	return epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

static int setup_udev(struct mpd_loop *l)
{
	l->udev = udev_new();
	if (!l->udev)
		return -ENOMEM;
	l->mon = udev_monitor_new_from_netlink(l->udev, "udev");
	if (!l->mon)
		return -ENOMEM;
	udev_monitor_set_receive_buffer_size(l->mon, UEVENT_RCVBUF);
	udev_monitor_filter_add_match_subsystem_devtype(l->mon, "block", "disk");
	if (udev_monitor_enable_receiving(l->mon) < 0)
		return -EIO;
	return add_fd(l, udev_monitor_get_fd(l->mon), SRC_UDEV);
}

/* Without it we are as fast as udev: a failure only costs the speed-up. */
static void setup_kernel(struct mpd_loop *l)
{
	if (mpd_kev_new(l->d, &l->kev) < 0)
		return;
	l->kmon = udev_monitor_new_from_netlink(l->udev, "kernel");
	if (l->kmon) {
		udev_monitor_set_receive_buffer_size(l->kmon, UEVENT_RCVBUF);
		udev_monitor_filter_add_match_subsystem_devtype(l->kmon, "block", "disk");
	}
	if (!l->kmon || udev_monitor_enable_receiving(l->kmon) < 0 ||
	    add_fd(l, udev_monitor_get_fd(l->kmon), SRC_KERNEL) < 0) {
		log_warn("no kernel uevents: paths wait for udev");
		if (l->kmon)
			udev_monitor_unref(l->kmon);
		l->kmon = NULL;
		mpd_kev_free(l->kev);
		l->kev = NULL;
	}
}

static int setup_fds(struct mpd_loop *l)
{
	struct itimerspec its = { .it_interval = { 1, 0 }, .it_value = { 1, 0 } };
	sigset_t mask;
	int r;

	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGUSR1);
	/* blocked in every thread: main blocks them before any thread starts */
	pthread_sigmask(SIG_BLOCK, &mask, NULL);
	l->sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	l->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	l->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (l->sigfd < 0 || l->timerfd < 0 || l->wakefd < 0)
		return -errno;
	timerfd_settime(l->timerfd, 0, &its, NULL);
	r = add_fd(l, l->sigfd, SRC_SIGNAL);
	if (r >= 0)
		r = add_fd(l, l->timerfd, SRC_TIMER);
	if (r >= 0)
		r = add_fd(l, l->wakefd, SRC_WAKE);
	if (r < 0)
		return r;
	l->dmfd = mp_dm_events_open();
	if (l->dmfd < 0)
		log_warn("no DM event polling (%s): relying on the checker", strerror(-l->dmfd));
	else if (add_fd(l, l->dmfd, SRC_DM) < 0)
		log_warn("cannot poll DM events");
	return 0;
}

int mpd_loop_new(struct mpd *d, bool kernel_events, struct mpd_loop **ret)
{
	struct mpd_loop *l = calloc(1, sizeof(*l));
	int r;

	if (!l)
		return -ENOMEM;
	l->d = d;
	l->sigfd = l->timerfd = l->wakefd = l->dmfd = -1;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		free(l);
		return -errno;
	}
	r = setup_fds(l);
	if (r >= 0)
		r = setup_udev(l);
	if (r >= 0 && kernel_events)
		setup_kernel(l);
	if (r < 0) {
		mpd_loop_free(l);
		return r;
	}
	if (sd_watchdog_enabled(0, &l->watchdog_usec) <= 0)
		l->watchdog_usec = 0;
	d->priv->shutdown_cb = wake_loop;
	d->priv->shutdown_ud = l;
	*ret = l;
	return 0;
}

int mpd_loop_run(struct mpd_loop *l)
{
	struct epoll_event evs[8];

	while (!l->stop && !mpd_load(&l->d->priv->shutdown)) {
		int n = epoll_wait(l->epfd, evs, 8, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (int i = 0; i < n; i++) {
			switch (evs[i].data.u32) {
			case SRC_UDEV:
				handle_udev(l);
				break;
			case SRC_KERNEL:
				handle_kernel(l);
				break;
			case SRC_DM:
				mp_dm_events_rearm(l->dmfd);
				mpd_dm_event(l->d);
				break;
			case SRC_SIGNAL:
				handle_signal(l);
				break;
			case SRC_TIMER:
				handle_timer(l);
				break;
			case SRC_WAKE: {
				uint64_t v;

				if (read(l->wakefd, &v, sizeof(v)) < 0)
					break;
				break;
			}
			}
		}
	}
	return 0;
}

void mpd_loop_free(struct mpd_loop *l)
{
	if (!l)
		return;
	if (l->d->priv->shutdown_ud == l) {
		l->d->priv->shutdown_cb = NULL;
		l->d->priv->shutdown_ud = NULL;
	}
	if (l->mon)
		udev_monitor_unref(l->mon);
	if (l->kmon)
		udev_monitor_unref(l->kmon);
	mpd_kev_free(l->kev);
	if (l->udev)
		udev_unref(l->udev);
	mp_dm_events_close(l->dmfd);
	if (l->sigfd >= 0)
		close(l->sigfd);
	if (l->timerfd >= 0)
		close(l->timerfd);
	if (l->wakefd >= 0)
		close(l->wakefd);
	close(l->epfd);
	free(l);
}
