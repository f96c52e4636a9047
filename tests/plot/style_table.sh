#!/bin/bash
# scripts/plot/style.gp agrees with the region kinds' series colours
# (`pinbench list --json`): each series' slot is a linetype of that colour,
# and every fixed linetype belongs to a series.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PINBENCH=${PINBENCH:-$root/bench/pinbench}
style=$root/scripts/plot/style.gp

command -v jq >/dev/null || { echo "jq is not installed (apt-get install jq): style check skipped"; exit 77; }
[[ -x $PINBENCH ]] || { echo "FAIL: $PINBENCH not built (make)"; exit 1; }

series=$("$PINBENCH" list --json | jq -r '.regions[] | .name as $k | .series[] | "\(.slot) \(.colour) \($k) \(.align)"')
[[ -n $series ]] || { echo "FAIL: no region kind has series colours"; exit 1; }
bad=0
while read -r slot colour kind align; do
	got=$(sed -n "s/^set linetype $slot lc rgb \"\\(#[0-9a-fA-F]*\\)\".*/\\1/p" "$style")
	if [[ ${got,,} != "${colour,,}" ]]; then
		echo "FAIL: $kind align $align: slot $slot is $colour in its region kind, '${got:-missing}' in style.gp"
		bad=1
	fi
done <<<"$series"
# Every linetype labelled as a series ("# devdax 4K") is some region kind's.
for lt in $(sed -n 's/^set linetype \([0-9]*\) lc rgb "[^"]*".*# *\([a-z]\+ [0-9]*[KMG]\)$/\1/p' "$style"); do
	grep -q "^$lt " <<<"$series" || { echo "FAIL: style.gp linetype $lt names a series no region kind claims"; bad=1; }
done
((bad == 0)) || exit 1
echo "ok: style.gp agrees with the $(wc -l <<<"$series") series colours of the region kinds"
