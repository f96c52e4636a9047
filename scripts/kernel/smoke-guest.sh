#!/bin/bash
# Runs in the guest (scripts/qemu/run.sh --script, from scripts/kernel/smoke.sh):
# the kernel's gup_test on each device-dax namespace run.sh created (1G, 2M and
# 4K aligned, --namespaces) and on a file of an fsdax namespace it makes here
# (ext4 mounted -o dax), then the pin counters and the kernel log. It judges
# nothing: it prints "@@ ..." lines on the console, which smoke.sh reads.
# Its settings are /pinbench/files/smoke.conf (run.sh --file), shell words:
#   mb=MiB per run  nr=pages per gup call  reps=N  gup_test=NAME of the
#   gup_test binary in /pinbench/files  namespaces=ALIGN:SIZE[:MAP],... (what
#   run.sh was given: the device-dax namespaces expected, in order)
set -euo pipefail
files=/pinbench/files
mb='' nr='' reps='' gup_test='' namespaces=''
# shellcheck source=/dev/null
. "$files/smoke.conf"
gt=$files/$gup_test
[[ -x $gt ]] || echo "@@ fail no gup_test at $gt"
[[ -e /sys/kernel/debug/gup_test ]] || echo "@@ fail no /sys/kernel/debug/gup_test: this kernel lacks CONFIG_GUP_TEST"

echo "@@ kernel $(uname -r)"
# FOLL_LONGTERM for gup_test -F: 0x10000 in 6.1; the FOLL_* flags were
# renumbered later (6.12: 1 << 8, include/linux/mm_types.h), and 0x10000 is
# then the internal FOLL_TOUCH, which pin_user_pages_fast refuses with a WARN.
case $(uname -r) in 6.1.*) LT=0x10000 ;; *) LT=0x100 ;; esac

run() { # $1=device $2=align $3=test name, rest: gup_test args
	local dev=$1 al=$2 t=$3 rc=0 l
	shift 3
	echo "@@ run $dev $al $t gup_test $*"
	"$gt" "$@" >/tmp/gup.out 2>&1 || rc=$?
	while IFS= read -r l; do echo "@@out $dev $al $t $l"; done </tmp/gup.out
	echo "@@ rc $dev $al $t $rc"
}
suite() { # $1=file $2=align-label
	run "$1" "$2" GUP_FAST -f "$1" -S -w -m "$mb" -n "$nr" -r "$reps" -u
	run "$1" "$2" PIN_FAST -f "$1" -S -w -m "$mb" -n "$nr" -r "$reps" -a
	run "$1" "$2" PIN_FAST_LONGTERM -f "$1" -S -w -m "$mb" -n "$nr" -r "$reps" -a -F "$LT"
	run "$1" "$2" PIN_LONGTERM -f "$1" -S -w -m "$mb" -n "$nr" -r "$reps" -L
}
bytes() { # 4K|2M|1G -> bytes
	case $1 in 4K) echo 4096 ;; 2M) echo 2097152 ;; 1G) echo 1073741824 ;; *) echo 0 ;; esac
}

# ---- device-dax: the namespaces run.sh created, one per align ----------------
used=' '
IFS=, read -r -a nss <<<"$namespaces"
for ns in "${nss[@]}"; do
	IFS=: read -r al sz _ <<<"$ns"
	d=''
	for p in /sys/bus/dax/devices/dax*; do
		[[ -e $p ]] || continue
		[[ $used != *" ${p##*/} "* && $(cat "$p/align") == "$(bytes "$al")" ]] || continue
		d=${p##*/}
		break
	done
	if [[ -z $d ]]; then
		echo "@@ fail create devdax align $al size $sz: no such device (run.sh's namespace step failed: see the console log)"
		continue
	fi
	used+="$d "
	echo "@@ devdax $d align $(cat "/sys/bus/dax/devices/$d/align") size $(cat "/sys/bus/dax/devices/$d/size")"
	suite "/dev/$d" "$al"
done

# ---- fsdax: long-term pins must still be refused (EOPNOTSUPP -> size 0) ------
region=region0
for r in /sys/bus/nd/devices/region*; do
	[[ -e $r ]] && { region=${r##*/}; break; }
done
modprobe -q crc32c_generic 2>/dev/null || true # ext4 as a module (Debian's kernels)
modprobe -q ext4 2>/dev/null || true
before=$(ls /dev)
if ndctl create-namespace -r "$region" -m fsdax -M mem -s 1G >/tmp/ns.json 2>&1; then
	pm=''
	for p in /dev/pmem*; do
		[[ -b $p ]] || continue
		grep -qx "${p#/dev/}" <<<"$before" || { pm=${p#/dev/}; break; }
	done
	mkdir -p /mnt/fsdax
	# full path: busybox's mke2fs applet (earlier on PATH) cannot make ext4
	if [[ -n $pm ]] && /usr/bin/mke2fs -q -t ext4 -b 4096 -E stride=512,stripe_width=512 -F "/dev/$pm" &&
		mount -o dax "/dev/$pm" /mnt/fsdax; then
		echo "@@ fsdax /dev/$pm $(grep /mnt/fsdax /proc/mounts)"
		fallocate -l 64M /mnt/fsdax/f 2>/dev/null ||
			dd if=/dev/zero of=/mnt/fsdax/f bs=1M count=64 2>/dev/null
		# count PMD faults, to know whether the PMD path was tried
		tr=/sys/kernel/debug/tracing
		{ echo 1 >$tr/events/fs_dax/dax_pmd_fault_done/enable; } 2>/dev/null || true
		run /mnt/fsdax/f fsdax PIN_FAST -f /mnt/fsdax/f -S -w -m 64 -n "$nr" -r 1 -a
		run /mnt/fsdax/f fsdax PIN_FAST_LONGTERM -f /mnt/fsdax/f -S -w -m 64 -n "$nr" -r 1 -a -F "$LT"
		run /mnt/fsdax/f fsdax PIN_LONGTERM -f /mnt/fsdax/f -S -w -m 64 -n "$nr" -r 1 -L
		{ echo 0 >$tr/events/fs_dax/dax_pmd_fault_done/enable; } 2>/dev/null || true
		echo "@@ fsdax_pmd_faults $(grep -c 'dax_pmd_fault_done.*NOPAGE' $tr/trace 2>/dev/null) mapped, $(grep -c 'dax_pmd_fault_done.*FALLBACK' $tr/trace 2>/dev/null) fell back to PTEs"
		umount /mnt/fsdax
	else
		echo "@@ fail fsdax mkfs/mount"
	fi
else
	echo "@@ fail create fsdax: $(cat /tmp/ns.json)"
fi

# ---- pin accounting and the kernel log ------------------------------------------
# fold the per-cpu vmstat deltas first, or the two counters lag differently
{ echo 1 >/proc/sys/vm/stat_refresh; } 2>/dev/null || sleep 3
grep nr_foll_pin /proc/vmstat | while read -r k v; do echo "@@ vmstat $k $v"; done || true
dmesg | grep -E 'WARNING:|BUG:|Oops|Call Trace|gup_test' | head -40 |
	while IFS= read -r l; do echo "@@ dmesg $l"; done || true
echo "@@ done"
