#!/bin/bash
# make check-fresh: the README's two commands on a fresh Debian 12 machine.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PROG=${0##*/}

usage() {
	cat <<'EOF'
usage: scripts/check-fresh.sh [--order check-first|demo-first|both] [--keep] [--base-only]

Builds a minimal Debian 12 (bookworm) root with debootstrap (minbase, plus git
and make, nothing else), clones this repository's HEAD into it, and runs the
README's two commands there, as root, in a private mount namespace:

  check-first   make check, then make demo
  demo-first    make demo, then make check
  both          each order in its own new root (default)

Each command must exit 0, and each make demo must have made a new result set
(results/KERNEL-HOST-DATE/) with ok device-dax rows at 4K, 2M and 1G, drawn
its graphs and written its comparison with the committed reference.

The root is made once and kept as build/fresh/base.tar (delete it to make a
new one); downloaded .debs are shared between the roots in
build/fresh/apt-archives (a download cache, nothing is preinstalled).
Logs: build/fresh/ORDER/{check,demo}.log. --keep keeps each root afterwards
(default: removed once its order passed). Needs root, debootstrap (make
check-fresh installs it) and about 6 GiB of disk per root. Took 31 min here
(both orders, a loaded 2-core machine).

Only committed work is tested: HEAD is cloned, uncommitted changes are not.
EOF
}

die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 2; }
say() { printf '\n== check-fresh: %s\n' "$*"; }

order=both keep=0 base_only=0
while (($#)); do
	case $1 in
	--order) order=${2:?--order needs check-first, demo-first or both}; shift 2 ;;
	--keep) keep=1; shift ;;
	--base-only) base_only=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown argument '$1' (try --help)" ;;
	esac
done
case $order in check-first | demo-first) orders=("$order") ;; both) orders=(check-first demo-first) ;;
*) die "--order '$order': use check-first, demo-first or both" ;; esac
((EUID == 0)) || die "run as root (debootstrap and chroot need it)"
command -v debootstrap >/dev/null || die "debootstrap missing: scripts/deps.sh --test (or apt-get install debootstrap)"
command -v unshare >/dev/null || die "unshare missing (util-linux)"

FRESH=$ROOT/build/fresh
mkdir -p "$FRESH/apt-archives/partial"
base=$FRESH/base.tar

# The mirrors this host's apt uses (deb822 "URIs:" or one-line "deb" entries).
# shellcheck source=scripts/lib/apt-mirror.sh
. "$ROOT/scripts/lib/apt-mirror.sh"
mirror=$(apt_debian_mirror)
mirror=${mirror:-http://deb.debian.org/debian}
security=$(apt_security_mirror)
security=${security:-http://deb.debian.org/debian-security}

if [[ ! -s $base ]]; then
	say "debootstrap bookworm (minbase + git, make) from $mirror"
	tmp=$FRESH/base.tmp
	rm -rf "$tmp"
	debootstrap --variant=minbase --include=git,make,ca-certificates \
		--cache-dir="$FRESH/apt-archives" bookworm "$tmp" "$mirror" >"$FRESH/debootstrap.log" 2>&1 ||
		{ tail -n 20 "$FRESH/debootstrap.log"; die "debootstrap failed (log: $FRESH/debootstrap.log)"; }
	# The suites of a Debian 12 installation.
	cat >"$tmp/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
	rm -f "$tmp/var/cache/apt/archives/"*.deb
	tar -C "$tmp" -cf "$base.part" . && mv "$base.part" "$base"
	rm -rf "$tmp"
	echo "base root: $base ($(du -h "$base" | cut -f1))"
fi
((base_only)) && exit 0

[[ -z $(git -C "$ROOT" status --porcelain --untracked-files=no) ]] ||
	echo "check-fresh: note: uncommitted changes are not tested (HEAD is cloned)" >&2
head=$(git -C "$ROOT" rev-parse --short=12 HEAD)

# run_in ROOTFS LOG COMMAND: COMMAND as root in ROOTFS, private mounts, a clean
# environment; its exit status.
run_in() {
	local rootfs=$1 log=$2 cmd=$3
	unshare --mount --propagation private --fork bash -c '
		set -e
		r=$1
		mount --rbind /dev "$r/dev"
		mount -t proc proc "$r/proc"
		mount --rbind /sys "$r/sys"
		mount -t tmpfs tmpfs "$r/tmp"
		mount --bind "$2" "$r/var/cache/apt/archives"
		cp /etc/resolv.conf "$r/etc/resolv.conf"
		exec chroot "$r" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root LANG=C.UTF-8 TERM=dumb /bin/bash -c "cd /root/pinbench && $3"
	' _ "$rootfs" "$FRESH/apt-archives" "$cmd" >"$log" 2>&1
}

# The demo's new set: ok devdax rows at 4K, 2M, 1G, graphs, the comparison.
check_demo() {
	local rootfs=$1 log=$2 run dir
	run=$(sed -n 's/^== demo: results: [0-9]* file(s) in //p' "$log" | tail -n1)
	[[ -n $run ]] || { echo "no 'results:' line in $log"; return 1; }
	dir=$rootfs/root/pinbench/$run
	[[ -d $dir && ${run#results/} != reference* ]] || { echo "result set '$run' missing or the reference"; return 1; }
	local a
	for a in 4096 2097152 1073741824; do
		awk -F, -v a="$a" '$4 == "devdax" && $6 == a && $12 == "ok" { found = 1 } END { exit !found }' \
			"$dir"/*.csv || { echo "$run: no ok devdax row at align $a"; return 1; }
	done
	compgen -G "$rootfs/root/pinbench/plots/${run#results/}/*.png" >/dev/null ||
		{ echo "no graphs in plots/${run#results/}"; return 1; }
	[[ -s $dir/vs-reference/table.md ]] || { echo "no comparison with the reference"; return 1; }
	grep -q 'reference (' "$log" || { echo "the demo did not print the comparison"; return 1; }
	echo "$run: ok devdax rows at 4K, 2M, 1G; graphs; comparison with the reference"
}

failed=0
summary=()
for o in "${orders[@]}"; do
	dir=$FRESH/$o rootfs=$FRESH/$o/root
	say "order $o: new root in $rootfs, clone of $head"
	rm -rf "$dir"
	mkdir -p "$rootfs"
	tar -C "$rootfs" -xf "$base"
	git clone -q "$ROOT" "$rootfs/root/pinbench"
	if [[ $o == check-first ]]; then cmds=(check demo); else cmds=(demo check); fi
	line="$o:"
	ok=1
	for c in "${cmds[@]}"; do
		say "$o: make $c (log $dir/$c.log)"
		t0=$SECONDS rc=0
		run_in "$rootfs" "$dir/$c.log" "make $c" || rc=$?
		took=$((SECONDS - t0))
		grep -E '^(scripts: |\[  (PASSED|FAILED) |== demo: |FAIL |check-fresh)' "$dir/$c.log" | tail -n 12 || true
		if ((rc != 0)); then
			echo "make $c: FAILED (exit $rc, $took s); last lines:"
			tail -n 30 "$dir/$c.log"
			ok=0 line+=" make $c FAILED ($took s)"
			break
		fi
		if [[ $c == demo ]] && ! check_demo "$rootfs" "$dir/$c.log"; then
			ok=0 line+=" make demo made no proper set ($took s)"
			break
		fi
		line+=" make $c ok ($took s)"
	done
	summary+=("$line")
	if ((ok)); then
		((keep)) || rm -rf "$rootfs"
	else
		failed=1
		echo "root kept for a look: $rootfs"
	fi
done
say "summary (HEAD $head)"
printf '  %s\n' "${summary[@]}"
exit "$failed"
