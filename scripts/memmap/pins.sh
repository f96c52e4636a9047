#!/bin/bash
# Pin latency with the struct pages in RAM (-M mem) and on the pmem (-M dev),
# side by side in one QEMU guest: device-dax namespaces of both map modes at
# 2M and 1G, a short sweep over them, and a table by map mode (pins.md).
set -euo pipefail

PROG=${0##*/}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

usage() {
	cat <<EOF
usage: $PROG [options]

  --kernel LABEL   build/kernel/LABEL (default: compound; gup-pin needs
                   CONFIG_GUP_TEST, which Debian's kernels lack)
  --methods LIST   the job's methods instead (jobs/memmap-pins.job: gup-pin,rdma)
  --reps N         the job's reps instead (jobs/memmap-pins.job: 5)
  --out DIR        default: results/memmap/pins (rows in DIR/LABEL/, table DIR/pins.md)
  --dry-run        print the guest command and exit
  -h, --help       this text

Namespaces 2M:2G and 1G:3G, each once with -M mem and once with -M dev, on a
12 GiB sparse NVDIMM (deleted afterwards); the sweep is jobs/memmap-pins.job
(devdax at 256M (2M) and 1G (1G)).
Guests use PB_GUEST_DIR (default build/guest-memmap). Nothing on this host
changes.
EOF
}

die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 2; }

kernel=compound methods='' reps='' out=$ROOT/results/memmap/pins dry=0
while (($#)); do
	case $1 in
	--kernel) kernel=${2:?--kernel needs a label}; shift 2 ;;
	--methods) methods=${2:?--methods needs a list}; shift 2 ;;
	--reps) reps=${2:?--reps needs a number}; shift 2 ;;
	--out) out=${2:?--out needs a folder}; shift 2 ;;
	--dry-run) dry=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown argument '$1' (try --help)" ;;
	esac
done
[[ $kernel =~ ^[A-Za-z0-9._+@-]+$ && -f $ROOT/build/kernel/$kernel ]] ||
	die "--kernel '$kernel': no build/kernel/$kernel; build it with scripts/kernel/build.sh $kernel"
[[ -z $methods || $methods =~ ^[a-z-]+(,[a-z-]+)*$ ]] || die "--methods '$methods': a comma-separated list of pinbench methods"
[[ -z $reps || $reps =~ ^[1-9][0-9]?$ ]] || die "--reps '$reps': want a number from 1 to 99"

export PB_GUEST_DIR=${PB_GUEST_DIR:-$ROOT/build/guest-memmap}
label=map-$kernel
ns=2M:2G:mem,2M:2G:dev,1G:3G:mem,1G:3G:dev
cmd=("$ROOT/scripts/qemu/run.sh" --job memmap-pins --namespaces "$ns" --nvdimm-size 12G
	--label "$label" --hugepages 0 --mem 2048 --results "$PB_GUEST_DIR/pins")
[[ -z $methods ]] || cmd+=(--set "methods=$methods")
[[ -z $reps ]] || cmd+=(--set "reps=$reps")
if ((dry)); then
	printf 'would run: KERNEL=build/kernel/%s %s\n' "$kernel" "${cmd[*]}"
	exit 0
fi
rm -rf "${PB_GUEST_DIR:?}/pins/$label"
rc=0
KERNEL=$ROOT/build/kernel/$kernel "${cmd[@]}" || rc=$?
rm -f "$PB_GUEST_DIR/nvdimm.img"
mkdir -p "$out/$kernel"
rm -f "$out/$kernel"/*.csv
shopt -s nullglob
files=("$PB_GUEST_DIR/pins/$label"/*.csv)
((${#files[@]})) || { echo "$PROG: no result files came back (see $PB_GUEST_DIR/console.log)" >&2; exit 1; }
cp "${files[@]}" "$out/$kernel/"

# One line per (method, align, map, op): the median over the reps.
"$ROOT/scripts/tables/memmap-pins.sh" "$out/$kernel" >"$out/pins.md.tmp"
mv "$out/pins.md.tmp" "$out/pins.md"
cat "$out/pins.md"
exit "$rc"
