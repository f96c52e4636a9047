#!/usr/bin/env bash
# make ladder without a guest: a synthetic ladder folder (3 kernels x 3 boots
# of handwritten result files) where one setting gets 2x slower at the second
# step and one pin audit verdict changes at the first; the report names
# exactly that step and that change, the skipped settings, the drifted boot
# (left out by the whole run's rule), and draws the graphs. A kernel with one
# boot is named and spanned. scripts/ladder.sh with a stubbed
# debian-kernel.sh that refuses one series and a stubbed make ab: the refused
# series is named and left out, the others measured and reported. Bad input:
# one line, exit 2. No timing is checked.
source "$(dirname "$0")/../lib.sh"
command -v gnuplot >/dev/null || skip "no gnuplot"
LADDER=$TOP/scripts/ladder.sh
REPORT=$TOP/scripts/ladder/report.sh
unset AB_EXCLUDE LADDER_SERIES LADDER_PLOTS BOOTS AB_OUT

# One boot of a kernel: rows of every setting; the times depend on the rep
# only (every boot and kernel alike), except vfio devdax 2M at 1G pin, 2x
# slower from debian-6.16 on. vfio devdax 4K leaks on debian-6.1 only; rdma
# devdax 2M at 2M releases one page too many once per 6.16 boot (noise).
# mkboot DIR KERNEL SEQ [END_NS]
mkboot() {
	local d=$1 k=$2 seq=$3 end=${4:-500000000} id rel
	id=$(cat /proc/sys/kernel/random/uuid)
	rel=${k#debian-}.0-1-amd64
	mkdir -p "$d"
	printf 'start boot_id=%s uptime_s=20.0 calibrate: ns=500000000 rounds=5 min_ns=1 max_ns=2 work=walk1-4MiB-512K checksum=0\n' "$id" >"$d/calibrate.txt"
	printf 'end boot_id=%s uptime_s=90.0 calibrate: ns=%s rounds=5 min_ns=1 max_ns=2 work=walk1-4MiB-512K checksum=0\n' "$id" "$end" >>"$d/calibrate.txt"
	printf 'summary: load 0.05 CPUs\nbusy: no\n' >"$d/host.txt"
	printf 'name: %s\nboot_seq: %s\n' "$k" "$seq" >"$d/kernel.txt"
	local m reg back al base f
	for spec in rdma:devdax:/dev/dax0.1:2097152:3000000 vfio:devdax:/dev/dax0.0:4096:9000000 \
		vfio:devdax:/dev/dax0.1:2097152:2000000 iouring:thp:thp:2097152:4000000; do
		IFS=: read -r m reg back al base <<<"$spec"
		[[ $reg != devdax ]] || back=/dev/${back#/dev/}
		f=$d/20260101-00000$seq-$m-$reg-${back##*/}.csv
		{
			printf '# pinbench_format: 2\n# label: %s\n# kernel: %s\n# boot_id: %s\n# boot_seq: %s\n' "$k" "$rel" "$id" "$seq"
			echo 'label,kernel,method,region,backing,align,node,size,rep,op,ns,status,pins_acq,pins_rel,chunk,threads,thread,call'
			for size in 2097152 1073741824; do
				local pages=$((size / 4096)) b=$((base * (size / 2097152 > 1 ? 64 : 1)))
				[[ $m:$al:$size != vfio:2097152:1073741824 || $k == debian-6.1 || $k == debian-6.12 ]] || b=$((b * 2))
				for i in 0 1 2; do
					local rel_pages=$pages
					[[ $m:$al != vfio:4096 || $k != debian-6.1 ]] || rel_pages=0
					# counter noise: one page more released in one call of each 6.16 boot
					[[ $m:$size:$i != rdma:2097152:0 || $k != debian-6.16 ]] || rel_pages=$((pages + 1))
					echo "$k,$rel,$m,$reg,$back,$al,0,$size,$i,pin,$((b + i * 1000)),ok,$pages,0,0,1,0,0"
					echo "$k,$rel,$m,$reg,$back,$al,0,$size,$i,unpin,$((base / 2 + size / 4096 + i * 1000)),ok,0,$rel_pages,0,1,0,0"
				done
			done
		} >"$f"
	done
	{
		echo "[1/5] rdma on devdax:/dev/dax0.1: measured in 3s -> $k/x.csv"
		[[ $k != debian-6.1 ]] || echo "[2/5] iouring on devdax:/dev/dax0.1: skipped: iouring: this kernel's io_uring refuses fixed buffers backed by a file other than shmem or hugetlbfs (/dev/dax0.1, devdax; 6.1: io_pin_pages). Nothing to measure here"
		[[ $k != debian-6.12 ]] || echo "[3/5] rdma on devdax:/dev/dax0.2: skipped a size: rdma cannot register 1 GiB in one memory region on $rel: at most 512 MiB (rxe); use --sizes up to 512M for soft-RoCE, or a real RDMA NIC; size skipped"
	} >"$d/sweep-outcomes.txt"
	touch "$d/.complete"
}
L=$TMP/ladder
seq=0
for r in 1 2 3; do
	for k in debian-6.1 debian-6.12 debian-6.16; do
		seq=$((seq + 1))
		end=500000000
		[[ $k:$r != debian-6.16:3 ]] || end=700000000 # this boot's loop ran 1.4x slow at its end
		mkboot "$L/r$r/$k" "$k" "$seq" "$end"
	done
done

# ---- the report ----
capture bash "$REPORT" "$L" "$TMP/ladder-plots"
expect_rc 0 "report.sh $L"
md=$L/ladder.md
[[ -s $md ]] || die "no ladder.md"
for s in 6.1-6.12 6.12-6.16; do
	[[ -s $L/steps/$s/compare.csv && -s $L/steps/$s/report.md ]] || die "steps/$s lacks its compare"
done
[[ ! -e $L/steps/6.1-6.16 ]] || die "a step between non-adjacent kernels"
# Exactly one significant row: the 2x step, at 6.12 -> 6.16.
sig=$(grep -E '^\| [0-9.]+ -> [0-9.]+ \| [a-z]+ \| ' "$md" | grep -E '(slower|faster)\*\* [0-9.]+x' || true)
[[ $(grep -c . <<<"$sig") == 1 ]] || { cat "$md"; die "want exactly one significant step row, got: $sig"; }
grep -qE '^\| 6\.12 -> 6\.16 \| vfio \| devdax \| 2M \| 1G \| pin \| .* \| 2\.000 \[2\.000, 2\.000\] \| \*\*slower\*\* 2\.00x \|$' <<<"$sig" ||
	die "the significant row is not vfio devdax 2M 1G pin, 6.12 -> 6.16, 2x slower: $sig"
grep -q '^| 6.1 -> 6.12 | 16 | 0 | 0 |$' "$md" || { grep '^| 6.1' "$md"; die "step 6.1 -> 6.12: want 16 settings compared, none significant"; }
grep -q '^| 6.12 -> 6.16 | 16 | 1 | 0 |$' "$md" || die "step 6.12 -> 6.16: want 16 compared, 1 slower"
# Exactly one audit change: vfio devdax 4K, leaked on 6.1, balanced on 6.12 (both sizes, one row).
aud=$(sed -n '/^## Pin audit changes/,/^\*\*Verdicts/p' "$md" | grep -E '^\| [0-9.]+ -> ' || true)
[[ $(grep -c . <<<"$aud") == 1 ]] || { cat "$md"; die "want one audit change row (vfio devdax 4K at 2M and 1G), got: $aud"; }
grep -qE '^\| 6\.1 -> 6\.12 \| vfio \| devdax \| 4K \| 2M, 1G \| leaked \([0-9]+ / [0-9]+ pages\) \| balanced \|$' <<<"$aud" ||
	die "the audit change vfio devdax 4K leaked -> balanced is not named: $aud"
grep -q '^Imbalances under one page per call, counted as balanced (settings, largest in pages): 6.16: 1 (3)\. ' "$md" ||
	{ cat "$md"; die "the small over-release of rdma on 6.16 is not counted as balanced and listed"; }
grep -q '^| vfio | devdax | 4K | leaked | balanced | balanced |$' "$md" || die "the verdict overview lacks vfio devdax 4K"
# Skips, by kernel, with the devdax namespace named by its align where known.
grep -qE '^\| iouring \| devdax 2M \(/dev/dax0\.1\) \| unsupported \| 6\.1 \(3/3\) \| this kernel.s io_uring refuses' "$md" ||
	{ sed -n '/^## Skipped/,$p' "$md"; die "the iouring skip on 6.1 is not listed"; }
grep -qE '^\| rdma \| devdax:/dev/dax0\.2 \| size skipped \| 6\.12 \(3/3\) \| rdma cannot register 1 GiB' "$md" ||
	{ sed -n '/^## Skipped/,$p' "$md"; die "the rdma size skip on 6.12 is not listed"; }
# The drifted boot: judged on the whole run, left out of the step.
grep -qE '^\| 6\.16 \| 6\.16\.0-1-amd64 \| 3 \| 2 \| r3/debian-6\.16: drifted \|$' "$md" || { grep '^| 6.16' "$md"; die "the drifted boot of 6.16 is not left out"; }
grep -q 'excluded' "$L/steps/6.12-6.16/report.md" || die "the step's own report does not mark the drifted boot excluded"
# The graphs: one per method and op, PNG and SVG, non-empty.
for g in rdma-pin rdma-unpin vfio-pin vfio-unpin iouring-pin iouring-unpin; do
	[[ -s $TMP/ladder-plots/ladder-$g.png && -s $TMP/ladder-plots/ladder-$g.svg ]] || die "graph ladder-$g not drawn"
	grep -q "ladder-$g.png" "$md" || die "ladder.md does not list ladder-$g"
done
[[ $(file -b "$TMP/ladder-plots/ladder-vfio-pin.png") == PNG* ]] || die "ladder-vfio-pin.png is not a PNG"
grep -q '^"devdax 2M" x p50 lo hi slot$' "$TMP/ladder-plots/data/ladder-vfio-pin.dat" || die "the graph data lacks the devdax 2M series"
[[ -z $(find "$L" -maxdepth 1 -name '.ladder-report.*') ]] || die "a temporary folder was left behind"

# Run again: the same outputs, replaced whole.
before=$(cat "$md")
capture bash "$REPORT" "$L" "$TMP/ladder-plots"
expect_rc 0 "report.sh again"
[[ $(cat "$md") == "$before" ]] || die "a second report differs from the first"

# A kernel with one boot is named and left out of the steps, which span it.
cp -a "$L" "$TMP/few"
rm -rf "$TMP/few/r2/debian-6.12" "$TMP/few/r3/debian-6.12" "$TMP/few/steps" "$TMP/few/ladder" "$TMP/few/ladder.md"
capture bash "$REPORT" "$TMP/few" "$TMP/plots-few"
expect_rc 0 "report.sh on a ladder with one boot of 6.12"
grep -q '^| 6.12 | .* | 1 | 1 | fewer than 2 boots: out of the steps |$' "$TMP/few/ladder.md" || die "6.12's single boot is not named"
[[ -d $TMP/few/steps/6.1-6.16 && ! -e $TMP/few/steps/6.1-6.12 ]] || die "the step does not span 6.12"
grep -qE '^\| 6\.1 -> 6\.16 \| vfio \| devdax \| 2M \| 1G \| pin \|' "$TMP/few/ladder.md" || die "the spanning step lacks the 2x row"
# --complete-only (a report while make ab runs): the boot in progress is named and left out.
rm "$TMP/few/r3/debian-6.16/.complete"
capture bash "$REPORT" --complete-only "$TMP/few" "$TMP/plots-few"
expect_rc 0 "report.sh --complete-only"
grep -q '^| 6.16 | .* | 2 | 2 | r3/debian-6.16: not complete |$' "$TMP/few/ladder.md" ||
	{ grep '^| 6.16' "$TMP/few/ladder.md"; die "--complete-only: the unfinished boot is not named"; }

# Bad input: one line, exit 2, nothing written.
bad() {
	local want=$1
	shift
	capture "$@"
	expect_rc 2 "$*"
	[[ $(wc -l <"$TMP/err") == 1 ]] || { cat "$TMP/err"; die "$*: want one line on stderr"; }
	expect_err "$want"
}
bad 'is not a folder' bash "$REPORT" "$TMP/nothere"
mkdir -p "$TMP/empty/r1/debian-6.1"
bad 'a ladder needs 2 or more' bash "$REPORT" "$TMP/empty"
bad "unknown option '--bogus'" bash "$REPORT" --bogus "$L"
bad 'is not a series' env LADDER_SERIES="6.1 six" bash "$LADDER" --dry-run
bad 'given twice' env LADDER_SERIES="6.1 6.1" bash "$LADDER" --dry-run
bad 'no such folder' bash "$LADDER" --report-only "$TMP/nothere"
bad "unknown option '--fast'" bash "$LADDER" --fast
bash "$LADDER" --help | grep -q 'report-only DIR' || die "ladder.sh --help"
bash "$REPORT" --help | grep -q 'excludes 1' || die "report.sh --help"

# ---- scripts/ladder.sh: a refused series is named and left out ----
cat >"$TMP/fetch.sh" <<'EOF'
#!/usr/bin/env bash
case $1 in
debian:6.19) echo "progress line" >&2; echo "debian-kernel: kernel 'debian:6.19': no complete 6.19 kernel in trixie-backports: linux-modules-6.19.3+deb13-amd64 is not listed; choose another series" >&2; exit 2 ;;
debian:*) s=${1#debian:}; echo "KERNEL=/x/vmlinuz-$s"; echo "MODULES=/x/modules/$s"; echo "RELEASE=$s.0-1-amd64" ;;
esac
EOF
cat >"$TMP/ab.sh" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
printf '%s|%s|%s|%s|%s\n' "${PROFILE:-}" "${KERNELS:-}" "${AB_OUT:-}" "${AB_PLOTS-unset}" "$*" >>"$STUB_LOG"
[[ ${1:-} == --dry-run ]] && { echo "stub plan"; exit 0; }
mkdir -p "$AB_OUT"
cp -a "$SRC"/r? "$AB_OUT"/
EOF
chmod +x "$TMP/fetch.sh" "$TMP/ab.sh"
export LADDER_DEBIAN_KERNEL=$TMP/fetch.sh LADDER_AB=$TMP/ab.sh STUB_LOG=$TMP/stub.log SRC=$L
capture env LADDER_SERIES="6.1 6.12 6.19 6.16" AB_OUT="$TMP/run" LADDER_PLOTS="$TMP/plots-run" bash "$LADDER"
expect_rc 0 "ladder.sh with 6.19 refused"
grep -q "^ladder: 6.19: left out: kernel 'debian:6.19': no complete 6.19 kernel .*is not listed" "$TMP/out" ||
	{ cat "$TMP/out"; die "the refused series is not named with its reason"; }
[[ $(cat "$STUB_LOG") == "ladder|debian:6.1 debian:6.12 debian:6.16|$TMP/run||" ]] ||
	{ cat "$STUB_LOG"; die "make ab was not asked for the three complete series, PROFILE=ladder, AB_PLOTS empty"; }
grep -q '^left out: 6.19: ' "$TMP/run/ladder-series.txt" || die "ladder-series.txt lacks the refused series"
grep -qE '^== ladder: done in [0-9]+ min [0-9]+ s' "$TMP/out" || die "no elapsed time"
grep -q 'left out: 6.19' "$TMP/run/ladder.md" || die "ladder.md does not name the refused series"
grep -qE '^\| 6\.12 -> 6\.16 \| vfio \| devdax \| 2M \| 1G \| pin \|' "$TMP/run/ladder.md" || die "ladder.sh's report lacks the step"
[[ -s $TMP/plots-run/ladder-vfio-pin.png ]] || die "ladder.sh drew no graphs"
# --dry-run: the series and make ab's plan, nothing run.
: >"$STUB_LOG"
capture env LADDER_SERIES="6.1 6.19 7.3" AB_OUT="$TMP/dry" bash "$LADDER" --dry-run
expect_rc 0 "ladder.sh --dry-run"
grep -q 'stub plan' "$TMP/out" && grep -q '|--dry-run$' "$STUB_LOG" || die "--dry-run did not ask make ab for its plan"
[[ ! -e $TMP/dry ]] || die "--dry-run wrote results"
# Fewer than two complete series: refused before anything runs.
bad 'fewer than two series' env LADDER_SERIES="6.19 6.1" AB_OUT="$TMP/none" bash "$LADDER"
# --report-only redoes the report of a finished folder.
capture env LADDER_PLOTS="$TMP/plots-ro" bash "$LADDER" --report-only "$TMP/run"
expect_rc 0 "ladder.sh --report-only"
[[ -s $TMP/plots-ro/ladder-rdma-pin.png ]] || die "--report-only drew no graphs"
echo "ladder: steps, audit changes, skips, drift and graphs; refused series left out"
