#!/bin/bash
# The rdma, vfio and gup drivers in the QEMU guest, their error paths above
# all: each refusal must name the value and the fix. Boots the guest in shell
# mode, runs the commands below in it and checks what they printed.
# Exit 0 pass, 1 fail, 77 skipped. KERNEL= a bzImage with CONFIG_GUP_TEST=y
# adds the gup checks (Debian's 6.1 has no gup_test: those must skip).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
skip() { echo "driver_errors: SKIP: $*"; exit 77; }
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 not installed (scripts/deps.sh --guest)"
[[ -x /bin/busybox ]] || skip "busybox-static not installed (scripts/deps.sh --guest)"
[[ -x bench/pinbench ]] || skip "no bench/pinbench (run make)"

out=$ROOT/build/guest-driver-errors
rm -rf "$out"
mkdir -p "$out"
cat >"$out/in-guest.sh" <<'GUEST'
P=/pinbench/bench/pinbench
t() { echo "=== $*"; rm -f /tmp/t.csv; "$@" --quiet --out /tmp/t.csv 2>&1 | tail -n 8; echo "--- exit ${PIPESTATUS[0]}"; }
t $P run --region anon --method rdma-odp --sizes 2M --reps 1
t $P run --region anon --method rdma --rdma-dev nosuchdev --sizes 2M --reps 1
t $P run --region anon --method rdma --rdma-access remote-write --sizes 2M --reps 1
t $P run --region anon --method rdma --rdma-access remote-read --sizes 2M --reps 2
t $P run --region anon --method vfio --vfio-group 999 --sizes 2M --reps 1
t $P run --region anon --method vfio --vfio-iova 4261412864 --sizes 2M..64M --reps 1
lim=/sys/module/vfio_iommu_type1/parameters/dma_entry_limit
old=$(cat $lim); echo 0 >$lim
t $P run --region anon --method vfio --sizes 2M --reps 1
echo "$old" >$lim
t $P run --region anon --method vfio --sizes 2M --reps 2
t $P run --region devdax:/dev/dax0.1 --method gup-pin --sizes 2M --reps 2
# a second VFIO group: the soft-RoCE NIC goes to vfio-pci too
for n in /sys/class/net/*; do
	[[ $(cat $n/address) == 52:54:00:00:00:01 ]] || continue
	d=$(basename "$(readlink -f $n/device)")
	rdma link delete rxe0 2>/dev/null
	echo vfio-pci >/sys/bus/pci/devices/$d/driver_override
	echo $d >/sys/bus/pci/devices/$d/driver/unbind
	echo $d >/sys/bus/pci/drivers_probe
done
t $P run --region anon --method vfio --sizes 4M --reps 1
t $P run --region anon --method rdma --sizes 2M --reps 1
echo DRIVER-ERRORS-DONE
GUEST

# Type the one command once the guest's shell is up.
feed() {
	for _ in $(seq 600); do
		grep -q 'pinbench-guest: shell' "$out/console" 2>/dev/null && break
		sleep 0.5
	done
	sleep 2
	printf 'bash /results/in-guest.sh >/results/out.txt 2>&1; poweroff -f\n'
	# Keep stdin open until the guest is gone, no longer.
	for _ in $(seq 480); do
		grep -q 'reboot: Power down' "$out/console" 2>/dev/null && break
		sleep 0.5
	done
}
feed | timeout -k 5 300 scripts/qemu/run.sh --shell --methods rdma,vfio --sizes 2M..64M \
	--results "$out" >"$out/console" 2>&1 || true
[[ -f $out/out.txt ]] || { echo "driver_errors: FAIL: the guest wrote nothing (console: $out/console)"; exit 1; }
cat "$out/out.txt"

failed=0
expect() { # command-substring | exit | message-substring
	local cmd=$1 rc=$2 msg=$3 block
	block=$(awk -v c="$cmd" 'index($0, "=== ") == 1 { on = index($0, c) > 0 } on' "$out/out.txt")
	if [[ -z $block ]]; then
		echo "driver_errors: FAIL: no output for '$cmd'"; failed=1; return
	fi
	grep -qF -- "--- exit $rc" <<<"$block" || { echo "driver_errors: FAIL: '$cmd': want exit $rc"; failed=1; }
	grep -qF -- "$msg" <<<"$block" || { echo "driver_errors: FAIL: '$cmd': want '$msg'"; failed=1; }
}
expect "rdma-odp" 77 "supports on-demand paging for RC"
expect "--rdma-dev nosuchdev" 77 "--rdma-dev nosuchdev: no such RDMA device"
expect "--rdma-access remote-write" 2 "need local-write too"
expect "--rdma-access remote-read" 0 "balanced"
expect "--vfio-group 999" 77 "no /dev/vfio/999"
expect "--vfio-iova 4261412864" 2 "use --vfio-iova 0xfef00000"
expect "--method vfio --sizes 2M --reps 1" 2 "dma_entry_limit 0"
expect "--method vfio --sizes 2M --reps 2" 0 "balanced"
if grep -q "gup_test: the kernel lacks CONFIG_GUP_TEST" "$out/out.txt"; then
	expect "--method gup-pin" 77 "CONFIG_GUP_TEST=y"
else
	expect "--method gup-pin" 0 "kget"
fi
expect "--method vfio --sizes 4M --reps 1" 2 "pick one with --vfio-group N"
expect "--method rdma --sizes 2M --reps 1" 77 "create a soft-RoCE one"
((failed == 0)) || exit 1
echo "driver_errors: PASS"
