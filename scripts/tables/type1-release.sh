#!/bin/bash
# The table of scripts/repro/type1-devdax.sh runs, from their release.txt:
#   scripts/tables/type1-release.sh DIR...   (each DIR holds KERNEL/release.txt)
set -euo pipefail
(($#)) || { echo "usage: scripts/tables/type1-release.sh DIR..." >&2; exit 2; }
val() { sed -n "s/^$2=//p" "$1" | head -n1; }
verdict() { sed -E 's/^[^:]*: ([a-z-]+( [0-9]+ pages)?).*/\1/' <<<"$1"; }
printf '| kernel | release | map 1 (3 reps) | map 2, same range | FOLL_PIN pages held | disable-namespace | re-enabled: map 3 |\n'
printf '|---|---|---|---|---:|---|---|\n'
for d in "$@"; do
	for r in "$d"/*/release.txt; do
		[[ -f $r ]] || continue
		printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$(basename "$(dirname "$r")")" "$(val "$r" kernel)" \
			"$(verdict "$(val "$r" map1_audit)")" "$(verdict "$(val "$r" map2_audit)")" "$(val "$r" held_after_map2)" \
			"$(val "$r" disable_namespace)" "$(verdict "$(val "$r" map_after_reenable_audit)")"
	done
done
