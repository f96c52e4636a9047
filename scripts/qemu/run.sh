#!/bin/bash
# Boot the pinbench QEMU guest (q35, virtual NVDIMM on its own NUMA node,
# emulated IOMMU, two e1000 NICs, virtio-9p for results), run the sweep in it
# and collect the result files on the host.
set -euo pipefail
# shellcheck source=scripts/qemu/lib.sh
. "$(dirname "$0")/lib.sh"

usage() {
	cat <<EOF
usage: scripts/qemu/run.sh [options]

The sweep (pinbench sweep JOB in the guest; its settings are the job file's):
  --job NAME|FILE    jobs/NAME.job or a job file (default: demo, make demo's sweep)
  --set KEY=VALUE    a job file key for this run, as pinbench sweep --set (any
                     number, in order; no blanks): --set chunk=2M --set breakdown=1
  --sizes LIST, --sizes-1g LIST, --reps N, --warmup N, --methods LIST,
  --regions LIST     short for --set sizes=LIST, --set sizes-1g=LIST, ...
  --label L          result set name (default: the guest's uname -r)
Guest:
  --results DIR      host folder receiving DIR/<label>/*.csv (default: results/)
  --nvdimm-size M|G  virtual NVDIMM size (default: 8G; sparse file, recreated)
  --namespaces LIST  align:size[:mem|dev] of the devdax namespaces (default:
                     4K:2G,2M:2G,1G:3G; map mode: where the struct pages live,
                     ndctl's default dev when not given)
  --mem MiB          guest RAM (default: 2048 + the hugetlb pages)
  --hugepages N      2M hugetlb pages to reserve (default: the largest size the
                     job pins on hugetlb:2M, from pinbench sweep --plan, + 16
                     pages; none without hugetlb:2M)
  --hugepages-1g N   1G hugetlb pages to reserve (default: the largest size the
                     job pins on hugetlb:1G; none without it)
  --timeout SEC      kill the guest after SEC seconds (default: 1800)
  --vfio-devs N      bind N e1000 NICs to vfio-pci (default 1); more for
                     --context per-thread runs of vfio/iommufd (a device each)
  --shell            set everything up, then give a shell on the console
  --script FILE      instead of the sweep, run the bash script FILE in the guest
                     once everything is set up (namespaces, rxe, vfio, hugetlb),
                     as: bash FILE RESULTS_DIR (the label's folder on the host
                     share), with the job's sizes and reps (after --sizes,
                     --reps) in PB_SIZES and PB_REPS; its exit status is
                     reported as the sweep's
  --file FILE        put FILE in the guest too, as /pinbench/files/NAME, for a
                     --script (any number; libraries ldd lists come along)
  --memmap           instead of the sweep, measure the struct-page cost of each
                     --namespaces entry ALIGN:SIZE:mem|dev, --rounds N rounds
                     (scripts/memmap/measure.sh's default without; rows in
                     DIR/memmap/<label>.csv)
  --dry-run          print the QEMU command line and exit
Environment:
  KERNEL=bzImage     boot this kernel instead of Debian's 6.1 (MODULES=lib/modules/REL
                     if it has modules; none for a CONFIG_MODULES=n kernel);
                     KERNEL=debian:SPEC is GUEST_KERNEL=debian:SPEC
  GUEST_KERNEL=6.1|6.12|6.18|7.3|debian:SERIES[.POINT]   without KERNEL:
                     Debian's stock kernel of that series or point release
                     (default 6.1; scripts/qemu/kernel.sh fetches and unpacks
                     it; others than 6.1/6.12 through scripts/qemu/debian-kernel.sh)
  QEMU_ACCEL=auto|tcg|kvm   auto (default) uses KVM only if a probe boot works
  PINBENCH=path      the program to put in the guest (default: bench/pinbench);
                     it also reads the job file on the host first (--plan)
The serial console is logged to build/guest/console.log.
EOF
}

# The launcher's own defaults; the sweep's are in the job file.
job=demo label='' results=$PB_ROOT/results nvsize=8G rounds=''
namespaces=4K:2G,2M:2G,1G:3G mem='' hugepages='' timeout_s=${PB_TIMEOUT:-1800}
mode=sweep dry=0 vfio_devs=1 hugepages1g='' script=''
guest_files=()
sets=() # KEY=VALUE, in order
while (($#)); do
	case $1 in
	--job) job=${2:?}; shift 2 ;;
	--set) sets+=("${2:?}"); shift 2 ;;
	--sizes | --sizes-1g | --reps | --warmup | --methods | --regions) sets+=("${1#--}=${2:?}"); shift 2 ;;
	--label) label=${2:?}; shift 2 ;;
	--rounds) rounds=${2:?}; shift 2 ;;
	--results) results=${2:?}; shift 2 ;;
	--nvdimm-size) nvsize=${2:?}; shift 2 ;;
	--namespaces) namespaces=${2:?}; shift 2 ;;
	--mem) mem=${2:?}; shift 2 ;;
	--hugepages) hugepages=${2:?}; shift 2 ;;
	--hugepages-1g) hugepages1g=${2:?}; shift 2 ;;
	--timeout) timeout_s=${2:?}; shift 2 ;;
	--vfio-devs) vfio_devs=${2:?}; shift 2 ;;
	--shell) mode=shell; shift ;;
	--memmap) mode=memmap; shift ;;
	--script) mode=script script=${2:?}; shift 2 ;;
	--file) guest_files+=("${2:?}"); shift 2 ;;
	--dry-run) dry=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown option '$1' (try --help)" ;;
	esac
done
# shellcheck source=scripts/lib/args.sh
. "$PB_ROOT/scripts/lib/args.sh"
check_list --namespaces "$namespaces"
[[ $label != *[[:space:]]* ]] || die "--label '$label': no blanks allowed"
[[ $timeout_s =~ ^[0-9]+$ ]] || die "--timeout wants seconds"
[[ -z $rounds || $rounds =~ ^[1-9][0-9]*$ ]] || die "--rounds '$rounds': a whole number from 1"
[[ -z $script || -f $script ]] || die "--script $script: no such file"
for f in "${guest_files[@]+"${guest_files[@]}"}"; do [[ -f $f ]] || die "--file $f: no such file"; done
# Each --set is a word of the guest's kernel command line: KEY=VALUE, no blanks.
for kv in "${sets[@]+"${sets[@]}"}"; do
	[[ $kv =~ ^[a-z0-9-]+=[^[:space:]]*$ ]] || die "--set '$kv': want KEY=VALUE without blanks (e.g. --set chunk=2M)"
	case ${kv%%=*} in
	outdir) die "--set $kv: the guest writes to its results share; use --results DIR" ;;
	label) label=${kv#*=} ;;
	esac
done
# The job file: jobs/NAME.job, or a file; it goes into the initramfs under its name.
[[ $job == */* || $job == *.job ]] || job=$PB_ROOT/jobs/$job.job
[[ -f $job ]] || die "--job $job: no such file (jobs/ holds $(cd "$PB_ROOT/jobs" && ls -- *.job | sed 's/\.job$//' | paste -sd' '))"
jobname=$(basename "$job" .job)
[[ $jobname =~ ^[A-Za-z0-9._+-]+$ ]] || die "--job $job: name the file with letters, digits and ._+- only"
pinbench=${PINBENCH:-$PB_ROOT/bench/pinbench}
[[ -x $pinbench ]] || die "no pinbench at $pinbench (run make first)"
setargs=()
for kv in "${sets[@]+"${sets[@]}"}"; do
	[[ ${kv%%=*} == label ]] || setargs+=(--set "$kv")
done
[[ -z $label ]] || setargs+=(--set "label=$label")

to_mib() { # NVDIMM size: 8G -> 8192
	local s=$1
	[[ $s =~ ^([0-9]+)([MGmg])$ ]] || die "size '$s': use M or G"
	case ${BASH_REMATCH[2]} in [Gg]) echo $((BASH_REMATCH[1] * 1024)) ;; *) echo "${BASH_REMATCH[1]}" ;; esac
}

# The sweep as pinbench plans it (the job file and every --set checked here,
# before anything is built or booted): the methods to set up for, and the
# largest size pinned on hugetlb pages of each size (bytes).
plan=''
if [[ $mode != memmap ]]; then
	plan=$("$pinbench" sweep --plan "${setargs[@]+"${setargs[@]}"}" "$job") || exit 2
fi
plan_job() { # KEY: its value in the plan's jobs, comma-joined, each once
	awk -F'\t' -v k="$1" '$1 == "job" && $3 == k { n = split($4, v, ","); for (i = 1; i <= n; i++) if (!seen[v[i]]++) out = out (out == "" ? "" : ",") v[i] }
		END { print out }' <<<"$plan"
}
hugetlb_pages() { # PAGE_BYTES: pages the largest size pinned on hugetlb of that page size needs ('' if none)
	awk -F'\t' -v a="$1" '$1 == "setting" && $4 ~ /^hugetlb/ && $5 == a && $7 != "-" {
			found = 1; n = split($7, s, ","); for (i = 1; i <= n; i++) if (s[i] + 0 > m) m = s[i] + 0 }
		END { if (found) printf "%d\n", int((m + a - 1) / a) }' <<<"$plan"
}

command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing (scripts/deps.sh --guest)"
mkdir -p "$PB_GUEST_DIR" "$results"
results=$(cd "$results" && pwd)

# One guest at a time; a guest left over by a killed run is ended first.
exec 9>"$PB_GUEST_DIR/run.lock"
flock -n 9 || die "another guest run holds $PB_GUEST_DIR/run.lock"
pidfile=$PB_GUEST_DIR/qemu.pid
nvfile=$PB_GUEST_DIR/nvdimm.img
if [[ -f $pidfile ]]; then
	old=$(cat "$pidfile" 2>/dev/null || true)
	if [[ $old =~ ^[0-9]+$ ]] && grep -qF "$nvfile" "/proc/$old/cmdline" 2>/dev/null; then
		say "ending a guest left over by an earlier run (pid $old)"
		kill "$old" 2>/dev/null || true
		sleep 1
		kill -9 "$old" 2>/dev/null || true
	fi
	rm -f "$pidfile"
fi

# ---- kernel and initramfs --------------------------------------------------------
t_start=$(date +%s)
say "step 1/4: guest kernel"
if [[ ${KERNEL:-} == debian:* ]]; then
	export GUEST_KERNEL=$KERNEL
	KERNEL=''
fi
if [[ -n ${KERNEL:-} ]]; then
	[[ -f $KERNEL ]] || die "KERNEL=$KERNEL: no such file"
	kernel=$KERNEL modules=${MODULES:-}
else
	kinfo=$("$PB_ROOT/scripts/qemu/kernel.sh")
	kernel=$(sed -n 's/^KERNEL=//p' <<<"$kinfo")
	modules=$(sed -n 's/^MODULES=//p' <<<"$kinfo")
fi
say "  kernel $kernel${modules:+ (modules $modules)}"
say "step 2/4: initramfs"
ia=()
[[ -n $modules ]] && ia+=(--modules "$modules")
[[ -n $script ]] && ia+=(--script "$script")
for f in "${guest_files[@]+"${guest_files[@]}"}"; do ia+=(--file "$f"); done
[[ $mode == memmap ]] || ia+=(--job "$job")
initrd=$("$PB_ROOT/scripts/qemu/initramfs.sh" "${ia[@]+"${ia[@]}"}")

# ---- machine ---------------------------------------------------------------------------
if [[ -z $hugepages ]]; then
	hugepages=0
	n=$(hugetlb_pages $((2 << 20)))
	[[ -z $n ]] || hugepages=$((n + 16))
fi
if [[ -z $hugepages1g ]]; then
	hugepages1g=$(hugetlb_pages $((1 << 30)))
	hugepages1g=${hugepages1g:-0}
fi
[[ $hugepages =~ ^[0-9]+$ ]] || die "--hugepages '$hugepages': give a whole number"
[[ $hugepages1g =~ ^[0-9]+$ ]] || die "--hugepages-1g '$hugepages1g': give a whole number"
[[ -n $mem ]] || mem=$((2048 + hugepages * 2 + hugepages1g * 1024))
# Node 1 holds the NVDIMM, one CPU and a little RAM (as pmem on the second
# socket of a real host); a node without CPUs or memory stays offline.
node1_mib=512
((mem >= node1_mib + 1024)) || die "--mem: at least $((node1_mib + 1024)) MiB"
nv_mib=$(to_mib "$nvsize")
maxmem=$(((mem + nv_mib + 2048 + 1023) / 1024 * 1024))

[[ $vfio_devs =~ ^[1-9]$ ]] || die "--vfio-devs '$vfio_devs': use 1..9"
# As many vCPUs as the host has cores (at least 2): the last one is node 1's,
# beside the NVDIMM; the others are node 0's.
vcpus=$(nproc)
((vcpus >= 2)) || vcpus=2
extra_nics=()
for ((k = 2; k <= vfio_devs; k++)); do
	extra_nics+=(-netdev "user,id=nv$k,restrict=on" -device "e1000,netdev=nv$k,mac=52:54:00:00:01:0$k")
done

base=(qemu-system-x86_64 -machine 'q35,nvdimm=on,kernel-irqchip=split' -cpu max -smp "$vcpus"
	-m "${mem}M,slots=2,maxmem=${maxmem}M"
	-object "memory-backend-ram,id=ram0,size=$((mem - node1_mib))M"
	-object "memory-backend-ram,id=ram1,size=${node1_mib}M"
	-numa "node,nodeid=0,cpus=0-$((vcpus - 2)),memdev=ram0" -numa "node,nodeid=1,cpus=$((vcpus - 1)),memdev=ram1"
	-object "memory-backend-file,id=nvm0,share=on,mem-path=$nvfile,size=$nvsize,align=1G"
	-device "nvdimm,memdev=nvm0,id=nv0,label-size=128K,node=1"
	-device 'intel-iommu,intremap=on,caching-mode=on'
	-netdev 'user,id=n0,restrict=on' -device 'e1000,netdev=n0,mac=52:54:00:00:00:01'
	-netdev 'user,id=n1,restrict=on' -device 'e1000,netdev=n1,mac=52:54:00:00:00:02'
	"${extra_nics[@]+"${extra_nics[@]}"}"
	-virtfs "local,path=$results,mount_tag=results,security_model=none,id=results"
	-kernel "$kernel" -initrd "$initrd"
	-display none -monitor none -serial stdio -no-reboot -pidfile "$pidfile")
# no_timer_check: on a loaded host TCG can miss the kernel's boot-time timer check,
# which with interrupt remapping panics ("timer doesn't work through
# Interrupt-remapped IO-APIC"); a virtual machine does not need the check.
append="console=ttyS0 intel_iommu=on panic=-1 loglevel=4 no_timer_check"

# ---- accelerator ----------------------------------------------------------------------
accel=${QEMU_ACCEL:-auto}
tcg=(-accel 'tcg,thread=multi')
case $accel in
tcg) accel_args=("${tcg[@]}") ;;
kvm) accel_args=(-accel kvm) ;;
auto)
	accel_args=("${tcg[@]}")
	if [[ -r /dev/kvm && -w /dev/kvm ]]; then
		probe=$PB_GUEST_DIR/kvm-probe-$(hash_files "$kernel" "$(command -v qemu-system-x86_64)")
		if [[ ! -f $probe ]]; then
			say "  probing KVM with a 20 s test boot (/dev/kvm can hang here)"
			truncate -s "$nvsize" "$nvfile"
			if timeout -k 5 20 "${base[@]}" -accel kvm -append "$append pb_mode=probe" \
				</dev/null 2>&1 9>&- | grep -q 'PROBE-OK'; then
				echo kvm >"$probe"
			else
				echo tcg >"$probe"
			fi
			rm -f "$pidfile"
		fi
		[[ $(cat "$probe") == kvm ]] && accel_args=(-accel kvm)
	fi
	;;
*) die "QEMU_ACCEL must be auto, tcg or kvm" ;;
esac

pbargs="pb_mode=$mode pb_hugepages=$hugepages pb_hugepages_1g=$hugepages1g pb_ns=$namespaces pb_vfio_devs=$vfio_devs"
[[ -n $label ]] && pbargs+=" pb_label=$label"
if [[ $mode == memmap ]]; then
	[[ -z $rounds ]] || pbargs+=" pb_rounds=$rounds"
else
	pbargs+=" pb_job=$jobname pb_methods=$(plan_job methods)"
	for kv in "${sets[@]+"${sets[@]}"}"; do
		[[ ${kv%%=*} == label ]] || pbargs+=" pb_set=$kv"
	done
	[[ $mode != script ]] || pbargs+=" pb_sizes=$(plan_job sizes) pb_reps=$(plan_job reps)"
fi
cmd=("${base[@]}" "${accel_args[@]}" -append "$append $pbargs")
if ((dry)); then
	printf '%q ' "${cmd[@]}"
	echo
	exit 0
fi

# Console lines worth showing on the host, with the time since boot.
progress() {
	local line t0=$SECONDS
	while IFS= read -r line; do
		line=${line%$'\r'}
		case $line in
		pinbench-guest:* | \[[0-9]*/[0-9]*\]* | sweep:* | '  skipped '* | '  failed '* | '    |'* | \
			*'Kernel panic'* | *BUG:* | *Oops:*)
			printf 'guest +%4ds  %s\n' "$((SECONDS - t0))" "$line"
			;;
		esac
	done
}

# ---- boot ------------------------------------------------------------------------------
log=$PB_GUEST_DIR/console.log
# A fresh sparse NVDIMM every run: no labels or namespaces left from before,
# and no disk blocks allocated by an earlier run.
rm -f "$nvfile" "$log"
truncate -s "$nvsize" "$nvfile"
stamp=$PB_GUEST_DIR/run.stamp
touch "$stamp"
say "step 3/4: booting the guest (${accel_args[1]%%,*}, ${mem} MiB RAM, NVDIMM $nvsize on node 1 with cpu 1 and ${node1_mib} MiB, timeout ${timeout_s}s)"
say "  console log: $log"
t_boot=$(date +%s)
rc=0
if [[ $mode == shell ]]; then
	"${cmd[@]}" 9>&- 2>&1 | tee "$log" || rc=$?
else
	# QEMU runs in the background so that a signal to this script (Ctrl-C,
	# SIGTERM) is handled at once: the guest is stopped, what arrived is kept.
	interrupted=0
	stop_guest() {
		interrupted=1
		local p
		p=$(cat "$pidfile" 2>/dev/null) && [[ $p =~ ^[0-9]+$ ]] && kill "$p" 2>/dev/null
		return 0
	}
	trap stop_guest INT TERM HUP
	rcfile=$PB_GUEST_DIR/qemu.rc
	rm -f "$rcfile"
	{
		qrc=0
		timeout -k 10 "$timeout_s" "${cmd[@]}" </dev/null 2>&1 9>&- || qrc=$?
		echo "$qrc" >"$rcfile"
	} | tee "$log" | progress &
	job=$!
	while kill -0 "$job" 2>/dev/null; do wait "$job" || true; done
	trap - INT TERM HUP
	rc=$(cat "$rcfile" 2>/dev/null || echo 1)
fi
rm -f "$pidfile"
t_end=$(date +%s)

# ---- what came back ---------------------------------------------------------------------
say "step 4/4: results"
if ((rc == 124 || rc == 137)); then
	say "TIMEOUT: the guest did not finish within ${timeout_s}s and was killed; partial results kept"
fi
sweep_rc=$(tr -d '\r' <"$log" | sed -n 's/^pinbench-guest: SWEEP-RC=//p' | tail -n1)
# Files sent over the console (a guest kernel without virtio-9p).
if grep -q '^=== PB-FILE ' "$log"; then
	tr -d '\r' <"$log" | awk -v dir="$results" '
		/^=== PB-FILE .* ===$/ {
			name = $0; sub(/^=== PB-FILE /, "", name); sub(/ ===$/, "", name)
			if (name ~ /(^|\/)\.\.(\/|$)/ || name ~ /^\//) { name = ""; next }
			out = dir "/" name; d = out; sub(/\/[^\/]*$/, "", d)
			system("mkdir -p \"" d "\""); printf "" > out; next
		}
		/^=== PB-EOF ===$/ { if (out != "") close(out); out = ""; next }
		out != "" { print >> out }'
	say "result files came back on the console"
fi
mapfile -t new < <(find "$results" -newer "$stamp" -type f \( -name '*.csv' -o -name '*.csv.partial' \) | sort)
if ((${#new[@]})); then
	say "${#new[@]} result file(s) from the guest:"
	printf '  %s\n' "${new[@]#"$PB_ROOT"/}" >&2
else
	say "no result files arrived"
fi
say "times: setup $((t_boot - t_start))s, guest $((t_end - t_boot))s (boot to poweroff), total $((t_end - t_start))s"
rm -f "$stamp"
if ((${interrupted:-0})); then
	say "interrupted: the guest was stopped; what arrived is kept in $results"
	exit 130
fi
if ((rc == 124 || rc == 137)); then exit 124; fi
if [[ $mode == shell ]]; then exit "$rc"; fi
((rc == 0)) || { say "qemu exited with $rc (see $log)"; exit 1; }
[[ -n $sweep_rc ]] || { say "the guest did not report the sweep's result (see $log)"; exit 1; }
((sweep_rc == 0)) || { say "the sweep in the guest exited with $sweep_rc"; exit 1; }
exit 0
