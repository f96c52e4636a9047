#!/bin/bash
# Where the time of one op goes, phase by phase, against the baseline, from
# the phases.csv that `pinbench compare` writes beside compare.csv for
# breakdown runs (pinbench --breakdown):
#   scripts/tables/phases.sh PHASES_CSV METHOD OP REGION ALIGN SIZES LABEL [PHASES]
# ALIGN in bytes; SIZES comma-separated bytes, one group of columns each: the
# baseline's median ms, LABEL's median ms, and the ratio LABEL / baseline with
# its 95% bootstrap interval (bold when it excludes 1). One row per phase,
# in PHASES order (comma-separated; default: the file's order, leaving out
# phases that are 0 for both labels at every size).
set -euo pipefail

usage() { echo "usage: scripts/tables/phases.sh PHASES_CSV METHOD OP REGION ALIGN SIZES LABEL [PHASES]" >&2; exit 2; }
if (($# < 7 || $# > 8)) || [[ ! -f $1 ]]; then usage; fi
if [[ ! $5 =~ ^[0-9]+$ || ! $6 =~ ^[0-9]+(,[0-9]+)*$ ]]; then usage; fi
awk -F, -v method="$2" -v op="$3" -v region="$4" -v align="$5" -v sizes="$6" -v label="$7" -v phases="${8:-}" '
	function ms(ns) { return sprintf("%.3f", ns / 1e6) }
	function sz(b) { return b >= 1073741824 ? (b / 1073741824) " GiB" : b >= 1048576 ? (b / 1048576) " MiB" : (b / 1024) " KiB" }
	/^#/ { next }
	!hdr { for (i = 1; i <= NF; i++) c[$i] = i; hdr = 1; next }
	$c["method"] != method || $c["op"] != op || $c["region"] != region || $c["align"] != align { next }
	{ s = $c["size"]; p = $c["phase"]; l = $c["label"] }
	!(p in seen) { seen[p] = 1; order[++np] = p }
	l == label {
		lab[s, p] = $c["median_ns"]
		if ($c["ratio"] != "") {
			r = sprintf("%.3f [%.3f, %.3f]", $c["ratio"], $c["lo"], $c["hi"])
			rat[s, p] = $c["significant"] == 1 || $c["significant"] == "yes" ? "**" r "**" : r
		}
		next
	}
	$c["ratio"] == "" && base == "" { base = l }
	l == base { bas[s, p] = $c["median_ns"] }
	END {
		ns = split(sizes, S, ",")
		if (phases != "") np = split(phases, order, ",")
		if (base == "") { print "tables/phases.sh: no baseline rows for that setting" > "/dev/stderr"; exit 1 }
		printf "| phase"
		for (j = 1; j <= ns; j++) printf " | %s %s ms | %s ms | ratio [95%% CI]", sz(S[j]), base, label
		printf " |\n|---"
		for (j = 1; j <= ns; j++) printf "|---:|---:|---"
		printf "|\n"
		for (i = 1; i <= np; i++) {
			p = order[i]; any = phases != ""
			for (j = 1; j <= ns; j++) {
				if (!((S[j], p) in lab) || !((S[j], p) in bas)) { printf "tables/phases.sh: no %s rows at size %s\n", p, S[j] > "/dev/stderr"; exit 1 }
				if (lab[S[j], p] + 0 || bas[S[j], p] + 0) any = 1
			}
			if (!any) continue
			printf "| %s", p
			for (j = 1; j <= ns; j++) printf " | %s | %s | %s", ms(bas[S[j], p]), ms(lab[S[j], p]), ((S[j], p) in rat) ? rat[S[j], p] : "-"
			printf " |\n"
		}
	}' "$1"
