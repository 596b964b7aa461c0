/* SPDX-License-Identifier: MIT */
/* Who may use the API: root, the daemon's own user, members of the group. */
#include <grp.h>
#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>
#include <cmocka.h>

#include "api/access.h"

static void test_root_and_self(void **state)
{
	assert_int_equal(access_uid_allowed(0, 4242, "backride"), 1);
	assert_int_equal(access_uid_allowed(4242, 4242, "backride"), 1);
	assert_int_equal(access_uid_allowed(4242, 4243, NULL), 0);
	assert_int_equal(access_uid_allowed(4242, 4243, ""), 0);
}

static void test_group_membership(void **state)
{
	struct passwd *pw = getpwnam("nobody");
	struct passwd *d = getpwnam("daemon");
	struct group *g;

	if (!pw || !d)
		skip();
	/* No such group: nobody else may. */
	assert_int_equal(access_uid_allowed(pw->pw_uid, 0xfffe, "no-such-group-xyz"), 0);
	/* nobody is not in group root. */
	assert_int_equal(access_uid_allowed(pw->pw_uid, 0xfffe, "root"), 0);
	/* A primary group counts. */
	g = getgrgid(d->pw_gid);
	if (!g)
		skip();
	assert_int_equal(access_uid_allowed(d->pw_uid, 0xfffe, g->gr_name), 1);
	/* An unknown uid is refused. */
	assert_int_equal(access_uid_allowed(0x7ffffff0, 0xfffe, g->gr_name), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_and_self),
		cmocka_unit_test(test_group_membership),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
