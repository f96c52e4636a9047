#!/usr/bin/env bash
# scripts/kernel/source-repo.sh (and source-deb.sh under it) on fake
# linux-source packages already in the download folder, so no apt runs: one
# commit per release in the order given, tagged vSERIES, each commit's tree
# the release's tarball; files a later release drops are gone; a second call
# is a no-op; a non-empty folder and a malformed series are refused with
# exit 2 and one line.
source "$(dirname "$0")/../lib.sh"

command -v dpkg-deb >/dev/null || skip "dpkg-deb missing (not a Debian host)"
export PINBENCH_KBUILD=$TMP/kb
mkdir -p "$PINBENCH_KBUILD/debs"

fake() { # series version: a source package with a tiny tree
	local s=$1 v=$2 t=$TMP/pkg-$1
	mkdir -p "$t/DEBIAN" "$t/usr/src" "$TMP/src-$s/linux-source-$s/mm"
	echo "VERSION = ${s%.*}" >"$TMP/src-$s/linux-source-$s/Makefile"
	echo "gup of $s" >"$TMP/src-$s/linux-source-$s/mm/gup.c"
	[[ $s == 9.1 ]] && echo "gone in 9.2" >"$TMP/src-$s/linux-source-$s/mm/old.c"
	tar -C "$TMP/src-$s" -cJf "$t/usr/src/linux-source-$s.tar.xz" "linux-source-$s"
	printf 'Package: linux-source-%s\nVersion: %s\nArchitecture: all\nMaintainer: t <t@example.org>\nDescription: fake\n' \
		"$s" "$v" >"$t/DEBIAN/control"
	dpkg-deb -Zgzip -b "$t" "$PINBENCH_KBUILD/debs/linux-source-${s}_${v}_all.deb" >/dev/null
}
fake 9.1 9.1.3-1
fake 9.2 9.2.1-1

R=$TMP/repo
capture "$TOP/scripts/kernel/source-repo.sh" "$R" 9.1 9.2
expect_rc 0 source-repo.sh
[[ $(git -C "$R" log --format=%s v9.2) == $'linux-source-9.2 9.2.1-1\nlinux-source-9.1 9.1.3-1' ]] ||
	die "history is not 9.1 then 9.2: $(git -C "$R" log --oneline v9.2)"
[[ $(git -C "$R" show v9.1:mm/gup.c) == "gup of 9.1" && $(git -C "$R" show v9.2:mm/gup.c) == "gup of 9.2" ]] ||
	die "the tags do not hold their release's files"
git -C "$R" cat-file -e v9.1:mm/old.c || die "v9.1 lacks mm/old.c"
! git -C "$R" cat-file -e v9.2:mm/old.c 2>/dev/null || die "v9.2 still has mm/old.c, which 9.2 dropped"
head=$(git -C "$R" rev-parse HEAD)

capture "$TOP/scripts/kernel/source-repo.sh" "$R" 9.1 9.2
expect_rc 0 "a second call"
[[ $(git -C "$R" rev-parse HEAD) == "$head" ]] || die "a second call changed the repository"

mkdir "$TMP/full" && touch "$TMP/full/x"
capture "$TOP/scripts/kernel/source-repo.sh" "$TMP/full" 9.1
expect_rc 2 "a non-empty folder"
grep -q "not empty" "$TMP/err" || die "no reason given: $(cat "$TMP/err")"

capture "$TOP/scripts/kernel/source-deb.sh" 9
expect_rc 2 "series 9"
grep -q "want MAJOR.MINOR" "$TMP/err" || die "no fix given: $(cat "$TMP/err")"
[[ $(wc -l <"$TMP/err") == 1 ]] || die "more than one line: $(cat "$TMP/err")"
echo "ok: source-repo.sh makes v9.1 -> v9.2 from the packages"
