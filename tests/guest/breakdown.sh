#!/bin/bash
# pinbench run --breakdown in the QEMU guest: rdma and vfio on 2M device-dax.
# Checks that each run writes a breakdown file beside its result file with a
# row per (size, rep, op, phase), the method's phases and other/wall, status
# ok, the named phases no larger than the wall time and covering most of the
# pin; that the tracer is put back afterwards, after SIGINT mid-run too; and
# that a tracer already in use is refused (exit 77, no file).
# Under TCG the guest kernel sometimes oopses while ftrace patches kernel
# text: a boot that does not finish is retried once, and the guest skips the
# runs whose files came back from the first boot.
# Exit 0 pass, 1 fail, 77 skipped. Environment: KERNEL (default Debian's 6.1),
# PB_GUEST_DIR (default build/guest-breakdown), BD_SIZES (default 2M,64M),
# BD_OUT (default build/guest-breakdown/test). With a kernel that allows
# function_graph in a tracing instance (6.12), checks that the run used a
# private one, left the top-level tracer alone and removed the instance.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
skip() { echo "breakdown: SKIP: $*"; exit 77; }
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 not installed (scripts/deps.sh --guest)"
[[ -x /bin/busybox ]] || skip "busybox-static not installed (scripts/deps.sh --guest)"
[[ -x bench/pinbench ]] || skip "no bench/pinbench (run make)"
export PB_GUEST_DIR=${PB_GUEST_DIR:-$ROOT/build/guest-breakdown}
out=${BD_OUT:-$PB_GUEST_DIR/test}
sizes=${BD_SIZES:-2M,64M}
rm -rf "$out"
mkdir -p "$out"

cat >"$out/in-guest.sh" <<GUEST
sizes=$sizes
GUEST
cat >>"$out/in-guest.sh" <<'GUEST'
P=/pinbench/bench/pinbench
T=/sys/kernel/tracing
[[ -e $T/current_tracer ]] || mount -t tracefs none $T
dev=''
for d in /sys/bus/dax/devices/dax*; do
	[[ $(cat "$d/align") == 2097152 ]] && dev=/dev/${d##*/}
done
echo "DEV $dev"
$P list -v >/results/list.txt 2>&1
tracer_state() { echo "TRACER $1 $(cat $T/current_tracer) $(head -n1 $T/set_ftrace_filter | tr ' ' _) $(cat $T/tracing_on)"; }
for m in rdma vfio; do
	# Resumable: a run that completed in an earlier boot is not redone.
	ls /results/bd/*-"$m"-*.breakdown >/dev/null 2>&1 && { echo "=== $m: done in an earlier boot"; continue; }
	echo "=== $m"
	$P run --region "devdax:$dev" --method "$m" --sizes "$sizes" --reps 3 --breakdown --breakdown-reps 3 \
		--label bd --outdir /results 2>&1
	echo "--- exit $?"
	tracer_state "after-$m"
done
# SIGINT while tracing: the tracer must be put back.
echo "=== sigint"
$P run --region "devdax:$dev" --method rdma --sizes 64M --reps 1 --breakdown --breakdown-reps 1000 \
	--out /tmp/int.csv >/tmp/int.log 2>&1 &
pid=$!
# Wait until the tracer is set: top-level, or in pinbench's own instance.
for _ in $(seq 600); do
	cat $T/current_tracer $T/instances/pinbench-*/current_tracer 2>/dev/null | grep -q function_graph && break
	sleep 0.1
done
sleep 3
kill -INT $pid
wait $pid
echo "--- exit $?"
tail -n 2 /tmp/int.log
ls /tmp/int.* 2>/dev/null | sed 's/^/FILE /'
tracer_state after-sigint
echo "WHERE $(grep -h '^# tracer:' /results/bd/*.breakdown | head -n1)"
echo "INSTANCES $(ls $T/instances | tr '\n' ' ')"
# The top-level tracer in use by someone else: refused (where function_graph
# works only there), nothing written; or, in a private instance, not touched.
echo "=== busy"
# One function only: patching every function in the kernel takes minutes
# under TCG and can hang the guest.
head -n1 $T/available_filter_functions | cut -d' ' -f1 >$T/set_ftrace_filter
echo function >$T/current_tracer
$P run --region "devdax:$dev" --method rdma --sizes 2M --reps 1 --breakdown --out /tmp/busy.csv 2>&1 | tail -n 2
echo "--- exit ${PIPESTATUS[0]}"
ls /tmp/busy.* 2>/dev/null | sed 's/^/FILE /'
echo "TRACER busy-left $(cat $T/current_tracer)"
echo nop >$T/current_tracer
echo >$T/set_ftrace_filter
echo BREAKDOWN-DONE
GUEST

boot() { # one guest boot running in-guest.sh; output appended to out.txt
	local n=$1
	feed() {
		for _ in $(seq 600); do
			grep -q 'pinbench-guest: shell' "$out/console.$n" 2>/dev/null && break
			sleep 0.5
		done
		sleep 2
		printf 'bash /results/in-guest.sh >>/results/out.txt 2>&1; poweroff -f\n'
		for _ in $(seq 760); do
			grep -q 'reboot: Power down' "$out/console.$n" 2>/dev/null && break
			grep -qE 'Oops:|BUG:|Kernel panic' "$out/console.$n" 2>/dev/null && break
			sleep 0.5
		done
	}
	feed | timeout -k 5 420 scripts/qemu/run.sh --shell --methods rdma,vfio --sizes 2M..64M \
		--nvdimm-size 3G --namespaces 2M:2G --mem 2048 --results "$out" >"$out/console.$n" 2>&1 || true
}
t0=$SECONDS
boot 1
if ! grep -q BREAKDOWN-DONE "$out/out.txt" 2>/dev/null; then
	echo "breakdown: the first boot did not finish ($(grep -m1 -oE 'Oops:.*|BUG:.*|Kernel panic.*' "$out/console.1" || echo 'no oops seen')); booting once more"
	boot 2
fi
rm -f "$PB_GUEST_DIR/nvdimm.img"
echo "breakdown: guest time $((SECONDS - t0)) s"
[[ -f $out/out.txt ]] || { echo "breakdown: FAIL: the guest wrote nothing (console: $out/console.1)"; exit 1; }
cat "$out/out.txt"

failed=0
fail() { echo "breakdown: FAIL: $*"; failed=1; }
grep -q BREAKDOWN-DONE "$out/out.txt" || fail "the guest did not finish (console: $out/console.*)"

nsizes=$(tr ',' '\n' <<<"$sizes" | wc -l)
for m in rdma vfio; do
	res=$(find "$out/bd" -name "*-$m-*.csv" 2>/dev/null | head -n1)
	bd=$(find "$out/bd" -name "*-$m-*.breakdown" 2>/dev/null | head -n1)
	[[ -n $res ]] || { fail "$m: no result file"; continue; }
	[[ -n $bd ]] || { fail "$m: no breakdown file beside $res"; continue; }
	[[ ${bd%.breakdown} == "${res%.csv}" ]] || fail "$m: breakdown $bd not named after $res"
	case $m in
	rdma) want_pin='gup driver core other wall' want_unpin='release core driver other wall' ;;
	vfio) want_pin='gup iommu driver other wall' want_unpin='iommu release driver other wall' ;;
	esac
	# Per (size, rep, op): the phases present, status ok, named <= wall (+ tracer error), coverage.
	if ! msg=$(awk -F, -v np="$want_pin" -v nu="$want_unpin" -v ns="$nsizes" -v m="$m" '
		/^#/ { next }
		!hdr { for (i = 1; i <= NF; i++) c[$i] = i; hdr = 1
			if (!("phase" in c) || !("ns" in c) || !("status" in c)) { print "no phase/ns/status columns"; bad = 1 }
			next }
		{ k = $c["size"] SUBSEP $c["rep"] SUBSEP $c["op"]; seen[k] = 1; ph[k] = ph[k] " " $c["phase"]
		  if ($c["status"] != "ok") { print "status " $c["status"] " in " $0; bad = 1 }
		  if ($c["phase"] == "wall") wall[k] = $c["ns"]
		  else if ($c["phase"] == "other") other[k] = $c["ns"]
		  else { named[k] += $c["ns"]; calls[k] += $c["calls"] } }
		END {
			for (k in seen) {
				n++; split(k, a, SUBSEP)
				want = a[3] == "pin" ? np : nu; nw = split(want, w, " ")
				for (i = 1; i <= nw; i++) if (index(ph[k] " ", " " w[i] " ") == 0) { print "missing phase " w[i] " in " a[3] " size " a[1] " rep " a[2]; bad = 1 }
				if (named[k] > wall[k] * 1.01 + calls[k] * 5000) { print "named " named[k] " > wall " wall[k] " for " a[3] " size " a[1]; bad = 1 }
				if (a[3] == "pin" && a[1] >= 67108864) {
					cov[a[1], ++ncov[a[1]]] = 100 * named[k] / wall[k]
					printf "%s pin %d rep %d: coverage %.1f%%\n", m, a[1], a[2], cov[a[1], ncov[a[1]]] > "/dev/stderr"
				}
			}
			# The median rep of each large pin: most of the wall time is in named phases.
			for (sz in ncov) {
				nc = ncov[sz]
				for (i = 1; i <= nc; i++) for (j = i + 1; j <= nc; j++) if (cov[sz, j] < cov[sz, i]) { t = cov[sz, i]; cov[sz, i] = cov[sz, j]; cov[sz, j] = t }
				med = cov[sz, int((nc + 1) / 2)]
				if (med < 80) { print m " pin size " sz ": median coverage " int(med) "% < 80%"; bad = 1 }
			}
			if (n != ns * 3 * 2) { print "want " ns * 3 * 2 " (size, rep, op) groups, got " n; bad = 1 }
			exit bad }' "$bd"); then
		fail "$m: $msg"
	fi
	# The result file has only the timed reps (0..2), none of the traced ones.
	awk -F, '!/^#/ && NF > 5 && $9 ~ /^[0-9]+$/ && $9 > 2 { exit 1 }' "$res" || fail "$m: traced reps leaked into $res"
	grep -q "^breakdown $m 64M pin: named phases cover" "$out/out.txt" || fail "$m: no coverage line printed"
	grep -q "TRACER after-$m nop ####_all_functions_enabled_#### 1" "$out/out.txt" || fail "$m: tracer not put back ($(grep "TRACER after-$m" "$out/out.txt"))"
done
block() { awk -v c="=== $1" '$0 == c { on = 1; next } /^=== / { on = 0 } on' "$out/out.txt"; }
block sigint | grep -q -- '--- exit 130' || fail "sigint: want exit 130"
block sigint | grep -qx 'FILE /tmp/int.breakdown' && fail "sigint: a complete breakdown file after an interrupt"
grep -q "TRACER after-sigint nop ####_all_functions_enabled_#### 1" "$out/out.txt" || fail "sigint: tracer not put back"
if grep -q '^WHERE .*instance pinbench-' "$out/out.txt"; then
	block busy | grep -q -- '--- exit [03]$' || fail "busy: tracing in a private instance, the top-level tracer should not matter"
else
	block busy | grep -q -- '--- exit 77' || fail "busy: want exit 77"
	block busy | grep -q 'in use' || fail "busy: want a message saying the tracer is in use"
	block busy | grep -q '^FILE' && fail "busy: files left: $(block busy | grep '^FILE')"
fi
grep -q '^INSTANCES .*pinbench-' "$out/out.txt" && fail "a pinbench tracing instance was left behind"
grep -q "TRACER busy-left function" "$out/out.txt" || fail "busy: pinbench changed a tracer it did not own"
grep -q 'NOT TRACEABLE HERE: ' "$out/list.txt" || fail "list -v: missing functions not marked"
if ((failed)); then exit 1; fi
echo "breakdown: PASS"
