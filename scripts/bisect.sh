#!/usr/bin/env bash
# make bisect: find the commit of a kernel tree that made one pinning setting
# slower (or faster), with git bisect run: each step builds the revision
# (incrementally, scripts/kernel/tree.sh) and measures the setting over
# interleaved boots against the good revision (scripts/ab.sh). See --help.
set -euo pipefail
# Read whole before it runs.
{

PROG=bisect
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SELF=$ROOT/scripts/bisect.sh

usage() {
	cat <<'EOF'
usage: make bisect TREE=DIR GOOD=REV BAD=REV METHOD=M REGION=R ALIGN=A SIZE=S OP=OP
                   (SLOWER=X | FASTER=X) [BOOTS=N] [OUT=DIR]
       scripts/bisect.sh --tree DIR --good REV --bad REV --method M --region R
                   --align A --size S --op OP (--slower X | --faster X)
                   [--boots N] [--out DIR] [--config min|defconfig]
                   [--by-dir "PATH..."]

Runs git bisect between GOOD (a revision where the setting is as it was) and
BAD (where it changed), in a bare clone of DIR under build/bisect/ (git clone
--shared; DIR, its .git and its work tree are only read). Each step:
  1. builds the revision (scripts/kernel/tree.sh DIR@COMMIT: exported under
     build/kernel/trees/, built out of tree, incrementally; a revision that
     does not build is skipped),
  2. boots it BOOTS times (default 3) interleaved with GOOD's boots
     (scripts/ab.sh: GOOD's boots are taken once and reused by every step)
     and measures the one setting: METHOD (one of `bench/pinbench list
     --names`: rdma, vfio, ...) on REGION (devdax, dram, hugetlb:2M, ...)
     with ALIGN (4K, 2M, 1G) at SIZE (2M .. 16G), and reads
     OP (pin, unpin, kget, kput, ...) from pinbench compare's compare.csv:
     the ratio of medians to GOOD with its interval over boots,
  3. decides: --slower X: bad when the whole interval is >= X, good when it
     is all below X; --faster X: bad when the whole interval is <= 1/X, good
     when it is all above; skipped (git bisect's 125) when it straddles.
First BAD itself is measured: if it is not bad by that rule, there is
nothing to bisect and the run stops saying so.

Prints the first bad commit and a table of every step (revision, subject,
ratio, interval, verdict). The result folder OUT (default
results/bisect-TREE-GOOD-BAD-SETTING) keeps settings.txt, steps.csv,
table.md, bisect.log (git bisect log), result.txt and the boots (ab/). An
interrupted run resumes: run the same command again (the bisect state is in
the clone, else replayed from OUT/bisect.log; boots and builds already done
are reused).

--by-dir "PATH..." (make bisect BY_DIR="..."): for two releases with no
commits between them (scripts/kernel/source-repo.sh DIR 7.2 7.3 makes
such a tree from Debian's packages), bisect by source folder instead: a
history is made from GOOD in which each commit takes BAD's copy of one more
PATH (drivers/vfio, mm, mm/gup.c, ...; in the order given), and a last one
the rest of BAD, so its tree is BAD's. The first bad commit names the PATH
that carries the change. A PATH whose change does not build alone is
skipped (125), as any step; PATH+PATH... is one step of several paths (a
folder with the headers it needs: drivers/vfio+include/uapi/linux/vfio.h). The history is written as a branch
by-dir-GOOD-BAD-HASH into the tree when source-repo.sh made it (so its
builds are reused), else into a clone under build/bisect/.

Environment (for tests): BISECT_BUILD (default scripts/kernel/tree.sh) is
run as BUILD DIR@COMMIT and prints a bzImage path; BISECT_MEASURE (default:
scripts/ab.sh) is run as MEASURE NAME COMMIT REPORTDIR and must leave
REPORTDIR/compare.csv with rows labelled NAME. BISECT_CLONES (default
build/bisect) holds the clones. PINBENCH (default bench/pinbench) names
the methods.
Exit: 0 first bad commit found; 1 no answer (BAD not bad, all skipped, a
failed measurement); 2 bad arguments (one line); 130 interrupted.
EOF
}

refuse() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 2; }
die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 1; }
say() { printf '%s: %s\n' "$PROG" "$*" >&2; }

# "2M" -> 2097152; bare numbers are bytes.
bytes() {
	local v=$1 n u
	[[ $v =~ ^([0-9]+)([KMGT]?)$ ]] || return 1
	n=${BASH_REMATCH[1]} u=${BASH_REMATCH[2]}
	case $u in K) n=$((n << 10)) ;; M) n=$((n << 20)) ;; G) n=$((n << 30)) ;; T) n=$((n << 40)) ;; esac
	printf '%s\n' "$n"
}

# ---- the decision of one step (also the unit the host test checks) ---------------------
# verdict DIR RATIO LO HI THRESHOLD -> good | bad | skip
verdict() {
	awk -v dir="$1" -v r="$2" -v lo="$3" -v hi="$4" -v x="$5" 'BEGIN {
		if (lo == "" || hi == "" || r == "") { print "skip"; exit }
		if (dir == "slower") {
			if (lo + 0 >= x + 0) print "bad"; else if (hi + 0 < x + 0) print "good"; else print "skip"
		} else {
			t = 1 / x
			if (hi + 0 <= t) print "bad"; else if (lo + 0 > t) print "good"; else print "skip"
		}
	}'
}

# The row of compare.csv for NAME and the setting: "ratio lo hi" ('' if none).
read_row() { # csv name
	# compare.csv's region is the kind (hugetlb), the align tells hugetlb:2M from :1G
	awk -F, -v m="$S_METHOD" -v rg="${S_REGION%%:*}" -v a="$S_ALIGN_B" -v s="$S_SIZE_B" -v op="$S_OP" -v lab="$2" '
		/^#/ { next }
		!h { for (i = 1; i <= NF; i++) c[$i] = i; h = 1; next }
		$c["method"] == m && $c["region"] == rg && $c["align"] + 0 == a + 0 && $c["size"] + 0 == s + 0 &&
		$c["op"] == op && $c["label"] == lab { print $c["ratio"], $c["lo"], $c["hi"]; exit }' "$1"
}

load_settings() { # OUT
	local f=$1/settings.txt
	[[ -f $f ]] || die "no $f: not a bisect result folder"
	S_TREE=$(sed -n 's/^tree: //p' "$f")
	S_GOOD=$(sed -n 's/^good: //p' "$f")
	S_BAD=$(sed -n 's/^bad: //p' "$f")
	: "$S_BAD" # kept for readers of settings.txt
	S_METHOD=$(sed -n 's/^method: //p' "$f")
	S_REGION=$(sed -n 's/^region: //p' "$f")
	S_ALIGN=$(sed -n 's/^align: //p' "$f")
	S_SIZE=$(sed -n 's/^size: //p' "$f")
	S_OP=$(sed -n 's/^op: //p' "$f")
	S_DIR=$(sed -n 's/^threshold: \([a-z]*\) .*/\1/p' "$f")
	S_X=$(sed -n 's/^threshold: [a-z]* //p' "$f")
	S_BOOTS=$(sed -n 's/^boots: //p' "$f")
	S_CONFIG=$(sed -n 's/^config: //p' "$f")
	S_ALIGN_B=$(bytes "$S_ALIGN")
	S_SIZE_B=$(bytes "$S_SIZE")
}

# ---- measuring one revision against GOOD ------------------------------------------------
# The default measure: make ab with just this setting, GOOD's boots shared by all steps.
measure_ab() { # name commit reportdir
	local name=$1 commit=$2 rep=$3 ns gb
	# a namespace of the align, the size plus room for the info block (1 GiB at 1G)
	gb=$(((S_SIZE_B + (1 << 30) - 1) >> 30))
	[[ $S_ALIGN == 1G ]] && gb=$((gb + 1))
	ns=${AB_NAMESPACES:-$S_ALIGN:$((gb + 1))G}
	# relative under the checkout, so that the reports' Input lines name committable paths
	local abo=$OUT/ab
	[[ $abo != "$ROOT"/* ]] || abo=${abo#"$ROOT"/}
	(cd "$ROOT" && PINBENCH_TREE_CONFIG=$S_CONFIG AB_OUT=$abo AB_PLOTS='' PROFILE=quick BOOTS=$S_BOOTS \
		KERNELS="good=tree:$S_TREE@$S_GOOD $name=tree:$S_TREE@$commit" \
		AB_METHODS=$S_METHOD AB_REGIONS=$S_REGION AB_SIZES=$S_SIZE AB_SIZES_1G=$S_SIZE \
		AB_NAMESPACES=$ns AB_NVDIMM=${AB_NVDIMM:-$((gb + 3))G} \
		"$ROOT/scripts/ab.sh" >&2) || return $?
	mkdir -p "$rep"
	cp "$OUT/ab/report/compare.csv" "$OUT/ab/report/report.md" "$rep/"
}

measure() { # name commit reportdir
	if [[ -n ${BISECT_MEASURE:-} ]]; then
		"$BISECT_MEASURE" "$@"
	else
		measure_ab "$@"
	fi
}

build() { # commit
	local b=${BISECT_BUILD:-$ROOT/scripts/kernel/tree.sh}
	if [[ $b == "$ROOT/scripts/kernel/tree.sh" ]]; then
		"$b" --config "$S_CONFIG" "$S_TREE@$1" >/dev/null
	else
		"$b" "$S_TREE@$1" >/dev/null
	fi
}

# Build, measure, decide, record one revision. Prints the verdict; returns
# 0 (decided or skipped) or 1 (the measurement failed: no answer possible).
judge() { # commit
	local c=$1 short name rep row ratio lo hi v t0 subj
	short=$(git -C "$S_TREE" rev-parse --short=12 "$c")
	subj=$(git -C "$S_TREE" log -1 --format=%s "$c" | tr ',' ';')
	name=rev-$short
	rep=$OUT/steps/$short
	t0=$SECONDS
	if [[ -f $rep/verdict ]]; then
		cat "$rep/verdict"
		return 0
	fi
	say "step ${short}: building ($subj)"
	if ! build "$c" >&2; then
		say "step $short: does not build: skipped"
		record "$short" "$subj" '' '' '' skip "build failed"
		mkdir -p "$rep"
		echo skip >"$rep/verdict"
		echo skip
		return 0
	fi
	say "step $short: measuring $S_METHOD $S_REGION $S_ALIGN $S_SIZE $S_OP over $S_BOOTS boots against good"
	local rc=0
	measure "$name" "$c" "$rep" >&2 || rc=$?
	((rc != 130)) || exit 130
	((rc == 0)) || { say "step $short: the measurement failed (exit $rc)"; return 1; }
	[[ -f $rep/compare.csv ]] || { say "step $short: the measurement left no $rep/compare.csv"; return 1; }
	row=$(read_row "$rep/compare.csv" "$name")
	if [[ -z $row ]]; then
		say "step $short: compare.csv has no row $S_METHOD,$S_REGION,$S_ALIGN_B,$S_SIZE_B,$S_OP for $name (ops there: $(awk -F, '!/^#/ && NR > 2 { print $5 }' "$rep/compare.csv" | sort -u | tr '\n' ' '))"
		return 1
	fi
	read -r ratio lo hi <<<"$row"
	v=$(verdict "$S_DIR" "$ratio" "$lo" "$hi" "$S_X")
	record "$short" "$subj" "$ratio" "$lo" "$hi" "$v" "$((SECONDS - t0)) s"
	printf '%s\n' "$v" >"$rep/verdict"
	echo "$v"
}

record() { # short subject ratio lo hi verdict note
	local f=$OUT/steps.csv
	[[ -f $f ]] || echo 'revision,subject,ratio,lo,hi,verdict,note' >"$f"
	# a step measured again replaces its row
	awk -F, -v r="$1" 'NR == 1 || $1 != r' "$f" >"$f.tmp" && mv "$f.tmp" "$f"
	printf '%s,%s,%s,%s,%s,%s,%s\n' "$@" >>"$f"
}

table() {
	local f=$OUT/steps.csv
	{
		printf '| step | revision | subject | ratio | interval | verdict |\n|---|---|---|---|---|---|\n'
		[[ -f $f ]] && awk -F, 'NR > 1 {
			iv = ($4 == "" ? "-" : sprintf("%.3g-%.3g", $4, $5))
			printf "| %d | %s | %s | %s | %s | %s%s |\n", NR - 1, $1, $2, ($3 == "" ? "-" : sprintf("%.3g", $3)), iv, $6, ($7 == "" ? "" : " (" $7 ")")
		}' "$f"
	} >"$OUT/table.md"
	cat "$OUT/table.md"
}

# ---- git bisect run's step ----------------------------------------------------------------
step() { # OUT
	OUT=$1
	# git bisect run exports GIT_DIR (and more) for the clone: the tree is read by path
	unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_PREFIX GIT_OBJECT_DIRECTORY
	load_settings "$OUT"
	local c v
	c=$(git -C "$CLONE" rev-parse BISECT_HEAD)
	v=$(judge "$c") || exit 128 # aborts git bisect run (also on 130); the state stays for a resume
	git -C "$CLONE" bisect log >"$OUT/bisect.log" 2>/dev/null || true
	case $v in
	good) exit 0 ;;
	bad) exit 1 ;;
	*) exit 125 ;;
	esac
}

# ---- --by-dir: a history of source folders between two releases -------------------------
# by_dir_history TREE GOOD BAD "PATH..." -> BYDIR_TREE (the repo holding it), BYDIR_TIP
by_dir_history() {
	local tree=$1 gc=$2 bc=$3 paths=$4 key branch repo idx parent t prev p q n=0
	local -a list
	read -r -a list <<<"$paths"
	local -a group
	for p in "${list[@]}"; do
		IFS=+ read -r -a group <<<"$p"
		for q in "${group[@]}"; do
			[[ -n $q && $q != /* && $q != *..* ]] || refuse "BY_DIR path '$q': give a path inside the tree, e.g. mm or drivers/vfio"
			git -C "$tree" cat-file -e "$gc:$q" 2>/dev/null || git -C "$tree" cat-file -e "$bc:$q" 2>/dev/null ||
				refuse "BY_DIR path '$q' is in neither GOOD nor BAD (see git -C $tree diff --stat $gc $bc)"
		done
	done
	key=$(printf '%s ' "$gc" "$bc" "${list[@]}" | sha256sum | cut -c1-8)
	branch=by-dir-${gc:0:7}-${bc:0:7}-$key
	if [[ $(git -C "$tree" config --get pinbench.owned || true) == true ]]; then
		repo=$tree
	else
		repo=${BISECT_CLONES:-$ROOT/build/bisect}/by-dir-$(printf '%s' "$tree" | sha256sum | cut -c1-8)
		if [[ ! -d $repo ]]; then
			mkdir -p "${repo%/*}"
			git clone -q --no-checkout --shared "$tree" "$repo"
			git -C "$repo" config gc.auto 0
			git -C "$repo" config pinbench.owned true
		fi
		git -C "$repo" fetch -q "$tree" "$gc" "$bc"
	fi
	BYDIR_TREE=$(realpath "$repo")
	if BYDIR_TIP=$(git -C "$repo" rev-parse -q --verify "refs/heads/$branch"); then
		say "--by-dir: history $branch in $BYDIR_TREE (made before)"
		return 0
	fi
	idx=$(mktemp "${TMPDIR:-/tmp}/bydir-index.XXXXXX")
	local -a G=(env GIT_INDEX_FILE="$idx" git -C "$repo" -c user.name=pinbench -c user.email=pinbench@localhost)
	rm -f "$idx"
	"${G[@]}" read-tree "$gc"
	parent=$gc prev=$(git -C "$repo" rev-parse "$gc^{tree}")
	for p in "${list[@]}"; do
		IFS=+ read -r -a group <<<"$p"
		"${G[@]}" ls-files -z -- "${group[@]}" | "${G[@]}" update-index -z --force-remove --stdin
		git -C "$repo" ls-tree -r --full-tree "$bc" -- "${group[@]}" | "${G[@]}" update-index --index-info
		t=$("${G[@]}" write-tree)
		if [[ $t == "$prev" ]]; then
			say "--by-dir: $p is the same in GOOD and BAD (no commit)"
			continue
		fi
		parent=$("${G[@]}" commit-tree "$t" -p "$parent" -m "by-dir: $p as in ${bc:0:12}" \
			-m "$(git -C "$repo" diff --shortstat "$prev" "$t")")
		prev=$t n=$((n + 1))
	done
	rm -f "$idx"
	t=$(git -C "$repo" rev-parse "$bc^{tree}")
	if [[ $t != "$prev" ]]; then
		parent=$(git -C "$repo" -c user.name=pinbench -c user.email=pinbench@localhost commit-tree "$t" -p "$parent" \
			-m "by-dir: the rest of ${bc:0:12} (every path not named)" -m "$(git -C "$repo" diff --shortstat "$prev" "$t")")
		n=$((n + 1))
	fi
	((n >= 2)) || refuse "BY_DIR '$paths' gives $n step(s) between GOOD and BAD: name paths that changed (git -C $tree diff --dirstat $gc $bc)"
	git -C "$repo" branch -f "$branch" "$parent"
	BYDIR_TIP=$parent
	say "--by-dir: history $branch in $BYDIR_TREE: $n commits from ${gc:0:12}, its tip's tree is ${bc:0:12}'s"
}

# ---- main -------------------------------------------------------------------------------------
main() {
	local tree='' good='' bad='' method='' region='' align='' size='' op='' dir='' x='' boots=3 config=min by_dir=''
	OUT=''
	if [[ ${1:-} == --verdict ]]; then
		(($# == 6)) || refuse "--verdict slower|faster RATIO LO HI X"
		verdict "$2" "$3" "$4" "$5" "$6"
		exit 0
	fi
	if [[ ${1:-} == --step ]]; then
		CLONE=${3:?}
		step "${2:?}"
	fi
	while (($#)); do
		case $1 in
		-h | --help) usage; exit 0 ;;
		--tree | --good | --bad | --method | --region | --align | --size | --op | --slower | --faster | --boots | --out | --config | --by-dir)
			(($# >= 2)) || refuse "$1 needs a value (see --help)"
			case $1 in
			--tree) tree=$2 ;; --good) good=$2 ;; --bad) bad=$2 ;; --method) method=$2 ;;
			--region) region=$2 ;; --align) align=$2 ;; --size) size=$2 ;; --op) op=$2 ;;
			--slower | --faster) [[ -z $dir ]] || refuse "give one of --slower and --faster"; dir=${1#--} x=$2 ;;
			--boots) boots=$2 ;; --out) OUT=$2 ;; --config) config=$2 ;; --by-dir) by_dir=$2 ;;
			esac
			shift 2
			;;
		*) refuse "unknown argument '$1' (see --help)" ;;
		esac
	done
	[[ -n $tree ]] || refuse "no tree: give TREE=DIR (a git repository of a Linux tree)"
	[[ -d $tree ]] || refuse "TREE '$tree' is not a directory"
	tree=$(realpath "$tree")
	git -C "$tree" rev-parse --git-dir >/dev/null 2>&1 || refuse "TREE '$tree' is not a git repository"
	[[ -n $good && -n $bad ]] || refuse "give GOOD=REV and BAD=REV (revisions of $tree)"
	local gc bc
	gc=$(git -C "$tree" rev-parse --verify --quiet "$good^{commit}") || refuse "GOOD '$good': no such commit in $tree"
	bc=$(git -C "$tree" rev-parse --verify --quiet "$bad^{commit}") || refuse "BAD '$bad': no such commit in $tree"
	git -C "$tree" merge-base --is-ancestor "$gc" "$bc" || refuse "GOOD '$good' is not an ancestor of BAD '$bad' in $tree"
	[[ $gc != "$bc" ]] || refuse "GOOD and BAD are the same commit ($gc)"
	# The methods are pinbench's own (list --names), not a list kept here.
	local pb=${PINBENCH:-$ROOT/bench/pinbench} known
	[[ -x $pb ]] || refuse "'$pb' is not built: make (it names the methods)"
	known=$("$pb" list --names | paste -sd ' ')
	[[ -n $method ]] || refuse "no METHOD: one of $known"
	[[ " $known " == *" $method "* ]] || refuse "METHOD '$method': use one of $known"
	[[ -n $region ]] || refuse "no REGION: e.g. devdax, dram, hugetlb:2M"
	[[ $region =~ ^[a-z]+(:[0-9A-Za-z/._-]+)?$ ]] || refuse "REGION '$region': e.g. devdax, dram, hugetlb:2M"
	[[ $align == 4K || $align == 2M || $align == 1G ]] || refuse "ALIGN '$align': use 4K, 2M or 1G"
	bytes "$size" >/dev/null && [[ $(bytes "$size") -gt 0 ]] || refuse "SIZE '$size': a size such as 2M, 256M or 1G"
	[[ $op =~ ^[a-z_]+$ ]] || refuse "OP '$op': the op column of compare.csv, e.g. pin, unpin, kget, kput"
	[[ -n $dir ]] || refuse "give a threshold: SLOWER=X (bad when X times slower or more) or FASTER=X"
	awk -v x="$x" 'BEGIN { exit !(x ~ /^[0-9]+(\.[0-9]+)?$/ && x + 0 > 1) }' ||
		refuse "--$dir '$x': a factor above 1, e.g. --slower 1.5 or --faster 2"
	[[ $boots =~ ^[0-9]+$ ]] && ((boots >= 3 && boots <= 20)) || refuse "BOOTS '$boots': 3 to 20 boots per step"
	[[ $config == min || $config == defconfig ]] || refuse "--config '$config': use min or defconfig"
	if [[ -n $by_dir ]]; then
		by_dir_history "$tree" "$gc" "$bc" "$by_dir"
		tree=$BYDIR_TREE bc=$BYDIR_TIP
	fi
	[[ -n $OUT ]] || OUT=$ROOT/results/bisect-$(basename "$tree")-${gc:0:7}-${bc:0:7}-$method-${region//[:\/]/_}-$align-$size-$op
	mkdir -p "$OUT"
	OUT=$(realpath "$OUT")
	local settings
	settings=$(printf 'tree: %s\ngood: %s\nbad: %s\nmethod: %s\nregion: %s\nalign: %s\nsize: %s\nop: %s\nthreshold: %s %s\nboots: %s\nconfig: %s\n' \
		"$tree" "$gc" "$bc" "$method" "$region" "$align" "$size" "$op" "$dir" "$x" "$boots" "$config")
	[[ -z $by_dir ]] || settings+=$'\n'"by-dir: $by_dir"
	if [[ -f $OUT/settings.txt && $(cat "$OUT/settings.txt") != "$settings" ]]; then
		refuse "$OUT holds a bisect with other settings (see its settings.txt); give OUT=another/folder or delete it"
	fi
	printf '%s\n' "$settings" >"$OUT/settings.txt"
	load_settings "$OUT"

	if [[ -f $OUT/result.txt ]]; then
		say "already done (delete $OUT/result.txt to run again):"
		table
		cat "$OUT/result.txt"
		exit 0
	fi

	# The clone: bare (git bisect then only moves BISECT_HEAD), objects shared.
	local clones=${BISECT_CLONES:-$ROOT/build/bisect}
	CLONE=$clones/$(printf '%s' "$OUT" | sha256sum | cut -c1-12).git
	if [[ ! -d $CLONE ]]; then
		mkdir -p "$clones"
		git clone -q --bare --shared "$tree" "$CLONE"
		git -C "$CLONE" config gc.auto 0
	fi
	# every commit between GOOD and BAD must be in the clone (the tree may have moved on)
	git -C "$CLONE" fetch -q "$tree" "$bc" 2>/dev/null || true
	trap 'echo "bisect: interrupted; run the same command again to resume ($OUT)" >&2; exit 130' INT TERM

	# BAD must be bad, or there is nothing to find.
	local v jrc=0
	v=$(judge "$bc") || jrc=$?
	((jrc != 130)) || { echo "bisect: interrupted; run the same command again to resume ($OUT)" >&2; exit 130; }
	((jrc == 0)) || die "measuring BAD failed; see above (the same command resumes)"
	if [[ $v != bad ]]; then
		table
		die "BAD ${bc:0:12} is $v by the threshold ($dir $x): nothing to bisect. Choose another BAD, threshold or setting"
	fi

	if [[ ! -f $CLONE/BISECT_START ]]; then
		if [[ -f $OUT/bisect.log ]]; then
			say "resuming: replaying $OUT/bisect.log"
			git -C "$CLONE" bisect replay "$OUT/bisect.log" >&2
		else
			git -C "$CLONE" bisect start --no-checkout "$bc" "$gc" >&2
		fi
	else
		say "resuming the bisect in $CLONE"
	fi
	git -C "$CLONE" bisect log >"$OUT/bisect.log"
	local rc=0 log=$OUT/bisect-run.log
	git -C "$CLONE" bisect run "$SELF" --step "$OUT" "$CLONE" >"$log" 2>&1 || rc=$?
	cat "$log" >&2
	git -C "$CLONE" bisect log >"$OUT/bisect.log" 2>/dev/null || true
	table
	local first
	first=$(sed -n 's/^\([0-9a-f]\{40\}\) is the first bad commit$/\1/p' "$log" | tail -n1)
	if [[ -n $first ]]; then
		{
			echo "first bad commit: $first"
			git -C "$tree" log -1 --format='  %h %s (%an, %ad)' "$first"
			echo "setting: $method $region align $align size $size op $op; bad = $dir by $x or more over boots"
			echo "steps: $(($(wc -l <"$OUT/steps.csv") - 1)) (table.md), bisect log: bisect.log"
		} >"$OUT/result.txt"
		cat "$OUT/result.txt"
		git -C "$CLONE" bisect reset >/dev/null 2>&1 || true
		exit 0
	fi
	if grep -q "only 'skip'ped commits left" "$log"; then
		die "no single answer: only skipped commits left: the first bad commit is one of $(sed -n '/could be any of/,/cannot bisect/p' "$log" | grep -oE '^[0-9a-f]{40}' | cut -c1-12 | tr '\n' ' ')(see table.md, $log)"
	fi
	die "git bisect run stopped without an answer (exit $rc; see $log); the same command resumes"
}

main "$@"
}
