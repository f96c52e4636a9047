#!/bin/bash
# Chosen settings of a pinbench compare.csv side by side, one column per
# kernel (label): each label's median in ms and, where compare.csv has one,
# its ratio to the baseline's median.
#   scripts/tables/ab-kernels.sh [--ci] COMPARE_CSV LABELS SETTING...
# LABELS: comma-separated, the columns in that order (a label without a ratio,
# the baseline, shows its median only; "-": no row, e.g. a refused setting).
# SETTING: METHOD:OP:REGION:ALIGN:SIZE, ALIGN and SIZE in bytes or with a
# K/M/G suffix (rdma:pin:devdax:2M:1G); one table row each, in that order.
# Cells: "MEDIAN (RATIOx)", or with --ci "MEDIAN (RATIO [LO, HI])" with the
# 95% interval; ", n.s." when the interval contains 1.
set -euo pipefail

usage() { echo "usage: scripts/tables/ab-kernels.sh [--ci] COMPARE_CSV LABELS METHOD:OP:REGION:ALIGN:SIZE..." >&2; exit 2; }
ci=0
[[ ${1:-} == --ci ]] && { ci=1; shift; }
if (($# < 3)) || [[ ! -f $1 || -z $2 ]]; then usage; fi
for s in "${@:3}"; do
	[[ $s =~ ^[a-z0-9-]+:[a-z]+:[a-z0-9-]+:[0-9]+[KMG]?:[0-9]+[KMG]?$ ]] || usage
done
csv=$1 labels=$2
shift 2
awk -F, -v ci="$ci" -v labels="$labels" -v settings="$*" '
	function bytes(s, n) { n = s + 0; return sprintf("%.0f", s ~ /K$/ ? n * 1024 : s ~ /M$/ ? n * 1048576 : s ~ /G$/ ? n * 1073741824 : n) }
	function sz(b) { b += 0; return b >= 1073741824 ? (b / 1073741824) "G" : b >= 1048576 ? (b / 1048576) "M" : (b / 1024) "K" }
	function ms(ns, v) { v = ns / 1e6; return v >= 10 ? sprintf("%.1f", v) : v >= 1 ? sprintf("%.2f", v) : sprintf("%.3f", v) }
	function x(r) { return r >= 10 ? sprintf("%.1f", r) : r >= 0.1 ? sprintf("%.2f", r) : sprintf("%.3f", r) }
	function name(m, o) {
		if (m == "rdma" && o == "pin") return "rdma `ibv_reg_mr`"
		if (m == "rdma" && o == "unpin") return "rdma `ibv_dereg_mr`"
		if (m == "vfio" && o == "pin") return "vfio `MAP_DMA`"
		if (m == "vfio" && o == "unpin") return "vfio `UNMAP_DMA`"
		if (m == "iommufd" && o == "pin") return "iommufd `IOAS_MAP`"
		if (m == "iommufd" && o == "unpin") return "iommufd `IOAS_UNMAP`"
		if (m == "iouring" && o == "pin") return "iouring register"
		if (m == "iouring" && o == "unpin") return "iouring unregister"
		if (m == "odirect" && o == "pin") return "odirect (sum of 1M I/Os)"
		if (m ~ /^gup-/ && (o == "pin" || o == "unpin")) return m " `" o "` (wall)"
		return m " " o
	}
	BEGIN {
		nl = split(labels, L, ",")
		nset = split(settings, S, " ")
		for (i = 1; i <= nset; i++) {
			split(S[i], p, ":")
			M[i] = p[1]; O[i] = p[2]; R[i] = p[3]; A[i] = bytes(p[4]); Z[i] = bytes(p[5])
			want[M[i], p[3], A[i], Z[i], O[i]] = i
		}
	}
	/^#/ { next }
	!hdr { for (i = 1; i <= NF; i++) c[$i] = i; hdr = 1; next }
	{ k = $c["method"] SUBSEP $c["region"] SUBSEP $c["align"] SUBSEP $c["size"] SUBSEP $c["op"] }
	!(k in want) { next }
	{
		i = want[k]; l = $c["label"]; found[i] = 1
		cell[i, l] = ms($c["p50"])
		if ($c["ratio"] != "") {
			nsig = $c["significant"] == "yes" ? "" : ", n.s."
			cell[i, l] = cell[i, l] (ci ? sprintf(" (%.3f [%.3f, %.3f]%s)", $c["ratio"], $c["lo"], $c["hi"], nsig) : " (" x($c["ratio"]) "x" nsig ")")
		}
	}
	END {
		for (i = 1; i <= nset; i++) if (!(i in found)) { print "ab-kernels: no row for " S[i] > "/dev/stderr"; exit 2 }
		printf "| method, op | region | size |"
		for (j = 1; j <= nl; j++) printf " %s |", L[j]
		printf "\n|---|---|---:|"
		for (j = 1; j <= nl; j++) printf "---:|"
		printf "\n"
		for (i = 1; i <= nset; i++) {
			printf "| %s | %s | %s |", name(M[i], O[i]), R[i] (A[i] ? " " sz(A[i]) : ""), sz(Z[i])
			for (j = 1; j <= nl; j++) printf " %s |", ((i, L[j]) in cell) ? cell[i, L[j]] : "-"
			printf "\n"
		}
	}' "$csv"
