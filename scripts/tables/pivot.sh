#!/bin/bash
# One row per method and op, one column per compared label: the baseline's
# median, then each label's ratio to it [95% CI] (bold when the interval
# excludes 1), from a pinbench compare.csv, at one size and align:
#   scripts/tables/pivot.sh COMPARE_CSV METHODS OPS SIZE ALIGN
# METHODS, OPS comma-separated (rows in that order); SIZE, ALIGN in bytes.
set -euo pipefail
(($# == 5)) && [[ -f $1 ]] || { echo "usage: scripts/tables/pivot.sh COMPARE_CSV METHODS OPS SIZE ALIGN" >&2; exit 2; }
awk -F, -v methods="$2" -v ops="$3" -v size="$4" -v align="$5" '
	function t(ns) { return ns >= 1e6 ? sprintf("%.1f ms", ns / 1e6) : sprintf("%.0f µs", ns / 1e3) }
	/^#/ { next }
	!hdr { for (i = 1; i <= NF; i++) c[$i] = i; hdr = 1; next }
	$c["size"] != size || $c["align"] != align || $c["region"] != "devdax" { next }
	{ k = $c["method"] SUBSEP $c["op"]; l = $c["label"] }
	l == $c["baseline"] { base[k] = $c["p50"]; bl = l; next }
	$c["ratio"] != "" {
		if (!(l in seen)) { seen[l] = 1; labels[++nl] = l }
		r = sprintf("%.3f [%.3f, %.3f]", $c["ratio"], $c["lo"], $c["hi"])
		cell[k, l] = $c["significant"] == "yes" ? "**" r "**" : r
	}
	END {
		printf "| method | op | %s p50", bl
		for (j = 1; j <= nl; j++) printf " | %s", labels[j]
		printf " |\n|---|---|---:"
		for (j = 1; j <= nl; j++) printf "|---:"
		printf "|\n"
		nm = split(methods, M, ","); no = split(ops, O, ",")
		for (a = 1; a <= nm; a++) for (b = 1; b <= no; b++) {
			k = M[a] SUBSEP O[b]
			if (!(k in base)) continue
			printf "| %s | %s | %s", M[a], O[b], t(base[k])
			for (j = 1; j <= nl; j++) printf " | %s", ((k, labels[j]) in cell) ? cell[k, labels[j]] : "-"
			printf " |\n"
		}
	}' "$1"
