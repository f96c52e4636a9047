#!/bin/bash
# This machine's result set beside a committed reference set:
#
#   scripts/vs-reference.sh REFERENCE_DIR RUN_DIR
#
# Runs `pinbench compare` with the reference as the baseline into
# RUN_DIR/vs-reference/ (report.md, compare.csv: every size, with bootstrap
# 95% intervals) and prints, for each method, op, region and align, the
# largest size measured in both: the reference median, this run's median and
# their ratio (this run / reference) with its interval. The same table is
# kept as RUN_DIR/vs-reference/table.md.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
pb=${PINBENCH:-$ROOT/bench/pinbench}

case ${1:-} in -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
(($# == 2)) || { echo "usage: scripts/vs-reference.sh REFERENCE_DIR RUN_DIR (see --help)" >&2; exit 2; }
ref=$1 run=$2
for d in "$ref" "$run"; do
	[[ -d $d ]] || { echo "vs-reference.sh: '$d' is not a folder of result files" >&2; exit 2; }
done
[[ -x $pb ]] || { echo "vs-reference.sh: no pinbench at $pb (run make)" >&2; exit 2; }

# The reference's label, from its first result file.
first=$(find "$ref" -maxdepth 1 -name '*.csv' | sort | head -n1)
[[ -n $first ]] || { echo "vs-reference.sh: no result files in '$ref'" >&2; exit 2; }
base=$(sed -n 's/^# label: //p' "$first" | head -n1)
out=$run/vs-reference
"$pb" compare --quiet --baseline "$base" --out "$out" "$ref" "$run" >/dev/null

# compare.csv: method,region,align,size,op,label,kernel,backing,node,n,failed,
# min,p10,p50,p90,max,mean,ns_per_4k,baseline,ratio,lo,hi,significant
awk -F, -v base="$base" '
function human(b,   u, i) {
	split("K M G T", u, " ")
	for (i = 4; i >= 1; i--)
		if (b >= 2 ^ (10 * i) && b % 2 ^ (10 * i) == 0)
			return sprintf("%.0f%s", b / 2 ^ (10 * i), u[i])
	return sprintf("%.0f", b)
}
function ms(ns) {
	if (ns == "") return "-"
	if (ns < 1e4) return sprintf("%.1f us", ns / 1e3)
	return sprintf("%.2f ms", ns / 1e6)
}
/^#/ || $1 == "method" { next }
{
	key = $1 SUBSEP $5 SUBSEP $2 SUBSEP $3
	if ($6 == base) { refp50[key, $4] = $14; next }
	if ($20 == "") next
	if (!(key in best) || $4 + 0 > best[key] + 0) {
		best[key] = $4; p50[key] = $14; ratio[key] = $20; lo[key] = $21; hi[key] = $22
		sig[key] = $23; run = $6
	}
	order[key] = 1
}
END {
	n = 0
	for (k in order) keys[++n] = k
	# A plain insertion sort: mawk has no asort.
	for (i = 2; i <= n; i++) {
		v = keys[i]
		for (j = i - 1; j >= 1 && keys[j] > v; j--) keys[j + 1] = keys[j]
		keys[j + 1] = v
	}
	printf "| method | op | region | align | size | reference (%s) | this run (%s) | ratio [95%% CI] |\n", base, run
	print "|---|---|---|---|---:|---:|---:|---|"
	for (i = 1; i <= n; i++) {
		k = keys[i]
		split(k, f, SUBSEP)
		printf "| %s | %s | %s | %s | %s | %s | %s | %.2f [%.2f, %.2f]%s |\n", f[1], f[2], f[3],
			human(f[4]), human(best[k]), ms(refp50[k, best[k]]), ms(p50[k]),
			ratio[k], lo[k], hi[k], (sig[k] == "yes" ? " *" : "")
	}
	if (!n) print "| (no setting was measured both here and in the reference) |||||||"
}' "$out/compare.csv" | tee "$out/table.md"
echo
echo "ratio = this run / reference, median of each; * = the 95% interval excludes 1."
echo "Guest times under TCG are emulated: a ratio says how this machine's guest compares, not bare metal."
