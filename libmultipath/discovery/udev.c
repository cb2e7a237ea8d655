// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The libudev entry point: udev supplies properties (the WWID among them);
 * everything else comes from sysfs through the backend as for
 * mp_pathinfo_build().
 */
#include <errno.h>
#include <libudev.h>
#include <stddef.h>

#include "discovery/pathinfo.h"

struct udev_props {
	struct udev_device *dev;
	mp_pi_getprop chained;
	void *chained_ud;
};

static const char *udev_getprop(const char *name, void *ud)
{
	struct udev_props *p = ud;
	const char *v = udev_device_get_property_value(p->dev, name);

	if (!v && p->chained)
		v = p->chained(name, p->chained_ud);
	return v;
}

int mp_pathinfo_from_udev(struct udev_device *dev, const struct mp_pathinfo_opts *opts,
			  struct mp_path_info **ret)
{
	struct mp_pathinfo_opts o = { 0 };
	struct udev_props p = { .dev = dev };
	const char *name;

	if (!dev || !(name = udev_device_get_sysname(dev)))
		return -EINVAL;
	if (opts) {
		o = *opts;
		p.chained = opts->getprop;
		p.chained_ud = opts->ud;
	}
	o.getprop = udev_getprop;
	o.ud = &p;
	/* udev without its database entry: properties are not there yet */
	bool init = udev_device_get_is_initialized(dev) > 0;
	int r;

	if (!init)
		o.getprop = NULL;
	r = mp_pathinfo_build(name, &o, ret);
	if (r == 0 && !init)
		(*ret)->partial = true;
	return r;
}
