/* SPDX-License-Identifier: MIT */
/* The live view's keys (cli/keys.c): bytes and their times in, actions out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "keys.h"

struct typed {
	const char *bytes;
	uint64_t at_ms;	  /* all the bytes of one entry come at once, as a terminal reads them */
	const char *want; /* the actions, space separated, pains as "pain:N" */
};

/* Feed each entry's bytes at its time; compare the actions (and pains) with what is wanted. */
static void run(const struct typed *t, size_t n)
{
	struct keys k;

	keys_init(&k);
	for (size_t i = 0; i < n; i++) {
		char got[256] = "";
		size_t len = 0;

		for (const char *c = t[i].bytes; *c; c++) {
			enum key_action also;
			int v = -1;
			enum key_action a =
				keys_feed(&k, (unsigned char) *c, t[i].at_ms, &v, &also);

			if (also != KEY_NONE)
				len += (size_t) snprintf(got + len, sizeof(got) - len, "%s%s",
							 len ? " " : "",
							 key_action_to_string(also));
			if (a == KEY_NONE)
				continue;
			len += (size_t) snprintf(got + len, sizeof(got) - len, "%s%s",
						 len ? " " : "", key_action_to_string(a));
			if (a == KEY_PAIN)
				len += (size_t) snprintf(got + len, sizeof(got) - len, ":%d", v);
		}
		if (strcmp(got, t[i].want) != 0)
			fail_msg("entry %zu (\"%s\" at %llu ms): got \"%s\", want \"%s\"", i,
				 t[i].bytes, (unsigned long long) t[i].at_ms, got, t[i].want);
	}
}

static void test_digits_at_once(void **state)
{
	/* clang-format off */
	static const struct typed t[] = {
		{ "4", 1000, "pain:4" },
		{ "0", 5000, "pain:0" },
		{ "7", 9000, "pain:7" },
		{ "9", 9100, "pain:9" }, /* two digits but not "1 0": each one is a pain */
	};
	/* clang-format on */
	run(t, sizeof(t) / sizeof(t[0]));
}

/* "1" is reported at once (pain 1 never changes a session); a "0" soon after makes it 10. */
static void test_ten(void **state)
{
	/* clang-format off */
	static const struct typed t[] = {
		{ "1", 1000, "pain:1" },
		{ "0", 1400, "pain:10" },
		{ "0", 1500, "pain:0" }, /* after a complete 10, a new entry */
		{ "1", 5000, "pain:1" },
		{ "0", 6501, "pain:0" },	  /* too late: 0 on its own */
		{ "10", 9000, "pain:1 pain:10" }, /* both in one read */
		{ "1", 20000, "pain:1" },
		{ "p", 20100, "pause-resume" },
		{ "0", 20200, "pain:0" }, /* another key in between: not 10 */
	};
	/* clang-format on */
	run(t, sizeof(t) / sizeof(t[0]));
}

static void test_enter(void **state)
{
	/* clang-format off */
	static const struct typed t[] = {
		{ "\r", 1000, "pause-resume" }, /* a keypad's Enter */
		{ "5\r", 3000, "pain:5" },	/* ends the number: no pause */
		{ "\n", 3100, "pause-resume" }, /* a second Enter is a key of its own */
		{ "\r", 6000, "pause-resume" }, /* long after: pauses */
		{ " ", 8000, "pause-resume" },	{ "P", 9000, "pause-resume" },
	};
	/* clang-format on */
	run(t, sizeof(t) / sizeof(t[0]));
}

/* An arrow key (a presenter's remote sends them) neither stops nor cancels the stop. */
static void test_stop_needs_two_presses(void **state)
{
	/* clang-format off */
	static const struct typed t[] = {
		{ "s", 1000, "stop-ask" },
		{ "\033[A", 1500, "" },
		{ "S", 2000, "stop" },
	};
	/* clang-format on */
	run(t, sizeof(t) / sizeof(t[0]));
}

/* Another key cancels a stop, and a second "s" too late asks again. */
static void test_stop_cancelled(void **state)
{
	/* clang-format off */
	static const struct typed t[] = {
		{ "s", 1000, "stop-ask" },	    { "4", 1500, "stop-cancel pain:4" },
		{ "s", 2000, "stop-ask" },	    { "s", 2500, "stop" },
		{ "s", 10000, "stop-ask" },	    { "s", 13001, "stop-ask" },
		{ "-", 14000, "stop-cancel ease" },
	};
	/* clang-format on */
	run(t, sizeof(t) / sizeof(t[0]));
}

static void test_other_keys(void **state)
{
	/* clang-format off */
	static const struct typed t[] = {
		{ "c", 1000, "confirm-belt" }, { "C", 1100, "confirm-belt" },
		{ "-", 1200, "ease" },	       { "q", 1300, "quit" },
		{ "x", 1400, "unknown" },      { "+", 1500, "unknown" }, /* never "more" */
		{ "\t\x7f\x01", 1600, "" }, /* control bytes: nothing */
		{ "\xc3\xa9", 1700, "" },   /* "é": nothing, not two unknown keys */
	};
	/* clang-format on */
	run(t, sizeof(t) / sizeof(t[0]));
}

/* A digit inside an escape sequence is never a pain: Page Up is ESC [ 5 ~, F5 ESC [ 1 5 ~,
 * keypad keys in application mode ESC O x. */
static void test_escape_sequences(void **state)
{
	/* clang-format off */
	static const struct typed t[] = {
		{ "\033[5~", 1000, "" }, { "\033[15~", 1100, "" }, { "\033[1;5A", 1200, "" },
		{ "\033OP", 1300, "" },	 { "\0334", 1400, "" }, /* Alt+4 */
		{ "3", 1500, "pain:3" }, { "\033", 2000, "" },	/* a lone ESC... */
		{ "6", 3000, "pain:6" }, /* ...long before the next key: that key counts */
	};
	/* clang-format on */
	run(t, sizeof(t) / sizeof(t[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_digits_at_once),
		cmocka_unit_test(test_ten),
		cmocka_unit_test(test_enter),
		cmocka_unit_test(test_stop_needs_two_presses),
		cmocka_unit_test(test_stop_cancelled),
		cmocka_unit_test(test_other_keys),
		cmocka_unit_test(test_escape_sequences),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
