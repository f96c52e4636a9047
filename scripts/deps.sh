#!/bin/bash
# Install the Debian packages pinbench needs to build, test and run.
#   scripts/deps.sh           build + host tools
#   scripts/deps.sh --guest   also what the QEMU guest needs
#   scripts/deps.sh --test    also what make check needs (with --guest: all)
#   scripts/deps.sh --check   only say what is missing (exit 1 if anything)
# Idempotent and quiet when everything is there.
set -euo pipefail

BUILD_PKGS=(build-essential pkg-config libpmem2-dev libdaxctl-dev libndctl-dev
	libnuma-dev liburing-dev libibverbs-dev ibverbs-providers libcmocka-dev
	gnuplot-nox clang valgrind shellcheck libtracefs-dev libtraceevent-dev zlib1g-dev
	jq)
# jq: scripts read the methods and their titles from `pinbench list --json`.
# make check: libFuzzer's runtime, pgrep (the guest timeout test), python3 (the
# graph layout test), debootstrap (make check-fresh).
TEST_PKGS=(libclang-rt-dev procps debootstrap python3)
GUEST_PKGS=(qemu-system-x86 busybox-static ndctl daxctl rdma-core ibverbs-utils
	iproute2 kmod cpio gzip coreutils util-linux e2fsprogs)

guest=0 check=0 test=0
for a in "$@"; do
	case $a in
	--guest) guest=1 ;;
	--test) test=1 ;;
	--check) check=1 ;;
	-h | --help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "deps.sh: unknown argument '$a'" >&2; exit 2 ;;
	esac
done

want=("${BUILD_PKGS[@]}")
((guest)) && want+=("${GUEST_PKGS[@]}")
((test)) && want+=("${TEST_PKGS[@]}")

missing=()
for p in "${want[@]}"; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[[ $st == 'install ok installed' ]] || missing+=("$p")
done
((${#missing[@]})) || exit 0

echo "deps.sh: missing: ${missing[*]}" >&2
((check)) && exit 1
if ((EUID != 0)); then
	echo "deps.sh: run as root (or: sudo apt-get install ${missing[*]})" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt_opts=(-q -y -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confold)
# apt-get update only when a package is unknown or its files are gone.
need_update=0
for p in "${missing[@]}"; do
	v=$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/{print $2}')
	[[ -n $v && $v != '(none)' ]] || need_update=1
done
if ((need_update)); then
	echo "deps.sh: apt-get update" >&2
	apt-get "${apt_opts[@]}" update >/dev/null
fi
echo "deps.sh: installing ${missing[*]}" >&2
if ! apt-get "${apt_opts[@]}" install --no-install-recommends "${missing[@]}" >/dev/null; then
	echo "deps.sh: retrying after apt-get update" >&2
	apt-get "${apt_opts[@]}" update >/dev/null
	apt-get "${apt_opts[@]}" install --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "deps.sh: done" >&2
