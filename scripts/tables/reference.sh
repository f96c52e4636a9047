#!/bin/bash
# The reference table of docs/reference.md: the median of each method's pin
# and unpin at one size, one column per region of the reference set, and a
# last column of another set's 2M device-dax, from pinbench summary:
#   scripts/tables/reference.sh SIZE REF_DIR OTHER_DIR OTHER_TITLE
# SIZE in bytes. A setting with no row prints "-" (refused or not there).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
pinbench=${PINBENCH:-$root/bench/pinbench}
if ! (($# == 4)) || [[ ! -d $2 || ! -d $3 ]]; then
	echo "usage: scripts/tables/reference.sh SIZE REF_DIR OTHER_DIR OTHER_TITLE" >&2
	exit 2
fi
size=$1 ref=$2 other=$3 title=$4
{
	"$pinbench" summary "$ref"/*.csv | sed 's/^/ref,/'
	"$pinbench" summary "$other"/*.csv | sed 's/^/other,/'
} | awk -F, -v size="$size" -v title="$title" '
	function t(ns) { return ns >= 1e6 ? sprintf("%.*f ms", ns >= 1e7 ? 1 : 2, ns / 1e6) : sprintf("%.0f µs", ns / 1e3) }
	$2 == "label" { for (i = 2; i <= NF; i++) c[$i] = i; next }
	$c["size"] != size { next }
	{
		col = $c["region"] " " ($c["align"] == 4096 ? "4K" : $c["align"] == 2097152 ? "2M" : "1G")
		if ($c["region"] == "thp") col = "thp"
		if ($1 == "other") { if (col != "devdax 2M") next; col = "other" }
		cell[$c["method"] SUBSEP $c["op"] SUBSEP col] = t($c["p50"])
	}
	END {
		n = split("devdax 4K,devdax 2M,hugetlb 2M,thp,anon 4K,other", cols, ",")
		m = split("rdma pin,rdma unpin,vfio pin,vfio unpin,iouring pin,iouring unpin", rows, ",")
		printf "| method, op |"
		for (j = 1; j < n; j++) printf " %s |", cols[j]
		printf " %s |\n|---|", title
		for (j = 1; j <= n; j++) printf "---:|"
		printf "\n"
		for (i = 1; i <= m; i++) {
			split(rows[i], mo, " ")
			printf "| %s %s |", mo[1], mo[2]
			for (j = 1; j <= n; j++) {
				k = mo[1] SUBSEP mo[2] SUBSEP cols[j]
				printf " %s |", (k in cell) ? cell[k] : "-"
			}
			printf "\n"
		}
	}'
