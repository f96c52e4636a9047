#!/bin/bash
# /init of the pinbench QEMU guest (copied into the initramfs by initramfs.sh).
# Sets up device-dax at 4K/2M/1G on the virtual NVDIMM, null_blk, soft-RoCE,
# a vfio-pci NIC and hugetlb pages as the kernel command line says (pb_*=...
# words, all given by scripts/qemu/run.sh: no defaults here), runs
# `pinbench sweep /pinbench/jobs/JOB.job` with the pb_set=KEY=VALUE words as
# --set options, writes results to the host through virtio-9p and powers off.
# Lines starting with "pinbench-guest:" or "[i/n]" are shown on the host as
# progress.
set -uo pipefail
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb TMPDIR=/tmp

log() { printf 'pinbench-guest: %s\n' "$*"; }
off() {
	sync
	umount /results 2>/dev/null
	log "powering off"
	poweroff -f
	sleep 5
	echo o >/proc/sysrq-trigger
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm /dev/hugepages
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mkdir -p /var/tmp
mount -t tmpfs tmpfs /run
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t hugetlbfs hugetlbfs /dev/hugepages 2>/dev/null

# Settings from the host: pb_key=value words on the kernel command line
# (scripts/qemu/run.sh). The sweep's own settings are in the job file and the
# pb_set=KEY=VALUE words (each a --set of pinbench sweep, in order); pb_methods
# only says which methods to set up for (rdma: soft-RoCE, vfio/iommufd: vfio-pci).
declare -A pb=(
	[mode]=sweep [job]='' [methods]='' [label]='' [hugepages]=0 [ns]='' [rounds]=''
	[sizes]='' [reps]='' [rxe_mac]=52:54:00:00:00:01 [vfio_mac]=52:54:00:00:00:02
)
sets=()
read -r -a words </proc/cmdline
for w in "${words[@]}"; do
	case $w in
	pb_set=*) sets+=(--set "${w#pb_set=}") ;;
	pb_*=*) k=${w%%=*}; pb[${k#pb_}]=${w#*=} ;;
	esac
done

if [[ ${pb[mode]} == probe ]]; then
	log "PROBE-OK $(uname -r)"
	off
fi
log "booted $(uname -r), $(nproc) cpus, $(awk '/MemTotal/{print int($2/1024)}' /proc/meminfo) MiB"

mod() { # load quietly; built-in drivers make modprobe fail harmlessly
	local m
	for m in "$@"; do modprobe "$m" 2>/dev/null; done
	return 0
}

# ---- results through virtio-9p ----------------------------------------------
log "step: results share"
mod virtio_pci 9pnet_virtio 9p
share=0
if mount -t 9p -o trans=virtio,version=9p2000.L,msize=524288 results /results; then
	log "results: 9p share mounted"
	share=1
else
	log "no 9p results share (no virtio/9p in this kernel?): results come back on the console"
	mkdir -p /results
fi

# Without the share, print the result files between markers; run.sh splits them.
dump_results() {
	((share)) && return 0
	local f
	while IFS= read -r f; do
		printf '=== PB-FILE %s ===\n' "${f#/results/}"
		cat "$f"
		printf '=== PB-EOF ===\n'
	done < <(find /results -name '*.csv' -o -name '*.csv.partial' -o -name calibrate.txt -o -name sweep-outcomes.txt)
}

# A fixed userspace loop (pinbench calibrate) timed before and after the
# sweep: how fast the emulator ran then, the same work on every kernel. One
# line each in the label's folder, calibrate.txt, which pinbench compare
# reads to mark boots whose speed moved (drift).
calibrate() { # start|end
	local d=/results/${pb[label]:-$(uname -r)} line id up
	id=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null)
	up=$(cut -d' ' -f1 /proc/uptime)
	if line=$(/pinbench/bench/pinbench calibrate 2>&1); then
		mkdir -p "$d"
		printf '%s boot_id=%s uptime_s=%s %s\n' "$1" "${id:-unknown}" "$up" "$line" >>"$d/calibrate.txt"
		log "calibrate $1: ${line#calibrate: }"
	else
		log "calibrate $1: failed: $line"
	fi
}

# ---- device-dax on the NVDIMM -------------------------------------------------
log "step: nvdimm namespaces"
mod libnvdimm nfit nd_pmem dax_pmem device_dax
region=''
for _ in $(seq 50); do
	for r in /sys/bus/nd/devices/region*; do
		[[ -e $r ]] && { region=${r##*/}; break 2; }
	done
	sleep 0.2
done
PROV=/pinbench/scripts/provision.sh
# An fsdax namespace with ext4 mounted -o dax and one file on it: the
# region long-term pins must be refused on (fsdax:FILE in the sweep).
FSDAX_FILE=''
fsdax_setup() { # region size
	local pm mb
	if ! pm=$("$PROV" create --region "$1" --align 2M --size "$2" --mode fsdax --force 2>/tmp/prov.err); then
		log "ERROR: fsdax namespace of $2: $(tail -n1 /tmp/prov.err)"
		return
	fi
	mod crc32c_generic ext4
	mkdir -p /mnt/fsdax
	# Full path: busybox's own mke2fs applet cannot make ext4.
	if ! /usr/bin/mke2fs -q -t ext4 -b 4096 -F "$pm" >/tmp/mkfs.err 2>&1; then
		log "ERROR: mke2fs -t ext4 $pm: $(tail -n2 /tmp/mkfs.err | tr '\n' ' ')"
		return
	fi
	if ! mount -t ext4 -o dax "$pm" /mnt/fsdax >/tmp/mkfs.err 2>&1; then
		log "ERROR: mount -o dax $pm: $(tail -n1 /tmp/mkfs.err) $(dmesg | grep -i -e ext4 -e dax | tail -n2 | tr '\n' ' ')"
		return
	fi
	# The file is the guest's own scratch data: written whole, so no hole is pinned.
	mb=$(($(df -m /mnt/fsdax | awk 'NR == 2 { print $4 }') / 2))
	dd if=/dev/zero of=/mnt/fsdax/pinbench.dat bs=1M count="$mb" 2>/dev/null
	FSDAX_FILE=/mnt/fsdax/pinbench.dat
	log "fsdax $pm mounted -o dax on /mnt/fsdax: $FSDAX_FILE, $mb MiB"
}
# pb_mode=memmap: the struct-page cost of each namespace in pb_ns
# (ALIGN:SIZE:MAP), pb_rounds rounds each (scripts/memmap/measure.sh), then off.
memmap_mode() { # region ('' = none)
	local rc=1 l=${pb[label]:-$(uname -r)}
	if [[ -n $1 ]]; then
		log "step: memmap ${pb[ns]}, ${pb[rounds]:-the default} rounds"
		mkdir -p /results/memmap
		bash /pinbench/scripts/memmap/measure.sh --region "$1" --cases "${pb[ns]}" \
			${pb[rounds]:+--rounds "${pb[rounds]}"} --label "$l" --out "/results/memmap/$l.csv" --force
		rc=$?
	fi
	dump_results
	log "SWEEP-RC=$rc"
	off
}
if [[ -z $region ]]; then
	log "ERROR: no nvdimm region (nfit not loaded?)"
else
	"$PROV" init-labels --region "$region" --force >/tmp/prov.err 2>&1 ||
		log "ERROR: init-labels on $region failed: $(tail -n1 /tmp/prov.err)"
	[[ ${pb[mode]} == memmap ]] && memmap_mode "$region"
	IFS=, read -r -a nss <<<"${pb[ns]}"
	for ns in "${nss[@]+"${nss[@]}"}"; do
		a=${ns%%:*} s=${ns#*:} m='' # ALIGN:SIZE[:MAP], MAP mem|dev
		[[ $s == *:* ]] && m=${s#*:} s=${s%%:*}
		if [[ $a == fsdax ]]; then
			fsdax_setup "$region" "$s"
			continue
		fi
		if dev=$("$PROV" create --region "$region" --align "$a" --size "$s" ${m:+--map "$m"} --force 2>/tmp/prov.err); then
			log "created $dev (align $a, namespace $s${m:+, map $m})"
		else
			log "ERROR: devdax align $a size $s: $(tail -n1 /tmp/prov.err)"
		fi
	done
	for d in /sys/bus/dax/devices/dax*; do
		[[ -e $d ]] || continue
		log "dax ${d##*/} align $(cat "$d/align") size $(cat "$d/size") node $(cat "$d/target_node" 2>/dev/null || cat "$d/numa_node")"
	done
fi
[[ ${pb[mode]} == memmap ]] && memmap_mode ''

# ---- O_DIRECT target -------------------------------------------------------------
log "step: null_blk"
mod null_blk
if [[ -b /dev/nullb0 ]]; then log "null_blk: /dev/nullb0"; else log "null_blk: not available"; fi

# ---- soft-RoCE -----------------------------------------------------------------------
netdev_by_mac() {
	local n
	for n in /sys/class/net/*; do
		[[ $(cat "$n/address" 2>/dev/null) == "$1" ]] && { printf '%s\n' "${n##*/}"; return 0; }
	done
	return 1
}
if [[ ,${pb[methods]}, == *,rdma,* ]]; then
	log "step: soft-RoCE"
	mod e1000 crc32_generic ib_core ib_uverbs rdma_rxe
	if nic=$(netdev_by_mac "${pb[rxe_mac]}"); then
		ip link set "$nic" up
		if rdma link add rxe0 type rxe netdev "$nic" 2>/tmp/rxe.err; then
			log "rxe0 on $nic"
		else
			log "rxe: $(cat /tmp/rxe.err)"
		fi
	else
		log "rxe: no NIC with MAC ${pb[rxe_mac]}"
	fi
fi

# ---- vfio-pci on the spare NIC (and pb_vfio_devs-1 more, 52:54:00:00:01:0K) -------------
bind_vfio() { # PCI address
	local dev=$1 grp c cdev=''
	echo vfio-pci >"/sys/bus/pci/devices/$dev/driver_override"
	[[ -e /sys/bus/pci/devices/$dev/driver ]] && echo "$dev" >"/sys/bus/pci/devices/$dev/driver/unbind"
	echo "$dev" >/sys/bus/pci/drivers_probe 2>/dev/null
	grp=$(basename "$(readlink -f "/sys/bus/pci/devices/$dev/iommu_group")" 2>/dev/null)
	if [[ -e /dev/vfio/$grp ]]; then
		log "vfio: $dev in /dev/vfio/$grp"
		# iommufd: the same device's cdev (CONFIG_VFIO_DEVICE_CDEV) and /dev/iommu
		for c in "/sys/bus/pci/devices/$dev/vfio-dev"/vfio*; do [[ -e $c ]] && cdev=${c##*/}; done
		log "iommufd: $([[ -e /dev/iommu ]] && echo /dev/iommu || echo 'no /dev/iommu'), $dev cdev ${cdev:+/dev/vfio/devices/}${cdev:-none}"
	else
		log "vfio: binding $dev failed (no IOMMU group? intel_iommu=on missing?)"
	fi
}
if [[ ,${pb[methods]}, == *,vfio,* || ,${pb[methods]}, == *,iommufd,* ]]; then
	log "step: vfio"
	mod e1000 iommufd vfio vfio_iommu_type1 vfio_pci
	dev=''
	if nic=$(netdev_by_mac "${pb[vfio_mac]}"); then
		dev=$(basename "$(readlink -f "/sys/class/net/$nic/device")")
	else # no e1000 driver: the last Intel 82540EM without a driver
		for p in /sys/bus/pci/devices/*; do
			[[ $(cat "$p/vendor"):$(cat "$p/device") == 0x8086:0x100e && ! -e $p/driver ]] && dev=${p##*/}
		done
	fi
	if [[ -n $dev ]]; then
		bind_vfio "$dev"
	else
		log "vfio: no spare NIC found"
	fi
	for ((k = 2; k <= ${pb[vfio_devs]:-1}; k++)); do
		if nic=$(netdev_by_mac "52:54:00:00:01:0$k"); then
			bind_vfio "$(basename "$(readlink -f "/sys/class/net/$nic/device")")"
		else
			log "vfio: no NIC 52:54:00:00:01:0$k"
		fi
	done
fi

# ---- hugetlb pages for the DRAM baseline --------------------------------------------
echo "${pb[hugepages]}" >/proc/sys/vm/nr_hugepages
log "hugetlb 2M pages: $(cat /proc/sys/vm/nr_hugepages)"
h1g=/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages
if [[ ${pb[hugepages_1g]:-0} != 0 && -w $h1g ]]; then
	echo "${pb[hugepages_1g]}" >"$h1g"
	log "hugetlb 1G pages: $(cat "$h1g") of ${pb[hugepages_1g]} asked"
fi
echo always >/sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null

if [[ ${pb[mode]} == shell ]]; then
	log "shell (exit to power off)"
	setsid sh -c 'exec bash </dev/ttyS0 >/dev/ttyS0 2>&1'
	off
fi

# pb_mode=script: the host's --script FILE instead of the sweep (pb_sizes and
# pb_reps: the job's sizes and reps, as the plan on the host had them).
if [[ ${pb[mode]} == script ]]; then
	d=/results/${pb[label]:-$(uname -r)}
	mkdir -p "$d"
	log "step: script (bash /pinbench/guest-script.sh $d)"
	PB_SIZES=${pb[sizes]} PB_REPS=${pb[reps]} bash /pinbench/guest-script.sh "$d"
	rc=$?
	sync
	dump_results
	log "SWEEP-RC=$rc"
	off
fi

# ---- the sweep --------------------------------------------------------------------------
job=/pinbench/jobs/${pb[job]}.job
log "step: sweep (${job#/pinbench/}${sets[*]:+ ${sets[*]}})"
PB=/pinbench/bench/pinbench
sets+=(--set outdir=/results --set "label=${pb[label]:-$(uname -r)}")
if [[ -n $FSDAX_FILE ]]; then
	# --set replaces a key: the fsdax file joins the job's own regions (its first job's).
	regions=$("$PB" sweep --plan "${sets[@]}" "$job" | awk -F'\t' '$1 == "job" && $3 == "regions" { print $4; exit }')
	sets+=(--set "regions=${regions:+$regions,}fsdax:$FSDAX_FILE")
fi
calibrate start
"$PB" sweep "${sets[@]}" "$job"
rc=$?
calibrate end
dump_results
log "SWEEP-RC=$rc"
off
