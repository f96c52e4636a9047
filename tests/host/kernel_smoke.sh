#!/usr/bin/env bash
# scripts/kernel/smoke.sh without a guest: a stub stands in for
# scripts/qemu/run.sh (SMOKE_RUN) and writes the console a guest running
# scripts/kernel/smoke-guest.sh would print. Checked: bad input refused; what
# smoke.sh asks run.sh for (the guest script, gup_test and the settings as
# --file, the namespaces, --quick); the rows, the verdict and the median table
# from the console; each failed check makes the exit status 1 (a WARNING in
# the kernel log, pins not given back, a long-term pin of fsdax that pinned,
# a device-dax run that pinned less, a guest that did not finish; run.sh's
# own failure is only noted); a console
# left by an earlier boot is not read.
source "$(dirname "$0")/../lib.sh"

SMOKE=$TOP/scripts/kernel/smoke.sh
export PINBENCH_KBUILD=$TMP/kbuild PB_GUEST_DIR=$TMP/guest SMOKE_RUN=$TMP/stub.sh STUB_ARGS=$TMP/args
unset QEMU ACCEL STUB_RC STUB_SKIP STUB_NOFSDAX STUB_TOPO STUB_WARN STUB_LEAK STUB_FSDAX_PINS STUB_SHORT STUB_NOCONSOLE
mkdir -p "$PINBENCH_KBUILD" "$PB_GUEST_DIR"
printf 'not a kernel\n' >"$PINBENCH_KBUILD/k1"
printf 'not a kernel\n' >"$PINBENCH_KBUILD/k2"
printf '#!/bin/sh\n' >"$PINBENCH_KBUILD/gup_test-7.3"
chmod +x "$PINBENCH_KBUILD/gup_test-7.3"

# The stub: the console of a guest that ran the settings file's namespaces
# (CRLF line ends, kernel lines between), each run's get time its rep number.
cat >"$TMP/stub.sh" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
printf '%s\n' "$@" >"$STUB_ARGS"
echo "KERNEL=$KERNEL" >>"$STUB_ARGS"
conf=''
while (($#)); do
	case $1 in --file) [[ $2 != *.conf ]] || conf=$2; shift 2 ;; *) shift ;; esac
done
[[ -z ${STUB_NOCONSOLE:-} ]] || exit "${STUB_RC:-1}"
mb='' nr='' reps='' gup_test='' namespaces=''
# shellcheck source=/dev/null
. "$conf"
{
	echo "Linux version 7.3.4-stub"
	echo "@@ kernel 7.3.4-stub"
	IFS=, read -r -a nss <<<"$namespaces"
	i=0
	for ns in "${nss[@]}"; do
		al=${ns%%:*}
		d=dax0.$i
		i=$((i + 1))
		echo "@@ devdax $d align 4096 size 1"
		for t in GUP_FAST PIN_FAST PIN_FAST_LONGTERM PIN_LONGTERM; do
			for ((r = 1; r <= reps; r++)); do
				tail=''
				[[ -z ${STUB_SHORT:-} || $al != 2M ]] || tail=', truncated (size: 4096)# '
				echo "@@out /dev/$d $al $t # X_BENCHMARK: Time: get:$r put:$((r * 10)) us# $tail"
			done
			[[ -z ${STUB_SKIP:-} ]] || echo "@@ run /dev/$d $al $t-SKIPPED gup_test -x"
			echo "@@ rc /dev/$d $al $t 0"
		done
	done
	[[ -z ${STUB_NOFSDAX:-} ]] || echo "@@ fail create fsdax: no room"
	echo "@@ fsdax /dev/pmem0.$i /dev/pmem0.$i /mnt/fsdax ext4 rw,dax=always 0 0"
	echo "@@out /mnt/fsdax/f fsdax PIN_FAST # PIN_FAST_BENCHMARK: Time: get:5 put:6 us# "
	for t in PIN_FAST_LONGTERM PIN_LONGTERM; do
		if [[ -n ${STUB_FSDAX_PINS:-} ]]; then
			echo "@@out /mnt/fsdax/f fsdax $t # X: Time: get:7 put:8 us# "
		else
			echo "@@out /mnt/fsdax/f fsdax $t # X: Time: get:7 put:8 us# , truncated (size: 0)# "
		fi
	done
	echo "[   12.5] random kernel line"
	if [[ -n ${STUB_TOPO:-} ]]; then
		echo "@@ dmesg WARNING: arch/x86/kernel/smpboot.c:329 at topology_sane.isra.0+0x4c/0x70, CPU#1: swapper/1/0"
		echo "@@ dmesg Call Trace:"
	fi
	echo "@@ vmstat nr_foll_pin_acquired 100"
	echo "@@ vmstat nr_foll_pin_released ${STUB_LEAK:-100}"
	[[ -z ${STUB_WARN:-} ]] || echo "@@ dmesg WARNING: CPU: 0 PID: 1 at mm/gup.c:1 x"
	echo "@@ done"
} | sed 's/$/\r/' >"$PB_GUEST_DIR/console.log"
exit "${STUB_RC:-0}"
EOF
chmod +x "$TMP/stub.sh"

# Bad input: one line, before any boot.
capture "$SMOKE"
expect_rc 2 "no label"
capture "$SMOKE" --bogus k1
expect_rc 1 "unknown option"
expect_err "unknown option --bogus"
capture "$SMOKE" nosuch
expect_rc 1 "no such kernel"
expect_err "no kernel build/kernel/nosuch"
[ ! -e "$STUB_ARGS" ] || die "run.sh was called on bad input"

# A passing boot.
capture "$SMOKE" -r 3 -n 64 k1
expect_rc 0 "passing boot"
args=$(tr '\n' ' ' <"$STUB_ARGS")
for want in "--script $TOP/scripts/kernel/smoke-guest.sh" "--file $PINBENCH_KBUILD/gup_test-7.3" \
	"--file $PINBENCH_KBUILD/smoke/smoke.conf" "--namespaces 1G:2048M:mem,2M:1040M:mem,4K:1040M:mem" \
	"--label k1" "--timeout 1200" "--hugepages 0"; do
	[[ $args == *"$want "* ]] || die "run.sh not given '$want': $args"
done
grep -qx 'mb=1024 nr=64 reps=3 gup_test=gup_test-7.3 namespaces=1G:2048M:mem,2M:1040M:mem,4K:1040M:mem' \
	"$PINBENCH_KBUILD/smoke/smoke.conf" || die "settings file: $(cat "$PINBENCH_KBUILD/smoke/smoke.conf")"
out=$(cat "$TMP/out")
grep -q '^== k1 (7.3.4-stub, kbuild, boot+tests [0-9]* s, qemu rc=0)$' <<<"$out" || die "header: $out"
grep -qx 'k1 /dev/dax0.0 1G GUP_FAST rep=3 get_us=3 put_us=30 size=full' <<<"$out" || die "rows: $out"
grep -qx 'k1 /mnt/fsdax/f fsdax PIN_LONGTERM rep=1 get_us=7 put_us=8 size=0' <<<"$out" || die "fsdax row: $out"
[ "$(grep -c '^k1 ' <<<"$out")" = 39 ] || die "want 3 x 4 x 3 + 3 rows: $out"
for want in '   pin accounting: nr_foll_pin_acquired = nr_foll_pin_released = 100' \
	'   kernel log: no WARNING/BUG' '   fsdax: long-term pins refused (size 0), as they must be' '   PASS k1' \
	'median get / put (us) over the repetitions, -m 1024 -n 64 -r 3:' '| 4K | PIN_LONGTERM | 2 / 20 |'; do
	grep -qxF -- "$want" <<<"$out" || die "lacks '$want': $out"
done
[ "$(tr -d '\r' <"$PB_GUEST_DIR/console.log")" = "$(cat "$PINBENCH_KBUILD/smoke/k1.console.log")" ] ||
	die "the console log is not kept as build/kernel/smoke/LABEL.console.log without CRs"
[ -f "$PINBENCH_KBUILD/smoke/k1.txt" ] || die "no table file"

# Debian's kernel: run.sh's KERNEL=debian:SPEC.
capture "$SMOKE" --quick debian:6.1
expect_rc 0 "debian:6.1"
grep -qx 'KERNEL=debian:6.1' "$STUB_ARGS" || die "debian:6.1: $(cat "$STUB_ARGS")"
grep -qx 'debian-6.1' "$STUB_ARGS" || die "debian:6.1: run.sh's label is a folder name: $(cat "$STUB_ARGS")"
grep -q '^== debian:6.1 (7.3.4-stub, debian, boot+tests' "$TMP/out" || die "debian:6.1: $(cat "$TMP/out")"

# --quick: the 2M namespace only, one repetition.
capture "$SMOKE" --quick k1
expect_rc 0 "--quick"
grep -q '^--namespaces$' "$STUB_ARGS" && grep -qx '2M:1040M:mem' "$STUB_ARGS" || die "--quick namespaces: $(cat "$STUB_ARGS")"
[ "$(grep -c '^k1 ' "$TMP/out")" = 7 ] || die "--quick: want 4 + 3 rows: $(cat "$TMP/out")"

# Each failed check fails the kernel and the exit status.
fails() { # VAR=VALUE expected-line
	capture env "$1" "$SMOKE" -r 1 k1 k2
	expect_rc 1 "$1"
	grep -qF -- "$2" "$TMP/out" || die "$1: lacks '$2': $(cat "$TMP/out")"
	grep -qx '   FAIL k2' "$TMP/out" || die "$1: no FAIL verdict"
	grep -qx '| 1G | GUP_FAST | 1 / 10 | 1 / 10 |' "$TMP/out" || die "$1: median table of two kernels: $(cat "$TMP/out")"
}
fails STUB_WARN=1 '   FAIL kernel log: 1 WARNING/BUG lines:'
fails STUB_LEAK=99 '   FAIL pin accounting: acquired=100 released=99'
fails STUB_FSDAX_PINS=1 '   FAIL fsdax: a long-term pin of an fsdax file pinned pages'
fails STUB_SKIP=1 '   FAIL: 12 gup_test runs timed nothing (skipped?)'
fails STUB_NOFSDAX=1 '   FAIL: the guest could not do every step (the fail lines above)'
fails STUB_SHORT=1 '   FAIL: some device-dax runs pinned less than the range (size column)'
# The boot's WARNING of run.sh's NUMA layout is left out, with a note; others are not.
capture env STUB_TOPO=1 "$SMOKE" -r 1 k1
expect_rc 0 "topology_sane WARNING"
grep -qx '   kernel log: no WARNING/BUG' "$TMP/out" || die "topology_sane: $(cat "$TMP/out")"
grep -q '^   kernel log: left out the boot.s WARNING in topology_sane' "$TMP/out" || die "topology_sane: no note"
STUB_TOPO=1 fails STUB_WARN=1 '   FAIL kernel log: 1 WARNING/BUG lines:'

# run.sh's own failure is noted; the verdict is the console's, as before
capture env STUB_RC=124 "$SMOKE" -r 1 k1
expect_rc 0 "run.sh exit 124 after a complete console"
grep -q '^   qemu failed or timed out: see .*k1.console.log and .*k1.run.log$' "$TMP/out" || die "rc 124: $(cat "$TMP/out")"

# run.sh stopped before booting: the console of the boot before is not read.
capture env STUB_NOCONSOLE=1 "$SMOKE" k1
expect_rc 1 "no boot"
grep -q '^== k1 (, kbuild, boot+tests [0-9]* s, qemu rc=1)$' "$TMP/out" || die "no boot: $(cat "$TMP/out")"
grep -qF '   FAIL: the guest did not finish' "$TMP/out" || die "no boot: $(cat "$TMP/out")"
grep -q '^k1 ' "$TMP/out" && die "rows read from an earlier boot's console"
echo ok
