#!/bin/bash
# Fetch and cache the default guest kernel: Debian's stock image of one
# series (all drivers as modules), unpacked with dpkg -x under
# build/guest/kernel/<package>/. Prints three lines:
#   KERNEL=<path to vmlinuz>  MODULES=<path to lib/modules/<release>>  RELEASE=<release>
# Usage: scripts/qemu/kernel.sh [PACKAGE]   (default: the newest of the series)
# Environment: GUEST_KERNEL=6.1 (default: linux-image-6.1.0-N-amd64-unsigned)
#   or 6.12 (linux-image-6.12.N+deb12-amd64-unsigned, Debian 12's security
#   suite; modules are .ko.xz). An image already unpacked is reused only if it
#   is of that series. Any other series (6.16, 7.3, ...) or a spec
#   debian:SERIES[.POINT] (debian:6.18, debian:7.3.4, debian:6.1) is fetched
#   by scripts/qemu/debian-kernel.sh through its private apt state.
#   --check: only check GUEST_KERNEL's form (exit 2 with one line if bad).
set -euo pipefail
# shellcheck source=scripts/qemu/lib.sh
. "$(dirname "$0")/lib.sh"

series=${GUEST_KERNEL:-6.1}
case $series in
6.1 | 6.12) [[ ${1:-} != --check ]] || exit 0 ;;
debian:* | [0-9]*)
	exec "$PB_ROOT/scripts/qemu/debian-kernel.sh" ${1:+"$1"} "debian:${series#debian:}" ;;
esac
case $series in
6.1) pkg_re='^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$' pkg_prefix=linux-image-6.1.0- ;;
6.12) pkg_re='^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$' pkg_prefix=linux-image-6.12. ;;
*)
	[[ ${1:-} != --check ]] || { say "GUEST_KERNEL=$series: want a series (6.1, 6.12, 6.18, 7.3, ...) or debian:SERIES[.POINT]"; exit 2; }
	die "GUEST_KERNEL=$series: want a Debian series (6.1, 6.12, 6.16 ... 7.3) or debian:SERIES[.POINT] (or boot your own with KERNEL=bzImage)" ;;
esac

pick_package() {
	local p best='' bestv='' v
	# Newest stock image of the series that apt can download.
	while read -r p; do
		v=$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/{print $2}')
		[[ -n $v && $v != '(none)' ]] || continue
		if [[ -z $best ]] || dpkg --compare-versions "$v" gt "$bestv"; then
			best=$p bestv=$v
		fi
	done < <(apt-cache pkgnames "$pkg_prefix" 2>/dev/null | grep -E "$pkg_re" | sort -V)
	[[ -n $best ]] ||
		die "GUEST_KERNEL=$series: no ${pkg_prefix}*-amd64-unsigned in apt (run apt-get update; 6.12 comes from bookworm-security)"
	printf '%s\n' "$best"
}

main() {
	local pkg=${1:-} dir deb rel
	mkdir -p "$PB_GUEST_DIR/kernel"
	if [[ -z $pkg ]]; then
		# Reuse whatever is already unpacked, newest first, before asking apt.
		pkg=$(find "$PB_GUEST_DIR/kernel" -mindepth 2 -maxdepth 2 -name .done \
			-printf '%h\n' 2>/dev/null | xargs -r -n1 basename | grep -E "$pkg_re" |
			sort -V | tail -n1 || true)
		[[ -n $pkg ]] || pkg=$(pick_package)
	fi
	dir=$PB_GUEST_DIR/kernel/$pkg
	if [[ ! -f $dir/.done ]]; then
		say "fetching guest kernel $pkg (apt-get download, about 70 MB)"
		rm -rf "$dir" "$PB_GUEST_DIR/kernel/dl"
		mkdir -p "$PB_GUEST_DIR/kernel/dl"
		(cd "$PB_GUEST_DIR/kernel/dl" && apt-get download -q "$pkg" >&2) ||
			die "apt-get download $pkg failed"
		deb=$(find "$PB_GUEST_DIR/kernel/dl" -name '*.deb' | head -n1)
		dpkg -x "$deb" "$dir"
		rm -rf "$PB_GUEST_DIR/kernel/dl"
		touch "$dir/.done"
	fi
	rel=$(find "$dir/lib/modules" -mindepth 1 -maxdepth 1 -printf '%f\n' | head -n1)
	[[ -n $rel && -f $dir/boot/vmlinuz-$rel ]] || die "unexpected layout in $dir"
	printf 'KERNEL=%s\nMODULES=%s\nRELEASE=%s\n' \
		"$dir/boot/vmlinuz-$rel" "$dir/lib/modules/$rel" "$rel"
}

main "$@"
