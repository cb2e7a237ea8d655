/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A stateful in-memory device-mapper for unit tests: maps with name, uuid,
 * dev_t, table, per-path failed state, active group, queueing and event
 * numbers, behaving as the kernel's dm-multipath does for the calls in
 * struct mp_dm_ops.  Thread-safe (one mutex), maps hashed by name, so the
 * daemon's storm tests can run thousands of maps from several workers.
 *
 * Kernel behaviour mirrored:
 *   create      -EBUSY if the name or uuid exists; -EINVAL for a table
 *               mp_table_parse() rejects.  Live at once; active group =
 *               initial_pg (the kernel shows it as 'A' only after I/O; the
 *               fake does at once).
 *   table       what the kernel prints: features in kernel order, handler
 *               args dropped, service-time paths with 2 args ("repeat 1"),
 *               initial_pg = the current group.
 *   status      "2 0 0 0 <nr_pgs> <active> { A|E|D 0 <n> <info_args>
 *               { maj:min A|F fail_count <selector words> } }".
 *   reload      replaces the table: every path active, counts 0, groups
 *               enabled, active group = new initial_pg.
 *   message     fail_path/reinstate_path (event_nr+1 when the state
 *               changes, -EINVAL for a path not in the map),
 *               switch_group/enable_group/disable_group N (event_nr+1),
 *               queue_if_no_path/fail_if_no_path (table features change),
 *               @cancel_deferred_remove (0 even if none is pending),
 *               -EBUSY while suspended, -EINVAL otherwise.
 *   remove      -EBUSY while open (open count, fake_dm_set_open_count());
 *               deferred: marks it and removes when the count drops to 0.
 *   events fd   an eventfd, readable after any map event, create, remove or
 *               rename; rearm drains it.
 */
#ifndef MP_TESTS_FAKE_DM_H
#define MP_TESTS_FAKE_DM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "dm/dm.h"

extern const struct mp_dm_ops fake_dm_ops;

/* Reset the fake and make it the backend's dm (keeping the current sysfs
 * and sgio ops, so other fakes can be installed before or after). */
void fake_dm_install(void);
/* Restore the backend active before fake_dm_install() and free all maps. */
void fake_dm_uninstall(void);
/* Drop every map, counter and injected failure. */
void fake_dm_reset(void);

/* Calls the fake received, by kind (create/reload/... as in mp_dm_op). */
uint64_t fake_dm_count(enum mp_dm_op op);
/* CPU time (ns, of the calling threads) spent inside list(): what the
 * kernel's DM_LIST_DEVICES stands for, so a benchmark can tell it from
 * the daemon's own work. */
uint64_t fake_dm_list_cpu_ns(void);
size_t fake_dm_map_count(void);
/* Status / table lines as get_status/get_table return them (caller
 * frees), NULL if no such map. */
char *fake_dm_status(const char *name);
char *fake_dm_table(const char *name);
/* Paths (major:minor words) in a map's table; 0 if no such map. */
size_t fake_dm_n_paths(const char *name);
bool fake_dm_exists(const char *name);
/* -1 if no such map */
int fake_dm_queueing(const char *name);
int fake_dm_active_group(const char *name);
/* 1 failed, 0 active, -ENOENT no such map or path */
int fake_dm_path_failed(const char *name, dev_t devt);
int64_t fake_dm_event_nr(const char *name);
/* MP_DM_FLAG_* of the map's last create or reload; -1 if no such map. */
int64_t fake_dm_flags(const char *name);

/* The next call of kind `op` fails with `err` (negative errno); n times. */
void fake_dm_fail_next(enum mp_dm_op op, int err);
void fake_dm_fail_next_n(enum mp_dm_op op, int err, unsigned int n);
/* Simulate openers (mounts, I/O) of a map. */
int fake_dm_set_open_count(const char *name, int n);
/* The kernel failing a path on its own (I/O error): like a fail_path
 * message, but not counted as one. */
int fake_dm_kernel_fail_path(const char *name, dev_t devt);

#endif
