#!/bin/bash
# The pin latencies of scripts/memmap/pins.sh by map mode, from its rows
# (the table it writes as pins.md, without a guest):
#   scripts/tables/memmap-pins.sh results/memmap/pins/KERNEL
# One row per method, align, map mode (each file's "# region_map:" line),
# size and op (pin, unpin, and gup_test's kernel-timed kget, kput): the
# number of reps, the median and the p90, from `pinbench summary`.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
pinbench=${PINBENCH:-$root/bench/pinbench}
if (($# != 1)) || [[ ! -d $1 ]]; then
	echo "usage: scripts/tables/memmap-pins.sh results/memmap/pins/KERNEL (a folder of pinbench rows)" >&2
	exit 2
fi
dir=${1%/}
kernel=$(basename "$dir")
shopt -s nullglob
files=("$dir"/*.csv "$dir"/*.csv.gz)
((${#files[@]})) || { echo "tables/memmap-pins.sh: no rows in $dir" >&2; exit 1; }

echo "| kernel | method | align | map | size | op | n | p50 | p90 |"
echo "|---|---|---|---|---:|---|---:|---:|---:|"
for f in "${files[@]}"; do
	map=$(zcat -f "$f" | sed -n 's/^# region_map: //p' | head -n1)
	"$pinbench" summary "$f" | awk -F, -v k="$kernel" -v map="${map:--}" '
		function t(ns) { return ns >= 1e6 ? sprintf("%.1f ms", ns / 1e6) : sprintf("%.0f µs", ns / 1e3) }
		function sz(b) { return b >= 1073741824 ? (b / 1073741824) "G" : (b / 1048576) "M" }
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["op"] == "pin" || $c["op"] == "unpin" || $c["op"] == "kget" || $c["op"] == "kput" {
			printf "| %s | %s | %s | %s | %s | %s | %d | %s | %s |\n", k, $c["method"], sz($c["align"]), map,
				sz($c["size"]), $c["op"], $c["n"], t($c["p50"]), t($c["p90"])
		}'
done | sort -t'|' -k3,3 -k4,4 -k7,7 -k5,5
