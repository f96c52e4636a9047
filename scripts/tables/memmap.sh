#!/bin/bash
# A table of what the struct pages of device-dax namespaces cost, redone from
# the raw readings of scripts/memmap/measure.sh (no guest: it runs
# scripts/memmap/report.sh into a scratch folder, without graphs):
#   scripts/tables/memmap.sh [--table N] [--map mem|dev] RAW.csv...
#   scripts/tables/memmap.sh --summary RAW.csv...
# --table N: the Nth table of the table.md that report.sh writes (default 1:
# every kernel, align and map mode, measured beside the model); --map keeps
# the rows of that map mode (tables with a map column). --summary: one row
# per align, the RAM of -M mem on each kernel (the raw files' order) and the
# pmem reserved by -M dev on the first one, each with the model per TiB.
set -euo pipefail

usage() { echo "usage: scripts/tables/memmap.sh [--table N] [--map mem|dev] | --summary RAW.csv..." >&2; exit 2; }
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
table=1 map='' summary=0
while (($#)); do
	case $1 in
	--table) [[ ${2:-} =~ ^[1-9]$ ]] || usage; table=$2; shift 2 ;;
	--map) [[ ${2:-} == mem || ${2:-} == dev ]] || usage; map=$2; shift 2 ;;
	--summary) summary=1; shift ;;
	-*) usage ;;
	*) break ;;
	esac
done
(($#)) || usage
for f in "$@"; do [[ -f $f ]] || usage; done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$root/scripts/memmap/report.sh" --out "$tmp" --plots '' "$@" >/dev/null

if ((summary)); then
	awk -F, '
		function h(b,   a) {
			a = b < 0 ? -b : b
			if (a >= 1073741824) return sprintf("%.2f GiB", b / 1073741824)
			if (a >= 1048576) return sprintf("%.2f MiB", b / 1048576)
			if (a >= 1024) return sprintf("%.0f KiB", b / 1024)
			return sprintf("%d B", b)
		}
		NR == 1 { next }
		!($1 in seen) { seen[$1] = 1; L[++nl] = $1 }
		!($3 in sa) { sa[$3] = 1; A[++na] = $3 }
		$4 == "mem" && $7 == "ram-free+pcp" { mem[$1, $3] = h($6) " (" h($13) " per TiB)" }
		$4 == "dev" && $7 == "pmem-dataoff" { dev[$1, $3] = h($6) " (" h($13) " per TiB)" }
		$4 == "dev" && $7 == "ram-free+pcp" { devram[$1, $3] = h($6) }
		END {
			printf "| align"
			for (i = 1; i <= nl; i++) printf " | -M mem, %s: RAM", L[i]
			printf " | -M dev, %s: pmem reserved | -M dev, %s: RAM |\n|---", L[1], L[1]
			for (i = 1; i <= nl + 2; i++) printf "|---:"
			printf "|\n"
			for (j = 1; j <= na; j++) {
				printf "| %s", A[j]
				for (i = 1; i <= nl; i++) printf " | %s", mem[L[i], A[j]]
				printf " | %s | %s |\n", dev[L[1], A[j]], devram[L[1], A[j]]
			}
		}' "$tmp/memmap.csv"
	exit 0
fi

# The Nth block of "|" lines of table.md; --map keeps the rows whose map
# column (the one headed "map") says so.
awk -F'|' -v want="$table" -v map="$map" '
	/^\|/ { if (!inb) { inb = 1; n++; hdr = 1 } }
	!/^\|/ { inb = 0; next }
	n != want { next }
	hdr == 1 { for (i = 2; i <= NF; i++) { c = $i; gsub(/ /, "", c); if (c == "map") mc = i } }
	hdr > 0 { print; hdr = hdr == 1 ? 2 : 0; next }
	map == "" || !mc { print; next }
	{ c = $mc; gsub(/ /, "", c); if (c == map) print }
	END { if (n < want) { printf "tables/memmap.sh: table.md has %d table(s)\n", n > "/dev/stderr"; exit 1 } }
' "$tmp/table.md"
