#!/usr/bin/env bash
# The demo's last step: this machine's medians beside the committed reference.
# A run that is the reference with every time doubled must show each setting
# of the reference once, at its largest size (2G for the 1G device: sizes past
# 32 bits once printed as 0), with the reference's median, twice that, and a
# ratio of 2.00 inside its interval; bad arguments are refused.
source "$(dirname "$0")/../lib.sh"

ref=$TOP/results/reference/6.1.0-57-amd64
[ -d "$ref" ] || die "no committed reference at $ref"
run=$TMP/mine
mkdir -p "$run"
for f in "$ref"/*rdma*.csv "$ref"/*vfio*.csv; do
	awk -F, -v OFS=, '
		/^# label: / { print "# label: mine"; next }
		/^#/ || $1 == "label" { print; next }
		{ $1 = "mine"; $11 = $11 * 2; print }' "$f" >"$run/${f##*/}"
done

bash "$TOP/scripts/vs-reference.sh" "$ref" "$run" >"$TMP/table" 2>"$TMP/err" ||
	{ cat "$TMP/err"; die "vs-reference.sh failed"; }
[ -f "$run/vs-reference/report.md" ] || die "no report.md"
[ -f "$run/vs-reference/table.md" ] || die "no table.md"

rows=$(grep -c '^| \(rdma\|vfio\) |' "$TMP/table")
# rdma and vfio on devdax 4K/2M/1G, hugetlb 2M, thp, anon: 6 settings x 2 ops x 2 methods.
[ "$rows" = 24 ] || { cat "$TMP/table"; die "expected 24 rows, got $rows"; }
# Each ratio is 2.00 and its interval holds it.
bad=$(grep '^| \(rdma\|vfio\) |' "$TMP/table" | awk -F'|' '{
	split($9, r, /[][ ,]+/)
	if (r[2] != "2.00" || r[3] + 0 > 2 || r[4] + 0 < 2) print }')
[ -z "$bad" ] || die "rows whose ratio is not 2.00 inside its interval: $bad"
line=$(grep '^| rdma | pin | devdax | 1G |' "$TMP/table")
[[ $line == *'| 2G |'* ]] || die "1G device row is not at 2G: $line"
# The reference median of that row, from pinbench summary, and twice it.
refns=$("$PINBENCH" summary "$ref"/*rdma-devdax-dax0.2.csv |
	awk -F, '$1 == "label" { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["op"] == "pin" && $c["size"] == 2147483648 { print $c["p50"] }')
[ -n "$refns" ] || die "no 2G pin median in the reference summary"
want_ref=$(awk -v n="$refns" 'BEGIN { printf "%.2f ms", n / 1e6 }')
want_run=$(awk -v n="$refns" 'BEGIN { printf "%.2f ms", 2 * n / 1e6 }')
[[ $line == *"| $want_ref | $want_run |"* ]] || die "1G row '$line' lacks '$want_ref | $want_run'"

# Refusals.
for args in "" "$ref" "$ref $TMP/nothere" "$TMP/nothere $run"; do
	# shellcheck disable=SC2086
	if bash "$TOP/scripts/vs-reference.sh" $args >/dev/null 2>"$TMP/err"; then
		die "vs-reference.sh $args succeeded"
	fi
	[ -s "$TMP/err" ] || die "vs-reference.sh $args: no message"
done
echo "ok: 24 settings at their largest common size, ratio 2.00 each, 2G row median $want_ref"
