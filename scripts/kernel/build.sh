#!/usr/bin/env bash
# Build a pinbench guest kernel (bzImage) from Debian's linux-source-6.1 with
# the config fragment kernel/config/pinbench.config and the patch folder
# kernel/patches/LABEL/*.patch. See --help.
set -euo pipefail

# Bump when the way a kernel is built changes (it is part of the cache key).
RECIPE=1
PKG=linux-source-6.1

usage() {
	cat <<EOF
usage: scripts/kernel/build.sh [options] LABEL [LABEL...]

Builds a guest kernel for each LABEL from Debian's $PKG package:
  make x86_64_defconfig + kernel/configs/kvm_guest.config
  + kernel/config/pinbench.config (checked: every =y/=n line must stick)
  + kernel/patches/LABEL/*.patch applied in name order.

The bzImage is cached by a hash of its inputs (package version, config
fragment, patch contents, build recipe) in build/kernel/out/HASH/bzImage, and
build/kernel/LABEL is a symlink to it: boot it with
  KERNEL=build/kernel/LABEL scripts/qemu/run.sh ...
A second call with the same inputs is instant.

One source tree (build/kernel/src, a git repo holding the pristine package)
and one object directory (build/kernel/obj) are shared by all labels: a label
switch resets the patched files and applies the other patch set, so only what
the patches touch is recompiled. A killed build resumes where it stopped.
Also builds the kernel's gup_test selftest (static) as build/kernel/gup_test.

Options:
  -j N          parallel make jobs (default: nproc + 1)
  --force       rebuild even if the cache has this kernel
  --print-hash  print the cache hash of each LABEL and exit
  -h, --help    this text

Environment: PINBENCH_KBUILD (default build/kernel) moves the build area.
EOF
}

die() { echo "build.sh: $*" >&2; exit 1; }
log() { echo "build.sh: $*" >&2; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KB=${PINBENCH_KBUILD:-$ROOT/build/kernel}
FRAG=$ROOT/kernel/config/pinbench.config
JOBS=$(( $(nproc) + 1 ))
FORCE=0
PRINT_HASH=0
LABELS=()

while [ $# -gt 0 ]; do
	case $1 in
	-h|--help) usage; exit 0 ;;
	-j) [ $# -ge 2 ] || die "-j needs a number"; JOBS=$2; shift 2 ;;
	-j*) JOBS=${1#-j}; shift ;;
	--force) FORCE=1; shift ;;
	--print-hash) PRINT_HASH=1; shift ;;
	-*) die "unknown option $1 (see --help)" ;;
	*) LABELS+=("$1"); shift ;;
	esac
done
[ ${#LABELS[@]} -gt 0 ] || { usage >&2; exit 2; }
for l in "${LABELS[@]}"; do
	[ -d "$ROOT/kernel/patches/$l" ] || die "no patch folder kernel/patches/$l"
done
[ -f "$FRAG" ] || die "missing $FRAG"

ensure_package() {
	if ! dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q 'ok installed'; then
		log "installing $PKG (and the kernel build dependencies)"
		apt-get install -y "$PKG" flex bison bc libelf-dev libssl-dev cpio >&2 ||
			die "apt-get install $PKG failed"
	fi
	PKGVER=$(dpkg-query -W -f='${Version}' "$PKG")
	TARBALL=$(ls /usr/src/linux-source-6.1.tar.*)
	[ -f "$TARBALL" ] || die "no /usr/src/linux-source-6.1.tar.* tarball"
}

# Patch files of a label, in the order they are applied.
patches_of() {
	find "$ROOT/kernel/patches/$1" -maxdepth 1 -name '*.patch' -type f | LC_ALL=C sort
}

# Cache key: package version + recipe + fragment + patch contents (not the
# label: two labels with the same patches share one kernel).
hash_of() {
	local p
	{
		echo "pkg $PKG $PKGVER recipe $RECIPE"
		echo "fragment"; cat "$FRAG"
		while IFS= read -r p; do
			echo "patch $(basename "$p")"; cat "$p"
		done < <(patches_of "$1")
	} | sha256sum | cut -c1-16
}

# The pristine source tree, as a git repository so that switching patch sets
# rewrites only the files that differ (make then recompiles only those).
ensure_tree() {
	SRC=$KB/src/linux-source-6.1
	if [ ! -f "$KB/src/.ready-$PKGVER" ]; then
		log "unpacking $TARBALL"
		rm -rf "$KB/src"
		mkdir -p "$KB/src"
		tar -C "$KB/src" -xf "$TARBALL"
		[ -d "$SRC" ] || die "tarball did not unpack to $SRC"
		log "recording the pristine tree (git)"
		git -C "$SRC" init -q
		git -C "$SRC" -c user.name=pinbench -c user.email=pinbench@localhost \
			-c core.autocrlf=false add -A -f .
		git -C "$SRC" -c user.name=pinbench -c user.email=pinbench@localhost \
			commit -q -m "$PKG $PKGVER pristine"
		git -C "$SRC" tag -f pristine >/dev/null
		rm -rf "$KB/obj" "$KB/.applied" "$KB/.config-stamp"
		touch "$KB/src/.ready-$PKGVER"
	fi
}

# Put the tree into "pristine + patches of LABEL".
switch_tree() {
	local label=$1 want p
	want="$(hash_of "$label")"
	if [ -f "$KB/.applied" ] && [ "$(cat "$KB/.applied")" = "$want" ] &&
		git -C "$SRC" diff --quiet HEAD; then
		# HEAD is the patched commit of this set and nothing changed since
		return 0
	fi
	rm -f "$KB/.applied"
	git -C "$SRC" reset -q --hard pristine
	git -C "$SRC" clean -qfd
	while IFS= read -r p; do
		log "applying $(basename "$p")"
		git -C "$SRC" -c user.name=pinbench -c user.email=pinbench@localhost \
			am -q --keep-cr "$p" || {
			git -C "$SRC" am --abort || true
			die "patch $p does not apply to $PKG $PKGVER"
		}
	done < <(patches_of "$label")
	echo "$want" >"$KB/.applied"
}

# Options the fragment asks for that did not end up as asked.
check_config() {
	local cfg=$1 bad=0 line name val
	while IFS= read -r line; do
		case $line in CONFIG_*=*) ;; *) continue ;; esac
		name=${line%%=*}; val=${line#*=}
		if [ "$val" = n ]; then
			if grep -q "^$name=" "$cfg"; then
				echo "  $name: asked n, got $(grep "^$name=" "$cfg")" >&2; bad=1
			fi
		elif ! grep -qxF "$line" "$cfg"; then
			echo "  $name: asked $val, got $(grep "^$name=\|^# $name is not set" "$cfg" || echo missing)" >&2
			bad=1
		fi
	done <"$FRAG"
	return $bad
}

ensure_config() {
	local stamp
	stamp=$(cat "$FRAG" "$SRC/kernel/configs/kvm_guest.config" | sha256sum | cut -c1-16)
	stamp="$PKGVER-$RECIPE-$stamp"
	if [ -f "$KB/.config-stamp" ] && [ "$(cat "$KB/.config-stamp")" = "$stamp" ] &&
		[ -f "$KB/obj/.config" ]; then
		return 0
	fi
	log "configuring: x86_64_defconfig + kvm_guest.config + pinbench.config"
	mkdir -p "$KB/obj"
	make -s -C "$SRC" O="$KB/obj" x86_64_defconfig >&2
	(cd "$KB/obj" && "$SRC/scripts/kconfig/merge_config.sh" -m -O "$KB/obj" \
		"$KB/obj/.config" "$SRC/kernel/configs/kvm_guest.config" "$FRAG" >/dev/null)
	make -s -C "$SRC" O="$KB/obj" olddefconfig >&2
	if ! check_config "$KB/obj/.config"; then
		die "the options above did not end as asked in $FRAG (dependency missing?)"
	fi
	echo "$stamp" >"$KB/.config-stamp"
}

ensure_gup_test() {
	local out=$KB/gup_test
	if [ -x "$out" ] && [ "$out" -nt "$SRC/tools/testing/selftests/vm/gup_test.c" ] &&
		[ "$out" -nt "$SRC/mm/gup_test.h" ]; then
		return 0
	fi
	log "building gup_test (static)"
	gcc -static -O2 -Wall -I"$SRC" -I"$SRC/tools/testing/selftests" \
		-o "$out.partial" "$SRC/tools/testing/selftests/vm/gup_test.c" -lpthread
	mv "$out.partial" "$out"
}

build_one() {
	local label=$1 h out t0 t1 p
	h=$(hash_of "$label")
	out=$KB/out/$h
	if [ "$FORCE" = 0 ] && [ -f "$out/bzImage" ]; then
		ln -sfn "out/$h/bzImage" "$KB/$label"
		echo "$label: cached $out/bzImage (build/kernel/$label)"
		return 0
	fi
	t0=$(date +%s)
	switch_tree "$label"
	ensure_config
	log "$label: make -j$JOBS bzImage (log: $KB/make-$label.log)"
	if ! make -C "$SRC" O="$KB/obj" LOCALVERSION= -j"$JOBS" bzImage >"$KB/make-$label.log" 2>&1; then
		grep -E 'error|Error' "$KB/make-$label.log" | head -20 >&2 || true
		die "$label: kernel build failed, see $KB/make-$label.log"
	fi
	t1=$(date +%s)
	mkdir -p "$out"
	cp "$KB/obj/arch/x86/boot/bzImage" "$out/bzImage.partial"
	cp "$KB/obj/.config" "$out/config"
	cp "$KB/obj/System.map" "$out/System.map"
	{
		echo "label: $label"
		echo "package: $PKG $PKGVER"
		echo "recipe: $RECIPE"
		echo "fragment: kernel/config/pinbench.config $(sha256sum <"$FRAG" | cut -c1-16)"
		while IFS= read -r p; do
			echo "patch: ${p#"$ROOT"/} $(sha256sum <"$p" | cut -c1-16)"
		done < <(patches_of "$label")
		echo "kernel: $(cat "$KB/obj/include/config/kernel.release")"
		echo "build_seconds: $((t1 - t0))"
		echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(hostname), make -j$JOBS"
	} >"$out/inputs.txt"
	mv "$out/bzImage.partial" "$out/bzImage"
	ln -sfn "out/$h/bzImage" "$KB/$label"
	printf '%s: built in %dm%02ds -> %s (build/kernel/%s)\n' "$label" \
		$(((t1 - t0) / 60)) $(((t1 - t0) % 60)) "$out/bzImage" "$label"
}

ensure_package
if [ "$PRINT_HASH" = 1 ]; then
	for l in "${LABELS[@]}"; do echo "$l $(hash_of "$l")"; done
	exit 0
fi

mkdir -p "$KB"
exec 9>"$KB/.lock"
flock -n 9 || { log "another build.sh holds $KB/.lock; waiting"; flock 9; }

ensure_tree
ensure_gup_test
for l in "${LABELS[@]}"; do
	build_one "$l"
done
