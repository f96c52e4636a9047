#!/bin/bash
# The tables of a scripts/many.sh result set, as markdown, from its rows:
#   scripts/tables/many.sh [--table threads|calls] [--size BYTES] results/many/SET
# --table prints that one table alone (no caption), as a document quotes it;
# --size keeps the rows of that size (bytes) only.
# Per-call rows: p50 and p99 of the single calls; total: p50 of the rep's wall
# time (barrier to last return) and the rate size / that p50. One boot per
# setting (its folder in raw/), QEMU TCG: compare rows with each other.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
pinbench=${PINBENCH:-$root/bench/pinbench}
usage() { echo "usage: scripts/tables/many.sh [--table threads|calls] [--size BYTES] results/many/SET (a folder with raw/)" >&2; exit 2; }
table='' size=''
while (($# > 1)); do
	case $1 in
	--table) [[ ${2:-} == threads || ${2:-} == calls ]] || usage; table=$2; shift 2 ;;
	--size) [[ ${2:-} =~ ^[0-9]+$ ]] || usage; size=$2; shift 2 ;;
	*) usage ;;
	esac
done
if (($# != 1)) || [[ ! -d $1/raw ]]; then usage; fi
set_dir=$1

summ() { # boot folder -> summary rows prefixed with the folder name
	local d=$1
	mapfile -t fs < <(find "$d" -name '*.csv' -o -name '*.csv.gz' | sort)
	((${#fs[@]})) || return 0
	"$pinbench" summary "${fs[@]}" | tail -n +2 | sed "s|^|$(basename "$d"),|"
}
all=$(for d in "$set_dir"/raw/*/; do summ "$d"; done)
[[ -n $all ]] || { echo "tables/many.sh: no rows under $set_dir/raw" >&2; exit 1; }
[[ -z $size ]] || all=$(awk -F, -v s="$size" '$9 == s' <<<"$all")

# Columns after the boot name: 2 label 3 kernel 4 method 5 region 6 backing 7 align 8 node 9 size 10 op
# 11 n 12 failed 13 min 14 p50 15 p90 16 p99 ... 24 verdict 25 chunk 26 threads
fmt='function sz(b) { return b >= 1073741824 ? (b / 1073741824) "G" : b >= 1048576 ? (b / 1048576) "M" : (b / 1024) "K" }
	function t(ns) { return ns >= 1e6 ? sprintf("%.1f ms", ns / 1e6) : sprintf("%.0f µs", ns / 1e3) }'

threads_table() {
	echo "| method | region | size | threads | context | p50 total | GiB/s | pin audit |"
	echo "|---|---|---:|---:|---|---:|---:|---|"
	awk -F, "$fmt"'
		$1 ~ /^threads-/ && $25 == 0 && ($10 == "pin-total" || ($10 == "pin" && $26 == 1)) {
			ctx = $1 ~ /p$/ ? "per-thread" : "shared"
			printf "| %s | %s %s | %s | %d | %s | %s | %.2f | %s |\n", $4, $5, sz($7), sz($9), $26, $26 == 1 ? "-" : ctx,
				t($14), $9 / $14 * 1e9 / 1073741824, $24
		}' <<<"$all" | sort -t'|' -k2,2 -k3,3 -k4,4V -k5,5n -k6,6
}
calls_table() {
	echo "| method | region | size | chunk | threads | calls per rep | call p50 | call p99 | p50 total | pin audit |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"
	awk -F, "$fmt"'
		$1 !~ /^threads-/ && $25 > 0 && $10 == "pin" { k = $4 SUBSEP $5 SUBSEP $7 SUBSEP $9 SUBSEP $25 SUBSEP $26; n[k] = $11; p50[k] = $14; p99[k] = $16; v[k] = $24 }
		$1 !~ /^threads-/ && $25 > 0 && $10 == "pin-total" { k = $4 SUBSEP $5 SUBSEP $7 SUBSEP $9 SUBSEP $25 SUBSEP $26; tot[k] = $14; reps[k] = $11 }
		END {
			for (k in n) {
				split(k, f, SUBSEP)
				printf "| %s | %s %s | %s | %s | %d | %d | %s | %s | %s | %s |\n", f[1], f[2], sz(f[3]), sz(f[4]), sz(f[5]), f[6],
					reps[k] ? n[k] / reps[k] : 0, t(p50[k]), t(p99[k]), t(tot[k]), v[k]
			}
		}' <<<"$all" | sort -t'|' -k2,2 -k3,3 -k5,5h -k6,6n
}

case $table in
threads) threads_table ;;
calls) calls_table ;;
*)
	echo "Kernel: $(awk -F, 'NR == 1 { print $3 }' <<<"$all")"
	echo
	echo "**One registration per thread** (threads boots; 1 thread: one call per rep):"
	echo
	threads_table
	echo
	echo "**Many registrations** (chunks and permr boots): each call alone, and the rep:"
	echo
	calls_table
	;;
esac
