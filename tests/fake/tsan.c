// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ThreadSanitizer suppressions for every test linked with the fakes.
 * liburcu is not built with TSan: its call_rcu and workqueue (hash-table
 * resize) threads synchronise through futexes TSan cannot see.  Only read
 * by a -fsanitize=thread build; harmless otherwise.
 */
const char *__tsan_default_suppressions(void);
const char *__tsan_default_suppressions(void)
{
	return "thread:liburcu.so.8\n"
	       "thread:liburcu-cds.so.8\n"
	       "called_from_lib:liburcu-cds.so.8\n"
	       "called_from_lib:liburcu.so.8\n"
	       "called_from_lib:liburcu-common.so.8\n";
}
