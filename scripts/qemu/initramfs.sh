#!/bin/bash
# Build the guest initramfs: busybox-static, bash, kmod, pinbench, ndctl,
# daxctl, rdma, ibv_devices, the libraries ldd lists, the kernel modules the
# suite needs (with their dependencies), the sweep's job file, scripts/provision.sh
# and scripts/qemu/guest-init.sh as /init.
# Rebuilt only when an input changed: the output is named by a hash of every
# file that goes in. Prints the path of the .cpio.gz on stdout.
#
# Usage: scripts/qemu/initramfs.sh [--modules DIR] [--pinbench PATH]
#   --modules DIR   lib/modules/<release> of the guest kernel; omit for a
#                   kernel with everything built in (CONFIG_MODULES=n)
#   --pinbench PATH the program (default: $PINBENCH or bench/pinbench)
#   --job FILE      the job file of the guest's sweep, as /pinbench/jobs/NAME.job
#   --script FILE   a bash script for the guest's script mode (run.sh --script)
#   --file FILE     one more file, as /pinbench/files/NAME (any number; run.sh --file)
set -euo pipefail
# shellcheck source=scripts/qemu/lib.sh
. "$(dirname "$0")/lib.sh"

# Modules the guest loads, by name; their dependencies come from modinfo.
WANT_MODULES=(
	virtio virtio_ring virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci
	netfs fscache 9pnet 9pnet_virtio 9p
	libnvdimm nfit nd_pmem nd_btt dax dax_pmem device_dax kmem
	null_blk configfs crc32c_generic ext4
	e1000 crc32_generic ib_core ib_uverbs rdma_rxe
	vfio vfio_iommu_type1 vfio_pci_core vfio_pci irqbypass
)
BINARIES=(bash kmod ndctl daxctl rdma ibv_devices ibv_devinfo mke2fs)
MULTIARCH=x86_64-linux-gnu
VERBS_DIR=/usr/lib/$MULTIARCH/libibverbs

modules='' script='' job='' pinbench=${PINBENCH:-$PB_ROOT/bench/pinbench}
extra=()
while (($#)); do
	case $1 in
	--modules) modules=${2:?}; shift 2 ;;
	--pinbench) pinbench=${2:?}; shift 2 ;;
	--script) script=${2:?}; shift 2 ;;
	--file) extra+=("${2:?}"); shift 2 ;;
	--job) job=${2:?}; shift 2 ;;
	-h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument $1" ;;
	esac
done
[[ -x $pinbench ]] || die "no pinbench at $pinbench (run make first)"
[[ -x /bin/busybox ]] || die "busybox-static missing (scripts/deps.sh --guest)"
if [[ -n $modules ]]; then
	[[ -d $modules ]] || die "no module folder $modules"
	modules=$(cd "$modules" && pwd)
fi

# ---- what goes in -------------------------------------------------------
declare -A files=() # destination path in the image -> source on the host

add_file() { files[$1]=$2; }

bin_path() { command -v "$1" || die "$1 not found (scripts/deps.sh --guest)"; }

# Shared libraries (and the loader) a dynamically linked ELF needs.
add_libs() {
	local line lib
	while read -r line; do
		lib=''
		if [[ $line == *'=> /'* ]]; then
			lib=${line#*=> }
			lib=${lib%% (*}
		elif [[ $line == /* ]]; then
			lib=${line%% (*}
		fi
		[[ -n $lib ]] || continue
		[[ $line == *'not found'* ]] && die "ldd: $line"
		add_file "$lib" "$lib"
	done < <(ldd "$1" 2>/dev/null || true)
}

add_bin() { # host path, image path
	add_file "$2" "$1"
	add_libs "$1"
}

add_bin /bin/busybox /usr/bin/busybox
for b in "${BINARIES[@]}"; do
	p=$(bin_path "$b")
	add_bin "$p" "/usr/bin/$b"
done
add_bin "$pinbench" /pinbench/bench/pinbench
add_file /pinbench/scripts/provision.sh "$PB_ROOT/scripts/provision.sh"
add_file /pinbench/scripts/memmap/measure.sh "$PB_ROOT/scripts/memmap/measure.sh"
add_file /init "$PB_ROOT/scripts/qemu/guest-init.sh"
[[ -z $script ]] || add_file /pinbench/guest-script.sh "$(realpath "$script")"
for f in "${extra[@]+"${extra[@]}"}"; do
	[[ -f $f ]] || die "--file $f: no such file"
	[[ -z ${files[/pinbench/files/${f##*/}]:-} ]] || die "--file $f: two files named ${f##*/}"
	add_bin "$(realpath "$f")" "/pinbench/files/${f##*/}"
done
[[ -z $job ]] || add_file "/pinbench/jobs/$(basename "$job" .job).job" "$(realpath "$job")"

# Soft-RoCE user space provider.
if [[ -f $VERBS_DIR/librxe-rdmav34.so ]]; then
	add_bin "$VERBS_DIR/librxe-rdmav34.so" "$VERBS_DIR/librxe-rdmav34.so"
	add_file /etc/libibverbs.d/rxe.driver /etc/libibverbs.d/rxe.driver
else
	say "warning: no librxe provider (ibverbs-providers); rdma will be skipped in the guest"
fi

# Kernel modules and their dependencies.
release=''
declare -A modpath=()
if [[ -n $modules ]]; then
	release=${modules##*/}
	while IFS= read -r -d '' ko; do
		n=${ko##*/}
		n=${n%%.ko*}
		modpath[${n//-/_}]=$ko
	done < <(find "$modules" -name '*.ko*' -print0)
	declare -A seen=()
	queue=("${WANT_MODULES[@]}")
	missing=()
	while ((${#queue[@]})); do
		m=${queue[0]//-/_}
		queue=("${queue[@]:1}")
		[[ -n ${seen[$m]:-} ]] && continue
		seen[$m]=1
		ko=${modpath[$m]:-}
		if [[ -z $ko ]]; then
			missing+=("$m")
			continue
		fi
		add_file "/lib/modules/$release/${ko#"$modules"/}" "$ko"
		deps=$(/sbin/modinfo -F depends "$ko" 2>/dev/null || true)
		IFS=, read -r -a d <<<"$deps"
		queue+=("${d[@]+"${d[@]}"}")
	done
	for f in modules.builtin modules.builtin.modinfo modules.order; do
		[[ -f $modules/$f ]] && add_file "/lib/modules/$release/$f" "$modules/$f"
	done
	if ((${#missing[@]})); then
		# Built-in ones are fine; say which are neither.
		really=()
		for m in "${missing[@]}"; do
			grep -qE "/${m//_/[-_]}\.ko" "$modules/modules.builtin" 2>/dev/null || really+=("$m")
		done
		((${#really[@]} == 0)) || say "note: not in this kernel as modules: ${really[*]}"
	fi
fi

# ---- cache key --------------------------------------------------------------
mapfile -t dests < <(printf '%s\n' "${!files[@]}" | sort)
key=$(
	{
		printf 'initramfs-v1 %s\n' "$release"
		sha256sum "$0"
		for d in "${dests[@]}"; do
			printf '%s ' "$d"
			sha256sum <"${files[$d]}"
		done
	} | sha256sum | cut -c1-16
)
outdir=$PB_GUEST_DIR/initramfs
out=$outdir/initramfs-$key.cpio.gz
if [[ -f $out ]]; then
	say "initramfs up to date ($out)"
	printf '%s\n' "$out"
	exit 0
fi

# ---- build ------------------------------------------------------------------
say "building initramfs ($((${#dests[@]})) files)"
mkdir -p "$outdir"
root=$(mktemp -d "$outdir/root.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{usr/bin,usr/sbin,usr/lib,usr/lib64,etc,proc,sys,dev,tmp,run,mnt,results,root}
ln -s usr/bin "$root/bin"
ln -s usr/sbin "$root/sbin"
ln -s usr/lib "$root/lib"
ln -s usr/lib64 "$root/lib64"
for d in "${dests[@]}"; do
	mkdir -p "$(dirname "$root$d")"
	cp -L "${files[$d]}" "$root$d"
done
chmod 755 "$root/init" "$root"/pinbench/scripts/*.sh

# busybox applets, without replacing the real tools copied above
while read -r a; do
	a=/${a#/}
	[[ -e $root$a || -L $root$a ]] && continue
	mkdir -p "$(dirname "$root$a")"
	ln -s /usr/bin/busybox "$root$a"
done < <(/bin/busybox --list-full)
for t in modprobe insmod rmmod lsmod modinfo depmod; do
	rm -f "$root/usr/sbin/$t" "$root/usr/bin/$t"
	ln -s /usr/bin/kmod "$root/usr/sbin/$t"
done

printf '/lib/%s\n/usr/lib/%s\n' "$MULTIARCH" "$MULTIARCH" >"$root/etc/ld.so.conf"
ldconfig -r "$root" 2>/dev/null || say "warning: ldconfig -r failed; relying on default paths"
printf 'root:x:0:0:root:/root:/bin/bash\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
if [[ -n $release ]]; then
	# A kernel packaged without modules.order/builtin (Debian's linux-modules-*
	# from 6.19 on, when no linux-base-* is listed): empty ones, for depmod.
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		[[ -e $root/lib/modules/$release/$f ]] || : >"$root/lib/modules/$release/$f"
	done
	depmod -b "$root" "$release" || die "depmod failed"
fi
mknod -m 600 "$root/dev/console" c 5 1
mknod -m 666 "$root/dev/null" c 1 3

tmp=$out.tmp
if command -v cpio >/dev/null && cpio --version >/dev/null 2>&1; then
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -6 >"$tmp"
else
	(cd "$root" && find . | LC_ALL=C sort | /bin/busybox cpio -o -H newc 2>/dev/null) | gzip -6 >"$tmp"
fi
mv "$tmp" "$out"
# keep the three newest images
find "$outdir" -maxdepth 1 -name 'initramfs-*.cpio.gz' -printf '%T@ %p\n' | sort -rn |
	tail -n +4 | cut -d' ' -f2- | xargs -r rm -f
say "initramfs: $out ($(du -h "$out" | cut -f1))"
printf '%s\n' "$out"
