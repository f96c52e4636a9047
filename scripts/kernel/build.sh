#!/usr/bin/env bash
# Build a pinbench guest kernel (bzImage) from Debian's linux-source-6.1 with
# the config fragment kernel/config/pinbench.config and the patches of the
# label folder kernel/patches/LABEL/ (its series file, else its *.patch:
# scripts/kernel/series.sh); LABEL@6.12 builds from linux-source-6.12 with
# kernel/config/pinbench-6.12.config on top and kernel/patches-6.12/LABEL/;
# LABEL@7.3 from linux-source-7.3 (trixie-backports, fetched through the
# private apt state of scripts/qemu/debian-kernel.sh) with the minimal guest
# config (kernel/config/guest-min.config) and kernel/patches-7.3/LABEL/.
# See --help.
set -euo pipefail
# The whole script is one brace group, read by bash before it runs: editing
# or checking out this file while a build runs cannot change what runs.
{

# Bump when the way a kernel is built changes (it is part of the cache key).
RECIPE=1

usage() {
	cat <<EOF
usage: scripts/kernel/build.sh [options] LABEL[@SERIES] [LABEL[@SERIES]...]

Builds a guest kernel for each LABEL from Debian's linux-source-SERIES
package (SERIES 6.1, the default, 6.12 or 7.3):
  config (--config): min, the default for 7.3:
      make allnoconfig with kernel/config/guest-min.config (what the q35
      guest needs to boot) + the fragments below; nothing else is built
    defconfig, the default for 6.1 and 6.12 (their measured kernels):
      make x86_64_defconfig + kernel/configs/kvm_guest.config + the fragments
  fragments: kernel/config/pinbench.config, and on 6.12 and 7.3 also
    kernel/config/pinbench-6.12.config (IOMMUFD, VFIO_DEVICE_CDEV); every
    =y/=n line (guest-min.config's too) is checked after olddefconfig
  + the patches of the label folder kernel/patches/LABEL (6.1),
    kernel/patches-6.12/LABEL (LABEL@6.12) or kernel/patches-7.3/LABEL
    (LABEL@7.3): the files its plain-text file 'series' names, one a line,
    relative to the folder, in that order (the project's labels name
    ../patches/NAME.patch: each patch is stored once per series folder, in
    its patches/); a folder with no series file: its *.patch in name order;
    with neither: the release as shipped. A series naming a missing file is
    refused (exit 2).
linux-source-6.1 and -6.12 are installed with the host's apt-get (bookworm);
linux-source-7.3 comes from trixie-backports through a private apt state
under build/debian/apt (scripts/qemu/debian-kernel.sh's; /etc/apt is only
read for the mirror's address) and is unpacked under build/kernel/pkg-7.3.

The bzImage is cached by a hash of its inputs (package version, config
fragment, patch contents, build recipe) in build/kernel/out/HASH/bzImage, and
build/kernel/LABEL is a symlink to it: boot it with
  KERNEL=build/kernel/LABEL scripts/qemu/run.sh ...
A second call with the same inputs is instant.

One source tree per series (build/kernel/src, src-6.12: a git repo holding
the pristine package) and one object directory per series (obj, obj-6.12)
are shared by the labels of that series: a label switch resets the patched
files and applies the other patch set, so only what the patches touch is
recompiled. Each series has its own lock (.lock, .lock-6.12), so a 6.1 and
a 6.12 build can run side by side. A killed build resumes where it stopped.
Also builds the kernel's gup_test selftest (static) as build/kernel/gup_test
(build/kernel/gup_test-6.12 from the 6.12 tree; same ioctl ABI).
Kernels land as build/kernel/LABEL and build/kernel/LABEL@SERIES.
Every compiler runs under nice -n 19 (PINBENCH_NICE): other jobs on this
machine time QEMU guests.

Options:
  -j N          parallel make jobs (default: nproc)
  --config MODE min or defconfig (default: min on 7.3, defconfig on 6.1/6.12);
                part of the cache key
  --force       rebuild even if the cache has this kernel
  --print-hash  print the cache hash of each LABEL and exit
  -h, --help    this text

Environment: PINBENCH_KBUILD (default build/kernel) moves the build area;
PINBENCH_NICE (default 19) the niceness of make and gcc.
EOF
}

die() { echo "build.sh: $*" >&2; exit 1; }
refuse() { echo "build.sh: $*" >&2; exit 2; }
log() { echo "build.sh: $*" >&2; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KB=${PINBENCH_KBUILD:-$ROOT/build/kernel}
FRAG_BASE=$ROOT/kernel/config/pinbench.config
KCONF_ROOT=$ROOT
# shellcheck source=scripts/kernel/kconfig.sh
. "$ROOT/scripts/kernel/kconfig.sh"
# shellcheck source=scripts/kernel/series.sh
. "$ROOT/scripts/kernel/series.sh"
JOBS=$(nproc)
NICE=${PINBENCH_NICE-19}
[[ $NICE =~ ^-?[0-9]+$ ]] || refuse "PINBENCH_NICE='$NICE': want a niceness, e.g. 19"
CONFIG_MODE=''
FORCE=0
PRINT_HASH=0
LABELS=()

while [ $# -gt 0 ]; do
	case $1 in
	-h|--help) usage; exit 0 ;;
	-j) [ $# -ge 2 ] || die "-j needs a number"; JOBS=$2; shift 2 ;;
	-j*) JOBS=${1#-j}; shift ;;
	--config) [ $# -ge 2 ] || refuse "--config needs min or defconfig"; CONFIG_MODE=$2; shift 2 ;;
	--config=*) CONFIG_MODE=${1#--config=}; shift ;;
	--force) FORCE=1; shift ;;
	--print-hash) PRINT_HASH=1; shift ;;
	-*) die "unknown option $1 (see --help)" ;;
	*) LABELS+=("$1"); shift ;;
	esac
done
[ ${#LABELS[@]} -gt 0 ] || { usage >&2; exit 2; }
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || refuse "-j '$JOBS': want a whole number of jobs, e.g. -j2"
case $CONFIG_MODE in '' | min | defconfig) ;; *) refuse "--config '$CONFIG_MODE': use min or defconfig" ;; esac

series_of() { case $1 in *@*) echo "${1##*@}" ;; *) echo 6.1 ;; esac; }

# Per-series settings: package, fragments, patch root, tree, objects, lock.
set_series() {
	SERIES=$1
	case $SERIES in
	6.1)
		PKG=linux-source-6.1
		FRAGS=("$FRAG_BASE")
		PATCHROOT=$ROOT/kernel/patches
		SFX=""
		;;
	6.12)
		PKG=linux-source-6.12
		FRAGS=("$FRAG_BASE" "$ROOT/kernel/config/pinbench-6.12.config")
		PATCHROOT=$ROOT/kernel/patches-6.12
		SFX=-6.12
		;;
	7.3)
		PKG=linux-source-7.3
		FRAGS=("$FRAG_BASE" "$ROOT/kernel/config/pinbench-6.12.config")
		PATCHROOT=$ROOT/kernel/patches-7.3
		SFX=-7.3
		;;
	*) refuse "unknown series '$SERIES' in a label (use LABEL for 6.1, LABEL@6.12 or LABEL@7.3)" ;;
	esac
	MODE=${CONFIG_MODE:-$(kconfig_mode_default "$SERIES")}
	SRCROOT=$KB/src$SFX
	OBJ=$KB/obj$SFX
	APPLIED=$KB/.applied$SFX
	CFGSTAMP=$KB/.config-stamp$SFX
	GUPTEST=$KB/gup_test$SFX
}

# The labels of the series (its folders, less the store of patch files).
labels_here() {
	find "$PATCHROOT" -mindepth 1 -maxdepth 1 -xtype d ! -name "$SERIES_STORE" -printf '%f\n' 2>/dev/null |
		LC_ALL=C sort | tr '\n' ' '
}

for l in "${LABELS[@]}"; do
	set_series "$(series_of "$l")"
	[ "${l%@*}" != "$SERIES_STORE" ] ||
		refuse "${PATCHROOT#"$ROOT"/}/$SERIES_STORE holds the patch files the labels' series name; it is not a label (use one of $(labels_here))"
	[ -d "$PATCHROOT/${l%@*}" ] ||
		refuse "no patch folder ${PATCHROOT#"$ROOT"/}/${l%@*} (for label $l; make one, or use a label of $(labels_here))"
	msg=$(series_check "$PATCHROOT/${l%@*}") || refuse "${msg#"$ROOT"/}"
	for f in "${FRAGS[@]}"; do [ -f "$f" ] || die "missing $f"; done
done

# linux-source-7.3 is not in the host's suites: scripts/kernel/source-deb.sh
# fetches it with the private apt state and unpacks it under build/.
fetch_source_deb() {
	local line
	line=$("$ROOT/scripts/kernel/source-deb.sh" "$SERIES") || die "could not fetch $PKG"
	IFS=$'\t' read -r TARBALL PKGVER <<<"$line"
}

ensure_package() {
	if [ "$SERIES" = 7.3 ]; then
		fetch_source_deb
		return 0
	fi
	if ! dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q 'ok installed'; then
		log "installing $PKG (and the kernel build dependencies)"
		apt-get install -y "$PKG" flex bison bc libelf-dev libssl-dev cpio >&2 ||
			die "apt-get install $PKG failed"
	fi
	PKGVER=$(dpkg-query -W -f='${Version}' "$PKG")
	TARBALL=$(ls /usr/src/"$PKG".tar.*)
	[ -f "$TARBALL" ] || die "no /usr/src/$PKG.tar.* tarball"
}

# Patch files of a label, in the order they are applied (its series file,
# else its *.patch in name order; scripts/kernel/series.sh).
patches_of() {
	series_patches "$PATCHROOT/${1%@*}"
}

# Cache key: package version + recipe + fragment + patch contents (not the
# label: two labels with the same patches share one kernel).
hash_of() {
	local p
	{
		echo "pkg $PKG $PKGVER recipe $RECIPE"
		if [ "$MODE" = defconfig ] && [ "$SERIES" != 7.3 ]; then
			# the key of the kernels measured before --config existed
			echo "fragment"; cat "$FRAG_BASE"
			if [ "$SERIES" != 6.1 ]; then echo "fragment $SERIES"; cat "${FRAGS[1]}"; fi
		else
			kconfig_inputs "$MODE" "${FRAGS[@]}"
		fi
		while IFS= read -r p; do
			echo "patch $(basename "$p")"; cat "$p"
		done < <(patches_of "$1")
	} | sha256sum | cut -c1-16
}

# The pristine source tree, as a git repository so that switching patch sets
# rewrites only the files that differ (make then recompiles only those).
ensure_tree() {
	SRC=$SRCROOT/$PKG
	if [ ! -f "$SRCROOT/.ready-$PKGVER" ]; then
		log "unpacking $TARBALL"
		rm -rf "$SRCROOT"
		mkdir -p "$SRCROOT"
		tar -C "$SRCROOT" -xf "$TARBALL"
		[ -d "$SRC" ] || die "tarball did not unpack to $SRC"
		log "recording the pristine tree (git)"
		git -C "$SRC" init -q
		git -C "$SRC" config gc.auto 0 # no background repack competing with the build
		git -C "$SRC" -c user.name=pinbench -c user.email=pinbench@localhost \
			-c core.autocrlf=false add -A -f .
		git -C "$SRC" -c user.name=pinbench -c user.email=pinbench@localhost \
			commit -q -m "$PKG $PKGVER pristine"
		git -C "$SRC" tag -f pristine >/dev/null
		rm -rf "$OBJ" "$APPLIED" "$CFGSTAMP"
		touch "$SRCROOT/.ready-$PKGVER"
	fi
}

# Put the tree into "pristine + patches of LABEL".
switch_tree() {
	local label=$1 want p
	want="$(hash_of "$label")"
	if [ -f "$APPLIED" ] && [ "$(cat "$APPLIED")" = "$want" ] &&
		git -C "$SRC" diff --quiet HEAD; then
		# HEAD is the patched commit of this set and nothing changed since
		return 0
	fi
	rm -f "$APPLIED"
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
	echo "$want" >"$APPLIED"
}

ensure_config() {
	local stamp
	stamp=$(kconfig_inputs "$MODE" "${FRAGS[@]}" | cat - "$SRC/kernel/configs/kvm_guest.config" | sha256sum | cut -c1-16)
	stamp="$PKGVER-$RECIPE-$stamp"
	if [ -f "$CFGSTAMP" ] && [ "$(cat "$CFGSTAMP")" = "$stamp" ] &&
		[ -f "$OBJ/.config" ]; then
		return 0
	fi
	log "configuring $SERIES ($MODE): ${FRAGS[*]##*/}"
	# shellcheck disable=SC2016 # expanded by the inner bash
	nice -n "$NICE" bash -c '. "$1"; KCONF_ROOT=$2; shift 2; kconfig_make "$@"' _ \
		"$ROOT/scripts/kernel/kconfig.sh" "$ROOT" "$SRC" "$OBJ" "$MODE" "${FRAGS[@]}" ||
		die "the options above did not end as asked (dependency missing?)"
	echo "$stamp" >"$CFGSTAMP"
}

ensure_gup_test() {
	local out=$GUPTEST dir=$SRC/tools/testing/selftests/vm extra=()
	# 6.3 renamed selftests/vm to selftests/mm; there gup_test uses vm_util.
	[ -f "$dir/gup_test.c" ] || dir=$SRC/tools/testing/selftests/mm
	[ -f "$dir/vm_util.c" ] && extra=("$dir/vm_util.c")
	# 7.x: the hugetlb helpers gup_test calls moved to hugepage_settings.c
	[ -f "$dir/hugepage_settings.c" ] && extra+=("$dir/hugepage_settings.c")
	if [ -x "$out" ] && [ "$out" -nt "$dir/gup_test.c" ] &&
		[ "$out" -nt "$SRC/mm/gup_test.h" ]; then
		return 0
	fi
	log "building gup_test (static) from ${dir#"$SRC"/}"
	nice -n "$NICE" gcc -static -O2 -Wall -I"$SRC" -I"$SRC/tools/include/uapi" -I"$SRC/usr/include" \
		-I"$SRC/tools/testing/selftests" -I"$dir" \
		-o "$out.partial" "$dir/gup_test.c" "${extra[@]}" -lpthread
	mv "$out.partial" "$out"
}

build_one() {
	local label=$1 h out t0 t1 p f
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
	if ! nice -n "$NICE" make -C "$SRC" O="$OBJ" LOCALVERSION= -j"$JOBS" bzImage >"$KB/make-$label.log" 2>&1; then
		grep -E 'error|Error' "$KB/make-$label.log" | head -20 >&2 || true
		die "$label: kernel build failed, see $KB/make-$label.log"
	fi
	t1=$(date +%s)
	mkdir -p "$out"
	cp "$OBJ/arch/x86/boot/bzImage" "$out/bzImage.partial"
	cp "$OBJ/.config" "$out/config"
	cp "$OBJ/System.map" "$out/System.map"
	{
		echo "label: $label"
		echo "package: $PKG $PKGVER"
		echo "recipe: $RECIPE"
		echo "config: $MODE"
		for f in "${FRAGS[@]}"; do
			echo "fragment: ${f#"$ROOT"/} $(sha256sum <"$f" | cut -c1-16)"
		done
		while IFS= read -r p; do
			echo "patch: ${p#"$ROOT"/} $(sha256sum <"$p" | cut -c1-16)"
		done < <(patches_of "$label")
		echo "kernel: $(cat "$OBJ/include/config/kernel.release")"
		echo "build_seconds: $((t1 - t0))"
		echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(hostname), make -j$JOBS"
	} >"$out/inputs.txt"
	mv "$out/bzImage.partial" "$out/bzImage"
	ln -sfn "out/$h/bzImage" "$KB/$label"
	printf '%s: built in %dm%02ds -> %s (build/kernel/%s)\n' "$label" \
		$(((t1 - t0) / 60)) $(((t1 - t0) % 60)) "$out/bzImage" "$label"
}

# One series after the other, each under its own lock, labels in the order given.
SERIES_DONE=" "
for first in "${LABELS[@]}"; do
	s=$(series_of "$first")
	case $SERIES_DONE in *" $s "*) continue ;; esac
	SERIES_DONE="$SERIES_DONE$s "
	set_series "$s"
	ensure_package
	if [ "$PRINT_HASH" = 1 ]; then
		for l in "${LABELS[@]}"; do
			if [ "$(series_of "$l")" = "$s" ]; then echo "$l $(hash_of "$l")"; fi
		done
		continue
	fi
	mkdir -p "$KB"
	exec 9>"$KB/.lock$SFX"
	flock -n 9 || { log "another build.sh holds $KB/.lock$SFX; waiting"; flock 9; }
	ensure_tree
	ensure_gup_test
	for l in "${LABELS[@]}"; do
		if [ "$(series_of "$l")" = "$s" ]; then build_one "$l"; fi
	done
	exec 9>&-
done
exit 0
}
