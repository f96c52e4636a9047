#!/usr/bin/env bash
# Boot smoke test of a pinbench guest kernel: gup_test on device-dax
# (1G/2M/4K align) and fsdax, pin accounting and kernel log checks. See --help.
set -euo pipefail

usage() {
	cat <<EOF
usage: scripts/kernel/smoke.sh [options] LABEL [LABEL...]

Boots build/kernel/LABEL (build it first with scripts/kernel/build.sh) under
QEMU (TCG) with a virtual NVDIMM, from a throwaway busybox initramfs holding
gup_test, ndctl and mke2fs. In the guest it creates device-dax namespaces
aligned 1G, 2M and 4K and an fsdax namespace with a DAX-mounted ext4 file,
and runs the kernel's gup_test on each:
  -u             get_user_pages_fast          (GUP_FAST_BENCHMARK)
  -a             pin_user_pages_fast          (PIN_FAST_BENCHMARK)
  -a -F LT      pin_user_pages_fast + FOLL_LONGTERM (what RDMA does; LT is
                 0x10000 on 6.1, 0x100 on 6.12)
  -L             pin_user_pages + FOLL_LONGTERM (slow path, PIN_LONGTERM)
with -S -w -m SIZE -n NR -r REPEATS. Then it checks that
nr_foll_pin_acquired == nr_foll_pin_released in /proc/vmstat, that the
kernel log has no WARNING/BUG, and that long-term pins of fsdax pinned
nothing (EOPNOTSUPP; gup_test reports "truncated (size: 0)").

Prints one line per gup_test run:
  LABEL DEVICE ALIGN TEST rep=N get_us=G put_us=P size=BYTES
a verdict per kernel, then a table of median get / put times (us) per
align and test, one column per kernel. Exits non-zero if any check failed.
Logs: build/kernel/smoke/LABEL.console.log; table: build/kernel/smoke/LABEL.txt

Options:
  -m MB        range per gup_test run (default 1024)
  -n NR        pages per gup call (default 512)
  -r N         repetitions (default 3)
  --quick      only 2M device-dax, one repetition
  --timeout S  QEMU wall-clock limit (default 1200)
  -h, --help   this text
Environment: QEMU (default qemu-system-x86_64), ACCEL (default
"-accel tcg,thread=multi -cpu max"; /dev/kvm here is PVM-only and hangs).
EOF
}

die() { echo "smoke.sh: $*" >&2; exit 1; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KB=${PINBENCH_KBUILD:-$ROOT/build/kernel}
SM=$KB/smoke
MB=1024 NR=512 REPS=3 QUICK=0 TIMEOUT=1200
QEMU=${QEMU:-qemu-system-x86_64}
ACCEL=${ACCEL:--accel tcg,thread=multi -cpu max}
LABELS=()
while [ $# -gt 0 ]; do
	case $1 in
	-h|--help) usage; exit 0 ;;
	-m) MB=$2; shift 2 ;;
	-n) NR=$2; shift 2 ;;
	-r) REPS=$2; shift 2 ;;
	--quick) QUICK=1; REPS=1; shift ;;
	--timeout) TIMEOUT=$2; shift 2 ;;
	-*) die "unknown option $1 (see --help)" ;;
	*) LABELS+=("$1"); shift ;;
	esac
done
[ ${#LABELS[@]} -gt 0 ] || { usage >&2; exit 2; }
for l in "${LABELS[@]}"; do
	[ -f "$KB/$l" ] || die "no kernel build/kernel/$l: run scripts/kernel/build.sh $l"
done
# gup_test of any series: the ioctl ABI is the same in 6.1, 6.12 and 7.3
GT=''
for g in "$KB/gup_test" "$KB/gup_test-6.12" "$KB/gup_test-7.3"; do
	[ -x "$g" ] && { GT=$g; break; }
done
[ -n "$GT" ] || die "no $KB/gup_test[-SERIES]: run scripts/kernel/build.sh first"
command -v "$QEMU" >/dev/null || die "$QEMU not found (apt-get install qemu-system-x86)"
command -v busybox >/dev/null || die "busybox not found (apt-get install busybox-static)"
for t in ndctl mke2fs; do command -v "$t" >/dev/null || die "$t not found"; done

mkdir -p "$SM"

# Copy a dynamically linked binary and the libraries ldd lists for it.
copy_bin() {
	local bin=$1 dst=$2 lib
	cp -L "$bin" "$dst/bin/"
	while IFS= read -r lib; do
		[ -n "$lib" ] || continue
		mkdir -p "$dst$(dirname "$lib")"
		cp -L "$lib" "$dst$lib"
	done < <(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*' || true)
}

write_init() {
	cat <<'EOF'
#!/bin/sh
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mount -t debugfs none /sys/kernel/debug
ln -sf /proc/mounts /etc/mtab
# shellcheck disable=SC2046
set -- $(cat /proc/cmdline)
for a; do case $a in smoke.*=*) k=${a#smoke.}; eval "SMOKE_${k%%=*}=${a#*=}" ;; esac; done
echo "@@ kernel $(uname -r)"
# FOLL_LONGTERM for gup_test -F: 0x10000 in 6.1; the FOLL_* flags were
# renumbered later (6.12: 1 << 8, include/linux/mm_types.h), and 0x10000 is
# then the internal FOLL_TOUCH, which pin_user_pages_fast refuses with a WARN.
case $(uname -r) in 6.1.*) LT=0x10000 ;; *) LT=0x100 ;; esac
newdax() { # $1=align $2=size: create a devdax namespace, print its device
	before=$(ls /sys/bus/dax/devices 2>/dev/null)
	ndctl create-namespace -r region0 -m devdax -M mem -a "$1" -s "$2" >/tmp/ns.json 2>&1 || return 1
	for d in $(ls /sys/bus/dax/devices); do
		echo "$before" | grep -qx "$d" || { echo "$d"; return 0; }
	done
	return 1
}
run() { # $1=device $2=align $3=test name, rest: gup_test args
	dev=$1 al=$2 t=$3; shift 3
	echo "@@ run $dev $al $t gup_test $*"
	gup_test "$@" >/tmp/gup.out 2>&1
	rc=$?
	while IFS= read -r l; do echo "@@out $dev $al $t $l"; done </tmp/gup.out
	echo "@@ rc $dev $al $t $rc"
}
suite() { # $1=file $2=align-label
	run "$1" "$2" GUP_FAST -f "$1" -S -w -m "$SMOKE_mb" -n "$SMOKE_nr" -r "$SMOKE_reps" -u
	run "$1" "$2" PIN_FAST -f "$1" -S -w -m "$SMOKE_mb" -n "$SMOKE_nr" -r "$SMOKE_reps" -a
	run "$1" "$2" PIN_FAST_LONGTERM -f "$1" -S -w -m "$SMOKE_mb" -n "$SMOKE_nr" -r "$SMOKE_reps" -a -F "$LT"
	run "$1" "$2" PIN_LONGTERM -f "$1" -S -w -m "$SMOKE_mb" -n "$SMOKE_nr" -r "$SMOKE_reps" -L
}
ndctl disable-region all >/dev/null 2>&1
ndctl init-labels -f all >/dev/null 2>&1
ndctl enable-region all >/dev/null 2>&1
if [ "$SMOKE_quick" = 1 ]; then
	aligns="2M"
else
	aligns="1G 2M 4K"
fi
for al in $aligns; do
	# the namespace loses its info block, padded to the align, at its start
	case $al in 1G) sz=$((SMOKE_mb + 1024))M ;; *) sz=$((SMOKE_mb + 16))M ;; esac
	d=$(newdax "$al" "$sz") || { echo "@@ fail create devdax align $al size $sz: $(cat /tmp/ns.json)"; continue; }
	echo "@@ devdax $d align $(cat /sys/bus/dax/devices/$d/align) size $(cat /sys/bus/dax/devices/$d/size)"
	suite "/dev/$d" "$al"
done
if true; then
	# fsdax: long-term pins must still be refused (EOPNOTSUPP -> size 0)
	if ndctl create-namespace -r region0 -m fsdax -M mem -s 1G >/tmp/ns.json 2>&1; then
		pm=$(ls /dev | grep '^pmem' | head -1)
		mkdir -p /mnt/fsdax
		# full path: busybox sh prefers its own mke2fs applet (no ext4)
		if /bin/mke2fs -q -t ext4 -b 4096 -E stride=512,stripe_width=512 -F "/dev/$pm" && mount -o dax "/dev/$pm" /mnt/fsdax; then
			echo "@@ fsdax /dev/$pm $(grep /mnt/fsdax /proc/mounts)"
			fallocate -l 64M /mnt/fsdax/f 2>/dev/null ||
				dd if=/dev/zero of=/mnt/fsdax/f bs=1M count=64 2>/dev/null
			# count PMD faults, to know whether the PMD path was tried
			tr=/sys/kernel/debug/tracing
			echo 1 >$tr/events/fs_dax/dax_pmd_fault_done/enable 2>/dev/null
			run /mnt/fsdax/f fsdax PIN_FAST -f /mnt/fsdax/f -S -w -m 64 -n "$SMOKE_nr" -r 1 -a
			run /mnt/fsdax/f fsdax PIN_FAST_LONGTERM -f /mnt/fsdax/f -S -w -m 64 -n "$SMOKE_nr" -r 1 -a -F "$LT"
			run /mnt/fsdax/f fsdax PIN_LONGTERM -f /mnt/fsdax/f -S -w -m 64 -n "$SMOKE_nr" -r 1 -L
			echo 0 >$tr/events/fs_dax/dax_pmd_fault_done/enable 2>/dev/null
			echo "@@ fsdax_pmd_faults $(grep -c 'dax_pmd_fault_done.*NOPAGE' $tr/trace) mapped, $(grep -c 'dax_pmd_fault_done.*FALLBACK' $tr/trace) fell back to PTEs"
			umount /mnt/fsdax
		else
			echo "@@ fail fsdax mkfs/mount"
		fi
	else
		echo "@@ fail create fsdax: $(cat /tmp/ns.json)"
	fi
fi
# fold the per-cpu vmstat deltas first, or the two counters lag differently
echo 1 >/proc/sys/vm/stat_refresh 2>/dev/null || sleep 3
grep nr_foll_pin /proc/vmstat | while read -r k v; do echo "@@ vmstat $k $v"; done
dmesg | grep -E 'WARNING:|BUG:|Oops|Call Trace|gup_test' | head -40 | while IFS= read -r l; do echo "@@ dmesg $l"; done
echo "@@ done"
poweroff -f
EOF
}

build_initramfs() {
	local ir=$SM/initramfs tree=$SM/initramfs.tree b
	if [ -f "$ir.cpio.gz" ] && [ "$ir.cpio.gz" -nt "$GT" ] &&
		[ "$ir.cpio.gz" -nt "${BASH_SOURCE[0]}" ]; then
		return 0
	fi
	rm -rf "$tree"
	mkdir -p "$tree"/{bin,dev,proc,sys,tmp,mnt,etc,run,lib64}
	cp "$(command -v busybox)" "$tree/bin/busybox"
	for b in $("$tree/bin/busybox" --list); do
		[ -e "$tree/bin/$b" ] || ln -s busybox "$tree/bin/$b"
	done
	cp "$GT" "$tree/bin/gup_test"
	for b in ndctl daxctl mke2fs; do
		rm -f "$tree/bin/$b"
		copy_bin "$(command -v "$b")" "$tree"
	done
	write_init >"$tree/init"
	chmod +x "$tree/init"
	(cd "$tree" && find . | cpio -o -H newc --quiet | gzip -1) >"$ir.cpio.gz.partial"
	mv "$ir.cpio.gz.partial" "$ir.cpio.gz"
}

boot_one() {
	local label=$1 kernel img log quick=0 t0 t1 rc=0
	kernel=$(readlink -f "$KB/$label")
	img=$SM/nvdimm-$label.img
	log=$SM/$label.console.log
	[ "$QUICK" = 1 ] && quick=1
	rm -f "$img"
	truncate -s 8G "$img"
	t0=$(date +%s)
	# shellcheck disable=SC2086 # ACCEL is a list of options
	timeout "$TIMEOUT" "$QEMU" $ACCEL -nographic -no-reboot -smp 2 \
		-machine q35,nvdimm=on,kernel-irqchip=split \
		-m 2G,slots=2,maxmem=16G \
		-object "memory-backend-file,id=mem1,share=on,mem-path=$img,size=8G,align=1G" \
		-device nvdimm,memdev=mem1,id=nv1,label-size=128K \
		-kernel "$kernel" -initrd "$SM/initramfs.cpio.gz" \
		-append "console=ttyS0 panic=-1 smoke.mb=$MB smoke.nr=$NR smoke.reps=$REPS smoke.quick=$quick" \
		</dev/null >"$log" 2>&1 || rc=$?
	t1=$(date +%s)
	rm -f "$img"
	tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
	echo "== $label ($(sed -n 's/^@@ kernel //p' "$log"), $(basename "$(dirname "$kernel")"), boot+tests $((t1 - t0)) s, qemu rc=$rc)"
	[ "$rc" = 0 ] || echo "   qemu failed or timed out: see $log"
	analyse "$label" "$log"
}

# Turn the console log into the table and the verdict.
analyse() {
	local label=$1 log=$2 table=$SM/$1.txt ok=1 acq rel nwarn
	awk -v label="$label" '
		/^@@out / && /Time: get:/ {
			dev=$2; al=$3; t=$4; rep[dev" "t]++
			g=$0; sub(/.*get:/, "", g); sub(/ .*/, "", g)
			p=$0; sub(/.*put:/, "", p); sub(/ us.*/, "", p)
			size="full"; if ($0 ~ /truncated/) { size=$0; sub(/.*size: /, "", size); sub(/\).*/, "", size) }
			printf "%s %s %s %s rep=%d get_us=%s put_us=%s size=%s\n", label, dev, al, t, rep[dev" "t], g, p, size
		}' "$log" >"$table"
	cat "$table"
	grep -E '^@@ (fail|devdax|fsdax)' "$log" | sed 's/^@@ /   /' || true
	if grep -E '^@@ rc ' "$log" | grep -qv ' 0$'; then
		echo "   FAIL: gup_test exited non-zero:"; grep -E '^@@ rc ' "$log" | grep -v ' 0$' | sed 's/^@@ rc /     /'; ok=0
	fi
	if ! grep -q '^@@ done' "$log"; then
		echo "   FAIL: the guest did not finish (see $log)"; ok=0
	fi
	acq=$(sed -n 's/^@@ vmstat nr_foll_pin_acquired //p' "$log")
	rel=$(sed -n 's/^@@ vmstat nr_foll_pin_released //p' "$log")
	if [ -n "$acq" ] && [ "$acq" = "$rel" ]; then
		echo "   pin accounting: nr_foll_pin_acquired = nr_foll_pin_released = $acq"
	else
		echo "   FAIL pin accounting: acquired=${acq:-?} released=${rel:-?}"; ok=0
	fi
	nwarn=$(grep -cE '^@@ dmesg .*(WARNING:|BUG:|Oops|Call Trace)' "$log" || true)
	if [ "$nwarn" = 0 ]; then
		echo "   kernel log: no WARNING/BUG"
	else
		echo "   FAIL kernel log: $nwarn WARNING/BUG lines:"; grep '^@@ dmesg' "$log" | head -10; ok=0
	fi
	if grep -q '^@@ fsdax' "$log"; then
		if grep -E '^[^ ]+ /mnt/fsdax/f fsdax PIN_(FAST_)?LONGTERM ' "$table" | grep -qv 'size=0$'; then
			echo "   FAIL fsdax: a long-term pin of an fsdax file pinned pages"; ok=0
		else
			echo "   fsdax: long-term pins refused (size 0), as they must be"
		fi
	fi
	if grep -E '^[^ ]+ /dev/dax' "$table" | grep -qv 'size=full$'; then
		echo "   FAIL: some device-dax runs pinned less than the range (size column)"; ok=0
	fi
	if [ "$ok" = 1 ]; then echo "   PASS $label"; else echo "   FAIL $label"; return 1; fi
}

# Median get/put (µs) per align and test, one column per label.
summary() {
	local l
	for l in "${LABELS[@]}"; do cat "$SM/$l.txt"; done | awk -v order="${LABELS[*]}" '
		function median(s,   a, n, i, j, t) {
			n = split(s, a, " ")
			for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
			return n % 2 ? a[(n + 1) / 2] : int((a[n / 2] + a[n / 2 + 1]) / 2)
		}
		{
			split($6, g, "="); split($7, p, "=")
			k = $3 " " $4; lab = $1
			if (!(k in seen)) { seen[k] = 1; keys[++nk] = k }
			G[k, lab] = G[k, lab] " " g[2]; P[k, lab] = P[k, lab] " " p[2]
		}
		END {
			nl = split(order, labs, " ")
			printf "| align | gup_test |"; for (i = 1; i <= nl; i++) printf " %s |", labs[i]; printf "\n"
			printf "|---|---|"; for (i = 1; i <= nl; i++) printf "---|"; printf "\n"
			for (j = 1; j <= nk; j++) {
				split(keys[j], kk, " ")
				printf "| %s | %s |", kk[1], kk[2]
				for (i = 1; i <= nl; i++) {
					if ((keys[j], labs[i]) in G)
						printf " %s / %s |", median(G[keys[j], labs[i]]), median(P[keys[j], labs[i]])
					else
						printf " - |"
				}
				printf "\n"
			}
		}'
}

build_initramfs
fail=0
for l in "${LABELS[@]}"; do
	boot_one "$l" || fail=1
done
echo
echo "median get / put (us) over the repetitions, -m $MB -n $NR -r $REPS:"
summary
exit "$fail"
