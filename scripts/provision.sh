#!/bin/bash
# Provision device-dax namespaces for pinbench with ndctl/daxctl.
# Works on a real pmem host and inside the QEMU guest (busybox + bash).
# Nothing is changed without --force: without it every command is printed
# as "would run: ..." and the script exits 0.
set -euo pipefail

PROG=${0##*/}

usage() {
	cat <<EOF
usage: $PROG COMMAND [options] [--force]

Commands:
  list                          regions, namespaces and dax devices (read only)
  init-labels --region regionN  (re)initialise the label areas of the DIMMs of
                                regionN so it can be split into namespaces.
                                Destroys every namespace of that region.
  create --region regionN --align 4K|2M|1G --size SIZE [--name NAME] [--mode fsdax]
         [--map mem|dev]        create one devdax namespace in regionN; prints
                                the new /dev/daxX.Y on stdout (--mode fsdax: a
                                pmem block device for a DAX filesystem, /dev/pmemN);
                                --map: where the struct pages live, mem (RAM) or
                                dev (on the pmem itself; ndctl's default)
  destroy --namespace namespaceX.Y
                                disable and destroy that one namespace
  reconfigure --dev daxX.Y --mode devdax|system-ram
                                switch a dax device's mode with daxctl

Options:
  --force     really do it; without it, print what would be done and exit 0
  -h, --help  this text

Only the region, namespace or device named is touched. SIZE takes ndctl's
suffixes (512M, 3G). A 1G-aligned namespace needs room for its struct pages:
on a virtual NVDIMM -s 1G failed to enable while -s 3G worked.
EOF
}

die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 2; }
note() { printf '%s: %s\n' "$PROG" "$*" >&2; }

FORCE=0
# Where sysfs is; tests point it at a fake tree.
SYSFS=${PROVISION_SYSFS:-/sys}

# Run a changing command, or only show it without --force.
act() {
	if ((FORCE)); then
		note "running: $*"
		"$@"
	else
		printf 'would run: %s\n' "$*"
	fi
}

need() { command -v "$1" >/dev/null 2>&1 || die "$1 not found (install ndctl/daxctl)"; }

check_region() {
	[[ $1 =~ ^region[0-9]+$ ]] || die "bad region name '$1' (want regionN)"
	[[ -d $SYSFS/bus/nd/devices/$1 ]] || die "no $1 here (see '$PROG list')"
}

# nmemX names of the DIMMs behind a region, from sysfs mappingN files.
region_dimms() {
	local m
	for m in "$SYSFS"/bus/nd/devices/"$1"/mapping[0-9]*; do
		[[ -f $m ]] || continue
		cut -d, -f1 <"$m"
	done
}

cmd_list() {
	need ndctl
	echo "== regions and namespaces (ndctl list -RNu)"
	local out
	out=$(ndctl list -RNu 2>/dev/null || true)
	printf '%s\n' "${out:-(none)}"
	echo "== dax devices"
	local d n found=0
	printf '%-10s %-12s %-11s %-5s %s\n' DEVICE SIZE ALIGN NODE MODE
	for d in "$SYSFS"/bus/dax/devices/dax*; do
		[[ -e $d ]] || continue
		found=1
		n=${d##*/}
		local size align node mode=devdax
		size=$(cat "$d/size" 2>/dev/null || echo ?)
		align=$(cat "$d/align" 2>/dev/null || echo ?)
		node=$(cat "$d/target_node" 2>/dev/null || cat "$d/numa_node" 2>/dev/null || echo ?)
		if [[ -L $d/driver ]] && [[ $(readlink "$d/driver") == *kmem* ]]; then
			mode=system-ram
		fi
		printf '%-10s %-12s %-11s %-5s %s\n' "$n" "$size" "$align" "$node" "$mode"
	done
	((found)) || echo "(none)"
}

cmd_init_labels() {
	local region=''
	while (($#)); do
		case $1 in
		--region) region=${2:?--region needs a value}; shift 2 ;;
		*) die "init-labels: unknown argument '$1'" ;;
		esac
	done
	[[ -n $region ]] || die "init-labels needs --region regionN"
	need ndctl
	check_region "$region"
	local dimms
	mapfile -t dimms < <(region_dimms "$region")
	((${#dimms[@]})) || die "$region has no DIMMs with a label area"
	act ndctl disable-region "$region"
	act ndctl init-labels -f "${dimms[@]}"
	act ndctl enable-region "$region"
}

cmd_create() {
	local region='' align='' size='' name='' mode=devdax map=''
	while (($#)); do
		case $1 in
		--mode) mode=${2:?--mode needs a value}; shift 2 ;;
		--map) map=${2:?--map needs a value}; shift 2 ;;
		--region) region=${2:?--region needs a value}; shift 2 ;;
		--align) align=${2:?--align needs a value}; shift 2 ;;
		--size) size=${2:?--size needs a value}; shift 2 ;;
		--name) name=${2:?--name needs a value}; shift 2 ;;
		*) die "create: unknown argument '$1'" ;;
		esac
	done
	[[ -n $region && -n $align && -n $size ]] ||
		die "create needs --region, --align and --size"
	case $align in 4K | 4k | 2M | 2m | 1G | 1g) ;; *) die "align must be 4K, 2M or 1G" ;; esac
	[[ $size =~ ^[0-9]+[KMGTkmgt]?$ ]] || die "bad size '$size'"
	case $mode in devdax | fsdax) ;; *) die "--mode must be devdax or fsdax" ;; esac
	case $map in '' | mem | dev) ;; *) die "--map '$map': must be mem (struct pages in RAM) or dev (on the pmem)" ;; esac
	need ndctl
	check_region "$region"
	local args=(create-namespace -r "$region" -m "$mode" -a "$align" -s "$size")
	[[ -n $name ]] && args+=(-n "$name")
	[[ -n $map ]] && args+=(-M "$map")
	if ((!FORCE)); then
		printf 'would run: ndctl %s\n' "${args[*]}"
		return 0
	fi
	note "running: ndctl ${args[*]}"
	local out dev
	out=$(ndctl "${args[@]}") || die "ndctl create-namespace failed (align $align size $size)"
	local key=chardev
	[[ $mode == fsdax ]] && key=blockdev
	dev=$(printf '%s\n' "$out" | sed -n "s/.*\"$key\":\"\{0,1\}\([^\",]*\)\".*/\1/p" | head -n1)
	if [[ -z $dev ]]; then
		dev=$(printf '%s\n' "$out" | tr -d ' \n' | sed -n "s/.*\"$key\":\"\([^\"]*\)\".*/\1/p")
	fi
	[[ -n $dev ]] || die "created a namespace but found no $key in: $out"
	printf '/dev/%s\n' "$dev"
}

cmd_destroy() {
	local ns=''
	while (($#)); do
		case $1 in
		--namespace) ns=${2:?--namespace needs a value}; shift 2 ;;
		*) die "destroy: unknown argument '$1'" ;;
		esac
	done
	[[ $ns =~ ^namespace[0-9]+\.[0-9]+$ ]] || die "destroy needs --namespace namespaceX.Y"
	need ndctl
	[[ -d $SYSFS/bus/nd/devices/$ns ]] || die "no $ns here"
	act ndctl destroy-namespace -f "$ns"
}

cmd_reconfigure() {
	local dev='' mode=''
	while (($#)); do
		case $1 in
		--dev) dev=${2:?--dev needs a value}; shift 2 ;;
		--mode) mode=${2:?--mode needs a value}; shift 2 ;;
		*) die "reconfigure: unknown argument '$1'" ;;
		esac
	done
	dev=${dev#/dev/}
	[[ $dev =~ ^dax[0-9]+\.[0-9]+$ ]] || die "reconfigure needs --dev daxX.Y"
	case $mode in devdax | system-ram) ;; *) die "--mode must be devdax or system-ram" ;; esac
	need daxctl
	[[ -e $SYSFS/bus/dax/devices/$dev ]] || die "no $dev here"
	act daxctl reconfigure-device -m "$mode" "$dev"
}

main() {
	local cmd=${1:-}
	[[ -n $cmd ]] || { usage >&2; exit 2; }
	shift
	local args=() a
	for a in "$@"; do
		case $a in
		--force) FORCE=1 ;;
		-h | --help) usage; exit 0 ;;
		*) args+=("$a") ;;
		esac
	done
	set -- "${args[@]+"${args[@]}"}"
	case $cmd in
	list) cmd_list ;;
	init-labels) cmd_init_labels "$@" ;;
	create) cmd_create "$@" ;;
	destroy) cmd_destroy "$@" ;;
	reconfigure) cmd_reconfigure "$@" ;;
	-h | --help | help) usage ;;
	*) die "unknown command '$cmd' (try --help)" ;;
	esac
}

main "$@"
