#!/bin/bash
# The live view's keys through a real terminal: tmux runs 'backride start' and 'backride status
# --follow' in a pane, send-keys types as a rider (or a keypad or a media remote that types)
# would, capture-pane reads the screen. Digits report pain at once ("1" then "0" is 10), "-"
# eases, space and p pause and resume, "s" stops only when pressed twice, "c" starts a
# treadmill's belt, an escape sequence (Page Up) is no pain; the terminal's mode is the same
# after the view as before it, whether the view ends with the session, q, s s, Ctrl-C or
# SIGTERM. A start after a session with no check-in since asks the pain now as that check-in.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/session-lib.sh"

SCALE=100 # a 90-minute plan in 54 s: time enough for a rider's keys on a loaded machine
br_setup
session_conf
session_setup --bike --treadmill
br_cli pair $TREAD >/dev/null
br_cli pair $BIKE >/dev/null

TM=(tmux -S "$BR_TMP/tmux.sock" -f /dev/null)
"${TM[@]}" new-session -d -s live -x 120 -y 50 "env PS1='$ ' bash --norc --noprofile"
br_pids+=("$("${TM[@]}" display-message -p '#{pid}')")
# What the pane shows, also in a log that a failed run prints (pane.log).
"${TM[@]}" pipe-pane -t live "cat > $BR_TMP/pane.log"
cli_line="$(printf '%q ' "$BACKRIDE" "${BR_BUS_ARGS[@]}")"

# keys KEY...: tmux send-keys (names like Space, PPage, C-c, or literal text with -l).
keys() { "${TM[@]}" send-keys -t live "$@"; }
screen() { "${TM[@]}" capture-pane -p -t live -S -200; }
on_screen() { screen | grep -q -F -- "$1"; }
# type_line TEXT: type a shell command line in the pane and run it.
type_line() { keys -l "$1" && keys Enter; }
# view NAME ARGS: on a cleared pane, run backride ARGS, then save the terminal's mode in
# stty.NAME once it returns; wait until the pane has run the line ("== NAME").
view()
{
	"${TM[@]}" clear-history -t live
	type_line "clear; echo '== '$1; ${cli_line}$2; stty -g > $BR_TMP/stty.$1"
	wait_for 100 on_screen "== $1"
}
# the pane's shell is at its prompt again (the view has ended) and said so in FILE.
done_file() { [ -s "$BR_TMP/$1" ]; }
pane_shell() { "${TM[@]}" display-message -p -t live '#{pane_pid}'; }
# view_pid: the backride the pane's shell runs (from /proc: a minimal Debian has no pgrep).
view_pid()
{
	local shell f pid comm state ppid rest
	shell=$(pane_shell)
	for f in /proc/[0-9]*/stat; do
		read -r pid comm state ppid rest <"$f" 2>/dev/null || continue
		if [ "$ppid" = "$shell" ] && [ "$comm" = "(backride)" ] && [ "$state" != Z ]; then
			echo "$pid"
		fi
	done
}
view_gone() { [ -z "$(view_pid)" ]; }
keys_shown() { screen | grep -c "Keys: 0-9 pain"; }
target_power() { prop Targets | grep -o 'power [0-9]*' | awk '{ print $2 }'; }
paused_is() { [ "$(prop Paused)" = "$1" ]; }
# the terminal's mode, as the pane's shell sees it (stty -g), into FILE.
stty_into() { type_line "stty -g > $BR_TMP/$1"; wait_for 100 done_file "$1"; }

stty_into stty.before
expect_match "the pane starts in canonical mode with echo" "$(cat "$BR_TMP/stty.before")" ":"

# ---- start: the legend, pain, ease, pause and resume, stop cancelled, 10 ------------------
view start "start --gentle --minutes 90 --pain 1 --pain-after 2"
check "the live view shows the keys" wait_for 150 on_screen "Keys: 0-9 pain (1 then 0: 10)"
check "and how to stop and leave" wait_for 50 on_screen "s s stop"
expect_eq "no belt key for a bike" "$(screen | grep -c 'c start the belt')" 0
check "steady" wait_for 200 phase_is steady
check "at the steady target" wait_for 100 is 45 target_power
id=$(prop Id)

keys 4
check "4: pain 4 reaches the session at once" wait_for 50 is 4 prop LastPain
check "and the target drops (85 % of 45 W)" wait_for 100 is 38 target_power
check "the screen says what it did" wait_for 50 on_screen "Pain 4 noted. The level is lowered"

keys -l -- -
# 85 % of 38.25 W (the level before the bike's 1 W rounding): 32.5 W.
check "-: eased one step" wait_for 100 is 33 target_power
check "the screen says so" wait_for 50 on_screen "Eased one step"
expect_match "recorded as ease, asked" "$(events)" "ease: asked"

keys Space
check "space pauses" wait_for 100 paused_is true
check "the screen says so" wait_for 50 on_screen "Paused. Space (or p) goes on gently."
keys p
check "p resumes" wait_for 100 paused_is false
check "the screen says so" wait_for 50 on_screen "Resumed at a lower level"

keys PPage
keys Up
keys F5
check "the bike still runs" wait_for 50 phase_is steady
expect_eq "Page Up, an arrow, F5: no pain (their sequences hold digits)" \
	"$(db "SELECT count(*) FROM events WHERE session_id = $id AND type = 'pain';")" 1

keys s
check "s asks for a second press" wait_for 50 on_screen "Press s again to stop the session"
keys x
check "another key: not stopped" wait_for 50 on_screen "Not stopped: the session goes on."
check "x shows the keys again" wait_for 50 is 2 keys_shown
expect_eq "still in the session" "$(prop EndReason)" ""

keys 1
check "1: pain 1 at once" wait_for 50 is 1 prop LastPain
keys 0
check "then 0: pain 10" wait_for 50 is 10 prop LastPain
check "10 ends the session: cool-down after pain" wait_for 50 is pain prop EndReason
check "the view ends with the session" wait_for 300 done_file stty.start
expect_eq "the terminal is as it was" "$(cat "$BR_TMP/stty.start")" "$(cat "$BR_TMP/stty.before")"
expect_match "the summary" "$(screen)" "Session $id ended: pain"
expect_eq "pains in order" \
	"$(db "SELECT group_concat(value, ' ') FROM events WHERE session_id = $id AND type = 'pain';")" \
	"4 1 10"

# ---- status --follow: s s stops ------------------------------------------------------------
out=$(br_cli start --gentle --minutes 90 --pain 1 --detach 2>&1)
id=$(prop Id)
check "steady" wait_for 200 phase_is steady
view follow "status --follow"
check "status --follow shows the keys" wait_for 100 is 1 keys_shown
keys s
check "s asks" wait_for 50 on_screen "Press s again"
keys s
check "s s stops" wait_for 100 is stopped prop EndReason
check "the view ends" wait_for 150 done_file stty.follow
expect_eq "the terminal is as it was" "$(cat "$BR_TMP/stty.follow")" "$(cat "$BR_TMP/stty.before")"

# ---- q, Ctrl-C and SIGTERM leave the view and restore the terminal --------------------------
out=$(br_cli start --gentle --minutes 90 --pain 1 --detach 2>&1)
check "steady" wait_for 200 phase_is steady
view q "status --follow"
check "the view runs" wait_for 100 is 1 keys_shown
keys q
check "q leaves the view" wait_for 100 done_file stty.q
check "and says the session goes on" on_screen "Left the live view; the session goes on."
expect_eq "it does" "$(prop EndReason)" ""
expect_eq "the terminal is as it was" "$(cat "$BR_TMP/stty.q")" "$(cat "$BR_TMP/stty.before")"

view int "status --follow"
check "the view runs" wait_for 100 is 1 keys_shown
keys C-c
# The shell ends a command line whose command died of SIGINT: ask it for the mode itself.
check "Ctrl-C leaves the view" wait_for 100 view_gone
stty_into stty.int
expect_eq "the terminal is as it was" "$(cat "$BR_TMP/stty.int")" "$(cat "$BR_TMP/stty.before")"
expect_eq "the session goes on" "$(prop EndReason)" ""

view term "status --follow"
check "the view runs" wait_for 100 is 1 keys_shown
kill -TERM "$(view_pid)"
check "SIGTERM ends the view" wait_for 100 done_file stty.term
expect_eq "the terminal is as it was" "$(cat "$BR_TMP/stty.term")" "$(cat "$BR_TMP/stty.before")"
expect_match "stop" "$(br_cli stop)" "stopped"

# ---- a treadmill's belt waits for c ---------------------------------------------------------
out=$(br_cli start --gentle --treadmill --minutes 30 --pain 1 --detach </dev/null 2>&1)
check "the belt waits" wait_for 150 phase_is waiting
view belt "status --follow"
check "the keys include the belt" wait_for 100 on_screen "c start the belt"
keys Space
check "space while it waits: says to press c" wait_for 50 on_screen "The belt waits: press c"
expect_eq "the belt has not started" "$(sim $TREAD Started)" no
keys c
check "c confirms: the countdown, then the warm-up" wait_for 150 phase_is warmup
check "the screen says to keep the feet on the rails" wait_for 50 on_screen "Belt confirmed"
check "the belt moves" wait_for 100 is yes sim $TREAD Started
keys s s
check "s s stops the belt's session" wait_for 100 is stopped prop EndReason
check "the view ends" wait_for 200 done_file stty.belt
expect_eq "the terminal is as it was" "$(cat "$BR_TMP/stty.belt")" "$(cat "$BR_TMP/stty.before")"

# ---- no check-in since the last session: start asks for it ----------------------------------
expect_eq "no check-in yet" "$(db 'SELECT count(*) FROM checkins;')" 0
view checkin "start --gentle --treadmill --minutes 30 --yes --detach"
check "start asks for the check-in" wait_for 100 on_screen "Check-in: the last session ended"
keys -l 3
keys Enter
check "it is recorded and says what it does" wait_for 100 on_screen "Check-in recorded: pain 3."
check "the session starts" wait_for 150 done_file stty.checkin
expect_eq "one question: the pain now is not asked again" "$(screen | grep -c 'Pain now')" 0
expect_eq "the check-in" "$(db 'SELECT pain FROM checkins;')" 3
expect_eq "and the session's pain before" \
	"$(db "SELECT pain_before FROM sessions WHERE id = $(prop Id);")" 3
expect_match "stop" "$(br_cli stop)" "stopped"
br_finish
