#!/bin/bash
# A guest that does not finish in time: run.sh kills it, says TIMEOUT, exits
# 124, keeps what arrived, leaves no QEMU behind; the next run starts clean.
# Uses its own guest folder so it never waits on another run's lock.
GT_NAME=timeout
# shellcheck source=tests/guest-lib.sh
. "$(dirname "$0")/../guest-lib.sh"
command -v pgrep >/dev/null || die "pgrep missing (scripts/deps.sh --test installs procps)"
out=$PB_GUEST_DIR/results
rm -rf "$out"

# Far more work than 100 s allow (40 s was too short on a loaded host): odirect on anon, 1 GiB, many reps.
rc=0
scripts/qemu/run.sh --regions anon --methods odirect --sizes 1G --reps 500 --label hung \
	--results "$out" --namespaces 2M:1G --nvdimm-size 2G --timeout 100 >"$PB_GUEST_DIR/run.out" 2>&1 || rc=$?
[[ $rc == 124 ]] || { tail -n 20 "$PB_GUEST_DIR/run.out"; die "run.sh exit $rc, expected 124"; }
grep -q 'TIMEOUT: the guest did not finish within 100s' "$PB_GUEST_DIR/run.out" || die "no TIMEOUT message"
[[ ! -s $PB_GUEST_DIR/qemu.pid ]] || die "qemu.pid left behind"
pgrep -f "qemu-system-x86_64.*$PB_GUEST_DIR" >/dev/null && die "a QEMU of this run is still running"
# What the guest had written so far is on the host, under its partial name.
partial=$(find "$out" -name '*.csv.partial' | head -n1)
[[ -n $partial ]] || die "no partial result file kept (files: $(find "$out" -type f | tr '\n' ' '))"
n=$(grep -vc '^#' "$partial" || true)
((n > 1)) || die "partial file $partial has no rows"
echo "timeout: killed at 100 s, kept $partial ($((n - 1)) rows)"

# The next run starts clean: the lock is free and a short sweep completes.
rc=0
scripts/qemu/run.sh --regions anon --methods odirect --sizes 2M --reps 1 --label after \
	--results "$out" --namespaces 2M:1G --nvdimm-size 2G --timeout 120 >"$PB_GUEST_DIR/run2.out" 2>&1 || rc=$?
[[ $rc == 0 ]] || { tail -n 20 "$PB_GUEST_DIR/run2.out"; die "the run after the timeout: exit $rc"; }
[[ -n $(find "$out/after" -name '*-odirect-anon.csv') ]] || die "the run after the timeout brought no result"
echo "timeout: PASS"
