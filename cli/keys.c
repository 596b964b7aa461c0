/* SPDX-License-Identifier: MIT */
/* The live view's keys: bytes from the terminal to actions (keys.h). */
#include "keys.h"

#include <stddef.h>

void keys_init(struct keys *k)
{
	*k = (struct keys) { .last_digit = -1 };
}

/* Inside an escape sequence: swallow until its final byte. Return: true if @c was part of it. */
static bool escape(struct keys *k, unsigned char c, uint64_t now)
{
	if (k->esc && now - k->esc_at > KEYS_ESC_MS)
		k->esc = 0; /* a lone ESC long ago: this is a key of its own */
	if (c == 0x1b) {
		k->esc = 1;
		k->esc_at = now;
		return true;
	}
	if (!k->esc)
		return false;
	k->esc_at = now;
	if (k->esc == 1 && (c == '[' || c == 'O')) {
		k->esc = 2;
		return true;
	}
	/* After ESC [ or ESC O: parameters and intermediates (0x20-0x3f) until a final byte;
	 * after a lone ESC: Alt+key, one byte. */
	if (k->esc == 2 && c >= 0x20 && c <= 0x3f)
		return true;
	k->esc = 0;
	return true;
}

static enum key_action digit(struct keys *k, int d, uint64_t now, int *value)
{
	if (d == 0 && k->last_digit == 1 && now - k->digit_at <= KEYS_TEN_MS) {
		k->last_digit = -1; /* "10" is complete: a third digit starts afresh */
		*value = 10;
		return KEY_PAIN;
	}
	k->last_digit = d;
	k->digit_at = now;
	*value = d;
	return KEY_PAIN;
}

static enum key_action decode(struct keys *k, unsigned char c, uint64_t now, int *value)
{
	bool after_digit = k->last_digit >= 0 && now - k->digit_at <= KEYS_TEN_MS;

	if (c >= '0' && c <= '9')
		return digit(k, c - '0', now, value);
	k->last_digit = -1;
	switch (c) {
	case ' ':
	case 'p':
	case 'P':
		return KEY_PAUSE_RESUME;
	case '\r':
	case '\n':
		return after_digit ? KEY_NONE : KEY_PAUSE_RESUME;
	case 'c':
	case 'C':
		return KEY_CONFIRM_BELT;
	case '-':
		return KEY_EASE;
	case 'q':
	case 'Q':
		return KEY_QUIT;
	}
	return c > 0x20 && c < 0x7f ? KEY_UNKNOWN : KEY_NONE;
}

enum key_action keys_feed(struct keys *k, unsigned char c, uint64_t now_ms, int *value,
			  enum key_action *also)
{
	bool stop_was = keys_stop_pending(k, now_ms);
	enum key_action a;

	*also = KEY_NONE;
	if (escape(k, c, now_ms) || c >= 0x80)
		return KEY_NONE; /* no action, and a pending stop stays pending */
	k->stop_pending = false;
	if (c == 's' || c == 'S') {
		k->last_digit = -1;
		if (stop_was)
			return KEY_STOP;
		k->stop_pending = true;
		k->stop_at = now_ms;
		return KEY_STOP_ASK;
	}
	a = decode(k, c, now_ms, value);
	if (stop_was && a != KEY_NONE)
		*also = KEY_STOP_CANCEL;
	else if (stop_was)
		k->stop_pending = true; /* Enter ending a number, a control byte: still pending */
	return a;
}

bool keys_stop_pending(const struct keys *k, uint64_t now_ms)
{
	return k->stop_pending && now_ms - k->stop_at <= KEYS_STOP_MS;
}

const char *key_action_to_string(enum key_action a)
{
	static const char *const names[] = {
		[KEY_NONE] = "none",
		[KEY_PAIN] = "pain",
		[KEY_PAUSE_RESUME] = "pause-resume",
		[KEY_STOP_ASK] = "stop-ask",
		[KEY_STOP] = "stop",
		[KEY_STOP_CANCEL] = "stop-cancel",
		[KEY_CONFIRM_BELT] = "confirm-belt",
		[KEY_EASE] = "ease",
		[KEY_QUIT] = "quit",
		[KEY_UNKNOWN] = "unknown",
	};

	return (unsigned) a < sizeof(names) / sizeof(names[0]) ? names[a] : "unknown";
}
