#!/usr/bin/env bash
# scripts/qemu/debian-kernel.sh against a fake apt-get (it logs its arguments,
# writes a package index on update and hands out .debs built here with
# dpkg-deb): both package layouts give KERNEL and MODULES, the newest complete
# point release is picked, every apt-get call uses the private apt state, a
# kept kernel needs no apt-get at all, bad specs are refused with exit 2 and
# one line, and /etc/apt and dpkg's status are left byte-identical.
source "$(dirname "$0")/../lib.sh"

command -v dpkg-deb >/dev/null || skip "dpkg-deb missing (not a Debian host)"
# shellcheck source=scripts/lib/apt-mirror.sh
. "$TOP/scripts/lib/apt-mirror.sh"
[[ -n $(apt_debian_mirror) ]] || skip "this host's apt lists no Debian mirror to take the URI from"

FETCH=$TOP/scripts/qemu/debian-kernel.sh
export PB_DEBIAN_DIR=$TMP/debian
mkdir -p "$TMP/bin" "$TMP/debs"

# ---- fake packages -------------------------------------------------------------------
index=$TMP/Packages
: >"$index"
deb() { # name version tree-dir [Depends]
	local name=$1 ver=$2 tree=$3 dep=${4:-}
	mkdir -p "$tree/DEBIAN"
	printf 'Package: %s\nVersion: %s\nArchitecture: amd64\nMaintainer: test <t@example.org>\nDescription: fake\n' \
		"$name" "$ver" >"$tree/DEBIAN/control"
	dpkg-deb -Zgzip -b "$tree" "$TMP/debs/$name.deb" >/dev/null
	printf 'Package: %s\nVersion: %s\nArchitecture: amd64\nSize: %s\n%sFilename: pool/%s.deb\n\n' \
		"$name" "$ver" "$(stat -c %s "$TMP/debs/$name.deb")" "${dep:+Depends: $dep
}" "$name" >>"$index"
}
listed() { # name version size [Depends]: in the index only, no .deb
	printf 'Package: %s\nVersion: %s\nArchitecture: amd64\nSize: %s\n%s\n' "$1" "$2" "$3" \
		"${4:+Depends: $4
}" >>"$index"
}
big() { head -c 1200000 /dev/urandom >"$1"; } # an image is more than 1 MB

# Layout 1 (up to 6.18): one image package, vmlinuz in /boot, modules beside.
r=6.18.2+deb13-amd64 t=$TMP/t1
mkdir -p "$t/boot" "$t/usr/lib/modules/$r/kernel/drivers/infiniband"
big "$t/boot/vmlinuz-$r"
echo ko >"$t/usr/lib/modules/$r/kernel/drivers/infiniband/rdma_rxe.ko.xz"
echo builtin >"$t/usr/lib/modules/$r/modules.builtin"
deb "linux-image-$r" 6.18.2-1~bpo13+1 "$t"
# 6.1: the -unsigned image of bookworm, modules in /lib/modules (not usr-merged).
r=6.1.0-9-amd64 t=$TMP/t0
mkdir -p "$t/boot" "$t/lib/modules/$r/kernel/drivers/block"
big "$t/boot/vmlinuz-$r"
echo ko >"$t/lib/modules/$r/kernel/drivers/block/null_blk.ko"
deb "linux-image-$r-unsigned" 6.1.99-1 "$t"
# Layout 2 (from 6.19): linux-binary (vmlinuz in the modules folder) + linux-modules.
r=7.3.1+deb13-amd64 t=$TMP/t2
mkdir -p "$t/usr/lib/modules/$r"
big "$t/usr/lib/modules/$r/vmlinuz"
deb "linux-binary-$r" 7.3.1-1~bpo13+1 "$t" "linux-base-$r"
t=$TMP/t3
mkdir -p "$t/usr/lib/modules/$r/kernel/drivers/vfio"
echo ko >"$t/usr/lib/modules/$r/kernel/drivers/vfio/vfio.ko.zst"
deb "linux-modules-$r" 7.3.1-1~bpo13+1 "$t" kmod
listed "linux-image-$r" 7.3.1-1~bpo13+1 1900 "linux-binary-$r (= 7.3.1-1~bpo13+1), linux-modules-$r (= 7.3.1-1~bpo13+1)"
# A newer 7.3 without its modules: 7.3 must still mean 7.3.1.
r=7.3.2+deb13-amd64
listed "linux-binary-$r" 7.3.2-1~bpo13+1 14000000
listed "linux-image-$r" 7.3.2-1~bpo13+1 1900 "linux-binary-$r (= 7.3.2-1~bpo13+1), linux-modules-$r (= 7.3.2-1~bpo13+1)"
# 6.19: images listed, modules never.
r=6.19.4+deb13-amd64
listed "linux-binary-$r" 6.19.4-1~bpo13+1 14000000
listed "linux-image-$r" 6.19.4-1~bpo13+1 1900 "linux-binary-$r (= 6.19.4-1~bpo13+1), linux-modules-$r (= 6.19.4-1~bpo13+1)"
# Other flavours are not the amd64 kernel.
listed linux-image-7.3.1+deb13-rt-amd64 7.3.1-1~bpo13+1 90000000

# ---- the fake apt-get ------------------------------------------------------------------
calls=$TMP/apt-calls
cat >"$TMP/bin/apt-get" <<EOF
#!/bin/bash
printf '%s\n' "\$*" >>"$calls"
lists='' cmd=''
args=("\$@")
for ((i = 0; i < \${#args[@]}; i++)); do
	case \${args[i]} in
	-o) case \${args[i + 1]} in Dir::State::Lists=*) lists=\${args[i + 1]#*=} ;; esac; i=\$((i + 1)) ;;
	-*) ;;
	*) [[ -n \$cmd ]] || { cmd=\${args[i]}; first=\$((i + 1)); } ;;
	esac
done
case \$cmd in
update)
	[[ -d \$lists ]] || { echo "E: no lists dir" >&2; exit 100; }
	cp "$index" "\$lists/fake_dists_sid_main_binary-amd64_Packages" ;;
download)
	for p in "\${args[@]:first}"; do
		n=\${p%%=*} v=\${p#*=}
		[[ -f "$TMP/debs/\$n.deb" ]] || { echo "E: Unable to locate package \$n" >&2; exit 100; }
		cp "$TMP/debs/\$n.deb" "\${n}_\${v//:/%3a}_amd64.deb"
	done ;;
*) echo "E: fake apt-get: unexpected \$cmd" >&2; exit 100 ;;
esac
EOF
for t in apt-cache apt; do
	printf '#!/bin/sh\necho "%s $*" >>"%s"\nexit 100\n' "$t" "$TMP/other-calls" >"$TMP/bin/$t"
done
chmod +x "$TMP/bin/"*
export PATH="$TMP/bin:$PATH"

state() { # what must not change: /etc/apt (names, modes, contents) and dpkg's status
	{
		find /etc/apt -printf '%p %m %s\n' | LC_ALL=C sort
		find /etc/apt -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
		sha256sum /var/lib/dpkg/status 2>/dev/null || true
	} | sha256sum
}
before=$(state)

# ---- both layouts ----------------------------------------------------------------------
fetch() { capture "$FETCH" "$@"; }
val() { sed -n "s/^$1=//p" "$TMP/out"; }

fetch debian:6.18
expect_rc 0 "debian:6.18"
k=$(val KERNEL) m=$(val MODULES)
[[ $k == "$PB_DEBIAN_DIR/kernels/6.18.2+deb13-amd64/boot/vmlinuz-6.18.2+deb13-amd64" && -s $k ]] || die "6.18: KERNEL=$k"
[[ $m == */usr/lib/modules/6.18.2+deb13-amd64 && -f $m/kernel/drivers/infiniband/rdma_rxe.ko.xz ]] || die "6.18: MODULES=$m"
[[ $(val RELEASE) == 6.18.2+deb13-amd64 ]] || die "6.18: RELEASE=$(val RELEASE)"

fetch debian:7.3
expect_rc 0 "debian:7.3"
k=$(val KERNEL) m=$(val MODULES)
[[ $k == "$PB_DEBIAN_DIR/kernels/7.3.1+deb13-amd64/usr/lib/modules/7.3.1+deb13-amd64/vmlinuz" && -s $k ]] ||
	die "7.3 (binary + modules; 7.3.2 has no modules): KERNEL=$k"
[[ -f $m/kernel/drivers/vfio/vfio.ko.zst ]] || die "7.3: MODULES=$m has no vfio.ko.zst"

fetch debian:6.1
expect_rc 0 "debian:6.1"
[[ $(val KERNEL) == */boot/vmlinuz-6.1.0-9-amd64 && -f $(val MODULES)/kernel/drivers/block/null_blk.ko ]] ||
	die "6.1 (-unsigned, /lib/modules): $(cat "$TMP/out")"

# Every apt-get call used the private state and nothing else of apt was run.
n=$(wc -l <"$calls")
((n >= 4)) || die "expected update and download calls, got: $(cat "$calls")"
while IFS= read -r c; do
	for want in "Dir::Etc::SourceList=$PB_DEBIAN_DIR/apt/sources.list" "Dir::Etc::SourceParts=/dev/null" \
		"Dir::State::Lists=$PB_DEBIAN_DIR/apt/lists" "Dir::Cache=$PB_DEBIAN_DIR/apt/cache" \
		"Dir::State::status=$PB_DEBIAN_DIR/apt/status"; do
		[[ " $c " == *" $want "* ]] || die "apt-get call without -o $want: $c"
	done
done <"$calls"
[[ ! -s $TMP/other-calls ]] || die "apt-cache/apt were run: $(cat "$TMP/other-calls")"
grep -qF " $(apt_debian_mirror) sid main" "$PB_DEBIAN_DIR/apt/sources.list" ||
	die "the private sources.list does not use this host's mirror: $(cat "$PB_DEBIAN_DIR/apt/sources.list")"

# ---- kept: no apt-get the second time ------------------------------------------------
for s in debian:6.18 debian:7.3 7.3.1 debian:6.1; do
	fetch "$s"
	expect_rc 0 "$s (kept)"
	[[ -s $TMP/out ]] || die "$s (kept): no output"
done
[[ $(wc -l <"$calls") == "$n" ]] || die "a kept kernel ran apt-get: $(tail -n +"$((n + 1))" "$calls")"
GUEST_KERNEL=7.3 capture "$TOP/scripts/qemu/kernel.sh"
expect_rc 0 "GUEST_KERNEL=7.3 scripts/qemu/kernel.sh"
grep -q '^MODULES=.*/7.3.1+deb13-amd64$' "$TMP/out" || die "GUEST_KERNEL=7.3: $(cat "$TMP/out")"
capture "$TOP/scripts/kernel/resolve.sh" debian:7.3 old=debian:6.18
expect_rc 0 "resolve.sh debian:7.3 old=debian:6.18"
awk -F'\t' 'NR == 1 && $1 == "debian-7.3" && $2 ~ /vmlinuz$/ && $3 ~ /modules\/7.3.1/ { a = 1 }
	NR == 2 && $1 == "old" && $2 ~ /vmlinuz-6.18.2/ && $3 ~ /modules\/6.18.2/ { b = 1 } END { exit !(a && b) }' "$TMP/out" ||
	die "resolve.sh: $(cat "$TMP/out")"
[[ $(wc -l <"$calls") == "$n" ]] || die "kernel.sh/resolve.sh of kept kernels ran apt-get"

# ---- refused: exit 2, one line, nothing on stdout --------------------------------------
for s in debian: debian:5.10 debian:6.19 debian:7.3.99 debian:7.3.2 debian:9.1 debian:7.x; do
	fetch "$s"
	expect_rc 2 "$s"
	[[ ! -s $TMP/out && $(wc -l <"$TMP/err") == 1 ]] || die "$s: want one line on stderr, got: $(cat "$TMP/out" "$TMP/err")"
	grep -qF "'$s'" "$TMP/err" || die "$s: the message does not name the spec: $(cat "$TMP/err")"
done
grep -q 'linux-modules-6.19.4+deb13-amd64' <("$FETCH" debian:6.19 2>&1) || die "debian:6.19: does not name the missing modules"
grep -q '7.3.1' <("$FETCH" debian:7.3.99 2>&1) || die "debian:7.3.99: does not list 7.3's releases"
[[ -z $(find "$PB_DEBIAN_DIR" -maxdepth 2 -name 'dl.*' -o -maxdepth 2 -name '.unpack.*') ]] || die "temporary folders left behind"

[[ $(state) == "$before" ]] || die "/etc/apt or /var/lib/dpkg/status changed"
echo "ok: both layouts, newest complete point release, private apt state only, kept kernels, refusals"
