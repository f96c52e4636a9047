#!/usr/bin/env bash
# Run test scripts; exit 77 from a script means skipped (its last output line
# says why). Ends with the line "N passed, N failed, N skipped".
set -euo pipefail

pass=0 fail=0 skip=0
failed=()
for t in "$@"; do
	[ -f "$t" ] || continue
	log=$(mktemp)
	start=$SECONDS
	set +e
	bash "$t" >"$log" 2>&1
	rc=$?
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
