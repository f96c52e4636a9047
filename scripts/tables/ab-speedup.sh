#!/bin/bash
# Speedups (baseline / label, the inverse of compare.csv's ratio) of chosen
# settings, each from its own pinbench compare.csv, at one size and align:
#   scripts/tables/ab-speedup.sh SIZE ALIGN COMPARE_CSV:METHOD:OP:LABEL...
# SIZE, ALIGN in bytes or with a K/M/G suffix; region devdax. One row per
# argument, in that order: the baseline's and LABEL's medians, and
# baseline p50 / LABEL p50 with its 95% interval (1/hi, 1/lo of the stored
# ratio's interval, over boots when the input had boots). gup-fast and
# gup-pin are named by their gup_test flags (-u, -a), kget/kput get/put.
set -euo pipefail

usage() { echo "usage: scripts/tables/ab-speedup.sh SIZE ALIGN COMPARE_CSV:METHOD:OP:LABEL..." >&2; exit 2; }
if (($# < 3)) || [[ ! $1 =~ ^[0-9]+[KMG]?$ || ! $2 =~ ^[0-9]+[KMG]?$ ]]; then usage; fi
size=$1 align=$2
shift 2
echo "| gup_test | op | kernels | p50, ms | speedup [95% CI] |"
echo "|---|---|---|---:|---:|"
for s in "$@"; do
	IFS=: read -r csv method op label <<<"$s"
	[[ -f $csv && -n $method && -n $op && -n $label ]] || usage
	awk -F, -v size="$size" -v align="$align" -v method="$method" -v op="$op" -v label="$label" '
		function bytes(s, n) { n = s + 0; return sprintf("%.0f", s ~ /K$/ ? n * 1024 : s ~ /M$/ ? n * 1048576 : s ~ /G$/ ? n * 1073741824 : n) }
		BEGIN { z = bytes(size); a = bytes(align) }
		/^#/ { next }
		!hdr { for (i = 1; i <= NF; i++) c[$i] = i; hdr = 1; next }
		$c["method"] != method || $c["op"] != op || $c["size"] != z || $c["align"] != a || $c["region"] != "devdax" { next }
		$c["label"] == $c["baseline"] { base = $c["p50"]; bl = $c["label"] }
		$c["label"] == label && $c["ratio"] != "" { p50 = $c["p50"]; r = $c["ratio"]; lo = $c["lo"]; hi = $c["hi"]; got = 1 }
		END {
			if (!got || bl == "") { print "ab-speedup: no ratio for " label " (" method " " op ") in " FILENAME > "/dev/stderr"; exit 2 }
			g = method == "gup-fast" ? "`-u`" : method == "gup-pin" ? "`-a`" : method
			o = op == "kget" ? "get" : op == "kput" ? "put" : op
			printf "| %s | %s | %s -> %s | %.1f -> %.1f | %.1fx [%.1f, %.1f] |\n", g, o, bl, label, base / 1e6, p50 / 1e6, 1 / r, 1 / hi, 1 / lo
		}' "$csv"
done
