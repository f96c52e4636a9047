#!/usr/bin/env bash
# Drift you can see, without a guest: hostload.sh records the host's steal
# time beside its load; make ab's loop (a stub stands in for
# scripts/qemu/run.sh and writes, as the guest does, a calibrate.txt of
# pinbench calibrate at the start and end of each boot) says each boot's
# calibration and the report leaves out the boot whose loop ran 1.4x slow at
# its end, with the rule, in report.md and boots.csv. No timing is checked.
source "$(dirname "$0")/../lib.sh"

# ---- hostload.sh: steal time from /proc/stat ----
echo $$ >"$TMP/pid"
(sleep 2.5 && touch "$TMP/stop") &
AB_SAMPLE=1 bash "$TOP/scripts/ab/hostload.sh" "$TMP/host.txt" "$TMP/pid" "$TMP/stop" ||
	die "hostload.sh failed"
wait
for k in steal_s steal_cpus steal_share steal_max_cpus; do
	grep -Eq "^$k: [0-9]+(\.[0-9]+)?$" "$TMP/host.txt" || { cat "$TMP/host.txt"; die "host.txt lacks a number for $k"; }
done
grep -Eq '^summary: .*; steal [0-9.]+ CPUs \(max [0-9.]+\); load ' "$TMP/host.txt" ||
	{ cat "$TMP/host.txt"; die "the summary does not give the steal time"; }
grep -q '^busy: \(yes\|no\)' "$TMP/host.txt" || die "host.txt lacks its busy line"
bash "$TOP/scripts/ab/hostload.sh" --help | grep -q steal_max_cpus || die "--help does not name the steal lines"

# ---- make ab's loop with calibrate.txt ----
export PB_GUEST_DIR=$TMP/guest AB_OUT=$TMP/out AB_PLOTS='' AB_SAMPLE=1 AB_RUN=$TMP/stub.sh
export PINBENCH_KBUILD=$TMP/kbuild
unset PROFILE KERNELS BOOTS MINE AB_EXCLUDE
mkdir -p "$PB_GUEST_DIR"
fake_bzimage() { # "HdrS" at 0x202 is all resolve.sh checks
	head -c 514 /dev/zero >"$1"
	printf 'HdrS%s' "$2" >>"$1"
}
fake_bzimage "$TMP/before.bz" before
fake_bzimage "$TMP/after.bz" after
# The stub: rows of rdma on 2M devdax at 1G (after 2x faster) and the
# guest's calibrate.txt lines; boot 3's loop ran 0.70 s at its end (0.50 s
# elsewhere): the host slowed during it.
cat >"$TMP/stub.sh" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
label='' results='' seq=''
while (($#)); do
	case $1 in
	--label) label=$2; shift 2 ;;
	--results) results=$2; shift 2 ;;
	--set) [[ $2 != boot-seq=* ]] || seq=${2#boot-seq=}; shift 2 ;;
	*) shift 2 ;;
	esac
done
mkdir -p "$results/$label"
id=$(cat /proc/sys/kernel/random/uuid)
end=500000000
[[ $seq != 3 ]] || end=700000000
printf 'start boot_id=%s uptime_s=20.0 calibrate: ns=%s rounds=5 min_ns=1 max_ns=2 work=walk1-4MiB-512K checksum=0\n' "$id" 500000000 >>"$results/$label/calibrate.txt"
printf 'end boot_id=%s uptime_s=90.0 calibrate: ns=%s rounds=5 min_ns=1 max_ns=2 work=walk1-4MiB-512K checksum=0\n' "$id" "$end" >>"$results/$label/calibrate.txt"
{
	printf '# label: %s\n# boot_id: %s\n# boot_seq: %s\n' "$label" "$id" "$seq"
	echo 'label,kernel,method,region,backing,align,node,size,rep,op,ns,status,pins_acq,pins_rel'
	base=100000000
	[[ $label == after ]] && base=50000000
	for i in 0 1 2 3 4; do
		echo "$label,6.1.0,rdma,devdax,/dev/dax0.0,2097152,1,1073741824,$i,pin,$((base + seq * 1000000 + i * 10000)),ok,,"
	done
} >"$results/$label/20260101-000000-rdma-devdax-dax0.0.csv"
echo "[1/1] rdma on devdax:/dev/dax0.0: measured in 1s" >"$PB_GUEST_DIR/console.log"
EOF
chmod +x "$TMP/stub.sh"
export KERNELS="before=bzimage:$TMP/before.bz after=bzimage:$TMP/after.bz"
PROFILE=quick BOOTS=3 AB_DRIFT=15 bash "$TOP/scripts/ab.sh" >"$TMP/o" 2>"$TMP/e" || { cat "$TMP/o" "$TMP/e"; die "make ab failed"; }
[ "$(grep -c '^ab: calibration loop: start 0.500 s, end 0.[57]00 s$' "$TMP/o")" = 6 ] ||
	{ cat "$TMP/o"; die "ab does not say each boot's calibration"; }
grep -q '^ab: calibration loop: start 0.500 s, end 0.700 s$' "$TMP/o" || die "boot 3's slow end not said"
for r in 1 2 3; do
	for k in before after; do
		[ "$(grep -c 'calibrate: ns=' "$AB_OUT/r$r/$k/calibrate.txt")" = 2 ] || die "r$r/$k: calibrate.txt"
		grep -q '^steal_s: ' "$AB_OUT/r$r/$k/host.txt" || die "r$r/$k/host.txt lacks steal_s"
	done
done
rep=$AB_OUT/report/report.md
csv=$AB_OUT/report/boots.csv
grep -q '^\*\*Drift rule\.\*\*.*more than 15% away' "$rep" || die "report lacks the drift rule"
grep -q '^| before | 3 | .* | 0.500 / 0.700 s (1.00 / 1.40) | \*\*yes\*\*: end 1.40x the run.s median | \*\*left out: drifted\*\* |$' "$rep" ||
	{ grep '^| before | 3 ' "$rep"; die "boot 3 not left out as drifted"; }
[ "$(grep -c '| 0.500 / 0.500 s (1.00 / 1.00) | no | yes |$' "$rep")" = 5 ] || die "the other five boots are not kept"
grep -q '1 of 6 calibrated boot(s) drifted, 1 left out\.' "$rep" || die "report does not count the drifted boot"
grep -q '| 2 / 3 |' "$rep" || die "before does not keep 2 boots against after's 3"
head -n 2 "$csv" | tail -n 1 | grep -q ',disagree,calib_start_ns,calib_end_ns,calib_start_ratio,calib_end_ratio,drifted$' ||
	die "boots.csv lacks the calibration columns"
grep -q '^,,,,,before,3,[0-9a-f-]*,0,,,,,500000000,700000000,1.0000,1.4000,yes$' "$csv" ||
	{ cat "$csv"; die "boots.csv lacks boot 3's left-out row"; }
[ "$(grep -c ',500000000,500000000,1.0000,1.0000,no$' "$csv")" = 5 ] || { cat "$csv"; die "boots.csv: the kept boots"; }

# The threshold is the user's: at 50% boot 3 is kept.
"$PINBENCH" compare --quiet --drift-threshold 50 --out "$TMP/cmp50" "$AB_OUT"/r{1,2,3}/{before,after} >/dev/null ||
	die "compare --drift-threshold 50 failed"
grep -q '0 of 6 calibrated boot(s) drifted, 0 left out\.' "$TMP/cmp50/report.md" || die "--drift-threshold 50 still drops a boot"
grep -q '| 3 / 3 |' "$TMP/cmp50/report.md" || die "--drift-threshold 50: not 3 boots a side"
echo "drift: steal in host.txt, calibration per boot, the drifted boot left out"
