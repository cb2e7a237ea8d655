// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "config/config.h"
static void t_load_empty(void **state)
{
	struct mp_config *c = NULL;
	assert_int_equal(mp_config_load_string("", "x", &c, NULL), 0);
	mp_config_free(c);
}
int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(t_load_empty) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
