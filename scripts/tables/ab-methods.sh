#!/bin/bash
# Methods side by side in one result folder (one boot, one kernel), from its
# rows through `pinbench summary`: per setting, each method's median pin time,
# then each method's median unpin time (ms), then each method's pin audit
# verdict (balanced, leaked N pages, ...), joined with " / ".
#   scripts/tables/ab-methods.sh DIR METHODS REGION:ALIGN:SIZE...
# DIR: a folder of result files (*.csv or *.csv.gz); METHODS comma-separated,
# the column order; ALIGN and SIZE in bytes or with a K/M/G suffix
# (devdax:2M:1G). One table row per setting, in that order. PINBENCH names
# the binary (default bench/pinbench).
set -euo pipefail

usage() { echo "usage: scripts/tables/ab-methods.sh DIR METHODS REGION:ALIGN:SIZE..." >&2; exit 2; }
if (($# < 3)) || [[ ! -d $1 || -z $2 ]]; then usage; fi
for s in "${@:3}"; do
	[[ $s =~ ^[a-z0-9-]+:[0-9]+[KMG]?:[0-9]+[KMG]?$ ]] || usage
done
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
pinbench=${PINBENCH:-$root/bench/pinbench}
dir=$1 methods=$2
shift 2
shopt -s nullglob
files=("$dir"/*.csv "$dir"/*.csv.gz)
((${#files[@]})) || { echo "ab-methods: no result files in $dir" >&2; exit 2; }
"$pinbench" summary "${files[@]}" | awk -F, -v methods="$methods" -v settings="$*" '
	function bytes(s, n) { n = s + 0; return sprintf("%.0f", s ~ /K$/ ? n * 1024 : s ~ /M$/ ? n * 1048576 : s ~ /G$/ ? n * 1073741824 : n) }
	function sz(b) { b += 0; return b >= 1073741824 ? (b / 1073741824) "G" : b >= 1048576 ? (b / 1048576) "M" : (b / 1024) "K" }
	function ms(ns, v) { v = ns / 1e6; return v >= 10 ? sprintf("%.1f", v) : v >= 1 ? sprintf("%.2f", v) : sprintf("%.3f", v) }
	function name(m, o) {
		if (m == "rdma") return o == "pin" ? "rdma `ibv_reg_mr`" : "rdma `ibv_dereg_mr`"
		if (m == "vfio") return o == "pin" ? "vfio `MAP_DMA`" : "vfio `UNMAP_DMA`"
		if (m == "iommufd") return o == "pin" ? "iommufd `IOAS_MAP`" : "iommufd `IOAS_UNMAP`"
		if (m == "iouring") return o == "pin" ? "iouring register" : "iouring unregister"
		return m " " o
	}
	BEGIN {
		nm = split(methods, M, ",")
		nset = split(settings, S, " ")
		for (i = 1; i <= nset; i++) { split(S[i], p, ":"); R[i] = p[1]; A[i] = bytes(p[2]); Z[i] = bytes(p[3]); want[p[1], A[i], Z[i]] = i }
	}
	!hdr { for (i = 1; i <= NF; i++) c[$i] = i; hdr = 1; next }
	{ k = $c["region"] SUBSEP $c["align"] SUBSEP $c["size"] }
	!(k in want) { next }
	{
		i = want[k]; found[i] = 1
		p50[i, $c["method"], $c["op"]] = ms($c["p50"])
		if ($c["op"] == "pin") audit[i, $c["method"]] = $c["verdict"]
	}
	END {
		for (i = 1; i <= nset; i++) if (!(i in found)) { print "ab-methods: no row for " S[i] > "/dev/stderr"; exit 2 }
		printf "| region | size |"
		for (j = 1; j <= nm; j++) printf " %s |", name(M[j], "pin")
		for (j = 1; j <= nm; j++) printf " %s |", name(M[j], "unpin")
		hm = methods; gsub(/,/, " / ", hm)
		printf " pin audit %s |\n|---|---:|", hm
		for (j = 1; j <= 2 * nm; j++) printf "---:|"
		printf "---|\n"
		for (i = 1; i <= nset; i++) {
			printf "| %s | %s |", R[i] " " sz(A[i]), sz(Z[i])
			for (o = 1; o <= 2; o++) for (j = 1; j <= nm; j++) {
				k = i SUBSEP M[j] SUBSEP (o == 1 ? "pin" : "unpin")
				printf " %s |", (k in p50) ? p50[k] : "-"
			}
			a = ""
			for (j = 1; j <= nm; j++) a = a (j > 1 ? " / " : "") (((i, M[j]) in audit) ? audit[i, M[j]] : "-")
			printf " %s |\n", a
		}
	}'
