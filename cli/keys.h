/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The keys of the live view, decoded from the bytes a terminal sends (pure: no I/O, time
 * injected in ms). The README's "Terminal keys" says why each key does what it does.
 *
 *   0-9          pain at once; "1" then "0" within KEYS_TEN_MS is 10 (the "1" was already
 *                reported as 1, which never changes a session)
 *   space, p, P  pause or resume; Enter too (a numeric keypad has no space), except right
 *                after a digit, where it only ends the number
 *   s, S         stop, once pressed again within KEYS_STOP_MS; any other key cancels
 *   c, C         confirm a treadmill's belt (a countdown follows)
 *   -            ease the target one step (the keypad's minus too)
 *   q, Q         leave the live view; the session goes on
 * Escape sequences (arrows, function keys, Alt+key) and bytes of other characters are
 * swallowed whole: a digit inside "ESC [ 5 ~" is never a pain.
 */

#include <stdbool.h>
#include <stdint.h>

#define KEYS_TEN_MS  1500 /* "1" then "0" this close together: 10 */
#define KEYS_STOP_MS 3000 /* the second "s" must come this soon */
#define KEYS_ESC_MS  100  /* an escape sequence's bytes come this close together */

enum key_action {
	KEY_NONE,	  /* nothing to do (part of a sequence, ends a number, ignored) */
	KEY_PAIN,	  /* report pain: the value is 0-10 */
	KEY_PAUSE_RESUME, /* pause if running, resume if paused */
	KEY_STOP_ASK,	  /* the first "s": ask for the second */
	KEY_STOP,	  /* the second "s" in time */
	KEY_STOP_CANCEL,  /* a stop was asked for and another key came (then handled too) */
	KEY_CONFIRM_BELT,
	KEY_EASE,
	KEY_QUIT,
	KEY_UNKNOWN, /* a printable key without a meaning: show the keys */
};

struct keys {
	uint64_t digit_at; /* when the last digit came */
	uint64_t esc_at;   /* when the escape sequence's last byte came */
	uint64_t stop_at;  /* when the first "s" came */
	int last_digit;	   /* -1: none pending */
	int esc;	   /* 0 none, 1 after ESC, 2 in CSI/SS3 parameters */
	bool stop_pending;
};

/* Start decoding: nothing pending. */
void keys_init(struct keys *k);

/*
 * Decode one byte typed at @now_ms. A pending stop that another key cancels gives
 * KEY_STOP_CANCEL in *@also while the key itself is the result.
 * Return: the action; *@value is the pain for KEY_PAIN (else untouched).
 */
enum key_action keys_feed(struct keys *k, unsigned char c, uint64_t now_ms, int *value,
			  enum key_action *also);

/* Return: true while a first "s" waits for the second (at @now_ms). */
bool keys_stop_pending(const struct keys *k, uint64_t now_ms);

/* Return: a short stable name for an action ("pain", "pause-resume", ...). */
const char *key_action_to_string(enum key_action a);
