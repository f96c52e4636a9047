#!/usr/bin/env bash
# tree:DIR[@REV] (scripts/kernel/resolve.sh -> tree.sh) against a stub make:
# the developer's tree (its HEAD, .git/index, refs, git status and every file
# of the work tree, uncommitted edits included) is byte-identical after
# building two revisions and the work tree; the export under build/ is
# updated incrementally (a file the next revision does not touch keeps its
# mtime, a changed one is rewritten, a deleted one goes); a revision built
# once is cached; bad specs are refused with exit 2 and one line.
source "$(dirname "$0")/../lib.sh"

command -v git >/dev/null || skip "git missing"
RESOLVE=$TOP/scripts/kernel/resolve.sh
export PINBENCH_KBUILD=$TMP/kb PINBENCH_NICE=0
mkdir -p "$TMP/bin"

# Stub make: config targets write a .config from KCONFIG_ALLCONFIG (=n as
# "is not set"); bzImage writes a fake one (HdrS at 0x202) and logs the call.
cat >"$TMP/bin/make" <<'EOF'
#!/usr/bin/env bash
obj='' src='' target=''
for a; do
	case $a in O=*) obj=${a#O=} ;; KCONFIG_ALLCONFIG=*) KCONFIG_ALLCONFIG=${a#*=} ;; -C) ;; -*) ;; *=*) ;; *) [[ -d $a ]] && src=$a || target=$a ;; esac
done
prev=''
for a; do [[ $prev == -C ]] && src=$a; prev=$a; done
echo "make $target src=$src" >>"$STUB_LOG"
case $target in
allnoconfig) # the last assignment of a symbol wins, as in Kconfig
	awk -F= '/^CONFIG_/ { if (!($1 in v)) o[++n] = $1; v[$1] = $0 }
		END { for (i = 1; i <= n; i++) { l = v[o[i]]; if (l ~ /=n$/) { sub(/=n$/, "", l); l = "# " l " is not set" } print l } }' \
		"$KCONFIG_ALLCONFIG" >"$obj/.config" ;;
olddefconfig | x86_64_defconfig) touch "$obj/.config" ;;
bzImage)
	mkdir -p "$obj/arch/x86/boot" "$obj/include/config"
	{ head -c 514 /dev/zero; printf 'HdrS'; cat "$src/mm/gup.c"; } >"$obj/arch/x86/boot/bzImage"
	echo 7.3.0-stub >"$obj/include/config/kernel.release"
	;;
esac
EOF
chmod +x "$TMP/bin/make"
export PATH=$TMP/bin:$PATH STUB_LOG=$TMP/make.log
: >"$STUB_LOG"

# ---- the developer's tree: three commits and an uncommitted edit -------------------------
T=$TMP/linux
mkdir -p "$T/arch/x86" "$T/mm" "$T/kernel/configs" "$T/drivers/vfio"
printf 'VERSION = 7\nPATCHLEVEL = 3\n' >"$T/Makefile"
echo 'mainmenu "stub"' >"$T/Kconfig"
echo 'config X86' >"$T/arch/x86/Kconfig"
echo 'CONFIG_KVM_GUEST=y' >"$T/kernel/configs/kvm_guest.config"
echo 'int gup(void) { return 1; }' >"$T/mm/gup.c"
echo 'int type1(void) { return 1; }' >"$T/drivers/vfio/vfio_iommu_type1.c"
echo 'old' >"$T/drivers/vfio/gone.c"
g() { git -C "$T" -c user.name=t -c user.email=t@example.org "$@"; }
g init -q
g add -A
g commit -q -m base
echo 'int gup(void) { return 2; }' >"$T/mm/gup.c"
g rm -q drivers/vfio/gone.c
g commit -q -am "mm/gup: a change"
echo 'int type1(void) { return 3; }' >"$T/drivers/vfio/vfio_iommu_type1.c"
g commit -q -am "vfio: a change"
echo 'int gup(void) { return 99; } /* uncommitted */' >"$T/mm/gup.c"
echo 'new, untracked' >"$T/mm/new.c"

state() { # everything of the tree a build must not change
	{
		g rev-parse HEAD
		g symbolic-ref -q HEAD || true
		sha256sum "$T/.git/index"
		(cd "$T/.git" && find refs -type f -exec sha256sum {} + | LC_ALL=C sort)
		(cd "$T/.git" && find objects -type f | LC_ALL=C sort | sha256sum)
		(cd "$T" && find . -path ./.git -prune -o -type f -printf '%P %s %T@\n' | LC_ALL=C sort)
		(cd "$T" && find . -path ./.git -prune -o -type f -exec sha256sum {} + | LC_ALL=C sort)
	}
}
# git status refreshes the index, so it is taken on a copy of the repository
porcelain() { rm -rf "$TMP/copy"; cp -a "$T" "$TMP/copy"; git -C "$TMP/copy" status --porcelain; }
state >"$TMP/before"
porcelain >"$TMP/status-before"
grep -q '^ M mm/gup.c' "$TMP/status-before" || die "setup: the uncommitted edit is not there"

# ---- HEAD~1: full export --------------------------------------------------------------------
capture "$RESOLVE" "base=tree:$T@HEAD~1"
expect_rc 0 "resolve base=tree:T@HEAD~1"
bz1=$(cut -f2 "$TMP/out")
[[ $(cut -f1 "$TMP/out") == base && -f $bz1 ]] || die "no bzImage line: $(cat "$TMP/out")"
grep -q 'return 2' "$bz1" || die "HEAD~1's bzImage is not built from HEAD~1's mm/gup.c"
src=$(ls -d "$PINBENCH_KBUILD"/trees/linux-*/src-rev)
[[ ! -e $src/drivers/vfio/gone.c ]] || die "HEAD~1 deleted gone.c, the export has it"
grep -q 'return 1' "$src/drivers/vfio/vfio_iommu_type1.c" || die "export of HEAD~1 has the wrong type1 file"
grep -q 'allnoconfig' "$STUB_LOG" || die "the tree was not configured with allnoconfig (min): $(cat "$STUB_LOG")"
grep -qx 'CONFIG_IOMMUFD=y' "$(dirname "$bz1")/config" || die "a 7.3 tree lacks the 6.2+ fragment (IOMMUFD)"
grep -q "src=$src" "$STUB_LOG" || die "make did not build the export (out of tree): $(cat "$STUB_LOG")"
! grep -q "src=$T\$" "$STUB_LOG" || die "make ran in the developer's tree"

# ---- HEAD: only the changed file is rewritten ----------------------------------------------
touch -d '2001-01-01' "$src/mm/gup.c" "$src/drivers/vfio/vfio_iommu_type1.c"
capture "$RESOLVE" "mine=tree:$T@HEAD"
expect_rc 0 "resolve mine=tree:T@HEAD"
bz2=$(cut -f2 "$TMP/out")
[[ $bz2 != "$bz1" ]] || die "HEAD and HEAD~1 share one bzImage path ($bz1)"
grep -q 'return 1' "$bz1" && die "HEAD's build overwrote HEAD~1's bzImage"
[[ $(stat -c %Y "$src/mm/gup.c") == $(date -d 2001-01-01 +%s) ]] ||
	die "mm/gup.c did not change between HEAD~1 and HEAD but was rewritten (make would rebuild it)"
[[ $(stat -c %Y "$src/drivers/vfio/vfio_iommu_type1.c") -gt $(date -d 2001-01-02 +%s) ]] ||
	die "vfio_iommu_type1.c changed but keeps its old mtime (make would not rebuild it)"
grep -q 'return 3' "$src/drivers/vfio/vfio_iommu_type1.c" || die "the export did not take HEAD's type1 file"
grep -q "1 file(s) differ" "$TMP/err" || die "the update did not say one file differs: $(cat "$TMP/err")"

# ---- cached: no make at all ----------------------------------------------------------------
n=$(grep -c bzImage "$STUB_LOG")
capture "$RESOLVE" "base=tree:$T@HEAD~1"
expect_rc 0 "resolve HEAD~1 again"
[[ $(cut -f2 "$TMP/out") == "$bz1" ]] || die "HEAD~1 again gave another bzImage"
[[ $(grep -c bzImage "$STUB_LOG") == "$n" ]] || die "a cached revision ran make bzImage again"

# ---- the work tree as it is (uncommitted edit, untracked file) ---------------------------------
capture "$RESOLVE" "wt=tree:$T"
expect_rc 0 "resolve wt=tree:T"
grep -q 'return 99' "$(cut -f2 "$TMP/out")" || die "tree:DIR did not build the uncommitted edit"
wt=$(ls -d "$PINBENCH_KBUILD"/trees/linux-*/src-wt)
[[ -f $wt/mm/new.c && ! -e $wt/.git ]] || die "the work-tree export lacks the untracked file or copied .git"
touch -d '2001-01-01' "$wt/drivers/vfio/vfio_iommu_type1.c"
echo 'int gup(void) { return 100; }' >"$T/mm/gup.c"
capture "$RESOLVE" "wt=tree:$T"
expect_rc 0 "resolve wt=tree:T after an edit"
grep -q 'return 100' "$(cut -f2 "$TMP/out")" || die "the second work-tree build missed the edit"
[[ $(stat -c %Y "$wt/drivers/vfio/vfio_iommu_type1.c") == $(date -d 2001-01-01 +%s) ]] ||
	die "an unchanged work-tree file was copied again"
# put the developer's edit back as it was (content and mtime) for the final comparison
echo 'int gup(void) { return 99; } /* uncommitted */' >"$T/mm/gup.c"
touch -d "@$(awk '$1 == "mm/gup.c" { print $3 }' "$TMP/before")" "$T/mm/gup.c"

# ---- the tree is as it was -----------------------------------------------------------------
state >"$TMP/after"
diff "$TMP/before" "$TMP/after" >&2 || die "the developer's tree changed (HEAD, index, refs, objects or files; diff above)"
porcelain >"$TMP/status-after"
diff "$TMP/status-before" "$TMP/status-after" >&2 || die "git status of the tree changed"

# ---- refusals: exit 2, one line --------------------------------------------------------------
refused() { # spec what
	capture "$RESOLVE" --check "$1"
	[[ $RC == 2 ]] || die "$1: exit $RC, want 2"
	[[ $(wc -l <"$TMP/err") == 1 ]] || die "$1: want one line, got: $(cat "$TMP/err")"
	grep -q -- "$2" "$TMP/err" || die "$1: message lacks '$2': $(cat "$TMP/err")"
}
refused "x=tree:$T@nosuchrev" "no commit 'nosuchrev'"
refused "x=tree:$T@" "nothing after '@'"
mkdir -p "$TMP/notgit/arch/x86"; touch "$TMP/notgit/Makefile" "$TMP/notgit/Kconfig"
refused "x=tree:$TMP/notgit@HEAD" "not a git repository"
refused "x=tree:$TMP/nothere" "does not exist"
capture "$RESOLVE" --check "x=tree:$T@HEAD~2"
expect_rc 0 "--check of a good revision"
[[ $(cut -f3 "$TMP/out") == "$T@$(g rev-parse HEAD~2)" ]] || die "--check does not name the commit: $(cat "$TMP/out")"
state >"$TMP/after2"
diff -q "$TMP/before" "$TMP/after2" >/dev/null || die "the refusals changed the tree"
echo "tree: spec: tree untouched, incremental export, cache, refusals: ok"
