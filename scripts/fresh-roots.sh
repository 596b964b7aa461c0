#!/bin/bash
# The quick start on brand-new machines: for each Debian release (12 and 13 by
# default, or those given as arguments), build a minimal root (mmdebstrap
# --variant=minbase: no compiler, no git, nothing but apt) from the package
# archive this host's apt uses, and inside it, as root, do what the README tells
# a newcomer: install git, clone this checkout's HEAD, run the demo command and
# the test command (with BACKRIDE_TEST_QUICK=1) exactly as the README's quick
# start writes them. A missing install step fails here. Nothing is cached: each
# run starts from the archive, and a root that cannot be built is a failure.
#
# The roots are built concurrently, each in its own mount and PID namespace
# (proc, sys, dev and run are mounted inside it and go with it, whatever
# happens). Progress lines start with "==> fresh root debian N:"; a step that
# fails has the end of its log printed, each line prefixed "[debian N]". Logs
# stay in build-fresh/debian-N.log; build-fresh/results gets one line per root,
# "debian-N passed" or "debian-N failed", which scripts/test.sh counts.
# Needs root. BACKRIDE_FRESH_MIRROR overrides the archive URL;
# BACKRIDE_FRESH_KEEP=1 keeps the roots (their directory is printed).
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$PWD
OUT=$SRC/build-fresh
mkdir -p "$OUT"
RESULTS=$OUT/results

releases=("$@")
[ ${#releases[@]} -gt 0 ] || releases=(12 13)
: >"$RESULTS"
for rel in "${releases[@]}"; do
	echo "debian-$rel failed" >>"$RESULTS"
done

say() { echo "==> fresh root debian $1: ${*:2}"; }
die()
{
	echo "==> fresh roots: $*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || die "needs root (it builds chroots)"

codename()
{
	case $1 in
	12) echo bookworm ;;
	13) echo trixie ;;
	*) return 1 ;;
	esac
}
for rel in "${releases[@]}"; do
	codename "$rel" >/dev/null || die "unknown Debian release '$rel' (12 or 13)"
done

# The archive this host's apt installs Debian from: the URI of the first source
# (deb822 .sources or one-line .list) whose suites include the host's release.
host_mirror()
{
	local host f
	host=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[ -n "$host" ] || return 1
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -v suite="$host" '
			function flush() {
				if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " suite " ") && uri != "")
					{ print uri; found = 1; exit }
				types = ""; suites = ""; uri = ""
			}
			/^[ \t]*$/ { flush(); next }
			/^[ \t]*#/ { next }
			tolower($1) == "types:" { $1 = ""; types = $0 }
			tolower($1) == "suites:" { $1 = ""; suites = $0 }
			tolower($1) == "uris:" { uri = $2 }
			tolower($1) == "enabled:" && tolower($2) == "no" { types = "" }
			END { if (!found) flush() }' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk -v suite="$host" '
			$1 != "deb" { next }
			{ i = 2; if ($2 ~ /^\[/) while (i <= NF && $i !~ /\]$/) i++; if ($2 ~ /^\[/) i++ }
			$(i + 1) == suite { print $i; exit }' "$f"
	done
}

MIRROR=${BACKRIDE_FRESH_MIRROR:-$(host_mirror | head -n 1)}
[ -n "$MIRROR" ] || die "no Debian archive found in this host's apt sources; set BACKRIDE_FRESH_MIRROR"

# The README's commands: the git install line, and the two quick-start commands.
readme_line()
{
	local line
	line=$(grep -E "$1" README.md | head -n 1 | sed 's/[[:space:]]*#.*$//')
	[ -n "$line" ] || die "the README has no line matching '$1'"
	echo "$line"
}
GIT_INSTALL=$(readme_line '^apt-get .*install.* git')
DEMO=$(readme_line '^\./scripts/demo\.sh')
TESTS=$(readme_line '^\./scripts/test\.sh')

./scripts/deps.sh mmdebstrap >/dev/null

WORK=$(mktemp -d "${BACKRIDE_FRESH_TMP:-/var/tmp}/backride-fresh.XXXXXX")
cleanup()
{
	local p
	for p in $(jobs -p); do kill -TERM "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	if [ -n "${BACKRIDE_FRESH_KEEP:-}" ]; then
		echo "==> fresh roots: kept in $WORK"
		return
	fi
	# Every mount was made inside a namespace that has ended; refuse to delete
	# through one that is somehow still there.
	if grep -q " $WORK/" /proc/self/mounts; then
		echo "==> fresh roots: something is still mounted under $WORK; not removing it" >&2
		return
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT

# The project as a newcomer would fetch it: a repository holding this checkout's
# HEAD as its default branch.
git init -q --bare "$WORK/backride.git"
git push -q "$WORK/backride.git" HEAD:refs/heads/main
git -C "$WORK/backride.git" symbolic-ref HEAD refs/heads/main
echo "==> fresh roots: $(git log -1 --format='%h %s' | cut -c1-70); archive $MIRROR"

# What runs inside a root, as root, with a clean environment: the README's steps,
# each line of their output stamped with the second it was printed. The tests run
# even when the demo failed, so that one run shows both.
{
	echo '#!/bin/bash'
	printf 'GIT_INSTALL=%q\nDEMO=%q\nTESTS=%q\n' "$GIT_INSTALL" "$DEMO" "$TESTS"
	cat <<'EOF'
set -uo pipefail
failed=""
stamp() { local l; while IFS= read -r l; do printf '%(%s)T %s\n' -1 "$l"; done; }
run()
{
	local name=$1
	shift
	echo "==> step $name $(date +%s)"
	if ! "$@" </dev/null 2>&1 | stamp; then
		echo "==> step $name FAILED"
		failed="$failed $name"
		return 1
	fi
}
cd /root
run git-install bash -c "$GIT_INSTALL" || exit 1
run clone git clone /srv/backride.git backride || exit 1
cd backride
run demo bash -c "$DEMO"
# Both roots run at once: one test at a time in each keeps the machine's load that of one
# ordinary run (a load-sensitive test must not fail for the sake of this check).
run tests bash -c "BACKRIDE_TEST_QUICK=1 BACKRIDE_TEST_JOBS=1 $TESTS"
echo "==> step done $(date +%s)"
[ -z "$failed" ]
EOF
} >"$WORK/newcomer.sh"

# inside ROOT: mount what a booted system has, in this namespace only, then
# run the newcomer's steps in a chroot. /sys comes with its cgroup file system:
# busctl reads a peer's credentials from it.
cat >"$WORK/inside.sh" <<'EOF'
#!/bin/bash
set -euo pipefail
root=$1
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
mount -t tmpfs tmpfs "$root/run"
trap 'umount -R "$root/run" "$root/dev" "$root/sys" "$root/proc" 2>/dev/null || true' EXIT
chroot "$root" /usr/bin/env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/bash \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	/bin/bash /root/newcomer.sh
EOF

# section LOG STEP: the stamped lines of one step.
section()
{
	awk -v step="$2" '/^==> step [a-z-]+ [0-9]+$/ { on = ($3 == step); next } on' "$1"
}

# first_at LOG STEP REGEX: the second of the first line of STEP matching REGEX.
first_at()
{
	section "$1" "$2" | grep -m 1 -E "^[0-9]+ $3" | cut -d ' ' -f 1
}

# phases LOG STEP END (NAME REGEX)...: " (NAME N s, ...)" from where each REGEX
# first matches to where the next one does (or END).
phases()
{
	local log=$1 step=$2 end=$3 out="" name t next
	shift 3
	while [ $# -ge 2 ]; do
		name=$1
		t=$(first_at "$log" "$step" "$2")
		shift 2
		next=$end
		[ $# -lt 2 ] || next=$(first_at "$log" "$step" "$2")
		[ -n "$t" ] && [ -n "$next" ] || continue
		out="$out${out:+, }$name $((next - t)) s"
	done
	[ -z "$out" ] || echo " ($out)"
}

# show_step REL LOG STEP: the end of a failed step's output, each line marked.
show_step()
{
	echo "==> fresh root debian $1: the end of step $3:"
	section "$2" "$3" | tail -n 150 | sed "s/^[0-9]* //; s/^/[debian $1] /"
}

# one_root REL: build the root, run the newcomer's steps; 0 if all passed.
one_root()
{
	local rel=$1 suite root log t0 t1 rc from sec name dur step failed
	suite=$(codename "$rel")
	root=$WORK/debian-$rel
	log=$OUT/debian-$rel.log
	: >"$log"
	say "$rel" "building a minimal root ($suite, minbase) from $MIRROR"
	t0=$(date +%s)
	if ! mmdebstrap --variant=minbase --mode=root "$suite" "$root" "$MIRROR" >>"$log" 2>&1; then
		say "$rel" "FAILED: the root could not be built"
		tail -n 50 "$log" | sed "s/^/[debian $rel] /"
		return 1
	fi
	t1=$(date +%s)
	say "$rel" "root built in $((t1 - t0)) s ($(du -sm "$root" | cut -f1) MiB); git, clone, demo, quick tests"
	cp -L /etc/resolv.conf "$root/etc/resolv.conf"
	git clone -q --bare "$WORK/backride.git" "$root/srv/backride.git"
	install -m 755 "$WORK/newcomer.sh" "$root/root/newcomer.sh"
	rc=0
	unshare --mount --pid --fork --propagation private \
		/bin/bash "$WORK/inside.sh" "$root" >>"$log" 2>&1 </dev/null || rc=$?
	# The time of each step from the "==> step NAME SECOND" marks, and of the parts
	# of the demo and the tests from their output.
	name=""
	while read -r _ _ step sec; do
		case $name in
		"") ;;
		demo) say "$rel" "demo took $((sec - from)) s$(phases "$log" demo "$sec" \
			"apt-get install" 'deps: installing' build 'demo: building' \
			"the demo" '\$ backride ')" ;;
		tests) say "$rel" "quick tests took $((sec - from)) s$(phases "$log" tests "$sec" \
			format '==> format' build '==> build' tests '==> tests$')" ;;
		*) say "$rel" "$name took $((sec - from)) s" ;;
		esac
		from=$sec
		name=$step
	done < <(grep -E '^==> step [a-z-]+ [0-9]+$' "$log")
	dur=$(($(date +%s) - t0))
	failed=$(grep -E '^==> step [a-z-]+ FAILED$' "$log" | cut -d ' ' -f 3 | tr '\n' ' ' | sed 's/ $//' || true)
	if [ "$rc" -ne 0 ] || [ "$name" != done ] || [ -n "$failed" ]; then
		say "$rel" "FAILED (${failed:-exit $rc}) after $dur s; the whole log: $log"
		for step in $failed; do
			show_step "$rel" "$log" "$step"
		done
		[ -n "$failed" ] || tail -n 50 "$log" | sed "s/^[0-9]* //; s/^/[debian $rel] /"
		return 1
	fi
	say "$rel" "passed in $dur s"
}

pids=()
for rel in "${releases[@]}"; do
	one_root "$rel" &
	pids+=($!)
done
status=0
: >"$RESULTS"
for i in "${!releases[@]}"; do
	if wait "${pids[i]}"; then
		echo "debian-${releases[i]} passed" >>"$RESULTS"
	else
		echo "debian-${releases[i]} failed" >>"$RESULTS"
		status=1
	fi
done
exit "$status"
