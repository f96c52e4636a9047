# Sourced by the test scripts: a scratch folder, assertions, skips.
# shellcheck shell=bash
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PINBENCH=${PINBENCH:-$TOP/bench/pinbench}
# A wrapper such as "valgrind --error-exitcode=99 -q" (see make check-valgrind).
PB_WRAP=${PB_WRAP:-}
TMP=$(mktemp -d /tmp/pinbench-test.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

die() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "$*"; exit 77; }

# capture CMD ARGS...: run a command, output in $TMP/out and $TMP/err,
# status in $RC (the test goes on whatever it is).
capture() {
	set +e
	"$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	set -e
}

# pb ARGS...: capture pinbench (under $PB_WRAP when set).
pb() {
	# shellcheck disable=SC2086
	capture $PB_WRAP "$PINBENCH" "$@"
	if [ "$RC" = 99 ]; then
		cat "$TMP/err" >&2
		die "valgrind reported errors: pinbench $*"
	fi
}

expect_rc() {
	local want=$1
	shift
	[ "$RC" = "$want" ] || { cat "$TMP/err" >&2; die "$* : exit $RC, expected $want"; }
}

expect_err() {
	grep -qF -- "$1" "$TMP/err" || { cat "$TMP/err" >&2; die "stderr lacks '$1'"; }
}

is_root() { [ "$(id -u)" = 0 ]; }

# Reserve N free 2M hugetlb pages for this test; put the pool back on exit.
reserve_hugetlb_2m() {
	local n=$1 f=/proc/sys/vm/nr_hugepages total free
	is_root || skip "hugetlb pages need root to reserve"
	total=$(cat $f)
	free=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages)
	HUGE_RESTORE=$total
	trap 'echo "$HUGE_RESTORE" > /proc/sys/vm/nr_hugepages; rm -rf "$TMP"' EXIT
	echo $((total + n - free)) >$f
	[ "$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages)" -ge "$n" ] ||
		skip "could not reserve $n 2M hugetlb pages (memory fragmented?)"
}

# Data rows (not metadata, not header) of a result file.
data_rows() { grep -v '^#' "$1" | tail -n +2; }

# Pages pinned with FOLL_PIN and not yet released, machine-wide (root: the
# per-CPU counts folded first). Prints nothing when the kernel does not count.
pins_outstanding() {
	echo 1 >/proc/sys/vm/stat_refresh 2>/dev/null || true
	awk '/^nr_foll_pin_acquired/ { a = $2 } /^nr_foll_pin_released/ { r = $2 } END { if (a != "") print a - r }' /proc/vmstat
}
