#!/bin/bash
# What the struct pages of device-dax cost, per align, map mode and kernel:
# boots each guest kernel in QEMU (pb_mode=memmap), where
# scripts/memmap/measure.sh creates one namespace per align x map mode, enables
# and disables it several times and reads the free memory around each step;
# then scripts/memmap/report.sh puts the rows beside the values expected from
# first principles: results/memmap/memmap.csv, table.md, plots/memmap/*.png.
# Then what the map mode does to pinning: scripts/memmap/pins.sh, one more
# guest sweeping jobs/memmap-pins.job (pinbench sweep) on the first kernel.
set -euo pipefail

PROG=${0##*/}
ROOT=$(cd "$(dirname "$0")/.." && pwd)

usage() {
	cat <<EOF
usage: $PROG [options]

  --kernels LIST  kernels to measure, comma or space separated (default:
                  compound,base-pages): a label of scripts/kernel/build.sh
                  (build/kernel/LABEL), or debian-6.1 / debian-6.12 for
                  Debian's stock kernels unpacked by scripts/qemu/kernel.sh
                  in PB_GUEST_DIR/kernel (6.1 is fetched when none is there),
                  or debian:SERIES[.POINT] (debian:6.18, debian:7.3.4; label
                  debian-SERIES[.POINT]) fetched by scripts/qemu/debian-kernel.sh
  --size S        namespace size (default: 4G; the NVDIMM is S + 4G, sparse)
  --aligns LIST   default: 4K,2M,1G
  --maps LIST     default: mem,dev (mem: struct pages in RAM; dev: on the pmem)
  --rounds N      disable/enable rounds per namespace (default: 7)
  --out DIR       default: results/memmap-HOST (raw rows in DIR/raw/LABEL.csv);
                  the committed results/memmap is the reference set
  --plots DIR     default: plots/memmap-HOST
  --report-only   no guests: redo memmap.csv, table.md and the graphs from
                  DIR/raw/*.csv (of the --kernels given, in that order)
  --no-pins       leave out the pin half: by default, after the memory cost,
                  scripts/memmap/pins.sh --kernel FIRST --out DIR/pins times
                  pins with the struct pages in RAM and on the pmem (a guest
                  sweeping jobs/memmap-pins.job; FIRST: the first of --kernels,
                  a build/kernel label, as gup-pin needs CONFIG_GUP_TEST, which
                  Debian's kernels lack; with a Debian kernel first it is left out)
  --dry-run       print what would be run and exit
  -h, --help      this text

Guests run with PB_GUEST_DIR (default build/guest-memmap): their own lock
and NVDIMM file, which is deleted at the end. Nothing on this host changes;
on a pmem host measure with scripts/memmap/measure.sh --force instead (see
results/memmap/README.md).
EOF
}

die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 2; }
say() { printf '%s: %s\n' "$PROG" "$*" >&2; }

kernels=compound,base-pages size=4G aligns=4K,2M,1G maps=mem,dev rounds=7
# This machine's own folders: the committed results/memmap is reference data.
hostid=$( (cat /etc/machine-id 2>/dev/null || hostname) | sha256sum | cut -c1-6)
out=$ROOT/results/memmap-$hostid plots=$ROOT/plots/memmap-$hostid report_only=0 dry=0 pins=1
while (($#)); do
	case $1 in
	--kernels) kernels=${2?--kernels needs a list}; shift 2 ;;
	--size) size=${2:?--size needs a value}; shift 2 ;;
	--aligns) aligns=${2:?--aligns needs a list}; shift 2 ;;
	--maps) maps=${2:?--maps needs a list}; shift 2 ;;
	--rounds) rounds=${2:?--rounds needs a number}; shift 2 ;;
	--out) out=${2:?--out needs a folder}; shift 2 ;;
	--plots) plots=${2:?--plots needs a folder}; shift 2 ;;
	--report-only) report_only=1; shift ;;
	--no-pins) pins=0; shift ;;
	--dry-run) dry=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown argument '$1' (try --help)" ;;
	esac
done

# ---- check everything first ----------------------------------------------------------
read -r -a klist <<<"${kernels//,/ }"
((${#klist[@]})) || die "--kernels is empty (e.g. --kernels compound,base-pages)"
klist=("${klist[@]/#debian:/debian-}") # debian:7.3 is labelled debian-7.3
for k in "${klist[@]}"; do
	[[ $k =~ ^[A-Za-z0-9._+@-]+$ ]] || die "kernel '$k': a label is letters, digits and ._+-@"
	((report_only)) && { [[ -f $out/raw/$k.csv ]] || die "kernel '$k': no $out/raw/$k.csv to report on (measure it first)"; continue; }
	case $k in
	debian-6.1 | debian-6.12) ;;
	debian-[0-9]*) "$ROOT/scripts/qemu/debian-kernel.sh" --check "debian:${k#debian-}" >/dev/null || exit 2 ;;
	*) [[ -f $ROOT/build/kernel/$k ]] ||
		die "kernel '$k': no build/kernel/$k; build it with scripts/kernel/build.sh $k, or use debian-6.1" ;;
	esac
done
[[ $size =~ ^([0-9]+)G$ ]] && ((BASH_REMATCH[1] >= 2)) || die "--size '$size': whole GiB, at least 2G (e.g. 4G)"
IFS=, read -r -a alist <<<"$aligns"
((${#alist[@]})) || die "--aligns is empty (e.g. 4K,2M,1G)"
for a in "${alist[@]}"; do [[ $a =~ ^(4K|2M|1G)$ ]] || die "--aligns: '$a' is not 4K, 2M or 1G"; done
IFS=, read -r -a mlist <<<"$maps"
((${#mlist[@]})) || die "--maps is empty (e.g. mem,dev)"
for m in "${mlist[@]}"; do [[ $m =~ ^(mem|dev)$ ]] || die "--maps: '$m' is not mem or dev"; done
[[ $rounds =~ ^[1-9][0-9]?$ ]] || die "--rounds '$rounds': want a number from 1 to 99"
cases=''
for m in "${mlist[@]}"; do for a in "${alist[@]}"; do cases+=${cases:+,}$a:$size:$m; done; done
nv=$((${size%G} + 4))G

export PB_GUEST_DIR=${PB_GUEST_DIR:-$ROOT/build/guest-memmap}

# Debian's stock kernel of a series, unpacked in PB_GUEST_DIR/kernel: the
# folder, or '' when there is none.
stock_dir() { # 6.1 | 6.12
	local pat
	case $1 in
	6.1) pat='linux-image-6.1.0-*-amd64-unsigned' ;;
	*) pat='linux-image-6.12.*+deb12-amd64-unsigned' ;;
	esac
	find "$PB_GUEST_DIR/kernel" -mindepth 2 -maxdepth 2 -name .done -path "*/$pat/.done" \
		-printf '%h\n' 2>/dev/null | sort -V | tail -n1
}
if ((!report_only)); then
	for k in "${klist[@]}"; do
		[[ $k == debian-6.12 && -z $(stock_dir 6.12) ]] &&
			die "kernel 'debian-6.12': none unpacked in $PB_GUEST_DIR/kernel; fetch it with PB_GUEST_DIR=$PB_GUEST_DIR scripts/qemu/kernel.sh linux-image-6.12.115+deb12-amd64-unsigned"
		[[ $k == debian-6.1 && -z $(stock_dir 6.1) && -n $(find "$PB_GUEST_DIR/kernel" -name .done 2>/dev/null) ]] &&
			die "kernel 'debian-6.1': none unpacked in $PB_GUEST_DIR/kernel; fetch it with PB_GUEST_DIR=$PB_GUEST_DIR scripts/qemu/kernel.sh linux-image-6.1.0-N-amd64-unsigned"
	done
fi
raws=()
for k in "${klist[@]}"; do raws+=("$out/raw/$k.csv"); done
report=("$ROOT/scripts/memmap/report.sh" --out "$out" --plots "$plots")
# The pin half: on the first kernel when it is a build/kernel label.
pincmd=()
if ((pins && !report_only)); then
	if [[ ${klist[0]} == debian-* ]]; then
		say "the pin half (scripts/memmap/pins.sh) is left out: ${klist[0]} is Debian's, without CONFIG_GUP_TEST; put a build/kernel label first, or --no-pins"
	else
		pincmd=("$ROOT/scripts/memmap/pins.sh" --kernel "${klist[0]}" --out "$out/pins")
	fi
fi

if ((dry)); then
	if ((!report_only)); then
		for k in "${klist[@]}"; do
			case $k in
			debian-6.1 | debian-6.12) kern="KERNEL=(Debian ${k#debian-} in $PB_GUEST_DIR/kernel) " ;;
			debian-[0-9]*) kern="KERNEL=(Debian ${k#debian-} from scripts/qemu/debian-kernel.sh) " ;;
			*) kern="KERNEL=build/kernel/$k " ;;
			esac
			printf 'would run: PB_GUEST_DIR=%s %sscripts/qemu/run.sh --memmap --namespaces %s --rounds %s --label %s --nvdimm-size %s --mem 2048 --hugepages 0 --results %s\n' \
				"$PB_GUEST_DIR" "$kern" "$cases" "$rounds" "$k" "$nv" "$PB_GUEST_DIR/results-$k"
		done
	fi
	printf 'would run: %s\n' "${report[*]} ${raws[*]}"
	((${#pincmd[@]} == 0)) || printf 'would run: %s\n' "${pincmd[*]}"
	exit 0
fi

# ---- a guest per kernel ----------------------------------------------------------------
failed=()
if ((!report_only)); then
	mkdir -p "$out/raw"
	for k in "${klist[@]}"; do
		res=$PB_GUEST_DIR/results-$k
		rm -f "$res/memmap/$k.csv"
		mkdir -p "$res"
		say "kernel $k: $cases, $rounds rounds each"
		env=()
		case $k in
		debian-6.1 | debian-6.12)
			d=$(stock_dir "${k#debian-}")
			if [[ -n $d ]]; then
				rel=$(find "$d/lib/modules" -mindepth 1 -maxdepth 1 -printf '%f\n' | head -n1)
				env=(KERNEL="$d/boot/vmlinuz-$rel" MODULES="$d/lib/modules/$rel")
			fi
			;;
		debian-[0-9]*)
			if ! kinfo=$("$ROOT/scripts/qemu/debian-kernel.sh" "debian:${k#debian-}"); then
				say "kernel $k: not available (see above)"
				failed+=("$k")
				continue
			fi
			env=(KERNEL="$(sed -n 's/^KERNEL=//p' <<<"$kinfo")" MODULES="$(sed -n 's/^MODULES=//p' <<<"$kinfo")")
			;;
		*) env=(KERNEL="$ROOT/build/kernel/$k") ;;
		esac
		rc=0
		env "${env[@]+"${env[@]}"}" "$ROOT/scripts/qemu/run.sh" --memmap --namespaces "$cases" \
			--rounds "$rounds" --label "$k" --nvdimm-size "$nv" --mem 2048 --hugepages 0 \
			--results "$res" --timeout 3600 || rc=$?
		rm -f "$PB_GUEST_DIR/nvdimm.img"
		if [[ -s $res/memmap/$k.csv ]] && (($(wc -l <"$res/memmap/$k.csv") > 1)); then
			cp "$res/memmap/$k.csv" "$out/raw/$k.csv"
			((rc == 0)) || { say "kernel $k: the guest reported a failure (exit $rc); its rows are kept"; failed+=("$k"); }
		else
			say "kernel $k: no rows came back (exit $rc; see $PB_GUEST_DIR/console.log)"
			failed+=("$k")
		fi
	done
fi

have=()
for r in "${raws[@]}"; do [[ -f $r ]] && have+=("$r"); done
((${#have[@]})) || { say "nothing to report"; exit 1; }
"${report[@]}" "${have[@]}"
if ((${#pincmd[@]})); then
	say "the pin half: ${pincmd[*]}"
	"${pincmd[@]}" || { say "the pin half failed (see above)"; failed+=(pins); }
fi
if ((${#failed[@]})); then
	say "incomplete: ${failed[*]}"
	exit 1
fi
