#!/usr/bin/env bash
# Fetch Debian's linux-source-SERIES package through the private apt state of
# scripts/qemu/debian-kernel.sh (never the host's sources) and unpack it under
# build/; print the path of its source tarball. See --help.
set -euo pipefail

PROG=source-deb.sh
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KB=${PINBENCH_KBUILD:-$ROOT/build/kernel}
D=${PB_DEBIAN_DIR:-$ROOT/build/debian}

usage() {
	cat <<EOF
usage: scripts/kernel/source-deb.sh SERIES

Prints "TARBALL<tab>VERSION" for Debian's linux-source-SERIES (SERIES: 6.1,
6.12, 7.2, 7.3, whatever the bookworm, bookworm-security, trixie-backports
and sid suites hold). The .deb is downloaded once into build/kernel/debs
with a private apt state (build/debian/apt; /etc/apt is only read for the
mirror's address) and unpacked into build/kernel/pkg-SERIES.
Exit 2 on a series Debian does not have, 1 when the download fails.
EOF
}

refuse() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 2; }
die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 1; }
say() { printf '%s: %s\n' "$PROG" "$*" >&2; }

case ${1:-} in -h | --help) usage; exit 0 ;; '') usage >&2; exit 2 ;; esac
(($# == 1)) || refuse "one series at a time (got: $*)"
SERIES=$1
[[ $SERIES =~ ^[0-9]+\.[0-9]+$ ]] || refuse "series '$SERIES': want MAJOR.MINOR, e.g. 7.2"
PKG=linux-source-$SERIES

deb=$(find "$KB/debs" -maxdepth 1 -name "${PKG}_*.deb" 2>/dev/null | sort -V | tail -n1 || true)
if [[ -z $deb ]]; then
	say "fetching $PKG through the private apt state (build/debian/apt)"
	mkdir -p "$KB/debs"
	# shellcheck source=scripts/qemu/lib.sh
	. "$ROOT/scripts/qemu/lib.sh"
	# shellcheck source=scripts/lib/apt-mirror.sh
	. "$ROOT/scripts/lib/apt-mirror.sh"
	fns=$(sed -n '/^APT_OPTS=()/,/^}/p; /^apt_update()/,/^}/p' "$ROOT/scripts/qemu/debian-kernel.sh")
	[[ $fns == *'apt_state()'* && $fns == *'apt_update()'* ]] ||
		die "scripts/qemu/debian-kernel.sh has no apt_state/apt_update any more; fetch $PKG by hand into $KB/debs"
	eval "$fns"
	apt_state
	compgen -G "$D/apt/lists/*sid*_Packages*" >/dev/null || apt_update
	apt-cache "${APT_OPTS[@]}" show "$PKG" >/dev/null 2>&1 ||
		refuse "Debian has no $PKG in bookworm, trixie-backports or sid"
	(cd "$KB/debs" && apt-get "${APT_OPTS[@]}" -q download "$PKG" >&2) ||
		die "apt-get download $PKG failed (private apt state in build/debian/apt)"
	deb=$(find "$KB/debs" -maxdepth 1 -name "${PKG}_*.deb" | sort -V | tail -n1)
	[[ -n $deb ]] || die "apt-get download $PKG left no .deb in $KB/debs"
fi
ver=$(dpkg-deb -f "$deb" Version)
pkgdir=$KB/pkg-$SERIES
if [[ ! -f $pkgdir/.done-$ver ]]; then
	rm -rf "$pkgdir"
	mkdir -p "$pkgdir"
	dpkg-deb -x "$deb" "$pkgdir"
	touch "$pkgdir/.done-$ver"
fi
tarball=$(find "$pkgdir/usr/src" -maxdepth 1 -name "$PKG.tar.*" | head -n1)
[[ -n $tarball ]] || die "$deb holds no usr/src/$PKG.tar.*"
printf '%s\t%s\n' "$tarball" "$ver"
