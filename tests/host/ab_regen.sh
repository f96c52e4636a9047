#!/bin/bash
# Every committed make ab report regenerates byte for byte from its rows, by
# scripts/ab.sh --report-only with bench/pinbench-report (no pinning library):
# report.md (up to make ab's own "Base:" line), compare.csv, boots.csv and
# the plot data.
. "$(dirname "$0")/../lib.sh"
R=${PINBENCH_REPORT:-$TOP/bench/pinbench-report}
[[ -x $R ]] || die "$R not built (make report)"
cd "$TOP"

# SET | environment of its make ab | its kernels when not all of SET's | the
# report folder when not SET/report (a bisect's folder holds every step's
# boots: its report is the last step's, each step's is in steps/REV/).
sets=(
	"results/ab-6.12-quick||"
	"results/ab-headline||"
	"results/ab-quick-demo||"
	"results/ab-quick-mine||"
	"results/ab-type1-mine||"
	"results/ab-type1-tree||"
	"results/ab/over-boots||"
	"results/bisect-by-dir-7.2-7.3/ab|AB_EXCLUDE=none|"
	"results/bisect-type1-batching-7.3/ab||good rev-916441c4800f"
	"results/bisect-vfio-7.3/boots|AB_DRIFT=15|good rev-701860aa4a98"
	"results/field/permr|AB_DRIFT=15|"
	"results/field/typeone|AB_DRIFT=15|"
	"results/step-7.2-7.3|AB_EXCLUDE=none|debian-7.2 debian-7.3 src-7.2 src-7.3"
	"results/step-7.2-7.3|AB_EXCLUDE=none|src-7.2 src-7.3|results/step-7.2-7.3/report-src"
	"results/ab-headline||base-pages compound grab-once longterm-fast slow-batch|results/ab-headline/report-vs-base-pages"
	"results/bisect-type1-batching-7.3/ab||good rev-e990bb913da8|results/bisect-type1-batching-7.3/steps/e990bb913da8"
	"results/bisect-type1-batching-7.3/ab||good rev-b4b9ff035f52|results/bisect-type1-batching-7.3/steps/b4b9ff035f52"
	"results/bisect-type1-batching-7.3/ab||good rev-916441c4800f|results/bisect-type1-batching-7.3/steps/916441c4800f"
	"results/bisect-by-dir-7.2-7.3/ab|AB_EXCLUDE=none|good rev-0d5c13345aa7|results/bisect-by-dir-7.2-7.3/steps/0d5c13345aa7"
)
n=0
for s in "${sets[@]}"; do
	IFS='|' read -r set envs names want <<<"$s"
	want=${want:-$set/report}
	out=$TMP/$n
	args=(--report-only "$set" --to "$out")
	[[ -z $names ]] || args+=(--names "$names")
	# shellcheck disable=SC2086 # envs: blank-separated KEY=VALUE words
	capture env PINBENCH="$R" AB_PLOTS= $envs scripts/ab.sh "${args[@]}"
	expect_rc 0 "ab.sh --report-only $set"
	head -n "$(wc -l <"$out/report.md")" "$want/report.md" >"$TMP/want.md"
	cmp -s "$TMP/want.md" "$out/report.md" || die "$want: report.md differs: $(diff "$TMP/want.md" "$out/report.md" | head -4)"
	# Steps keep compare.csv and report.md only; some sets no plot data.
	for f in compare.csv boots.csv; do
		[[ -f $want/$f || $f != compare.csv ]] || die "$want: no $f"
		[[ -f $want/$f ]] || continue
		cmp -s "$want/$f" "$out/$f" || die "$want: $f differs: $(diff "$want/$f" "$out/$f" | head -4)"
	done
	if [[ -d $want/plot ]]; then
		diff -r "$want/plot" "$out/plot" >"$TMP/d" || die "$want: plot data differ: $(head -4 "$TMP/d")"
	fi
	n=$((n + 1))
done
# Reports its README makes with pinbench compare itself (kernels booted one by one).
cd "$TOP/results/ab-6.12"
for c in "report-debian-6.1-vs-6.12||debian-6.1 debian-6.12" "report-debian-vs-compound-6.12||debian-6.12 compound-6.12" \
	"report-6.12-patches|compound-6.12|compound-6.12 longterm-fast-6.12 slow-batch-6.12"; do
	IFS='|' read -r rep base labels <<<"$c"
	# shellcheck disable=SC2086 # labels: blank-separated folders
	capture "$R" compare --quiet ${base:+--baseline "$base"} --out "$TMP/$rep" $labels
	expect_rc 0 "pinbench-report compare ($rep)"
	for f in compare.csv report.md; do
		cmp -s "$rep/$f" "$TMP/$rep/$f" || die "results/ab-6.12/$rep: $f differs: $(diff "$rep/$f" "$TMP/$rep/$f" | head -4)"
	done
	n=$((n + 1))
done
cd "$TOP"
# Settings that are not the set's own do change the report: the test can fail.
capture env PINBENCH="$R" AB_PLOTS= AB_DRIFT=15 scripts/ab.sh --report-only results/step-7.2-7.3 --to "$TMP/wrong" \
	--names "debian-7.2 debian-7.3 src-7.2 src-7.3"
expect_rc 0 "ab.sh --report-only with AB_DRIFT=15"
! cmp -s results/step-7.2-7.3/report/compare.csv "$TMP/wrong/compare.csv" || die "AB_DRIFT=15 left compare.csv unchanged"
capture env PINBENCH="$R" scripts/ab.sh --report-only results/ab-type1-mine
expect_rc 2 "--report-only into a committed set"
expect_err "holds committed data"
capture env PINBENCH="$R" scripts/ab.sh --report-only results/ab-odirect --to "$TMP/od"
expect_rc 2 "--report-only of a set without rows"
expect_err "holds no result rows"
echo "ab --report-only, compare: $n committed A/B reports regenerate byte for byte"
