#!/usr/bin/env bash
# make ab's loop without a guest: a stub stands in for scripts/qemu/run.sh
# and writes result files whose medians drift from boot to boot. Checked: bad
# input refused with one line and nothing written; boots run round-robin with
# their boot_seq; a host.txt per boot; the report over boots; an interrupted
# or failed boot is resumed and nothing else is run again; a kernel that
# changed (your patch) is measured again, the others are not; more boots or
# another kernel reuse what is there; other settings in the same folder are
# refused; busy boots are left out with a note when every kernel keeps two
# quiet ones. Each boot runs the profile's job file (jobs/PROFILE.job) with
# AB_* as --set options and its boot_seq as --set boot-seq=K; AB_EXTRA (gone)
# is refused. No timing is checked.
source "$(dirname "$0")/../lib.sh"

export PB_GUEST_DIR=$TMP/guest AB_OUT=$TMP/out AB_PLOTS=$TMP/plots AB_SAMPLE=1 AB_RUN=$TMP/stub.sh
export PINBENCH_KBUILD=$TMP/kbuild
unset PROFILE KERNELS BOOTS MINE AB_EXCLUDE
mkdir -p "$PB_GUEST_DIR"
AB=$TOP/scripts/ab.sh

# Two fake bzImages ("HdrS" at 0x202 is all resolve.sh checks).
fake_bzimage() {
	head -c 514 /dev/zero >"$1"
	printf 'HdrS%s' "$2" >>"$1"
}
fake_bzimage "$TMP/before.bz" before
fake_bzimage "$TMP/after.bz" after

# The stub: rows of rdma on 2M devdax at 1G; after is 2x faster; every boot
# drifts by its sequence number. Logs each call; STUB_FAIL=K fails boot K.
cat >"$TMP/stub.sh" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
label='' results='' seq=''
echo "$*" >>"$STUB_ARGS"
while (($#)); do
	case $1 in
	--label) label=$2; shift 2 ;;
	--results) results=$2; shift 2 ;;
	--set) [[ $2 != boot-seq=* ]] || seq=${2#boot-seq=}; shift 2 ;;
	*) shift 2 ;;
	esac
done
echo "$label $seq $(basename "$KERNEL")" >>"$STUB_LOG"
[[ ${STUB_FAIL:-} != "$seq" ]] || { echo "[1/1] rdma on devdax: FAILED" >"$PB_GUEST_DIR/console.log"; exit 1; }
mkdir -p "$results/$label"
f=$results/$label/20260101-000000-rdma-devdax-dax0.0.csv
{
	printf '# label: %s\n# boot_id: %s\n# boot_seq: %s\n' "$label" "$(cat /proc/sys/kernel/random/uuid)" "$seq"
	echo 'label,kernel,method,region,backing,align,node,size,rep,op,ns,status,pins_acq,pins_rel'
	base=100000000
	[[ $label == after ]] && base=50000000
	for i in 0 1 2 3 4; do
		echo "$label,6.1.0,rdma,devdax,/dev/dax0.0,2097152,1,1073741824,$i,pin,$((base + seq * 3000000 + i * 10000)),ok,,"
	done
} >"$f"
echo "[1/1] rdma on devdax:/dev/dax0.0: measured in 1s" >"$PB_GUEST_DIR/console.log"
EOF
chmod +x "$TMP/stub.sh"
export STUB_LOG=$TMP/stub.log STUB_ARGS=$TMP/stub.args
export KERNELS="before=bzimage:$TMP/before.bz after=bzimage:$TMP/after.bz"

bad() { # expected message, then the environment for ab.sh
	local want=$1
	shift
	set +e
	env "$@" bash "$AB" >"$TMP/o" 2>"$TMP/e"
	local rc=$?
	set -e
	[ "$rc" = 2 ] || { cat "$TMP/e"; die "$* : exit $rc, expected 2"; }
	grep -qF -- "$want" "$TMP/e" || { cat "$TMP/e"; die "$* : stderr lacks '$want'"; }
	[ "$(wc -l <"$TMP/e")" = 1 ] || { cat "$TMP/e"; die "$* : more than one line"; }
	[ ! -e "$AB_OUT" ] || die "$* : $AB_OUT was created"
}
bash "$AB" --help | grep -q 'PROFILE' || die "--help lacks PROFILE"
bad "PROFILE 'fast'" PROFILE=fast
bad "BOOTS 'x'" BOOTS=x
bad "BOOTS '0'" BOOTS=0
bad "give at least two" KERNELS=compound
bad "no patch folder kernel/patches/nosuch" KERNELS="compound nosuch"
bad "needs MINE=" KERNELS="compound mine" MINE=
bad "not a bzImage" KERNELS="compound x=bzimage:/etc/hostname"
bad "does not exist" KERNELS="compound mine" MINE="$TMP/none"
bad "AB_EXCLUDE 'some'" AB_EXCLUDE=some
bad "AB_EXTRA is gone" AB_EXTRA=--chunk,2M
bad "AB_SET 'chunk': want KEY=VALUE" AB_SET=chunk
bad "make ab sets boot-seq itself" AB_SET=boot-seq=3
bad "sizes = 2M,x: 'x' is not a size" AB_SIZES=2M,x
bad "never written" AB_OUT="$TOP/results/ab"
bad "never written" AB_OUT="$TOP/results/ab-headline"

# Round-robin, 3 boots each.
: >"$STUB_LOG"
PROFILE=quick BOOTS=3 bash "$AB" >"$TMP/o" 2>"$TMP/e" || { cat "$TMP/o" "$TMP/e"; die "make ab failed"; }
order=$(cut -d' ' -f1,2 "$STUB_LOG" | tr '\n' ' ')
[ "$order" = "before 1 after 2 before 3 after 4 before 5 after 6 " ] || die "boot order: $order"
[ "$(grep -c -- '--job jobs/quick.job --set boot-seq=[1-6] ' "$STUB_ARGS")" = 6 ] ||
	die "the boots did not run jobs/quick.job with their boot-seq: $(cat "$STUB_ARGS")"
grep -q '^sizes: 32M,256M,1G$' "$AB_OUT/plan.txt" || die "plan.txt lacks the job's sizes: $(cat "$AB_OUT/plan.txt")"
for r in 1 2 3; do
	for k in before after; do
		d=$AB_OUT/r$r/$k
		[ -f "$d/.complete" ] || die "$d not complete"
		grep -q '^busy: \(yes\|no\)' "$d/host.txt" || die "$d/host.txt lacks a busy line"
		grep -q '^summary: ' "$d/host.txt" || die "$d/host.txt lacks a summary"
		grep -q "^kernel_id: sha256:" "$d/kernel.txt" || die "$d/kernel.txt lacks the kernel"
	done
done
rep=$AB_OUT/report/report.md
grep -q 'ratio \[95% CI over boots\]' "$rep" || die "report is not over boots"
grep -q '^## Boots' "$rep" || die "report lacks the Boots table"
[ "$(grep -c '^| \(before\|after\) | [1-6] |' "$rep")" = 6 ] || die "Boots table does not list 6 boots"
[ -f "$AB_OUT/report/boots.csv" ] || die "no boots.csv"
grep -q '| 3 / 3 |' "$rep" || die "report does not show 3 boots a side"
[ -s "$AB_PLOTS/overlay-rdma.png" ] || die "no graphs in AB_PLOTS: $(ls "$AB_PLOTS" 2>&1 | head -n 3)"
grep -q "graphs $AB_PLOTS/" "$TMP/o" || die "the last line does not say where the graphs are"

# Interrupted boot 6: only it runs again.
rm "$AB_OUT/r3/after/.complete"
: >"$STUB_LOG"
PROFILE=quick BOOTS=3 bash "$AB" >"$TMP/o" 2>"$TMP/e" || { cat "$TMP/e"; die "resume failed"; }
[ "$(cat "$STUB_LOG")" = "after 7 after.bz" ] || die "resume ran: $(cat "$STUB_LOG")"
grep -q '^boot_seq: 7$' "$AB_OUT/r3/after/kernel.txt" || die "the resumed boot is not boot_seq 7"

# A failed boot: exit 1 naming it, the rest measured; the next run resumes it.
rm -r "$AB_OUT"
: >"$STUB_LOG"
set +e
STUB_FAIL=3 PROFILE=quick BOOTS=2 bash "$AB" >"$TMP/o" 2>"$TMP/e"
rc=$?
set -e
[ "$rc" = 1 ] || die "failed boot: exit $rc, expected 1"
grep -q 'incomplete boots.*before#2' "$TMP/e" || { cat "$TMP/e"; die "failed boot not named"; }
[ "$(wc -l <"$STUB_LOG")" = 4 ] || die "the boots after the failed one did not run"
: >"$STUB_LOG"
PROFILE=quick BOOTS=2 bash "$AB" >"$TMP/o" 2>"$TMP/e" || { cat "$TMP/e"; die "resume after failure failed"; }
[ "$(cat "$STUB_LOG")" = "before 5 before.bz" ] || die "resume after failure ran: $(cat "$STUB_LOG")"

# Your patch changed: its boots are measured again, the baseline's are kept.
fake_bzimage "$TMP/after.bz" after-v2
: >"$STUB_LOG"
PROFILE=quick BOOTS=2 bash "$AB" >"$TMP/o" 2>"$TMP/e" || { cat "$TMP/e"; die "rerun after a kernel change failed"; }
[ "$(cut -d' ' -f1,2 "$STUB_LOG" | tr '\n' ' ')" = "after 6 after 7 " ] ||
	die "after a kernel change ran: $(cat "$STUB_LOG")"
grep -q 'kernel changed since it was measured' "$TMP/o" || die "no note that the kernel changed"

# More boots: the ones there are kept; another kernel: only its boots run.
: >"$STUB_LOG"
PROFILE=quick BOOTS=3 bash "$AB" >"$TMP/o" 2>"$TMP/e" || { cat "$TMP/e"; die "more boots failed"; }
[ "$(cut -d' ' -f1,2 "$STUB_LOG" | tr '\n' ' ')" = "before 8 after 9 " ] || die "more boots ran: $(cat "$STUB_LOG")"
fake_bzimage "$TMP/third.bz" third
: >"$STUB_LOG"
KERNELS="before=bzimage:$TMP/before.bz third=bzimage:$TMP/third.bz" PROFILE=quick BOOTS=2 bash "$AB" \
	>"$TMP/o" 2>"$TMP/e" || { cat "$TMP/e"; die "another kernel failed"; }
[ "$(cut -d' ' -f1,2 "$STUB_LOG" | tr '\n' ' ')" = "third 10 third 11 " ] || die "another kernel ran: $(cat "$STUB_LOG")"
grep -q '| 2 / 2 |' "$AB_OUT/report/report.md" || die "third vs before is not over 2 boots each"
set +e
AB_REPS=9 PROFILE=quick BOOTS=3 bash "$AB" >"$TMP/o" 2>"$TMP/e"
rc=$?
set -e
[ "$rc" = 2 ] && grep -q 'other settings' "$TMP/e" || die "other settings in the same folder were not refused (exit $rc)"
set +e
AB_SET=chunk=2M PROFILE=quick BOOTS=3 bash "$AB" >"$TMP/o" 2>"$TMP/e"
rc=$?
set -e
[ "$rc" = 2 ] && grep -q 'other settings' "$TMP/e" || die "AB_SET in the same folder was not refused (exit $rc)"
# AB_* reach the guest as --set of the job.
: >"$STUB_ARGS"
AB_OUT=$TMP/out-set AB_REPS=2 AB_SET="chunk=2M warmup=1" PROFILE=quick BOOTS=1 bash "$AB" >"$TMP/o" 2>"$TMP/e" ||
	{ cat "$TMP/e"; die "AB_REPS, AB_SET run failed"; }
[ "$(grep -c -- '--job jobs/quick.job --set reps=2 --set chunk=2M --set warmup=1 --set boot-seq=[12] ' "$STUB_ARGS")" = 2 ] ||
	die "AB_REPS, AB_SET did not become --set: $(cat "$STUB_ARGS")"
grep -q '^set: chunk=2M$' "$TMP/out-set/plan.txt" || die "plan.txt lacks AB_SET: $(cat "$TMP/out-set/plan.txt")"

# Busy boots: left out with a note when every kernel keeps two quiet boots.
for f in "$AB_OUT"/r*/*/host.txt; do printf 'summary: quiet\nbusy: no\n' >"$f"; done
printf 'summary: test\nbusy: yes, 1 other guest(s) ran\n' >"$AB_OUT/r2/after/host.txt"
PROFILE=quick BOOTS=3 bash "$AB" >"$TMP/o" 2>"$TMP/e" || { cat "$TMP/e"; die "busy run failed"; }
grep -q 'busy boot(s) left out' "$TMP/o" || die "busy boot not left out"
grep -q '\*\*excluded\*\*' "$rep" || die "report does not mark the excluded boot"
grep -q '| 3 / 2 |' "$rep" || die "after should keep 2 boots"
# Two busy boots of one kernel: too few quiet ones, kept and said so.
printf 'summary: test\nbusy: yes, 1 other guest(s) ran\n' >"$AB_OUT/r1/after/host.txt"
PROFILE=quick BOOTS=3 bash "$AB" >"$TMP/o" 2>"$TMP/e" || { cat "$TMP/e"; die "busy run 2 failed"; }
grep -q 'kept in the report' "$TMP/o" || die "busy boots not kept with a note"
! grep -q '\*\*excluded\*\*' "$rep" || die "boots excluded though too few quiet ones"
echo "ok"
