#!/usr/bin/env bash
# scripts/bisect.sh (make bisect) against a stubbed build and measure: the
# step rule (good / bad / skip by where the interval over boots lies against
# --slower X or --faster X), a bisect over 9 commits that names the one
# commit carrying the change with a skipped (straddling) and an unbuildable
# revision on the way, the table of steps, BAD that is not bad, an interrupt
# and its resume (in the clone, and replayed from bisect.log when the clone
# is gone) without measuring a step twice, the tree untouched, and bad
# arguments refused with exit 2 and one line.
source "$(dirname "$0")/../lib.sh"

command -v git >/dev/null || skip "git missing"
BISECT=$TOP/scripts/bisect.sh
export BISECT_CLONES=$TMP/clones
mkdir -p "$TMP/bin"

# ---- the step rule --------------------------------------------------------------------------
rule() { # dir ratio lo hi x want
	local got
	got=$("$BISECT" --verdict "$1" "$2" "$3" "$4" "$5")
	[[ $got == "$6" ]] || die "--$1 $5 with ratio $2 [$3, $4]: $got, want $6"
}
rule slower 2.0 1.8 2.2 1.5 bad    # all above
rule slower 1.5 1.5 1.6 1.5 bad    # lower end on the threshold
rule slower 1.0 0.9 1.1 1.5 good   # all below
rule slower 1.5 1.2 1.9 1.5 skip   # straddles
rule slower 0.5 0.4 0.6 1.5 good   # faster is not slower
rule faster 0.4 0.3 0.45 2 bad     # all at or below 1/2
rule faster 0.5 0.45 0.5 2 bad
rule faster 1.0 0.9 1.1 2 good
rule faster 0.5 0.4 0.6 2 skip
rule faster 3.0 2.5 3.5 2 good     # slower is not faster
rule slower '' '' '' 1.5 skip      # no interval

# ---- a tree of 9 commits; commit 7 makes pinning 2x slower, 5 is noisy, 3 does not build ----------
T=$TMP/linux
mkdir -p "$T/mm"
g() { git -C "$T" -c user.name=t -c user.email=t@example.org "$@"; }
g init -q
for i in 1 2 3 4 5 6 7 8 9; do
	echo "change $i" >>"$T/mm/log.c"
	case $i in
	3) echo broken >"$T/mm/broken" ;;                 # does not build
	4) rm -f "$T/mm/broken" ;;
	5) echo noisy >"$T/mm/noise" ;;                   # measures across the threshold
	6) rm -f "$T/mm/noise" ;;
	7) echo slow >"$T/mm/gup.c" ;;                    # the change
	esac
	g add -A
	g commit -q -m "commit $i"
done
c() { g rev-parse "HEAD~$((9 - $1))"; } # commit i's id
state() { g rev-parse HEAD; sha256sum "$T/.git/index"; (cd "$T" && find . -path ./.git -prune -o -type f -printf '%P %T@\n' | sort); ls "$T/.git"; }
state >"$TMP/before"

# Stub build: fails where mm/broken exists. Stub measure: ratio from the revision's files.
cat >"$TMP/bin/build" <<'EOF'
#!/usr/bin/env bash
spec=$1 dir=${1%@*} rev=${1##*@}
echo "$rev" >>"$STUB/builds"
git -C "$dir" cat-file -e "$rev:mm/broken" 2>/dev/null && { echo "stub: build error" >&2; exit 1; }
echo /fake/bzImage
EOF
cat >"$TMP/bin/measure" <<'EOF'
#!/usr/bin/env bash
name=$1 rev=$2 rep=$3
echo "$rev" >>"$STUB/measures"
n=$(wc -l <"$STUB/measures")
if [[ -n ${STUB_INTERRUPT_AT:-} && $n == "$STUB_INTERRUPT_AT" ]]; then
	sed -i '$d' "$STUB/measures"; exit 130
fi
dir=$(sed -n 's/^tree: //p' "$(dirname "$(dirname "$rep")")/settings.txt")
if git -C "$dir" cat-file -e "$rev:mm/gup.c" 2>/dev/null; then r='2.0 1.8 2.2'
elif git -C "$dir" cat-file -e "$rev:mm/noise" 2>/dev/null; then r='1.3 1.1 1.7'
else r='1.0 0.92 1.08'; fi
read -r ratio lo hi <<<"$r"
mkdir -p "$rep"
{
	echo "# stub compare"
	echo "method,region,align,size,op,label,kernel,n,ratio,lo,hi"
	# compare.csv names the region's kind only (hugetlb for hugetlb:2M)
	region=$(sed -n 's/^region: //p' "$(dirname "$(dirname "$rep")")/settings.txt")
	region=${region%%:*}
	echo "rdma,$region,2097152,1073741824,unpin,$name,k,15,0.5,0.4,0.6"
	echo "rdma,$region,2097152,1073741824,pin,$name,k,15,$ratio,$lo,$hi"
	echo "rdma,$region,2097152,1073741824,pin,good,k,15,,,"
} >"$rep/compare.csv"
EOF
chmod +x "$TMP/bin/build" "$TMP/bin/measure"
export BISECT_BUILD=$TMP/bin/build BISECT_MEASURE=$TMP/bin/measure STUB=$TMP
args=(--tree "$T" --good "$(c 1)" --bad "$(c 9)" --method rdma --region devdax --align 2M --size 1G --op pin --slower 1.5)

# ---- a whole bisect ------------------------------------------------------------------------------
: >"$TMP/measures"; : >"$TMP/builds"
capture "$BISECT" "${args[@]}" --out "$TMP/out1"
expect_rc 0 "bisect over 9 commits"
grep -q "first bad commit: $(c 7)" "$TMP/out" || { cat "$TMP/out" "$TMP/err" >&2; die "the first bad commit is not commit 7 ($(c 7))"; }
grep -q 'commit 7' "$TMP/out1/result.txt" || die "result.txt does not name commit 7's subject"
[[ -f $TMP/out1/bisect.log && -f $TMP/out1/table.md ]] || die "no bisect.log or table.md in the result folder"
grep -q "^$(g rev-parse --short=12 "$(c 9)"),commit 9,2.0,1.8,2.2,bad" "$TMP/out1/steps.csv" || die "BAD was not measured first as bad: $(cat "$TMP/out1/steps.csv")"
grep -q "^$(g rev-parse --short=12 "$(c 7)"),.*,bad," "$TMP/out1/steps.csv" || die "commit 7 not judged bad"
# every row of the table has revision, ratio, interval, verdict
awk -F'|' 'NR > 2 && ($3 == "" || $5 == "" || $6 == "" || $7 !~ /good|bad|skip/) { bad = 1 } END { exit bad }' "$TMP/out1/table.md" ||
	die "a table row lacks a field: $(cat "$TMP/out1/table.md")"
grep -q "^$(g rev-parse --short=12 "$(c 5)"),.*,skip," "$TMP/out1/steps.csv" || die "noisy commit 5 not skipped: $(cat "$TMP/out1/steps.csv")"
sort "$TMP/measures" | uniq -d | grep -q . && die "a revision was measured twice in one run"
# the same command again: already done, nothing measured
n=$(wc -l <"$TMP/measures")
capture "$BISECT" "${args[@]}" --out "$TMP/out1"
expect_rc 0 "bisect again"
[[ $(wc -l <"$TMP/measures") == "$n" ]] || die "a finished bisect measured again"
grep -q "first bad commit: $(c 7)" "$TMP/out" || die "a finished bisect does not repeat its answer"

# ---- GOOD=2 BAD=7: the unbuildable commit 3 and the noisy 5 in the way --------------------------------
capture "$BISECT" "${args[@]/$(c 1)/$(c 2)}" --bad "$(c 7)" --out "$TMP/out2"
if [[ $RC == 0 ]]; then
	grep -q "first bad commit: $(c 7)" "$TMP/out" || die "GOOD=2 BAD=7 named another commit: $(cat "$TMP/out")"
else
	grep -q 'only skipped commits left' "$TMP/err" || { cat "$TMP/err" >&2; die "GOOD=2 BAD=7 ended with exit $RC"; }
	grep -q "$(g rev-parse --short=12 "$(c 7)")" "$TMP/err" || die "GOOD=2 BAD=7: commit 7 not among the candidates left"
fi
if grep -q "^$(g rev-parse --short=12 "$(c 3)")," "$TMP/out2/steps.csv"; then
	grep -q "^$(g rev-parse --short=12 "$(c 3)"),.*,skip,build failed" "$TMP/out2/steps.csv" || die "commit 3 (no build) not skipped"
fi

# ---- BAD that is not bad ----------------------------------------------------------------------------
capture "$BISECT" "${args[@]/$(c 9)/$(c 3)}" --out "$TMP/out3"
[[ $RC == 1 ]] || die "BAD=commit 3 (not slower): exit $RC, want 1"
grep -q 'nothing to bisect' "$TMP/err" || die "BAD not bad: no 'nothing to bisect' ($(cat "$TMP/err"))"

# ---- interrupt and resume -----------------------------------------------------------------------------
: >"$TMP/measures"
capture env STUB_INTERRUPT_AT=3 "$BISECT" "${args[@]}" --out "$TMP/out4"
[[ $RC != 0 ]] || die "an interrupted bisect exited 0"
[[ $(wc -l <"$TMP/measures") == 2 ]] || die "want 2 steps measured before the interrupt, got $(wc -l <"$TMP/measures")"
grep -q 'resume' "$TMP/err" || die "the interrupt does not say how to resume: $(tail -n3 "$TMP/err")"
capture "$BISECT" "${args[@]}" --out "$TMP/out4"
expect_rc 0 "resume in the clone"
grep -q "first bad commit: $(c 7)" "$TMP/out" || die "the resumed bisect did not name commit 7"
sort "$TMP/measures" | uniq -d | grep -q . && die "the resume measured a step again: $(sort "$TMP/measures" | uniq -d)"

# resume from bisect.log alone (the clone under build/ deleted)
: >"$TMP/measures"
capture env STUB_INTERRUPT_AT=3 "$BISECT" "${args[@]}" --out "$TMP/out5"
[[ $RC != 0 ]] || die "second interrupted bisect exited 0"
grep -q . "$TMP/out5/bisect.log" || die "no bisect.log after the interrupt"
rm -rf "$BISECT_CLONES"
capture "$BISECT" "${args[@]}" --out "$TMP/out5"
expect_rc 0 "resume by replaying bisect.log"
grep -q 'replaying' "$TMP/err" || die "the resume did not replay bisect.log"
grep -q "first bad commit: $(c 7)" "$TMP/out" || die "the replayed bisect did not name commit 7"
sort "$TMP/measures" | uniq -d | grep -q . && die "the replayed resume measured a step again"

# ---- --by-dir: two releases, no history between them ------------------------------------------
# R2 changes drivers/vfio, io_uring, mm (the slow mm/gup.c) and fs; by folder, mm is named.
T2=$TMP/rel
mkdir -p "$T2/mm" "$T2/drivers/vfio" "$T2/io_uring" "$T2/fs" "$T2/net"
g2() { git -C "$T2" -c user.name=t -c user.email=t@example.org "$@"; }
g2 init -q
for f in mm/memory.c drivers/vfio/type1.c io_uring/rsrc.c fs/aio.c net/core.c; do echo "1 $f" >"$T2/$f"; done
g2 add -A && g2 commit -q -m "release 1"
for f in mm/memory.c drivers/vfio/type1.c io_uring/rsrc.c fs/aio.c; do echo "2 $f" >"$T2/$f"; done
echo slow >"$T2/mm/gup.c"
g2 add -A && g2 commit -q -m "release 2"
state2() { g2 rev-parse HEAD; g2 branch --list; sha256sum "$T2/.git/index"; ls "$T2/.git"; }
state2 >"$TMP/before2"
r1=$(g2 rev-parse HEAD~1) r2=$(g2 rev-parse HEAD)
bargs=(--tree "$T2" --good "$r1" --bad "$r2" --method rdma --region hugetlb:2M --align 2M --size 1G --op pin --slower 1.5)
capture "$BISECT" "${bargs[@]}" --by-dir "drivers/vfio io_uring net mm+fs" --out "$TMP/out6"
expect_rc 0 "--by-dir over 4 paths"
grep -q "by-dir: mm+fs as in" "$TMP/out6/result.txt" || die "--by-dir did not name mm+fs: $(cat "$TMP/out" "$TMP/out6/result.txt")"
grep -q "net is the same in GOOD and BAD" "$TMP/err" || die "--by-dir made a commit for net, which did not change"
repo=$(sed -n 's/^tree: //p' "$TMP/out6/settings.txt")
[[ $repo != "$T2" ]] || die "--by-dir wrote its history into the user's tree"
tip=$(sed -n 's/^bad: //p' "$TMP/out6/settings.txt")
[[ $(git -C "$repo" rev-parse "$tip^{tree}") == $(g2 rev-parse "$r2^{tree}") ]] || die "the by-dir tip's tree is not BAD's"
[[ $(git -C "$repo" rev-list --count "$r1..$tip") == 3 ]] || die "want 3 by-dir commits (vfio, io_uring, mm+fs; no rest left): $(git -C "$repo" log --oneline "$r1..$tip")"
{ ! git -C "$repo" diff --quiet "$tip~1" "$tip" -- mm/gup.c && ! git -C "$repo" diff --quiet "$tip~1" "$tip" -- fs/aio.c; } ||
	die "the mm+fs commit does not bring BAD's mm and fs"
state2 >"$TMP/after2"
diff "$TMP/before2" "$TMP/after2" >&2 || die "--by-dir changed the user's tree"
capture "$BISECT" "${bargs[@]}" --by-dir "nosuch" --out "$TMP/out7"
{ [[ $RC == 2 ]] && grep -q "BY_DIR path 'nosuch' is in neither" "$TMP/err"; } || die "a path in neither release: exit $RC, $(cat "$TMP/err")"

# ---- the tree untouched --------------------------------------------------------------------------
state >"$TMP/after"
diff "$TMP/before" "$TMP/after" >&2 || die "the bisect changed the tree (HEAD, index, files or .git entries)"

# ---- refusals -----------------------------------------------------------------------------------------
refused() { # want-text args...
	local want=$1
	shift
	capture "$BISECT" "$@"
	[[ $RC == 2 ]] || die "$*: exit $RC, want 2"
	[[ $(wc -l <"$TMP/err") == 1 ]] || die "$*: want one line, got: $(cat "$TMP/err")"
	grep -q -- "$want" "$TMP/err" || die "$*: message lacks '$want': $(cat "$TMP/err")"
}
refused "give a threshold" "${args[@]:0:16}"
refused "METHOD 'foo'" "${args[@]/rdma/foo}"
refused "ALIGN '3M'" "${args[@]/2M/3M}"
refused "no such commit" "${args[@]/$(c 1)/nosuch}"
refused "not an ancestor" --tree "$T" --good "$(c 9)" --bad "$(c 1)" --method rdma --region devdax --align 2M --size 1G --op pin --slower 1.5
refused "a factor above 1" "${args[@]/1.5/0.5}"
refused "give one of --slower and --faster" "${args[@]}" --faster 2
refused "BOOTS '2'" "${args[@]}" --boots 2
refused "other settings" "${args[@]/1.5/1.7}" --out "$TMP/out1"
echo "bisect: rule, 9-commit bisect, skips, BAD not bad, interrupt + resume (clone and replay), --by-dir, refusals: ok"
