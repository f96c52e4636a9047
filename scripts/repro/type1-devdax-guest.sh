#!/bin/bash
# Runs in the guest (scripts/qemu/run.sh --script, from scripts/repro/type1-devdax.sh):
# does a VFIO type1 map of device-dax give its pins back? Two runs of
# MAP_DMA/UNMAP_DMA of the same range of the 2M device (the second map of the
# same range), the nr_foll_pin_* counters around each, then
# `ndctl disable-namespace` of that device's namespace, watched for 60 s.
# Writes release.txt (key=value) and the two result files to the folder given.
set -uo pipefail
out=${1:?usage: type1-devdax-guest.sh RESULTS_DIR}
pb=/pinbench/bench/pinbench
size=${PB_SIZES:-256M}
res=$out/release.txt
: >"$res"
put() { printf '%s=%s\n' "$1" "$2" | tee -a "$res"; }
pins() { awk '/^nr_foll_pin_acquired/ { a = $2 } /^nr_foll_pin_released/ { r = $2 } END { print a - r }' /proc/vmstat; }

dev=''
for d in /sys/bus/dax/devices/dax*; do
	[[ $(cat "$d/align" 2>/dev/null) == 2097152 ]] && { dev=/dev/${d##*/}; break; }
done
[[ -n $dev ]] || { put error "no 2M-aligned dax device"; exit 1; }
ns=''
for n in /sys/bus/nd/devices/namespace*; do
	[[ $(cat "$n/holder" 2>/dev/null) == "${dev##*/}" ]] && ns=${n##*/}
done
put kernel "$(uname -r)"
put device "$dev"
put namespace "${ns:-unknown}"
put size "$size"

# Pinned pages held system-wide (acquired - released) before and after each run.
held0=$(pins)
for run in 1 2; do
	rc=0
	"$pb" run --method vfio --region "devdax:$dev" --sizes "$size" --reps "${PB_REPS:-3}" --warmup 1 \
		--label repro --out "$out/map$run.csv" >"$out/map$run.log" 2>&1 || rc=$?
	put "map${run}_exit" "$rc"
	put "map${run}_audit" "$(sed -n 's/^# audit: //p' "$out/map$run.csv" 2>/dev/null | head -n1)"
	put "held_after_map$run" $(($(pins) - held0))
done
sync

[[ -n $ns ]] || exit 0
# Tearing down a namespace waits for every page reference to drop: a leaked
# pin can keep it waiting for ever (what KVM's 2019 fix cured for its leak).
dmesg -c >/dev/null 2>&1 # only what the teardown prints from here on
t0=$(date +%s)
ndctl disable-namespace "$ns" >"$out/disable.log" 2>&1 &
pid=$!
state=blocked
for _ in $(seq 60); do
	if ! kill -0 "$pid" 2>/dev/null; then
		wait "$pid" && state=completed || state="failed (exit $?)"
		break
	fi
	sleep 1
done
put disable_namespace "$state after $(($(date +%s) - t0)) s"
if [[ $state == blocked ]]; then
	put disable_wchan "$(cat "/proc/$pid/wchan" 2>/dev/null)"
	# The blocked task's kernel stack (ndctl's child that writes to sysfs, or ndctl).
	for t in $pid $(pgrep -P "$pid"); do
		tr '\n' ' ' <"/proc/$t/stack" 2>/dev/null | cut -c1-400 | sed "s/^/stack_$t=/" | tee -a "$res"
		echo >>"$res"
	done
fi
# What the kernel said while the namespace went away, and whether it comes back.
put dmesg_warnings "$(dmesg | grep -E 'WARNING|BUG|Oops|refcount|leak|pgmap|dev_pagemap' | tail -n 4 | tr '\n' '|' | cut -c1-600)"
put dmesg_lines "$(dmesg | wc -l)"
if [[ $state == completed ]]; then
	rc=0
	ndctl enable-namespace "$ns" >"$out/enable.log" 2>&1 || rc=$?
	put enable_namespace_exit "$rc"
	rc=0
	"$pb" run --method vfio --region "devdax:$dev" --sizes "$size" --reps 1 --warmup 0 \
		--label repro --out "$out/map3.csv" >"$out/map3.log" 2>&1 || rc=$?
	put map_after_reenable_exit "$rc"
	put map_after_reenable_audit "$(sed -n 's/^# audit: //p' "$out/map3.csv" 2>/dev/null | head -n1)"
fi
put held_at_end $(($(pins) - held0))
sync
exit 0
