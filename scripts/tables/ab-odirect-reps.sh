#!/bin/bash
# odirect rep by rep, from the per-I/O rows (op io) of a result set that kept
# them: for each setting, in every rep (in the order they ran) the share of
# its 1 MiB I/Os that took over 1 ms, and the sum of its I/Os' times.
#   scripts/tables/ab-odirect-reps.sh DIR KERNEL:REGION:ALIGN:SIZE...
# DIR holds a folder per kernel (label) of result files (*.csv, *.csv.gz);
# ALIGN and SIZE in bytes or with a K/M/G suffix (compound:devdax:1G:4G).
# One table row per setting, in that order; a setting without io rows is an
# error (exit 2).
set -euo pipefail

usage() { echo "usage: scripts/tables/ab-odirect-reps.sh DIR KERNEL:REGION:ALIGN:SIZE..." >&2; exit 2; }
if (($# < 2)) || [[ ! -d $1 ]]; then usage; fi
for s in "${@:2}"; do
	[[ $s =~ ^[a-zA-Z0-9._@-]+:[a-z0-9-]+:[0-9]+[KMG]?:[0-9]+[KMG]?$ ]] || usage
done
dir=$1
shift
echo "| kernel | region | size | I/Os over 1 ms per rep, % | sum of the I/Os per rep, ms |"
echo "|---|---|---:|---|---|"
shopt -s nullglob
for s in "$@"; do
	IFS=: read -r kernel region align size <<<"$s"
	files=("$dir/$kernel"/*-odirect-*.csv "$dir/$kernel"/*-odirect-*.csv.gz)
	((${#files[@]})) || { echo "ab-odirect-reps: no odirect files in $dir/$kernel" >&2; exit 2; }
	zcat -f -- "${files[@]}" | awk -F, -v kernel="$kernel" -v region="$region" -v align="$align" -v size="$size" '
		function bytes(s, n) { n = s + 0; return sprintf("%.0f", s ~ /K$/ ? n * 1024 : s ~ /M$/ ? n * 1048576 : s ~ /G$/ ? n * 1073741824 : n) }
		function sz(b) { b += 0; return b >= 1073741824 ? (b / 1073741824) "G" : b >= 1048576 ? (b / 1048576) "M" : (b / 1024) "K" }
		BEGIN { a = bytes(align); z = bytes(size) }
		/^#/ || /^label,/ { next }
		$4 != region || $6 != a { next }
		$10 == "io" { n++; if ($12 == "ok") { sum += $11; if ($11 > 1e6) slow++ }; next }
		$10 == "pin" {
			if ($8 == z && n) { reps++; pct = pct (reps > 1 ? ", " : "") sprintf("%.0f", 100 * slow / n); tot = tot (reps > 1 ? ", " : "") sprintf("%.0f", sum / 1e6) }
			n = slow = sum = 0
		}
		END {
			if (!reps) { print "ab-odirect-reps: no io rows for " kernel ":" region ":" align ":" size > "/dev/stderr"; exit 2 }
			printf "| %s | %s %s | %s | %s | %s |\n", kernel, region, sz(a), sz(z), pct, tot
		}'
done
