#!/bin/bash
# Fetch and cache the default guest kernel: Debian's
# linux-image-6.1.0-*-amd64-unsigned (all drivers as modules), unpacked with
# dpkg -x under build/guest/kernel/<package>/. Prints three lines:
#   KERNEL=<path to vmlinuz>  MODULES=<path to lib/modules/<release>>  RELEASE=<release>
# Usage: scripts/qemu/kernel.sh [PACKAGE]   (default: the newest available)
set -euo pipefail
# shellcheck source=scripts/qemu/lib.sh
. "$(dirname "$0")/lib.sh"

pick_package() {
	local p best='' bestv='' v
	# Newest linux-image-6.1.0-N-amd64-unsigned that apt can download.
	while read -r p; do
		v=$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/{print $2}')
		[[ -n $v && $v != '(none)' ]] || continue
		if [[ -z $best ]] || dpkg --compare-versions "$v" gt "$bestv"; then
			best=$p bestv=$v
		fi
	done < <(apt-cache pkgnames linux-image-6.1.0- 2>/dev/null |
		grep -E '^linux-image-6\.1\.0-[0-9]+-amd64-unsigned$' | sort -V)
	[[ -n $best ]] || die "no linux-image-6.1.0-*-amd64-unsigned in apt (run apt-get update?)"
	printf '%s\n' "$best"
}

main() {
	local pkg=${1:-} dir deb rel
	mkdir -p "$PB_GUEST_DIR/kernel"
	if [[ -z $pkg ]]; then
		# Reuse whatever is already unpacked, newest first, before asking apt.
		pkg=$(find "$PB_GUEST_DIR/kernel" -mindepth 2 -maxdepth 2 -name .done \
			-printf '%h\n' 2>/dev/null | xargs -r -n1 basename | sort -V | tail -n1)
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
