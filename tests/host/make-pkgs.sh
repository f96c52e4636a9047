#!/usr/bin/env bash
# The Makefile and missing libraries: a build stops before compiling, naming
# the missing pkg-config module and the Debian package to install; reading
# the Makefile for deps/check/demo (which install the packages first) does not.
source "$(dirname "$0")/../lib.sh"
command -v make >/dev/null || skip "make not installed"
command -v pkg-config >/dev/null || skip "pkg-config not installed"

# A pkg-config search path with every .pc file of this machine but liburing's.
pc="$TMP/pc"
mkdir -p "$pc" "$TMP/empty"
IFS=: read -r -a dirs <<<"$(pkg-config --variable pc_path pkg-config)"
for d in "${dirs[@]}"; do
	[ -d "$d" ] && find "$d" -maxdepth 1 -name '*.pc' -exec cp -n {} "$pc/" \;
done
pkg-config --exists liburing || skip "liburing's .pc is not installed here: nothing to hide"
rm -f "$pc"/liburing*.pc
PKG_CONFIG_LIBDIR=$pc pkg-config --exists numa || skip "the copied .pc files do not resolve"

build="$TMP/build"
capture env PKG_CONFIG_LIBDIR="$pc" PKG_CONFIG_PATH= make -s -C "$TOP" B="$build" PROG="$build/pinbench" "$build/pinbench"
expect_rc 2 "make with liburing missing"
expect_err "pkg-config module liburing not found: install the Debian package liburing-dev"
if grep -q "module numa not found" "$TMP/err"; then die "numa reported missing although it is there"; fi
[ ! -e "$build/bench" ] || die "objects were compiled before the check: $(find "$build/bench" -name "*.o" | head -3)"

# No module at all: every one named with its package (PKG_DEBS in the Makefile).
capture env PKG_CONFIG_LIBDIR="$TMP/empty" PKG_CONFIG_PATH= make -s -C "$TOP" B="$build" PROG="$build/pinbench" "$build/pinbench"
expect_rc 2 "make with no module"
for md in libpmem2=libpmem2-dev libdaxctl=libdaxctl-dev libndctl=libndctl-dev numa=libnuma-dev \
	liburing=liburing-dev libibverbs=libibverbs-dev libtracefs=libtracefs-dev zlib=zlib1g-dev; do
	expect_err "module ${md%%=*} not found: install the Debian package ${md#*=}"
done

# Reading the Makefile for the targets that install first is not stopped.
capture env PKG_CONFIG_LIBDIR="$TMP/empty" PKG_CONFIG_PATH= make -n -C "$TOP" deps demo
expect_rc 0 "make -n deps demo with no module"
grep -q 'scripts/deps.sh' "$TMP/out" || die "make -n deps did not print scripts/deps.sh: $(cat "$TMP/out")"
echo ok
