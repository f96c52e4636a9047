#!/usr/bin/env bash
# scripts/memmap/report.sh and scripts/memmap.sh --report-only on raw rows
# with known answers: the RAM a step takes is read from free + per-CPU pages,
# the median and its noise are right, the expected values are the model's, a
# value off the model is called a difference, and bad input is refused
# without writing anything. No guest is booted.
source "$(dirname "$0")/../lib.sh"

R=$TOP/scripts/memmap/report.sh
H='label,kernel,align,map,namespace,namespace_bytes,ns_resource,pfn_mode,pfn_resource,pfn_bytes,dax_bytes,seq,state,free_pages,pcp_pages,memmap_pages,slab_pages,percpu_kib'
# gen LABEL ALIGN MAP PFN_RESOURCE DAX_BYTES T0 T1 T2...: readings none, on, off, on, ...
# (T = free + per-CPU pages; the per-CPU part is 100, except 3000 in the third reading).
gen() {
	local l=$1 a=$2 m=$3 pres=$4 dax=$5 seq=0 st pcp
	shift 5
	for t in "$@"; do
		case $seq in 0) st=none ;; *) st=$((seq % 2 ? 1 : 0)); [ "$st" = 1 ] && st=on || st=off ;; esac
		pcp=100
		[ "$seq" = 2 ] && pcp=3000
		echo "$l,6.1.0-test,$a,$m,namespace0.0,4294967296,0x100000000,$([ "$m" = dev ] && echo pmem || echo ram),$pres,$dax,$dax,$seq,$st,$((t - pcp)),$pcp,,0,0"
		seq=$((seq + 1))
	done
}
mkdir -p "$TMP/res/raw"
{
	echo "$H"
	# 2M -M mem, compound: 4096 + 32 pages per step (one step 4130, one 4125)
	gen compound 2M mem 0x100200000 4292870144 500000 495872 500000 495872 500000 495870 499995
	# 1G -M mem, compound: 65 pages per step where the model says 40
	gen compound 1G mem 0x140000000 3221225472 500000 499935 500000 499935 500000
	# 2M -M dev: nothing in RAM, 66 MiB of the namespace reserved
	gen compound 2M dev 0x104200000 4225761280 500000 500000 500000 500000 500000
} >"$TMP/res/raw/compound.csv"
{
	echo "$H"
	gen base-pages 2M mem 0x100200000 4292870144 500000 483616 500000 483616 500000
	gen base-pages 1G mem 0x140000000 3221225472 500000 483616 500000 483616 500000
} >"$TMP/res/raw/base-pages.csv"

# A kernel with nr_memmap_pages (6.11+): 4096 pages of struct pages while enabled.
awk -F, -v OFS=, 'NR == 1 { print; next } $3 == "2M" && $4 == "mem" { $1 = "k612"; $16 = ($13 == "on") ? 4096 : 0; print }' \
	"$TMP/res/raw/compound.csv" >"$TMP/res/raw/k612.csv"

field() { # label align map source column-name
	awk -F, -v l="$1" -v a="$2" -v m="$3" -v s="$4" -v c="$5" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$1 == l && $3 == a && $4 == m && $7 == s { print $col[c] }' "$TMP/res/memmap.csv"
}
want() { # label align map source column value
	local got
	got=$(field "$1" "$2" "$3" "$4" "$5")
	[ "$got" = "$6" ] || die "$1 $2 $3 $4 $5: got '$got', want '$6'"
}

plots=$TMP/plots
command -v gnuplot >/dev/null || plots=''
capture "$R" --out "$TMP/res" --plots "$plots" "$TMP/res/raw/compound.csv" "$TMP/res/raw/base-pages.csv" "$TMP/res/raw/k612.csv"
expect_rc 0 "report"
[ "$(head -n1 "$TMP/res/memmap.csv")" = "label,kernel,align,map,namespace_bytes,memmap_bytes,source,samples,noise_bytes,expected_bytes,verdict,per_gib_bytes,tib_model_bytes,usable_bytes" ] ||
	die "memmap.csv header: $(head -n1 "$TMP/res/memmap.csv")"
# compound 2M mem: steps 4128 4128 4128 4130 4125 pages -> median 4128, noise 3 pages
want compound 2M mem ram-free+pcp memmap_bytes $((4128 * 4096))
want compound 2M mem ram-free+pcp samples 5
want compound 2M mem ram-free+pcp noise_bytes $((3 * 4096))
want compound 2M mem ram-free+pcp expected_bytes $((4096 * 4096 + 32 * 4096))
want compound 2M mem ram-free+pcp verdict agrees
want compound 2M mem ram-free+pcp per_gib_bytes $((4128 * 4096 / 4))
want compound 2M mem ram-free+pcp usable_bytes 4292870144
want compound 2M mem pmem-dataoff memmap_bytes $((2 << 20))
want compound 2M mem pmem-dataoff verdict agrees
# MemFree alone sees the ~2900 pages that went to the per-CPU lists
[ "$(field compound 2M mem ram-memfree noise_bytes)" -ge $((2800 * 4096)) ] || die "MemFree alone: noise too small"
# 1G: the model says 4 x 2 vmemmap pages + 32 PTE tables = 40 pages; 65 is a finding
want compound 1G mem ram-free+pcp expected_bytes $((40 * 4096))
want compound 1G mem ram-free+pcp verdict "differs by +100 KiB"
want compound 1G mem pmem-dataoff memmap_bytes $((1 << 30))
want compound 1G mem pmem-dataoff tib_model_bytes $((1 << 30))
# -M dev: 64 B per 4 KiB page + the 8 KiB info block, rounded up to 2 MiB = 66 MiB
want compound 2M dev pmem-dataoff memmap_bytes $((66 << 20))
want compound 2M dev pmem-dataoff expected_bytes $((66 << 20))
want compound 2M dev pmem-dataoff verdict agrees
want compound 2M dev pmem-dataoff tib_model_bytes $(((16 << 30) + (2 << 20)))
want compound 2M dev ram-free+pcp memmap_bytes 0
want compound 2M dev ram-free+pcp verdict agrees
# base-pages: 64 B per 4 KiB page at every align
want base-pages 2M mem ram-free+pcp expected_bytes $((64 << 20))
want base-pages 1G mem ram-free+pcp verdict agrees
want base-pages 1G mem ram-free+pcp tib_model_bytes $((16 << 30))
# nr_memmap_pages: the struct pages alone, without the PTE tables that map them
want k612 2M mem vmstat-nr_memmap memmap_bytes $((4096 * 4096))
want k612 2M mem vmstat-nr_memmap expected_bytes $((4096 * 4096))
want k612 2M mem vmstat-nr_memmap verdict agrees
[ -z "$(field compound 2M mem vmstat-nr_memmap memmap_bytes)" ] || die "an nr_memmap row for a kernel without the counter"
grep -qF '| k612 | 2M | mem | 16.00 MiB | 0 B | 16.00 MiB | agrees |' "$TMP/res/table.md" || die "table.md lacks the nr_memmap_pages line"
grep -qF '| compound | 2M | 16.12 MiB | 64.00 MiB | 1/4.0 |' "$TMP/res/table.md" ||
	die "table.md lacks the compound/base-pages ratio at 2M: $(cat "$TMP/res/table.md")"
grep -qF '| compound | 1G | mem | RAM | 260 KiB | 0 B | 160 KiB | differs by +100 KiB | 65 KiB | 40.00 MiB | 3072 MiB of 4096 MiB |' "$TMP/res/table.md" ||
	die "table.md lacks the 1G finding"
if [ -n "$plots" ]; then
	for p in per-gib per-tib; do
		[ "$(head -c 4 "$plots/$p.png" | tail -c 3)" = PNG ] || die "$p.png is not a PNG"
	done
fi

# scripts/memmap.sh --report-only: the same from DIR/raw, in the order given.
rm -f "$TMP/res/memmap.csv"
capture "$TOP/scripts/memmap.sh" --report-only --kernels base-pages,compound --out "$TMP/res" --plots "$TMP/plots2"
expect_rc 0 "memmap.sh --report-only"
[ "$(sed -n 2p "$TMP/res/memmap.csv" | cut -d, -f1)" = base-pages ] || die "--report-only: kernels not in the order given"
capture "$TOP/scripts/memmap.sh" --kernels debian-6.1 --rounds 3 --dry-run --out "$TMP/dry"
expect_rc 0 "memmap.sh --dry-run"
grep -qF -- '--memmap --namespaces 4K:4G:mem,2M:4G:mem,1G:4G:mem,4K:4G:dev,2M:4G:dev,1G:4G:dev --rounds 3 --label debian-6.1 --nvdimm-size 8G' "$TMP/out" ||
	die "--dry-run: $(cat "$TMP/out")"
[ ! -e "$TMP/dry" ] || die "--dry-run created its output folder"
# The pin half needs a kernel built here first: with Debian's it is left out, and said so.
grep -q 'the pin half (scripts/memmap/pins.sh) is left out: debian-6.1' "$TMP/err" || die "--dry-run: no note on the pin half: $(cat "$TMP/err")"
capture "$TOP/scripts/memmap.sh" --kernels debian-6.1 --no-pins --dry-run --out "$TMP/dry"
expect_rc 0 "memmap.sh --no-pins --dry-run"
! grep -q 'pin half' "$TMP/err" || die "--no-pins still speaks of the pin half"

# Bad input: one line naming the value, exit 2, nothing written.
cp "$TMP/res/memmap.csv" "$TMP/before.csv"
export PB_GUEST_DIR=$TMP/guest
refusals=(
	"kernel 'nosuch': no build/kernel/nosuch|$TOP/scripts/memmap.sh --kernels nosuch"
	"kernel 'grab-once': no $TMP/res/raw/grab-once.csv|$TOP/scripts/memmap.sh --report-only --kernels grab-once"
	"--aligns: '3M' is not 4K, 2M or 1G|$TOP/scripts/memmap.sh --kernels debian-6.1 --aligns 4K,3M"
	"--maps: 'ram' is not mem or dev|$TOP/scripts/memmap.sh --kernels debian-6.1 --maps ram"
	"kernel 'debian-6.12': none unpacked in $TMP/guest/kernel|$TOP/scripts/memmap.sh --kernels debian-6.12 --dry-run"
	"--size '512M'|$TOP/scripts/memmap.sh --kernels debian-6.1 --size 512M"
	"--rounds '0'|$TOP/scripts/memmap.sh --kernels debian-6.1 --rounds 0"
	"unknown argument '--fast'|$TOP/scripts/memmap.sh --fast"
	"is not a measure.sh raw file|$R --out $TMP/res $TMP/before.csv"
	"no file $TMP/nosuch.csv|$R --out $TMP/res $TMP/nosuch.csv"
	"no raw files given|$R --out $TMP/res"
)
for r in "${refusals[@]}"; do
	IFS='|' read -r msg cmd <<<"$r"
	# shellcheck disable=SC2086
	capture $cmd --out "$TMP/res" --plots "$TMP/plots3"
	[ "$RC" = 2 ] || die "$cmd: exit $RC, want 2"
	[ "$(wc -l <"$TMP/err")" = 1 ] || die "$cmd: more than one line: $(cat "$TMP/err")"
	grep -qF -- "$msg" "$TMP/err" || die "$cmd: message lacks '$msg': $(cat "$TMP/err")"
	cmp -s "$TMP/res/memmap.csv" "$TMP/before.csv" || die "$cmd was refused but rewrote memmap.csv"
	[ ! -e "$TMP/plots3" ] || die "$cmd was refused but made a plots folder"
done
# pins.sh: the kernel must be a built label, named as such.
for k in nosuch ../../README.md; do
	capture "$TOP/scripts/memmap/pins.sh" --kernel "$k" --out "$TMP/pins"
	[ "$RC" = 2 ] || die "pins.sh --kernel $k: exit $RC, want 2"
	grep -qF -- "--kernel '$k': no build/kernel/$k" "$TMP/err" || die "pins.sh --kernel $k: $(cat "$TMP/err")"
	[ ! -e "$TMP/pins" ] || die "pins.sh --kernel $k was refused but made its folder"
done
echo "memmap report: 30 values, the table, $((${#refusals[@]} + 2)) refusals"
