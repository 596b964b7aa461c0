#!/bin/bash
# The coach's voice: 'backride start --speak' runs backride-speak (here through a wrapper that
# adds --wav-dir, so each cue becomes a WAV file and a line of cues.log) for a time-accelerated
# session on the simulated bike and strap, with a pain of 4, an easing asked for, a heart rate
# above its cap and a cadence below the floor. sox checks that each expected cue is there and
# not silent. A bad option or [voice] value is refused with a clear line.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/session-lib.sh"

SPEAK=$BUILD/speak/backride-speak
br_setup
session_conf '[safety]' 'max_heart_rate = 95' '[voice]' 'pain_check_min = 3'
export BACKRIDE_CONFIG=$BR_TMP/backride.conf
session_setup --bike --hr-strap
br_cli pair $BIKE >/dev/null

# ---- bad input --------------------------------------------------------------------------------
out=$("$SPEAK" --rate 1000 2>&1) && rc=0 || rc=$?
expect_match "--rate out of range: refused" "$rc:$out" "^2:backride-speak: --rate '1000': must be 80 to 300"
out=$("$SPEAK" --wav-dir "$BR_TMP/nowhere" 2>&1) && rc=0 || rc=$?
expect_match "--wav-dir not a directory: refused" "$rc:$out" "^2:.*is not a directory"
printf '[voice]\nspeak = maybe\n' >"$BR_TMP/bad.conf"
out=$("$SPEAK" --config "$BR_TMP/bad.conf" 2>&1) && rc=0 || rc=$?
expect_match "a bad [voice] value: refused, named" "$rc:$out" "^2:.*bad.conf: \[voice\] speak = maybe: must be yes or no"
out=$(BACKRIDE_CONFIG=$BR_TMP/bad.conf br_cli start --gentle --detach 2>&1) && rc=0 || rc=$?
expect_match "start reads [voice] speak too" "$out" "\[voice\] speak must be yes or no"
check "and starts no session for it" is "" prop Id
out=$("$SPEAK" --bus "$BR_BUS" --wait 0 2>&1) && rc=0 || rc=$?
expect_match "no session to follow" "$rc:$out" "^1:backride-speak: no session is running"

# ---- a session with the voice -----------------------------------------------------------------
mkdir "$BR_TMP/wav"
# The voice under BR_WRAP too (valgrind in tests/reliability/valgrind-integration.sh).
cat >"$BR_TMP/speak-wav" <<EOS
#!/bin/sh
echo \$\$ >"$BR_TMP/speak.pid"
exec $BR_WRAP "$SPEAK" --wav-dir "$BR_TMP/wav" "\$@"
EOS
chmod +x "$BR_TMP/speak-wav"
export BACKRIDE_SPEAK=$BR_TMP/speak-wav
# The voice keeps start's stderr for its errors: a file, not this script's $(...).
br_cli start --gentle --minutes 25 --pain 1 --speak --detach >"$BR_TMP/start.out" 2>"$BR_TMP/speak.log"
expect_match "start --speak" "$(cat "$BR_TMP/start.out")" "^Session [0-9]+ started"
id=$(prop Id)
check "steady" wait_for 200 phase_is steady
expect_match "pain 4" "$(br_cli pain 4)" "Pain 4 noted"
expect_match "ease" "$(br_cli ease)" "^Eased"
check "the rider slows down" ctl rider $BIKE cadence=40
check "cadence below the floor" wait_for 100 has_event "cadence-low"
check "the rider pedals on" ctl rider $BIKE cadence=80
check "the heart rate went above its cap" wait_for 300 has_event "heart-rate"
check "the session ends" wait_for 300 phase_is done
cues() { cat "$BR_TMP/wav/cues.log"; }
check "the voice says the summary" wait_for 300 matches "	summary	" cues

# has_cue KIND [TEXT]: a cue of KIND (whose text holds TEXT) in cues.log, its WAV not silent.
has_cue()
{
	local wav stat len rms
	wav=$(awk -F'\t' -v k="$1" -v t="${2:-}" '$2 == k && index($5, t) { print $4; exit }' \
		"$BR_TMP/wav/cues.log")
	[ -n "$wav" ] && [ -s "$BR_TMP/wav/$wav" ] || return 1
	stat=$(sox "$BR_TMP/wav/$wav" -n stat 2>&1)
	len=$(awk '/^Length \(seconds\)/ { print $3 }' <<<"$stat")
	rms=$(awk '/^RMS +amplitude/ { print $3 }' <<<"$stat")
	awk -v l="$len" -v r="$rms" 'BEGIN { exit !(l > 0.3 && r > 0.01) }'
}
check "phase: warm-up, and what comes next" has_cue phase-warmup "Next, the steady part"
check "phase: steady" has_cue phase-steady "Next, the cool-down"
check "phase: cool-down" has_cue phase-cooldown
check "phase: stretches" has_cue phase-stretches "off the bike"
check "stretch: its name and side" has_cue stretch "knee-to-chest, left leg"
check "stretch: how to do it" has_cue stretch "Hold one knee with both hands"
check "stretch: the other side" has_cue stretch "knee-to-chest, right leg"
check "stretch: child's pose, how long" has_cue stretch "For 30 seconds"
check "stretch: cat-camel" has_cue stretch "cat-camel"
check "a count at the end of a hold" has_cue count "Five. Four."
expect_eq "one count per stretch" "$(grep -c '	count	' "$BR_TMP/wav/cues.log")" 4
check "a pain check" has_cue pain-check "How is your back? Press a number."
check "easing for pain, and why" has_cue ease-pain "Easing off because of your pain"
check "easing asked for" has_cue ease-asked "as you asked"
check "easing for the heart rate, and why" has_cue ease-heart-rate "above your cap"
check "easing for the cadence, and why" has_cue ease-cadence "below the floor"
check "the summary" has_cue summary "Session complete"
check "the summary's highest pain" has_cue summary "Highest pain 4"
# speak_runs: the voice's process is there, and no zombie (nothing may reap it here).
speak_runs()
{
	local st
	st=$(awk '{ print $3 }' "/proc/$(cat "$BR_TMP/speak.pid")/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ]
}
check "the voice ends with the session" wait_for 300 eval '! speak_runs'
expect_eq "no error from the voice" "$(cat "$BR_TMP/speak.log")" ""
br_finish
