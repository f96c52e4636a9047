#!/bin/bash
# Compare two labels' result sets in one command: the report and the graphs.
#
#   scripts/compare.sh [--seed N] LABEL_A LABEL_B
#
# Reads results/LABEL_A and results/LABEL_B (every *.csv in each; RESULTS
# overrides results/), LABEL_A being the baseline. Writes
#   results/LABEL_A-vs-LABEL_B/report.md    tables per method and align,
#                                           biggest change first
#   results/LABEL_A-vs-LABEL_B/compare.csv  the same numbers, tidy
#   plots/LABEL_A-vs-LABEL_B/overlay-*.png  both labels on the same axes
#   plots/LABEL_A-vs-LABEL_B/speedup-*.png  speedup with 95% CI bars
# (and .svg, and the per-label latency and per-4K graphs) and prints where.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
pinbench=${PINBENCH:-$root/bench/pinbench}
results=${RESULTS:-results}
plots=${PLOTS:-plots}

die() {
	echo "compare.sh: $*" >&2
	exit 2
}

seed=()
while (($#)); do
	case $1 in
	--seed) seed=(--seed "${2:?--seed needs a number}"); shift 2 ;;
	-h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
	-*) die "unknown option '$1' (see --help)" ;;
	*) break ;;
	esac
done
(($# == 2)) || die "usage: scripts/compare.sh LABEL_A LABEL_B (result sets in $results/LABEL_A and $results/LABEL_B)"
a=$1 b=$2
for l in "$a" "$b"; do
	[[ -d $results/$l ]] || die "no result set '$results/$l': run a sweep with --label $l first (or set RESULTS)"
done
[[ -x $pinbench ]] || die "'$pinbench' not found: build it with make (or set PINBENCH)"

name="$a-vs-$b"
name=${name//[^A-Za-z0-9._-]/_}
"$pinbench" compare "${seed[@]}" --baseline "$a" --out "$results/$name" "$results/$a" "$results/$b"
"$here/plot.sh" --data "$results/$name/plot" --out "$plots/$name"
