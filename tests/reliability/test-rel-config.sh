#!/bin/bash
# Config files with garbage (gen-bad-configs.py: a bad value for every key, binary junk, huge
# lines, syntax errors): `backrided --check-config` and a real start never crash or hang, say
# file:line, print nothing unprintable, and a rejected file starts nothing.
. "$(dirname "$0")/rel-lib.sh"

br_setup
mkdir "$BR_TMP/cfg"
python3 "$SRC/tests/reliability/gen-bad-configs.py" "$BR_TMP/cfg"

files=0 rejected=0 crashes=0 unclear=0 unprintable=0 started=0
bad=()
while IFS=$'\t' read -r file expect key line; do
	files=$((files + 1))
	out=$(timeout 20 "$BACKRIDED" --config "$file" --check-config 2>&1) && rc=0 || rc=$?
	name=${file##*/}
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
		crashes=$((crashes + 1))
		bad+=("$name: exit $rc")
		continue
	fi
	[ "$rc" -eq 1 ] && rejected=$((rejected + 1))
	if LC_ALL=C grep -q '[^[:print:][:space:]]' <<<"$out"; then
		unprintable=$((unprintable + 1))
		bad+=("$name: unprintable output")
	fi
	case $expect in
	error) want="^$file:$line: bad value for '$key'" ;;
	reject) want="^$file:$line: " ;;
	any) want="^$file:[0-9]+: " ;;
	esac
	if { [ "$expect" != any ] && [ "$rc" -ne 1 ]; } ||
		{ [ "$rc" -eq 1 ] && ! grep -Eq "$want" <<<"$out"; }; then
		unclear=$((unclear + 1))
		bad+=("$name: exit $rc: $(head -c 200 <<<"$out" | head -n 2 | tr '\n' ' ')")
	fi
	# A real start with every tenth rejected file: exit 1, no database, nothing on the bus.
	if [ "$rc" -eq 1 ] && ((files % 10 == 0)); then
		rm -f "$BR_TMP/x.db"
		timeout 20 "$BACKRIDED" --bus "$BR_BUS" --config "$file" --database "$BR_TMP/x.db" \
			>/dev/null 2>&1 && rc2=0 || rc2=$?
		started=$((started + 1))
		if [ "$rc2" -ne 1 ] || [ -e "$BR_TMP/x.db" ]; then
			bad+=("$name: a real start exited $rc2")
			unclear=$((unclear + 1))
		fi
	fi
done <"$BR_TMP/cfg/cases.tsv"

[ ${#bad[@]} -eq 0 ] || printf '#   %s\n' "${bad[@]:0:20}"
check "every file checked ($files)" [ "$files" -gt 600 ]
expect_eq "no crash or hang" "$crashes" 0
expect_eq "every rejection names file:line (and the key for a bad value)" "$unclear" 0
expect_eq "nothing unprintable reaches the log" "$unprintable" 0
rel_figure config_files "$files"
rel_figure config_rejected "$rejected"
rel_figure config_real_starts "$started"
br_finish
