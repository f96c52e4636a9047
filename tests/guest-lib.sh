# Sourced by the guest tests that boot the stock Debian guest in a folder of
# their own: the checks such a run needs, and that folder.
# shellcheck shell=bash
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
GT_NAME=${GT_NAME:?set GT_NAME before sourcing tests/guest-lib.sh}
skip() { echo "$GT_NAME: SKIP: $*"; exit 77; }
die() { echo "$GT_NAME: FAIL: $*"; exit 1; }

command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 not installed (scripts/deps.sh --guest)"
[[ -x /bin/busybox ]] || skip "busybox-static not installed (scripts/deps.sh --guest)"
[[ -x bench/pinbench ]] || skip "no bench/pinbench (run make)"
scripts/qemu/kernel.sh >/dev/null 2>&1 || skip "no guest kernel (apt-get download failed)"

# Its own guest folder (lock, NVDIMM file), so it never waits on another
# run's lock; the downloaded kernel is shared instead of fetched again.
export PB_GUEST_DIR=$ROOT/build/guest-$GT_NAME
mkdir -p "$PB_GUEST_DIR"
[[ -e $PB_GUEST_DIR/kernel ]] || ln -s "$ROOT/build/guest/kernel" "$PB_GUEST_DIR/kernel"
