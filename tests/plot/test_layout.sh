#!/bin/bash
# Graphs as a reader sees them (tests/plot/png_layout.py reads the PNGs):
# no title or key cut off at the canvas edge, and every series of the data in
# the key. Checked on graphs drawn now from the fixture with three labels
# (the case whose key once ran off the left edge), on the first make ab's
# graphs drawn now from their committed data, and on the committed graphs
# the documents show. Skips (77) without gnuplot or python3.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export PINBENCH=${PINBENCH:-$root/bench/pinbench}
command -v gnuplot >/dev/null || { echo "gnuplot is not installed: layout tests skipped"; exit 77; }
command -v python3 >/dev/null || { echo "python3 is not installed (scripts/deps.sh --test): layout tests skipped"; exit 77; }
[[ -x $PINBENCH ]] || { echo "FAIL: $PINBENCH not built (make)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check=(python3 "$root/tests/plot/png_layout.py" "$root/scripts/plot/style.gp")
faults=0

# Three labels: the fixture's two and a third made from "after".
fix=$root/tests/fixtures/compare
mkdir -p "$tmp/in"
cp "$fix/before.csv" "$fix/after.csv" "$tmp/in/"
sed -e 's/^# label: after$/# label: a-third-label-with-a-long-name/' \
	-e 's/^after,/a-third-label-with-a-long-name,/' "$fix/after.csv" >"$tmp/in/third.csv"
"$PINBENCH" compare --quiet --baseline before --out "$tmp/cmp" "$tmp/in"/*.csv >/dev/null
"$root/scripts/plot.sh" --data "$tmp/cmp/plot" --out "$tmp/png" >/dev/null 2>&1
n=$(find "$tmp/png" -name '*.png' | wc -l)
((n >= 10)) || { echo "FAIL: only $n graphs drawn from the fixture"; exit 1; }
"${check[@]}" "$tmp/cmp/plot" "$tmp/png"/*.png || faults=1

# The first make ab's graphs: drawn now from its committed plot data (only
# the one a document shows is committed), and that one as committed.
for data in "$root"/results/ab/plot-*/plot; do
	name=$(basename "$(dirname "$data")")
	name=${name#plot-}
	"$root/scripts/plot.sh" --data "$data" --out "$tmp/ab-$name" >/dev/null 2>&1
	"${check[@]}" "$data" "$tmp/ab-$name"/overlay-*.png || faults=1
	for png in "$root/plots/ab/$name"/*.png; do
		[[ -e $png ]] && { "${check[@]}" "$data" "$png" || faults=1; }
	done
done
ref=$root/plots/reference/6.1.0-57-amd64
"${check[@]}" "$ref/data" "$ref"/*.png || faults=1
((faults == 0)) || { echo "FAIL: graphs above are cut off or lack key entries"; exit 1; }
echo "ok: $n fixture graphs and the committed graphs: nothing cut off, every series in the key"
