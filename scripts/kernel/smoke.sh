#!/usr/bin/env bash
# Boot smoke test of a pinbench guest kernel: gup_test on device-dax
# (1G/2M/4K align) and fsdax, pin accounting and kernel log checks. See --help.
set -euo pipefail

usage() {
	cat <<EOF
usage: scripts/kernel/smoke.sh [options] LABEL [LABEL...]

Boots build/kernel/LABEL (build it first with scripts/kernel/build.sh), or
for a LABEL debian:SERIES[.POINT] Debian's stock kernel (as run.sh's
KERNEL=debian:SPEC; it has no CONFIG_GUP_TEST: its gup_test runs fail), in the
pinbench QEMU guest of scripts/qemu/run.sh (TCG, virtual NVDIMM) and runs
scripts/kernel/smoke-guest.sh there (run.sh --script), with the kernel's
gup_test and the settings put in the guest by run.sh --file. run.sh creates
device-dax namespaces aligned 1G, 2M and 4K (--namespaces); the guest script
adds an fsdax namespace with a DAX-mounted ext4 file and runs the kernel's
gup_test on each:
  -u             get_user_pages_fast          (GUP_FAST_BENCHMARK)
  -a             pin_user_pages_fast          (PIN_FAST_BENCHMARK)
  -a -F LT      pin_user_pages_fast + FOLL_LONGTERM (what RDMA does; LT is
                 0x10000 on 6.1, 0x100 on 6.12)
  -L             pin_user_pages + FOLL_LONGTERM (slow path, PIN_LONGTERM)
with -S -w -m SIZE -n NR -r REPEATS. Then it checks that
nr_foll_pin_acquired == nr_foll_pin_released in /proc/vmstat, that the
kernel log has no WARNING/BUG, and that long-term pins of fsdax pinned
nothing (EOPNOTSUPP; gup_test reports "truncated (size: 0)").

Prints one line per gup_test run:
  LABEL DEVICE ALIGN TEST rep=N get_us=G put_us=P size=BYTES
a verdict per kernel, then a table of median get / put times (us) per
align and test, one column per kernel. Exits non-zero if any check failed.
Logs: build/kernel/smoke/LABEL.console.log (the guest's console),
LABEL.run.log (run.sh's output); table: build/kernel/smoke/LABEL.txt

Options:
  -m MB        range per gup_test run (default 1024)
  -n NR        pages per gup call (default 512)
  -r N         repetitions (default 3)
  --quick      only 2M device-dax, one repetition
  --timeout S  guest wall-clock limit, run.sh --timeout (default 1200)
  -h, --help   this text
Environment: QEMU_ACCEL (run.sh's; default tcg here: /dev/kvm here is
PVM-only and hangs; auto lets run.sh probe KVM), PINBENCH (the pinbench
run.sh puts in the guest and reads the job with; default bench/pinbench: run
make first), SMOKE_RUN (a program standing in for scripts/qemu/run.sh: tests).
EOF
}

die() { echo "smoke.sh: $*" >&2; exit 1; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KB=${PINBENCH_KBUILD:-$ROOT/build/kernel}
SM=$KB/smoke
MB=1024 NR=512 REPS=3 QUICK=0 TIMEOUT=1200
RUN=${SMOKE_RUN:-$ROOT/scripts/qemu/run.sh}
GUEST=$ROOT/scripts/kernel/smoke-guest.sh
# run.sh keeps the guest's console in its folder (scripts/qemu/lib.sh)
CONSOLE=${PB_GUEST_DIR:-$ROOT/build/guest}/console.log
LABELS=()
while [ $# -gt 0 ]; do
	case $1 in
	-h|--help) usage; exit 0 ;;
	-m) MB=$2; shift 2 ;;
	-n) NR=$2; shift 2 ;;
	-r) REPS=$2; shift 2 ;;
	--quick) QUICK=1; REPS=1; shift ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	-*) die "unknown option $1 (see --help)" ;;
	*) LABELS+=("$1"); shift ;;
	esac
done
[ ${#LABELS[@]} -gt 0 ] || { usage >&2; exit 2; }
for l in "${LABELS[@]}"; do
	case $l in
	debian:*) ;; # run.sh finds it (scripts/qemu/debian-kernel.sh)
	*) [ -f "$KB/$l" ] || die "no kernel build/kernel/$l: run scripts/kernel/build.sh $l" ;;
	esac
done
# gup_test of any series: the ioctl ABI is the same in 6.1, 6.12 and 7.3
GT=''
for g in "$KB/gup_test" "$KB/gup_test-6.12" "$KB/gup_test-7.3"; do
	[ -x "$g" ] && { GT=$g; break; }
done
[ -n "$GT" ] || die "no $KB/gup_test[-SERIES]: run scripts/kernel/build.sh first"
[ -n "${SMOKE_RUN:-}" ] || [ -x "${PINBENCH:-$ROOT/bench/pinbench}" ] ||
	die "no ${PINBENCH:-bench/pinbench}: run make first (run.sh puts pinbench in the guest)"
for v in QEMU ACCEL; do
	[ -z "${!v:-}" ] || echo "smoke.sh: $v is no longer read: the guest is scripts/qemu/run.sh's (QEMU_ACCEL=tcg|kvm|auto)" >&2
done

mkdir -p "$SM"

# The device-dax namespaces for run.sh, ALIGN:SIZE:MAP (struct pages in RAM);
# each loses its info block, padded to the align, at its start.
if [ "$QUICK" = 1 ]; then
	NS=2M:$((MB + 16))M:mem
else
	NS=1G:$((MB + 1024))M:mem,2M:$((MB + 16))M:mem,4K:$((MB + 16))M:mem
fi
# The guest script's settings, a file run.sh puts in the guest.
CONF=$SM/smoke.conf
printf 'mb=%s nr=%s reps=%s gup_test=%s namespaces=%s\n' "$MB" "$NR" "$REPS" "${GT##*/}" "$NS" >"$CONF"

boot_one() {
	local label=$1 kernel kind log runlog stamp t0 t1 rc=0
	case $label in
	debian:*) kernel=$label kind=debian ;;
	*) kernel=$(readlink -f "$KB/$label"); kind=$(basename "$(dirname "$kernel")") ;;
	esac
	log=$SM/$label.console.log
	runlog=$SM/$label.run.log
	stamp=$SM/.boot-stamp
	touch "$stamp"
	t0=$(date +%s)
	# The job's methods and regions only choose what run.sh sets up in the
	# guest: nothing beyond the NVDIMM (gup-pin needs no device, anon no
	# hugetlb pages). The results share stays empty.
	QEMU_ACCEL=${QEMU_ACCEL:-tcg} KERNEL=$kernel MODULES='' "$RUN" \
		--script "$GUEST" --file "$GT" --file "$CONF" --label "${label//:/-}" \
		--namespaces "$NS" --nvdimm-size 8G --mem 2048 --hugepages 0 --hugepages-1g 0 \
		--set methods=gup-pin --set regions=anon --results "$SM/results" \
		--timeout "$TIMEOUT" </dev/null >"$runlog" 2>&1 || rc=$?
	t1=$(date +%s)
	# This boot's console only: none if run.sh stopped before booting.
	if [ -f "$CONSOLE" ] && [ -n "$(find "$CONSOLE" -newer "$stamp")" ]; then
		tr -d '\r' <"$CONSOLE" >"$log"
	else
		: >"$log"
	fi
	rm -f "$stamp"
	echo "== $label ($(sed -n 's/^@@ kernel //p' "$log"), $kind, boot+tests $((t1 - t0)) s, qemu rc=$rc)"
	[ "$rc" = 0 ] || echo "   qemu failed or timed out: see $log and $runlog"
	analyse "$label" "$log"
}

# Turn the console log into the table and the verdict.
analyse() {
	local label=$1 log=$2 table=$SM/$1.txt ok=1 acq rel nwarn known
	awk -v label="$label" '
		/^@@out / && /Time: get:/ {
			dev=$2; al=$3; t=$4; rep[dev" "t]++
			g=$0; sub(/.*get:/, "", g); sub(/ .*/, "", g)
			p=$0; sub(/.*put:/, "", p); sub(/ us.*/, "", p)
			size="full"; if ($0 ~ /truncated/) { size=$0; sub(/.*size: /, "", size); sub(/\).*/, "", size) }
			printf "%s %s %s %s rep=%d get_us=%s put_us=%s size=%s\n", label, dev, al, t, rep[dev" "t], g, p, size
		}' "$log" >"$table"
	cat "$table"
	grep -E '^@@ (fail|devdax|fsdax)' "$log" | sed 's/^@@ /   /' || true
	if grep -E '^@@ rc ' "$log" | grep -qv ' 0$'; then
		echo "   FAIL: gup_test exited non-zero:"; grep -E '^@@ rc ' "$log" | grep -v ' 0$' | sed 's/^@@ rc /     /'; ok=0
	fi
	# a gup_test that ran but timed nothing (it skips with status 0 when the
	# kernel has no /sys/kernel/debug/gup_test), or a step the guest could not do
	nskip=$(awk '/^@@ run / { k = $3 " " $5; run[k] = 1 } /^@@out / && /Time: get:/ { t[$2 " " $4] = 1 }
		END { for (k in run) if (!(k in t)) n++; print n + 0 }' "$log")
	if [ "$nskip" != 0 ]; then
		echo "   FAIL: $nskip gup_test runs timed nothing (skipped?)"; ok=0
	fi
	if grep -q '^@@ fail' "$log"; then
		echo "   FAIL: the guest could not do every step (the fail lines above)"; ok=0
	fi
	if ! grep -q '^@@ done' "$log"; then
		echo "   FAIL: the guest did not finish (see $log)"; ok=0
	fi
	acq=$(sed -n 's/^@@ vmstat nr_foll_pin_acquired //p' "$log")
	rel=$(sed -n 's/^@@ vmstat nr_foll_pin_released //p' "$log")
	if [ -n "$acq" ] && [ "$acq" = "$rel" ]; then
		echo "   pin accounting: nr_foll_pin_acquired = nr_foll_pin_released = $acq"
	else
		echo "   FAIL pin accounting: acquired=${acq:-?} released=${rel:-?}"; ok=0
	fi
	# run.sh's guest puts its last vCPU on NUMA node 1 (beside the NVDIMM) but
	# in the same package as the others: every kernel warns once at boot that
	# an LLC sibling is on another node (smpboot.c topology_sane). Not a pin's
	# doing: that WARNING and the Call Trace after it are left out.
	known=$(grep -cE '^@@ dmesg .*WARNING:.*topology_sane' "$log" || true)
	nwarn=$(awk '/^@@ dmesg .*WARNING:.*topology_sane/ { skip = 1; next }
		/^@@ dmesg .*Call Trace/ && skip { skip = 0; next }
		/^@@ dmesg .*(WARNING:|BUG:|Oops)/ { skip = 0 }
		/^@@ dmesg .*(WARNING:|BUG:|Oops|Call Trace)/ { n++ }
		END { print n + 0 }' "$log")
	[ "$known" = 0 ] || echo "   kernel log: left out the boot's WARNING in topology_sane (run.sh's vCPU on its own NUMA node)"
	if [ "$nwarn" = 0 ]; then
		echo "   kernel log: no WARNING/BUG"
	else
		echo "   FAIL kernel log: $nwarn WARNING/BUG lines:"; grep '^@@ dmesg' "$log" | head -10; ok=0
	fi
	if grep -q '^@@ fsdax' "$log"; then
		if grep -E '^[^ ]+ /mnt/fsdax/f fsdax PIN_(FAST_)?LONGTERM ' "$table" | grep -qv 'size=0$'; then
			echo "   FAIL fsdax: a long-term pin of an fsdax file pinned pages"; ok=0
		else
			echo "   fsdax: long-term pins refused (size 0), as they must be"
		fi
	fi
	if grep -E '^[^ ]+ /dev/dax' "$table" | grep -qv 'size=full$'; then
		echo "   FAIL: some device-dax runs pinned less than the range (size column)"; ok=0
	fi
	if [ "$ok" = 1 ]; then echo "   PASS $label"; else echo "   FAIL $label"; return 1; fi
}

# Median get/put (µs) per align and test, one column per label.
summary() {
	local l
	for l in "${LABELS[@]}"; do cat "$SM/$l.txt"; done | awk -v order="${LABELS[*]}" '
		function median(s,   a, n, i, j, t) {
			n = split(s, a, " ")
			for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
			return n % 2 ? a[(n + 1) / 2] : int((a[n / 2] + a[n / 2 + 1]) / 2)
		}
		{
			split($6, g, "="); split($7, p, "=")
			k = $3 " " $4; lab = $1
			if (!(k in seen)) { seen[k] = 1; keys[++nk] = k }
			G[k, lab] = G[k, lab] " " g[2]; P[k, lab] = P[k, lab] " " p[2]
		}
		END {
			nl = split(order, labs, " ")
			printf "| align | gup_test |"; for (i = 1; i <= nl; i++) printf " %s |", labs[i]; printf "\n"
			printf "|---|---|"; for (i = 1; i <= nl; i++) printf "---|"; printf "\n"
			for (j = 1; j <= nk; j++) {
				split(keys[j], kk, " ")
				printf "| %s | %s |", kk[1], kk[2]
				for (i = 1; i <= nl; i++) {
					if ((keys[j], labs[i]) in G)
						printf " %s / %s |", median(G[keys[j], labs[i]]), median(P[keys[j], labs[i]])
					else
						printf " - |"
				}
				printf "\n"
			}
		}'
}

fail=0
for l in "${LABELS[@]}"; do
	boot_one "$l" || fail=1
done
echo
echo "median get / put (us) over the repetitions, -m $MB -n $NR -r $REPS:"
summary
exit "$fail"
