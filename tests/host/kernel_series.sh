#!/usr/bin/env bash
# The patch folders of scripts/kernel/build.sh (kernel/patches,
# kernel/patches-SERIES): each patch is stored once, in the series folder's
# patches/, and each label folder names the ones it applies in its series
# file. Checked: every label's series resolves to existing files; no label
# folder holds a *.patch of its own; every stored patch is used by a label;
# no two stored patches are identical, nor differ only in their Subject
# line; build.sh --print-hash of a label is the hash of the same patches as
# a folder of *.patch (the layout before series files: the cache keys stay
# as they were); a series naming a missing patch is refused with exit 2 and
# one line by build.sh and by resolve.sh (MINE=DIR); MINE= a label folder
# hands build.sh the same patches in the same order. The checks are run on
# broken copies too, and must fail there. No kernel is built: dpkg-query
# and the source tarball are stubbed, and so is build.sh for resolve.sh.
source "$(dirname "$0")/../lib.sh"
# shellcheck source=scripts/kernel/series.sh
. "$TOP/scripts/kernel/series.sh"

# A patch with the folded header lines of each mail joined and the [PATCH
# n/m] of its Subject dropped (what git am makes of the Subject).
normal() {
	awk '/^From [0-9a-f]+ Mon Sep 17 00:00:00 2001$/ { if (h != "") print h; h = $0; inhdr = 1; next }
		inhdr && /^[ \t]/ { sub(/^[ \t]+/, " "); h = h $0; next }
		inhdr { print h; h = $0; if ($0 == "") { print h; h = ""; inhdr = 0 } ; next }
		{ print }
		END { if (h != "") print h }' "$1" | sed -E 's/^Subject: \[PATCH[^]]*\] ?/Subject: /'
}

# check_patch_dirs KDIR: the layout rules above on KDIR (a kernel/ folder);
# prints each breach, returns 1 if any.
check_patch_dirs() {
	local k=$1 bad=0 root label p used
	for root in "$k"/patches "$k"/patches-*; do
		[[ -d $root ]] || continue
		used=$TMP/used
		: >"$used"
		for label in "$root"/*/; do
			label=${label%/}
			[[ ${label##*/} != "$SERIES_STORE" ]] || continue
			if compgen -G "$label/*.patch" >/dev/null; then
				echo "$label holds *.patch of its own (store them in ../$SERIES_STORE/, name them in series)"
				bad=1
			fi
			[[ -f $label/series ]] || continue
			series_check "$label" || bad=1
			series_patches "$label" >>"$used"
		done
		for p in "$root/$SERIES_STORE"/*.patch; do
			[[ -f $p ]] || continue
			grep -qxF -- "$p" "$used" || { echo "$p: no label's series names it"; bad=1; }
		done
		while read -r p; do
			[[ ${p%/*} == "$root/$SERIES_STORE" ]] || { echo "$p: outside $root/$SERIES_STORE"; bad=1; }
		done < <(LC_ALL=C sort -u "$used")
	done
	# no two stored patches alike, the Subject unfolded and its [PATCH n/m] left out
	local dups
	dups=$(find "$k" -path '*/patches*' -name '*.patch' -type f -print0 | LC_ALL=C sort -z |
		while IFS= read -r -d '' p; do
			printf '%s %s\n' "$(normal "$p" | sha256sum | cut -c1-64)" "$p"
		done | LC_ALL=C sort | awk '$1 == prev { print "same patch: " prevf " and " $2; bad = 1 } { prev = $1; prevf = $2 }')
	[[ -z $dups ]] || { echo "$dups"; bad=1; }
	return "$bad"
}

# ---- the repository's folders ------------------------------------------------------
check_patch_dirs "$TOP/kernel" >"$TMP/report" || { cat "$TMP/report" >&2; die "kernel/patches* break the layout (above)"; }
n=$(find "$TOP"/kernel/patches* -mindepth 2 -maxdepth 2 -name series -type f | wc -l)
[ "$n" -ge 5 ] || die "only $n series files under kernel/patches*"

# ---- the checks can fail: broken copies ------------------------------------------------
broken() { # NAME: a fresh copy of kernel/ in $TMP/NAME/kernel
	rm -rf "${TMP:?}/$1"
	mkdir -p "$TMP/$1"
	cp -a "$TOP/kernel" "$TMP/$1/"
	K=$TMP/$1/kernel
}
expect_breach() { # WHAT PATTERN
	if check_patch_dirs "$K" >"$TMP/report"; then die "$1: not caught"; fi
	grep -q -- "$2" "$TMP/report" || { cat "$TMP/report" >&2; die "$1: report lacks '$2'"; }
}
broken dup
cp "$K"/patches/patches/0002-*.patch "$K"/patches/patches/0009-copy.patch
echo ../patches/0009-copy.patch >>"$K"/patches/slow-batch/series
expect_breach "an identical copy" "same patch: "
broken subject
f=$(echo "$K"/patches-6.12/patches/0002-*.patch)
sed '1,/^$/ s/^Subject: \[PATCH [0-9]\/[0-9]\]/Subject: [PATCH]/' "$f" >"$K/patches-6.12/patches/0008-x.patch"
cmp -s "$f" "$K/patches-6.12/patches/0008-x.patch" && die "the test's own sed did not change the Subject"
echo ../patches/0008-x.patch >>"$K"/patches-6.12/grab-once/series
expect_breach "a copy differing in its Subject" "same patch: "
broken missing
echo ../patches/0009-nosuch.patch >>"$K"/patches/grab-once/series
expect_breach "a missing patch" "grab-once/series: missing patch ../patches/0009-nosuch.patch"
broken stray
cp "$K"/patches/patches/0003-*.patch "$K"/patches/slow-batch/
expect_breach "a *.patch in a label folder" "slow-batch holds \*.patch"
broken orphan
printf '%s\n' "$(head -n 1 "$K"/patches/slow-batch/series)" >"$K"/patches/slow-batch/series
sed -i '2d' "$K"/patches/longterm-fast/series
expect_breach "a stored patch no series names" "0002-.*: no label's series names it"

# ---- build.sh: the cache key, and the refusal ---------------------------------------
# A checkout of build.sh with stubbed packages: dpkg-query says installed, ls
# finds the tarball, source-deb.sh (7.3) prints a version. --print-hash only.
R=$TMP/root
mkdir -p "$R/scripts/kernel" "$TMP/bin"
cp "$TOP"/scripts/kernel/{build.sh,kconfig.sh,series.sh} "$R/scripts/kernel/"
cp -a "$TOP/kernel" "$R/"
touch "$TMP/src.tar.xz"
printf '#!/bin/sh\nprintf "%%s\\t7.3.0-stub\\n" "%s"\n' "$TMP/src.tar.xz" >"$R/scripts/kernel/source-deb.sh"
cat >"$TMP/bin/dpkg-query" <<'EOF'
#!/bin/sh
case "$*" in *Status*) echo 'install ok installed' ;; *) echo 9.9-stub ;; esac
EOF
cat >"$TMP/bin/ls" <<EOF
#!/bin/sh
case "\$1" in /usr/src/linux-source-*) echo "$TMP/src.tar.xz" ;; *) exec /bin/ls "\$@" ;; esac
EOF
chmod +x "$TMP"/bin/* "$R/scripts/kernel/source-deb.sh"
export PINBENCH_KBUILD=$TMP/kb
hash_of() { PATH=$TMP/bin:$PATH "$R/scripts/kernel/build.sh" --print-hash "$1" | awk -v l="$1" '$1 == l { print $2 }'; }

labels=0
for root in "$R"/kernel/patches "$R"/kernel/patches-*; do
	sfx=''
	[[ ${root##*/} == patches ]] || sfx=@${root##*/patches-}
	for label in "$root"/*/; do
		label=${label%/}
		l=${label##*/}
		[[ $l != "$SERIES_STORE" && -f $label/series ]] || continue
		# the same patches as a folder of *.patch, as before series files
		mkdir "$root/flat-$l"
		while read -r p; do cp "$p" "$root/flat-$l/"; done < <(series_patches "$label")
		a=$(hash_of "$l$sfx") b=$(hash_of "flat-$l$sfx")
		[[ $a =~ ^[0-9a-f]{16}$ ]] || die "build.sh --print-hash $l$sfx printed '$a'"
		[ "$a" = "$b" ] || die "$l$sfx: hash $a with its series, $b as a folder of *.patch"
		labels=$((labels + 1))
	done
done
[ "$labels" -ge 5 ] || die "only $labels labels hashed"
# a series in another order than the names: its order, so another hash
mkdir "$R/kernel/patches/swapped"
tac "$R/kernel/patches/longterm-fast/series" >"$R/kernel/patches/swapped/series"
[ "$(hash_of swapped)" != "$(hash_of longterm-fast)" ] || die "a series in another order has the same hash"
# an empty series: the release as shipped
mkdir "$R/kernel/patches/none" && : >"$R/kernel/patches/none/series"
[ "$(hash_of none)" = "$(hash_of compound)" ] || die "an empty series is not the release as shipped"

refused() { # WANT ARGS...: build.sh exits 2 with one line holding WANT
	capture env PATH="$TMP/bin:$PATH" "$R/scripts/kernel/build.sh" "${@:2}"
	expect_rc 2 "build.sh ${*:2}"
	expect_err "$1"
	[ "$(wc -l <"$TMP/err")" = 1 ] || { cat "$TMP/err" >&2; die "build.sh ${*:2}: more than one line"; }
	[ ! -s "$TMP/out" ] || die "build.sh ${*:2} printed a hash"
}
printf '%s\n' "$(head -n 1 "$R/kernel/patches-6.12/slow-batch/series")" ../patches/0002-gone.patch \
	>"$R/kernel/patches-6.12/slow-batch/series"
refused "build.sh: kernel/patches-6.12/slow-batch/series: missing patch ../patches/0002-gone.patch" \
	--print-hash compound slow-batch@6.12
refused "not a label" --print-hash patches@7.3

# ---- resolve.sh: MINE= a folder with a series -----------------------------------------
# build.sh stubbed: it lists the folder resolve.sh made for it.
Q=$TMP/rroot
mkdir -p "$Q/scripts/kernel"
cp "$TOP"/scripts/kernel/{resolve.sh,series.sh} "$Q/scripts/kernel/"
cat >"$Q/scripts/kernel/build.sh" <<'EOF'
#!/usr/bin/env bash
d=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/kernel/patches-7.3/${1%@*}
{ cat "$d/series"; cd "$d" && sha256sum -- $(cat series); } >"$STUB_LOG"
EOF
chmod +x "$Q/scripts/kernel/build.sh"
export STUB_LOG=$TMP/build-stub.log
label=$TOP/kernel/patches-7.3/type1-zone-device
MINE=$label BASE=7.3 bash "$Q/scripts/kernel/resolve.sh" mine >/dev/null 2>"$TMP/err" ||
	{ cat "$TMP/err" >&2; die "resolve.sh mine (MINE=$label) failed"; }
want=$({ while read -r p; do echo "${p##*/}"; done < <(series_patches "$label")
	while read -r p; do printf '%s  %s\n' "$(sha256sum <"$p" | cut -c1-64)" "${p##*/}"; done < <(series_patches "$label"); })
[ "$(cat "$STUB_LOG")" = "$want" ] || { diff <(echo "$want") "$STUB_LOG" >&2; die "MINE=$label: build.sh got other patches"; }
mkdir -p "$TMP/mine"
echo ../nosuch.patch >"$TMP/mine/series"
capture env MINE="$TMP/mine" bash "$TOP/scripts/kernel/resolve.sh" --check mine
expect_rc 2 "resolve.sh --check mine (MINE with a broken series)"
expect_err "series: missing patch ../nosuch.patch"
[ "$(wc -l <"$TMP/err")" = 1 ] || { cat "$TMP/err" >&2; die "resolve.sh: more than one line"; }
echo "kernel series: $n series files, $labels labels hashed as before"
