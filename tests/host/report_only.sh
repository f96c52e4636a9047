#!/bin/bash
# bench/pinbench-report (make report) links none of the pinning libraries,
# has only the commands that read results, and reads them.
. "$(dirname "$0")/../lib.sh"
R=${PINBENCH_REPORT:-$TOP/bench/pinbench-report}
[[ -x $R ]] || die "$R not built (make report)"

libs=$(ldd "$R")
for lib in libibverbs libpmem2 libdaxctl libndctl libnuma liburing libtracefs; do
	! grep -q "$lib" <<<"$libs" || die "pinbench-report links $lib: $libs"
done
capture "$R" run --region anon --method null
expect_rc 2 "pinbench-report run"
expect_err "unknown command 'run'"

# Reading results: summary of committed rows (compare: tests/host/ab_regen.sh).
set=$TOP/results/ab-type1-mine
capture "$R" summary "$set"/r1/mine/*.csv
expect_rc 0 "pinbench-report summary"
[[ $(wc -l <"$TMP/out") -gt 1 ]] || die "summary printed no rows"
echo "pinbench-report: no pinning library, no run, summary of committed rows"
