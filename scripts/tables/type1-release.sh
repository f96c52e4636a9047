#!/bin/bash
# The table of scripts/repro/type1-devdax.sh runs, from their release.txt:
#   scripts/tables/type1-release.sh [--full] DIR...   (each DIR holds KERNEL/release.txt)
# --full: the audit lines, kernel warnings and exit codes as recorded (the
# release.md a repro run writes); default: the verdicts only.
set -euo pipefail
full=0
[[ ${1:-} == --full ]] && { full=1; shift; }
(($#)) || { echo "usage: scripts/tables/type1-release.sh [--full] DIR..." >&2; exit 2; }
val() { sed -n "s/^$2=//p" "$1" | head -n1; }
verdict() { sed -E 's/^[^:]*: ([a-z-]+( [0-9]+ pages)?).*/\1/' <<<"$1"; }
if ((full)); then
	printf '| kernel | map 1: pin audit | map 2: pin audit | pages held after map 2 | disable-namespace | kernel warnings | re-enabled, mapped again |\n|---|---|---|---:|---|---|---|\n'
else
	printf '| kernel | release | map 1 (3 reps) | map 2, same range | FOLL_PIN pages held | disable-namespace | re-enabled: map 3 |\n'
	printf '|---|---|---|---|---:|---|---|\n'
fi
for d in "$@"; do
	for r in "$d"/*/release.txt; do
		[[ -f $r ]] || continue
		k=$(basename "$(dirname "$r")")
		if ((full)); then
			printf '| %s | %s | %s | %s | %s | %s | exit %s, %s |\n' "$k" \
				"$(val "$r" map1_audit)" "$(val "$r" map2_audit)" "$(val "$r" held_after_map2)" \
				"$(val "$r" disable_namespace)" "$(val "$r" dmesg_warnings | tr '|' ' ')" \
				"$(val "$r" enable_namespace_exit)/$(val "$r" map_after_reenable_exit)" "$(val "$r" map_after_reenable_audit)"
		else
			printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$k" "$(val "$r" kernel)" \
				"$(verdict "$(val "$r" map1_audit)")" "$(verdict "$(val "$r" map2_audit)")" "$(val "$r" held_after_map2)" \
				"$(val "$r" disable_namespace)" "$(verdict "$(val "$r" map_after_reenable_audit)")"
		fi
	done
done
