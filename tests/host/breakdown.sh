#!/usr/bin/env bash
# pinbench run --breakdown on the host: bad values are refused with one line
# naming the value and the fix and leave no file; without function_graph the
# run is skipped (exit 77) and leaves no file; list -v prints the phase table;
# compare turns breakdown files beside the result files into per-phase
# ratios and bar data (synthetic files with a known 2x change in gup).
source "$(dirname "$0")/../lib.sh"

pb run --region anon --method iouring --sizes 2M --reps 1 --breakdown --breakdown-reps 0 --outdir "$TMP/r0"
expect_rc 2 "--breakdown-reps 0"
expect_err "--breakdown-reps 0 is out of range: use 1..1000"
[ ! -e "$TMP/r0" ] || die "--breakdown-reps 0 left files: $(find "$TMP/r0")"

pb list -v
expect_rc 0 "list -v"
grep -q -- '--breakdown phases (op, phase, function, where):' "$TMP/out" || die "list -v: no phase table"
grep -qE '^ +pin +gup +pin_user_pages_remote ' "$TMP/out" || die "list -v: vfio's gup line missing"

# A real run: skipped where the kernel has no function_graph (or no tracefs
# for us), complete where it has.
pb run --region anon --method iouring --sizes 2M,4M --reps 2 --breakdown --breakdown-reps 2 \
	--label bd --outdir "$TMP/res" --quiet
case $RC in
77)
	grep -qE 'function_graph|tracefs|in use' "$TMP/err" || die "exit 77 without saying why: $(cat "$TMP/err")"
	[ -z "$(find "$TMP/res" -type f 2>/dev/null)" ] || die "a skipped --breakdown run left files: $(find "$TMP/res" -type f)"
	echo "note: no function_graph here: $(tail -n1 "$TMP/err")"
	;;
0 | 3)
	bd=$(ls "$TMP"/res/bd/*.breakdown)
	grep -q '^label,kernel,method,region,backing,align,node,size,rep,op,phase,ns,calls,status$' "$bd" ||
		die "$bd: header"
	n=$(grep -c ',wall,' "$bd")
	[ "$n" = 8 ] || die "$bd: $n wall rows, expected 2 sizes x 2 reps x 2 ops"
	;;
*) cat "$TMP/err" >&2; die "run --breakdown: exit $RC" ;;
esac

# compare: labels a and b, b's gup twice a's; every rep status ok.
mk() { # label gup_ns
	local d=$TMP/cmp/$1 rep op
	mkdir -p "$d"
	{
		echo "label,kernel,method,region,backing,align,node,size,rep,op,ns,status,pins_acq,pins_rel"
		for rep in 0 1 2 3 4; do
			for op in pin unpin; do
				echo "$1,k,vfio,devdax,/dev/dax0.0,2097152,0,268435456,$rep,$op,$((30000000 + rep * 1000)),ok,,"
			done
		done
	} >"$d/x-vfio-devdax.csv"
	{
		echo "# breakdown_format: 1"
		echo "label,kernel,method,region,backing,align,node,size,rep,op,phase,ns,calls,status"
		for rep in 0 1 2 3 4; do
			echo "$1,k,vfio,devdax,/dev/dax0.0,2097152,0,268435456,$rep,pin,gup,$(($2 + rep * 100)),128,ok"
			echo "$1,k,vfio,devdax,/dev/dax0.0,2097152,0,268435456,$rep,pin,iommu,$((1000000 + rep * 10)),1,ok"
			echo "$1,k,vfio,devdax,/dev/dax0.0,2097152,0,268435456,$rep,pin,other,500000,0,ok"
			echo "$1,k,vfio,devdax,/dev/dax0.0,2097152,0,268435456,$rep,pin,wall,$(($2 + 1500000 + rep * 110)),0,ok"
		done
	} >"$d/x-vfio-devdax.breakdown"
}
mk a 10000000
mk b 20000000
pb compare --quiet --out "$TMP/cmp/out" "$TMP/cmp/a" "$TMP/cmp/b"
expect_rc 0 "compare with breakdown files"
grep -q '^phases: ' "$TMP/out" || die "compare did not say where phases.csv is"
line=$(grep '^vfio,devdax,2097152,268435456,pin,gup,b,' "$TMP/cmp/out/phases.csv") || die "no gup ratio row"
ratio=$(cut -d, -f11 <<<"$line")
sig=$(cut -d, -f14 <<<"$line")
awk -v r="$ratio" 'BEGIN { exit !(r > 1.99 && r < 2.01) }' || die "gup ratio $ratio, expected 2"
[ "$sig" = 1 ] || die "a 2x change in gup not significant: $line"
grep -q '| devdax | 2097152 | 268435456 | gup | 10.000 | b | 20.000 | 2.00' "$TMP/cmp/out/phases.md" ||
	die "phases.md lacks the gup row: $(cat "$TMP/cmp/out/phases.md")"
[ -f "$TMP/cmp/out/plot/bd-vfio-pin.dat" ] || die "no bar data"
[ "$(grep -c '^"' "$TMP/cmp/out/plot/bd-vfio-pin.dat")" = 2 ] || die "bar data: want one bar per label"

# A breakdown file with a wrong header is refused, naming the file.
sed -i 's/^label,kernel,method,region,backing,align,node,size,rep,op,phase,ns,calls,status$/label,oops/' \
	"$TMP/cmp/b/x-vfio-devdax.breakdown"
pb compare --quiet --out "$TMP/cmp/out2" "$TMP/cmp/a" "$TMP/cmp/b"
[ "$RC" != 0 ] || die "compare accepted a breakdown file with a wrong header"
expect_err "x-vfio-devdax.breakdown"
[ ! -e "$TMP/cmp/out2" ] || die "compare wrote files from a bad input: $(find "$TMP/cmp/out2")"
echo "breakdown host checks passed"
