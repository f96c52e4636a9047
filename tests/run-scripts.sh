#!/usr/bin/env bash
# Run test scripts; exit 77 from a script means skipped (its last output line
# says why). Ends with the line "N passed, N failed, N skipped".
# A script still running after TEST_TIMEOUT seconds (default 900) is stopped
# with its process group (a hung guest included) and fails.
set -euo pipefail

limit=${TEST_TIMEOUT:-900}
[[ $limit =~ ^[1-9][0-9]*$ ]] || { echo "run-scripts: TEST_TIMEOUT=$limit: want whole seconds, e.g. 900" >&2; exit 2; }
pass=0 fail=0 skip=0
failed=()
for t in "$@"; do
	[ -f "$t" ] || continue
	log=$(mktemp)
	start=$SECONDS
	set +e
	timeout -k 10 "$limit" bash "$t" >"$log" 2>&1
	rc=$?
	((rc == 124)) && echo "(stopped: still running after ${limit} s; TEST_TIMEOUT)" >>"$log"
	set -e
	took=$((SECONDS - start))
	case $rc in
	0) pass=$((pass + 1)); echo "PASS $t (${took}s)" ;;
	77) skip=$((skip + 1)); echo "SKIP $t: $(tail -n 1 "$log")" ;;
	*) fail=$((fail + 1)); failed+=("$t"); echo "FAIL $t (exit $rc, ${took}s)"; sed 's/^/    /' "$log" | tail -n 40 ;;
	esac
	rm -f "$log"
done
echo "scripts: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
