#!/usr/bin/env bash
# pinbench run on DRAM regions with the methods that need no hardware:
# every row carries its setting, the summary is derived, the audit balances.
source "$(dirname "$0")/../lib.sh"

reserve_hugetlb_2m 8

for region in hugetlb:2M thp anon; do
	for method in iouring odirect; do
		pb run --region "$region" --method "$method" --sizes 2M..8M --reps 3 --warmup 1 \
			--label t1 --outdir "$TMP/res" --quiet
		expect_rc 0 "$method on $region"
		slug=${region/:/-}
		f=$(ls "$TMP"/res/t1/*-"$method"-"$slug".csv)
		[ -z "$(ls "$TMP"/res/t1/*.partial 2>/dev/null)" ] || die "partial file left after a complete run"
		grep -q '^# pinbench_format: 3$' "$f" || die "$f: no format line"
		grep -q "^# region: $region\$" "$f" || die "$f: no region line"
		grep -q '^# clock: CLOCK_MONOTONIC_RAW, [0-9]* ns per read$' "$f" || die "$f: no clock cost"
		grep -q '^label,kernel,method,region,backing,align,node,size,rep,op,ns,status,pins_acq,pins_rel,chunk,threads,thread,call,boot_id,boot_seq,foll_pin$' "$f" ||
			die "$f: header"
		data_rows "$f" | awk -F, -v id="$(cat /proc/sys/kernel/random/boot_id)" '$19 != id || $21 != "yes" { bad = 1 } END { exit bad }' ||
			die "$f: a row without this boot's boot_id or foll_pin yes"
		pins=$(data_rows "$f" | awk -F, '$10 == "pin"' | wc -l)
		[ "$pins" = 9 ] || die "$f: $pins pin rows, expected 3 sizes x 3 reps"
		if [ "$method" = iouring ]; then
			unpins=$(data_rows "$f" | awk -F, '$10 == "unpin"' | wc -l)
			[ "$unpins" = 9 ] || die "$f: $unpins unpin rows, expected 9"
		else
			# 1 MiB I/Os: 2 + 4 + 8 per rep.
			ios=$(data_rows "$f" | awk -F, '$10 == "io"' | wc -l)
			[ "$ios" = 42 ] || die "$f: $ios io rows, expected 42"
		fi
		bad=$(data_rows "$f" | awk -F, -v m="$method" '$1 != "t1" || $3 != m || $12 != "ok" || $11 <= 0' | wc -l)
		[ "$bad" = 0 ] || die "$f: $bad rows with a wrong setting, status or time"
		# The printed summary has a line per size and op.
		grep -qE '^8M +pin +3 ' "$TMP/out" || { cat "$TMP/out"; die "no summary line for 8M pin"; }
	done
done

pb summary "$TMP"/res/t1/*.csv
expect_rc 0 summary
head -n 1 "$TMP/out" | grep -q '^label,kernel,method,region,backing,align,node,size,op,n,failed,min,p50' ||
	die "summary header"
lines=$(tail -n +2 "$TMP/out" | wc -l)
# 3 regions x (iouring: 3 sizes x pin/unpin + odirect: 3 sizes x pin + one 1M io)
[ "$lines" = 30 ] || die "summary has $lines lines, expected 30"
# p50 within [min, max], n = 3 for pin rows.
tail -n +2 "$TMP/out" | awk -F, '$9 == "pin" && ($10 != 3 || $13 < $12 || $13 > $16) { bad++ } END { exit bad > 0 }' ||
	die "summary statistics inconsistent"
# Derived, not measured: summarising twice gives the same bytes.
cp "$TMP/out" "$TMP/sum1"
pb summary "$TMP"/res/t1/*.csv
cmp -s "$TMP/out" "$TMP/sum1" || die "summary is not a pure function of the rows"

# io_uring registration pins with FOLL_PIN on every kernel: it must balance.
if is_root && grep -q nr_foll_pin_acquired /proc/vmstat; then
	v=$(awk -F, '$3 == "iouring" && $9 == "pin" { print $23 }' "$TMP/sum1" | sort -u)
	[ "$v" = balanced ] || die "iouring audit verdicts: $v"
fi
echo ok
