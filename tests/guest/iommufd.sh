#!/bin/bash
# The iommufd method in the QEMU guest: its refusals (each names the value and
# the fix) and, on a kernel with iommufd, balanced IOAS map/unmap of DRAM and
# 2M device-dax. Two boots:
#   1. Debian's stock kernel (GUEST_KERNEL, default 6.1): no /dev/iommu, so
#      every iommufd run must skip with exit 77 and say why.
#   2. A kernel with CONFIG_IOMMUFD and CONFIG_VFIO_DEVICE_CDEV:
#      IOMMUFD_KERNEL=bzImage, default build/kernel/compound@6.12
#      (scripts/kernel/build.sh compound@6.12); skipped when there is none.
# Exit 0 pass, 1 fail, 77 skipped. PINBENCH= the program to test
# (default bench/pinbench); IOMMUFD_STOCK=0 leaves out boot 1.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
skip() { echo "iommufd: SKIP: $*"; exit 77; }
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 not installed (scripts/deps.sh --guest)"
[[ -x /bin/busybox ]] || skip "busybox-static not installed (scripts/deps.sh --guest)"
export PINBENCH=${PINBENCH:-$ROOT/bench/pinbench}
[[ -x $PINBENCH ]] || skip "no $PINBENCH (run make)"
"$PINBENCH" run --help 2>&1 | grep -q -- --iommufd-dev || skip "$PINBENCH has no iommufd method (run make)"
ikernel=${IOMMUFD_KERNEL:-$ROOT/build/kernel/compound@6.12}

out=$ROOT/build/guest-iommufd
rm -rf "$out"
mkdir -p "$out/stock" "$out/iommufd"

# What the guest runs; its output goes to /results/out.txt.
cat >"$out/in-guest.sh" <<'GUEST'
P=/pinbench/bench/pinbench
t() { echo "=== $*"; rm -f /tmp/t.csv; "$@" --quiet --out /tmp/t.csv 2>&1 | tail -n 8; echo "--- exit ${PIPESTATUS[0]}"; }
echo "kernel $(uname -r)"
ls /dev/iommu /dev/vfio/devices 2>&1
t $P run --region anon --method iommufd --sizes 2M --reps 2
t $P run --region anon --method iommufd --iommufd-dev vfio9 --sizes 2M --reps 1
t $P run --region anon --method iommufd --iommufd-dev eth0 --sizes 2M --reps 1
t $P run --region anon --method iommufd --iommufd-iova 4261412864 --sizes 2M..64M --reps 1
t $P run --region anon --method iommufd --iommufd-iova 4097 --sizes 2M --reps 1
t $P run --region devdax:/dev/dax0.1 --method iommufd --sizes 2M..64M --reps 2
# type1 right after: closing the cdev gave the group back
t $P run --region anon --method vfio --sizes 2M --reps 1
# a PCI device that is not bound to vfio-pci (the soft-RoCE NIC)
for n in /sys/class/net/*; do
	[[ $(cat $n/address) == 52:54:00:00:00:01 ]] && rxe=$(basename "$(readlink -f $n/device)")
done
t $P run --region anon --method iommufd --iommufd-dev "$rxe" --sizes 2M --reps 1
t $P run --region anon --method iommufd --iommufd-dev /dev/vfio/devices/vfio0 --sizes 2M --reps 1
# the device leaves vfio-pci: no cdev at all
for d in /sys/bus/pci/drivers/vfio-pci/0000:*; do echo "${d##*/}" >/sys/bus/pci/drivers/vfio-pci/unbind; done
t $P run --region anon --method iommufd --sizes 2M --reps 1
grep foll_pin /proc/vmstat
echo IOMMUFD-DONE
GUEST

boot() { # folder, then env assignments for run.sh
	local dir=$1
	shift
	cp "$out/in-guest.sh" "$dir/in-guest.sh"
	feed() {
		for _ in $(seq 900); do
			grep -q 'pinbench-guest: shell' "$dir/console" 2>/dev/null && break
			sleep 0.5
		done
		sleep 2
		printf 'bash /results/in-guest.sh >/results/out.txt 2>&1; poweroff -f\n'
		for _ in $(seq 900); do
			grep -q 'reboot: Power down' "$dir/console" 2>/dev/null && break
			sleep 0.5
		done
	}
	feed | env "$@" timeout -k 5 600 scripts/qemu/run.sh --shell --methods rdma,vfio,iommufd \
		--sizes 2M..64M --namespaces 4K:1G,2M:1G --nvdimm-size 4G --results "$dir" \
		>"$dir/console" 2>&1 || true
	[[ -f $dir/out.txt ]] || { echo "iommufd: FAIL: the guest wrote nothing (console: $dir/console)"; exit 1; }
	cat "$dir/out.txt"
}

failed=0
expect() { # file | command-substring | exit | message-substring
	local f=$1 cmd=$2 rc=$3 msg=$4 block
	block=$(awk -v c="$cmd" 'index($0, "=== ") == 1 { on = index($0, c) > 0 } on' "$f")
	if [[ -z $block ]]; then
		echo "iommufd: FAIL: no output for '$cmd'"; failed=1; return
	fi
	grep -qF -- "--- exit $rc" <<<"$block" || { echo "iommufd: FAIL: '$cmd': want exit $rc"; failed=1; }
	grep -qF -- "$msg" <<<"$block" || { echo "iommufd: FAIL: '$cmd': want '$msg'"; failed=1; }
}

# 1. Debian's stock kernel: no iommufd.
f=$out/stock/out.txt
if [[ ${IOMMUFD_STOCK:-1} == 0 ]]; then
	echo "iommufd: boot 1 left out (IOMMUFD_STOCK=0)"
else
	echo "iommufd: boot 1: Debian's stock ${GUEST_KERNEL:-6.1}"
	boot "$out/stock" KERNEL=
fi
if [[ ! -f $f ]]; then
	:
elif grep -q '^/dev/iommu$' "$f"; then
	echo "iommufd: note: this stock kernel has /dev/iommu; the skip checks do not apply"
else
	expect "$f" "--method iommufd --sizes 2M --reps 2" 77 "no /dev/iommu: this kernel has no iommufd"
	expect "$f" "--iommufd-dev vfio9" 77 "CONFIG_IOMMUFD"
	expect "$f" "--region devdax:/dev/dax0.1 --method iommufd" 77 "no /dev/iommu"
fi

# 2. A kernel with iommufd and the VFIO device cdev.
if [[ ! -f $ikernel ]]; then
	echo "iommufd: note: no $ikernel (scripts/kernel/build.sh compound@6.12): the checks on a kernel with iommufd are skipped"
	((failed == 0)) || exit 1
	echo "iommufd: PASS (stock kernel only)"
	exit 0
fi
echo "iommufd: boot 2: $ikernel"
boot "$out/iommufd" KERNEL="$ikernel" MODULES=
f=$out/iommufd/out.txt
expect "$f" "--method iommufd --sizes 2M --reps 2" 0 "balanced"
expect "$f" "--iommufd-dev vfio9" 2 "--iommufd-dev vfio9: no /dev/vfio/devices/vfio9; the devices here are: vfio0"
expect "$f" "--iommufd-dev eth0" 2 "is not a VFIO device cdev: give vfioN"
expect "$f" "--iommufd-iova 4261412864" 2 "use --iommufd-iova 0xfef00000"
expect "$f" "--iommufd-iova 4097" 2 "not a multiple of the 4K IOMMU page"
expect "$f" "--region devdax:/dev/dax0.1 --method iommufd" 0 "balanced"
expect "$f" "--region anon --method vfio" 0 "balanced"
expect "$f" "--iommufd-dev 0000:" 77 "the device has no VFIO cdev"
expect "$f" "--iommufd-dev /dev/vfio/devices/vfio0" 0 "balanced"
# the last iommufd run: after the unbind, nothing to attach
block=$(awk '/^=== .*--method iommufd --sizes 2M --reps 1$/ { on = 1 } on' "$f")
grep -qF -- "--- exit 77" <<<"$block" && grep -qF "no VFIO device cdev" <<<"$block" ||
	{ echo "iommufd: FAIL: after unbinding, want exit 77 and 'no VFIO device cdev'"; failed=1; }
((failed == 0)) || exit 1
echo "iommufd: PASS"
