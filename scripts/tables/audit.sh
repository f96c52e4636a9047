#!/bin/bash
# Pin audit verdicts side by side, from the "## Pin audit" tables of
# pinbench compare's report.md files:
#   scripts/tables/audit.sh SIZE TITLE=REPORT_MD:COLUMN...
# One row per method, region and align at SIZE (as the report prints it,
# e.g. 1G; "all" for every size), one column per TITLE: the verdict in
# COLUMN (a label) of that report's audit table; "-" where it has none.
set -euo pipefail
if (($# < 2)); then
	echo "usage: scripts/tables/audit.sh SIZE TITLE=REPORT_MD:COLUMN..." >&2
	exit 2
fi
size=$1
shift
specs=()
for a in "$@"; do
	[[ $a == *=*:* && -f ${a#*=} || -f $(sed 's/^[^=]*=//; s/:[^:]*$//' <<<"$a") ]] ||
		{ echo "audit.sh: '$a': want TITLE=REPORT_MD:COLUMN with an existing report" >&2; exit 2; }
	specs+=("$a")
done
for a in "${specs[@]}"; do
	title=${a%%=*} rest=${a#*=}
	file=${rest%:*} col=${rest##*:}
	# the audit table's rows as TITLE<TAB>COLUMN-VALUE<TAB>key
	awk -v title="$title" -v col="$col" -v size="$size" '
		/^## / { inaudit = ($0 == "## Pin audit"); next }
		!inaudit || !/^\|/ { next }
		{ n = split($0, f, "|"); for (i = 2; i < n; i++) gsub(/^ +| +$/, "", f[i]) }
		f[2] == "method" { for (i = 2; i < n; i++) c[f[i]] = i; found = (col in c); next }
		f[2] ~ /^-+$/ || !found { next }
		size == "all" || f[c["size"]] == size {
			key = f[c["method"]] " " f[c["region"]] " " f[c["align"]] (size == "all" ? ", " f[c["size"]] : "")
			print title "\t" key "\t" f[c[col]]
		}
		END { if (!found) { print "audit.sh: no column " col " in the audit table of " FILENAME > "/dev/stderr"; exit 2 } }' "$file"
done | awk -F'\t' '
	!($1 in seen) { seen[$1] = 1; titles[++nt] = $1 }
	!($2 in have) { have[$2] = 1; keys[++nk] = $2 }
	{ cell[$1, $2] = $3 }
	END {
		printf "| setting |"; for (j = 1; j <= nt; j++) printf " %s |", titles[j]; printf "\n|---|"
		for (j = 1; j <= nt; j++) printf "---|"; printf "\n"
		for (i = 1; i <= nk; i++) {
			printf "| %s |", keys[i]
			for (j = 1; j <= nt; j++) printf " %s |", ((titles[j], keys[i]) in cell) ? cell[titles[j], keys[i]] : "-"
			printf "\n"
		}
	}'
