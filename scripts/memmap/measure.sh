#!/bin/bash
# What the struct pages of a device-dax namespace cost: create one namespace
# per case (align x map mode) in a region, enable and disable it N times and
# read the free page count around each step, then destroy it. One raw CSV row
# per reading; scripts/memmap/report.sh turns them into memmap.csv.
# Runs in the QEMU guest (pb_mode=memmap, called by its /init with --force)
# or on a pmem host. Nothing is changed without --force.
set -euo pipefail

PROG=${0##*/}
HERE=$(cd "$(dirname "$0")" && pwd)

usage() {
	cat <<EOF
usage: $PROG --region regionN [options] [--force]

For each case ALIGN:SIZE:MAP (MAP mem = struct pages in RAM, dev = on the
pmem, ndctl's "altmap"): create a devdax namespace with
scripts/provision.sh, read the free memory, then --rounds times disable the
namespace, read, enable it, read; destroy it. A reading is
/proc/sys/vm/stat_refresh, --settle seconds of quiet, stat_refresh again,
then nr_free_pages (/proc/vmstat), the pages on the per-CPU free lists
(/proc/zoneinfo "count:", free but not in nr_free_pages), nr_memmap_pages
where the kernel has it (6.11+), the slab pages and the per-CPU allocator's
memory (meminfo Percpu), so that what the device's other structures take can
be told apart from the memmap. The namespace's layout (size, the data
offset the kernel reserved at its start, the dax device's size) comes from
sysfs.

Options:
  --region regionN   the region to create the namespaces in (needs room for SIZE)
  --cases LIST       default: 4K:4G:mem,2M:4G:mem,1G:4G:mem,4K:4G:dev,2M:4G:dev,1G:4G:dev
  --rounds N         disable/enable rounds per case (default: 5)
  --settle SEC       quiet time before each reading (default: 1)
  --label L          the kernel's name in the rows (default: uname -r)
  --out FILE         raw rows (default: stdout)
  --force            really create, enable, disable and destroy; without it,
                     print what would be done and exit 0
  -h, --help         this text

Only namespaces this script created are touched; an interrupted run destroys
the one it was measuring. Environment: MEMMAP_SYSFS, MEMMAP_PROC (tests),
PROVISION (default: the provision.sh next to this script's folder).
EOF
}

die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 2; }
note() { printf '%s: %s\n' "$PROG" "$*" >&2; }

SYSFS=${MEMMAP_SYSFS:-/sys}
PROCFS=${MEMMAP_PROC:-/proc}
PROV=${PROVISION:-$HERE/../provision.sh}
[[ -x $PROV ]] || PROV=$HERE/provision.sh

region='' cases=4K:4G:mem,2M:4G:mem,1G:4G:mem,4K:4G:dev,2M:4G:dev,1G:4G:dev
rounds=5 settle=1 label='' out='' force=0
while (($#)); do
	case $1 in
	--region) region=${2:?--region needs a value}; shift 2 ;;
	--cases) cases=${2:?--cases needs a value}; shift 2 ;;
	--rounds) rounds=${2:?--rounds needs a value}; shift 2 ;;
	--settle) settle=${2:?--settle needs a value}; shift 2 ;;
	--label) label=${2:?--label needs a value}; shift 2 ;;
	--out) out=${2:?--out needs a value}; shift 2 ;;
	--force) force=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown argument '$1' (try --help)" ;;
	esac
done

# ---- check everything before changing anything ---------------------------------
[[ -n $region ]] || die "--region regionN is required (see scripts/provision.sh list)"
[[ $region =~ ^region[0-9]+$ ]] || die "bad region name '$region' (want regionN)"
[[ -d $SYSFS/bus/nd/devices/$region ]] || die "no $region here (see scripts/provision.sh list)"
[[ $rounds =~ ^[1-9][0-9]?$ ]] || die "--rounds '$rounds': want a number from 1 to 99"
[[ $settle =~ ^[0-9]+$ ]] || die "--settle '$settle': want whole seconds"
[[ -z $label || $label =~ ^[A-Za-z0-9._+@-]+$ ]] || die "--label '$label': letters, digits and ._+-@ only"
[[ -n $label ]] || label=$(uname -r)
IFS=, read -r -a list <<<"$cases"
((${#list[@]})) || die "--cases is empty"
for c in "${list[@]}"; do
	[[ $c =~ ^(4K|2M|1G):([0-9]+[MG]):(mem|dev)$ ]] ||
		die "case '$c': want ALIGN:SIZE:MAP with ALIGN 4K, 2M or 1G, SIZE like 4G, MAP mem or dev"
done
if [[ -n $out ]]; then
	[[ -d $(dirname "$out") ]] || die "--out $out: no folder $(dirname "$out")"
	[[ ! -e $out ]] || die "--out $out exists; remove it or name another file"
fi

if ((!force)); then
	for c in "${list[@]}"; do
		IFS=: read -r a s m <<<"$c"
		printf 'would run: %s create --region %s --align %s --size %s --map %s --force\n' \
			"$PROV" "$region" "$a" "$s" "$m"
		printf 'would run: %d x (ndctl disable-namespace NS; ndctl enable-namespace NS), reading free memory around each\n' "$rounds"
		printf 'would run: %s destroy --namespace NS --force\n' "$PROV"
	done
	exit 0
fi
command -v ndctl >/dev/null || die "ndctl not found (install ndctl)"
errf=$(mktemp "${TMPDIR:-/tmp}/memmap-prov.XXXXXX")

# ---- readings --------------------------------------------------------------------------
# free pages (buddy), pages on the per-CPU lists, nr_memmap_pages ('' if absent)
reading() {
	echo 1 >"$PROCFS/sys/vm/stat_refresh" 2>/dev/null || true
	sleep "$settle"
	echo 1 >"$PROCFS/sys/vm/stat_refresh" 2>/dev/null || true
	awk 'FILENAME ~ /vmstat$/ && $1 == "nr_free_pages" { free = $2 }
		FILENAME ~ /vmstat$/ && $1 == "nr_memmap_pages" { memmap = $2 }
		FILENAME ~ /vmstat$/ && $1 ~ /^nr_slab_(un)?reclaimable$/ { slab += $2 }
		FILENAME ~ /zoneinfo$/ && $1 == "count:" { pcp += $2 }
		FILENAME ~ /meminfo$/ && $1 == "Percpu:" { percpu = $2 }
		END { printf "%d,%d,%s,%d,%d\n", free, pcp, memmap, slab, percpu }' \
		"$PROCFS/vmstat" "$PROCFS/zoneinfo" "$PROCFS/meminfo"
}

attr() { cat "$1" 2>/dev/null || true; }
emit() { if [[ -n $out ]]; then printf '%s\n' "$1" >>"$out"; else printf '%s\n' "$1"; fi; }

ns='' # the namespace being measured, destroyed on the way out
cleanup() {
	if [[ -n $ns ]]; then
		note "destroying $ns"
		"$PROV" destroy --namespace "$ns" --force >/dev/null 2>&1 || note "could not destroy $ns"
		ns=''
	fi
}
trap 'cleanup; exit 130' INT TERM
trap 'cleanup; rm -f "$errf"' EXIT

kernel=$(uname -r)
emit "label,kernel,align,map,namespace,namespace_bytes,ns_resource,pfn_mode,pfn_resource,pfn_bytes,dax_bytes,seq,state,free_pages,pcp_pages,memmap_pages,slab_pages,percpu_kib"
fail=0
for c in "${list[@]}"; do
	IFS=: read -r a s m <<<"$c"
	before=$(reading)
	if ! dev=$("$PROV" create --region "$region" --align "$a" --size "$s" --map "$m" --force 2>"$errf"); then
		note "case $c: create failed: $(tail -n1 "$errf")"
		fail=1
		continue
	fi
	dev=${dev#/dev/}
	ns=namespace${dev#dax}
	if [[ ! -d $SYSFS/bus/nd/devices/$ns ]]; then
		note "case $c: $dev has no $ns in sysfs; leaving it alone"
		ns=''
		fail=1
		continue
	fi
	holder=$(attr "$SYSFS/bus/nd/devices/$ns/holder")
	nsb=$(attr "$SYSFS/bus/nd/devices/$ns/size")
	nsr=$(attr "$SYSFS/bus/nd/devices/$ns/resource")
	pmode=$(attr "$SYSFS/bus/nd/devices/$holder/mode")
	pres=$(attr "$SYSFS/bus/nd/devices/$holder/resource")
	psz=$(attr "$SYSFS/bus/nd/devices/$holder/size")
	dsz=$(attr "$SYSFS/bus/dax/devices/$dev/size")
	note "case $c: $ns ($dev, holder $holder mode $pmode) namespace $nsb bytes, dax device $dsz bytes"
	fixed="$label,$kernel,$a,$m,$ns,$nsb,$nsr,$pmode,$pres,$psz,$dsz"
	emit "$fixed,0,none,$before"
	emit "$fixed,1,on,$(reading)"
	seq=2
	for ((r = 1; r <= rounds; r++)); do
		ndctl disable-namespace "$ns" >/dev/null 2>&1 || { note "case $c: disable-namespace $ns failed"; fail=1; break; }
		emit "$fixed,$seq,off,$(reading)"
		seq=$((seq + 1))
		ndctl enable-namespace "$ns" >/dev/null 2>&1 || { note "case $c: enable-namespace $ns failed"; fail=1; break; }
		emit "$fixed,$seq,on,$(reading)"
		seq=$((seq + 1))
	done
	"$PROV" destroy --namespace "$ns" --force >/dev/null 2>&1 || { note "case $c: destroy $ns failed"; fail=1; }
	ns=''
done
exit "$fail"
