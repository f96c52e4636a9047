#!/bin/bash
# A markdown table of the ratios in a pinbench compare.csv (columns read by
# their header names), for write-ups that quote them:
#   scripts/tables/ratios.sh COMPARE_CSV [METHODS] [OPS] [SIZE]
# METHODS, OPS: comma-separated (default: all); SIZE in bytes (default: all).
# One row per setting and compared label: medians, ratio = label / baseline
# with its 95% interval (over boots when the input had boots), and whether
# the interval excludes 1.
set -euo pipefail

(($# >= 1)) && [[ -f $1 ]] || { echo "usage: scripts/tables/ratios.sh COMPARE_CSV [METHODS] [OPS] [SIZE]" >&2; exit 2; }
awk -F, -v methods=",${2:-}," -v ops=",${3:-}," -v size="${4:-}" '
	function sz(b) { return b >= 1073741824 ? (b / 1073741824) "G" : b >= 1048576 ? (b / 1048576) "M" : (b / 1024) "K" }
	function t(ns) { return ns >= 1e6 ? sprintf("%.1f ms", ns / 1e6) : sprintf("%.0f µs", ns / 1e3) }
	/^#/ { next }
	!hdr { for (i = 1; i <= NF; i++) c[$i] = i; hdr = 1; next }
	methods != ",," && index(methods, "," $c["method"] ",") == 0 { next }
	ops != ",," && index(ops, "," $c["op"] ",") == 0 { next }
	size != "" && $c["size"] != size { next }
	{ k = $c["method"] SUBSEP $c["region"] SUBSEP $c["align"] SUBSEP $c["size"] SUBSEP $c["op"] }
	$c["label"] == $c["baseline"] { base[k] = $c["p50"]; next }
	$c["ratio"] != "" {
		printf "| %s | %s %s | %s | %s | %s | %s | %s | %.3f [%.3f, %.3f] | %s |\n", $c["method"], $c["region"], sz($c["align"]),
			sz($c["size"]), $c["op"], $c["baseline"] " -> " $c["label"], t(base[k]), t($c["p50"]),
			$c["ratio"], $c["lo"], $c["hi"], $c["significant"]
	}
	BEGIN {
		print "| method | region | size | op | kernels | baseline p50 | p50 | ratio [95% CI] | excludes 1 |"
		print "|---|---|---:|---|---|---:|---:|---|---|"
	}' "$1"
