# shellcheck shell=bash
# Shared helpers for scripts/qemu/*.sh (sourced, not run).

PB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PB_GUEST_DIR=${PB_GUEST_DIR:-$PB_ROOT/build/guest}
export PB_ROOT PB_GUEST_DIR

say() { printf '%s\n' "pinbench-qemu: $*" >&2; }
die() { say "error: $*"; exit 1; }

# sha256 of a list of files (contents and names), for cache keys.
hash_files() {
	local f
	for f in "$@"; do
		printf '%s\n' "$f"
		if [[ -f $f ]]; then sha256sum <"$f"; else printf 'missing\n'; fi
	done | sha256sum | cut -c1-16
}
