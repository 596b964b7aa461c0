#!/bin/bash
# `meson install` puts every file in its place (the unit under the prefix, no simulator
# unless -Dinstall_sim=true; a plain setup keeps the database in /var/lib/backride), and the
# installed files are well-formed: the bus policy loads in a real dbus-daemon, the unit parses
# and its systemd-analyze security exposure is 1.0 at most.
. "$(dirname "$0")/lib.sh"

BR_TMP=$(mktemp -d "${TMPDIR:-/tmp}/backride-install.XXXXXX")
bus_pid=
daemon_pid=
install_cleanup()
{
	[ -z "$daemon_pid" ] || kill "$daemon_pid" 2>/dev/null || true
	[ -z "$bus_pid" ] || kill "$bus_pid" 2>/dev/null || true
	rm -rf "$BR_TMP"
}
trap install_cleanup EXIT
chmod 755 "$BR_TMP"
D=$BR_TMP/root
meson install -C "$BUILD" --no-rebuild --quiet --destdir "$D" >"$BR_TMP/install.log" 2>&1 ||
	br_die "meson install failed: $(cat "$BR_TMP/install.log")"

prefix=$(meson introspect "$BUILD" --buildoptions |
	python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
sbindir=$D$prefix/sbin
find "$D" -type f | sed "s|^$D||" | sort >"$BR_TMP/files"

has() { grep -q -- "$1" "$BR_TMP/files"; }
lacks() { ! has "$1"; }
check "backrided installed" has "/sbin/backrided$"
check "backride installed" has "/bin/backride$"
check "config installed" has "/backride/backride.conf$"
check "systemd unit installed" has "/system/backrided.service$"
check "sysusers entry installed" has "/sysusers.d/backride.conf$"
check "bus policy installed" has "/dbus-1/system.d/org.backride.conf$"
check "activation file installed" has "/dbus-1/system-services/org.backride.service$"
check "API contract installed" has "/dbus-1/interfaces/org.backride.Manager1.xml$"
check "man page backride(1)" has "/man1/backride.1"
check "man page backrided(8)" has "/man8/backrided.8"
check "bash completion" has "/bash-completion/completions/backride$"
check "backride-web installed" has "/bin/backride-web$"
check "its page installed" has "/share/backride-web/index.html$"
check "its unit installed" has "/system/backride-web.service$"
check "man page backride-web(1)" has "/man1/backride-web.1"
check "bash completion for backride-web" has "/bash-completion/completions/backride-web$"
check "backride-speak installed" has "/bin/backride-speak$"
check "man page backride-speak(1)" has "/man1/backride-speak.1"
check "its bash completion" has "/bash-completion/completions/backride-speak$"

option() {
	meson introspect "$1" --buildoptions | python3 -c 'import json, sys
print([o["value"] for o in json.load(sys.stdin) if o["name"] == sys.argv[1]][0])' "$2"
}
# The unit goes to the full systemd unit directory under the prefix (not, as meson 1.0 made
# of two pkgconfig_define pairs, "/usr=prefix=/usr/lib/systemd/system").
want_unitdir=$(option "$BUILD" systemdsystemunitdir)
[ -n "$want_unitdir" ] || want_unitdir=$prefix/lib/systemd/system
expect_eq "the unit is installed as $want_unitdir/backrided.service" \
	"$(grep "/backrided.service$" "$BR_TMP/files")" "$want_unitdir/backrided.service"
expect_eq "the sysusers entry is installed under the prefix" \
	"$(grep "/sysusers.d/" "$BR_TMP/files")" "$prefix/lib/sysusers.d/backride.conf"
# The simulator serves org.bluez on the system bus by default: not in a normal install.
if [ "$(option "$BUILD" install_sim)" = True ]; then
	check "backride-sim installed (-Dinstall_sim=true)" has "/bin/backride-sim$"
else
	check "backride-sim is not installed" lacks "/bin/backride-sim$"
	check "nor its man page" lacks "/man1/backride-sim.1"
fi

unit=$(grep "/system/backrided.service$" "$BR_TMP/files")
expect_match "unit runs the installed daemon" "$(cat "$D$unit")" "ExecStart=$prefix/sbin/backrided"
expect_match "unit is Type=dbus" "$(cat "$D$unit")" "Type=dbus"
expect_match "unit names the bus" "$(cat "$D$unit")" "BusName=org.backride"
expect_match "unit has a state directory" "$(cat "$D$unit")" "StateDirectory=backride"
if command -v systemd-analyze >/dev/null; then
	# Verify syntax only; the binary path is checked against the staged copy.
	sed "s|ExecStart=$prefix|ExecStart=$D$prefix|" "$D$unit" >"$BR_TMP/backrided.service"
	out=$(systemd-analyze verify "$BR_TMP/backrided.service" 2>&1 | grep -v -e 'bluetooth.service' -e "Command 'man " -e '^$' || true)
	expect_eq "systemd-analyze verify is quiet" "$out" ""
	# The exposure systemd-analyze gives the unit (0.0 best, 10.0 worst): 1.0 at most.
	out=$(systemd-analyze security --offline=yes "$BR_TMP/backrided.service" 2>&1 || true)
	level=$(sed -n 's/^.*Overall exposure level for [^:]*: \([0-9.]*\).*$/\1/p' <<<"$out")
	check "systemd-analyze security: exposure ${level:-?} <= 1.0" float_le "${level:-99}" 1.0
fi
for key in NoNewPrivileges=yes ProtectSystem=strict PrivateMounts=yes RemoveIPC=yes \
	ProtectProc=invisible ProcSubset=pid; do
	check "unit has $key" grep -qx "$key" "$D$unit"
done

# The policy file loads in a real dbus-daemon with a system-bus style config.
policy=$(grep "/dbus-1/system.d/org.backride.conf$" "$BR_TMP/files")
cat >"$BR_TMP/bus.conf" <<EOC
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$BR_TMP/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="*"/>
    <allow send_destination="org.freedesktop.DBus"/>
  </policy>
  <include>$D$policy</include>
</busconfig>
EOC
out=$(dbus-daemon --config-file="$BR_TMP/bus.conf" --print-address --fork --print-pid \
	2>"$BR_TMP/bus.log") && rc=0 || rc=$?
expect_eq "dbus-daemon accepts the installed policy" "$rc" 0
bus_pid=$(printf '%s\n' "$out" | sed -n 2p)

# With that policy: root may own and call org.backride, others may not.
BR_BUS="unix:path=$BR_TMP/bus"
: >"$BR_TMP/backride.conf"
"$BACKRIDED" --bus "$BR_BUS" --config "$BR_TMP/backride.conf" --database "$BR_TMP/b.db" \
	>"$BR_TMP/daemon.log" 2>&1 &
daemon_pid=$!
wait_for 100 bz status org.backride || true
out=$("$BACKRIDE" --bus "$BR_BUS" status 2>&1) && rc=0 || rc=$?
expect_eq "root may call the daemon under the system policy" "$rc" 0
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$BACKRIDE" --bus "$BR_BUS" status 2>&1) && rc=0 || rc=$?
	expect_eq "others are refused (exit 77)" "$rc" 77
	expect_match "others are told what to do" "$out" "add you to the 'backride' group"
fi

# A plain 'meson setup' (prefix /usr/local, localstatedir /var/local): the database is still
# where the unit's StateDirectory=backride is, the unit under the prefix, no simulator.
plain=$BR_TMP/plain
plain_has() { grep -q -- "$1" "$BR_TMP/plain-files"; }
plain_lacks() { ! plain_has "$1"; }
meson setup "$plain" "$SRC" -Dtests=disabled >"$BR_TMP/setup.log" 2>&1 ||
	br_die "meson setup failed: $(tail -5 "$BR_TMP/setup.log")"
expect_match "plain setup: the database is /var/lib/backride/backride.db" \
	"$(grep -E '^ +database' "$BR_TMP/setup.log")" ": /var/lib/backride/backride.db$"
meson introspect "$plain" --installed | python3 -c 'import json, sys
print("\n".join(sorted(json.load(sys.stdin).values())))' >"$BR_TMP/plain-files"
check "plain setup: the unit is /usr/local/lib/systemd/system/backrided.service" \
	plain_has "^/usr/local/lib/systemd/system/backrided.service$"
check "plain setup: backride-sim is not installed" plain_lacks "backride-sim"
meson setup --reconfigure "$plain" "$SRC" -Dinstall_sim=true >"$BR_TMP/setup.log" 2>&1 ||
	br_die "meson setup --reconfigure failed: $(tail -5 "$BR_TMP/setup.log")"
meson introspect "$plain" --installed | python3 -c 'import json, sys
print("\n".join(sorted(json.load(sys.stdin).values())))' >"$BR_TMP/plain-files"
check "-Dinstall_sim=true installs backride-sim" plain_has "^/usr/local/bin/backride-sim$"
check "and its man page" plain_has "/man1/backride-sim.1"

br_finish
