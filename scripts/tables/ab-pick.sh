#!/bin/bash
# One markdown table out of a printer's output that holds several (e.g.
# scripts/tables/ab-over-boots.py), optionally only some of its rows:
#   PRINTER | scripts/tables/ab-pick.sh N [COLUMN=VALUE[,VALUE...]]...
# Prints the Nth table (1 = the first block of lines starting with "|") on
# stdin: its header and separator, then the rows whose cell under the header
# COLUMN is one of the VALUEs, for every COLUMN given (all rows when none).
# Exit 2 on bad arguments, a COLUMN the table lacks or no Nth table.
set -euo pipefail

usage() { echo "usage: PRINTER | scripts/tables/ab-pick.sh N [COLUMN=VALUE[,VALUE...]]..." >&2; exit 2; }
if (($# < 1)) || [[ ! $1 =~ ^[1-9][0-9]*$ ]]; then usage; fi
for f in "${@:2}"; do
	[[ $f == ?*=?* ]] || usage
done
n=$1
shift
awk -v n="$n" -v filters="$*" '
	function trim(s) { sub(/^ +/, "", s); sub(/ +$/, "", s); return s }
	function cells(line, out,   k, parts, i) {
		k = split(line, parts, "|")
		for (i = 2; i < k; i++) out[i - 1] = trim(parts[i])
		return k - 2
	}
	BEGIN {
		nf = split(filters, F, " ")
		for (i = 1; i <= nf; i++) {
			eq = index(F[i], "="); col[i] = substr(F[i], 1, eq - 1)
			nv = split(substr(F[i], eq + 1), v, ",")
			for (j = 1; j <= nv; j++) ok[i, v[j]] = 1
		}
	}
	/^\|/ { if (!intable) { t++; line = 0 }; intable = 1 }
	!/^\|/ { intable = 0; next }
	t != n { next }
	{ line++ }
	line == 1 {
		nh = cells($0, H)
		for (i = 1; i <= nf; i++) {
			idx[i] = 0
			for (j = 1; j <= nh; j++) if (H[j] == col[i]) idx[i] = j
			if (!idx[i]) { print "ab-pick: table " n " has no column " col[i] > "/dev/stderr"; bad = 1; exit 2 }
		}
		print; next
	}
	line == 2 { print; next }
	{
		cells($0, C)
		for (i = 1; i <= nf; i++) if (!((i, C[idx[i]]) in ok)) next
		print
	}
	END { if (!bad && t < n) { print "ab-pick: no table " n " on stdin" > "/dev/stderr"; exit 2 } }'
