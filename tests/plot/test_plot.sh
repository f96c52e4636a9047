#!/bin/bash
# The plot scripts on the committed fixture (tests/fixtures/compare, two
# labels): non-empty PNG and SVG files for every kind of graph, the same data
# give the same PNG, other data a different one; scripts/compare.sh writes
# the report and the graphs in one go. Skips (77) without gnuplot.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
fix=$root/tests/fixtures/compare
export PINBENCH=${PINBENCH:-$root/bench/pinbench}

if ! command -v gnuplot >/dev/null; then
	echo "gnuplot is not installed (apt-get install gnuplot-nox): plot tests skipped"
	exit 77
fi
if [[ ! -x $PINBENCH ]]; then
	echo "FAIL: $PINBENCH not built (make)"
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "FAIL: $*"
	exit 1
}

check_png() {
	[[ -s $1.png ]] || fail "$1.png missing or empty"
	[[ $(head -c 4 "$1.png" | od -An -c | tr -d ' ') == '211PNG' ]] || fail "$1.png is not a PNG"
	(($(stat -c %s "$1.png") > 10000)) || fail "$1.png is suspiciously small"
}

check_svg() {
	[[ -s $1.svg ]] || fail "$1.svg missing or empty"
	grep -q '<svg' "$1.svg" || fail "$1.svg is not an SVG"
	grep -q '<path' "$1.svg" || fail "$1.svg draws nothing"
}

sum() { md5sum "$1" | cut -d' ' -f1; }

# Two labels: every kind of graph.
"$root/scripts/plot.sh" --out "$tmp/a" "$fix/before.csv" "$fix/after.csv" >"$tmp/a.log"
for m in rdma vfio; do
	for g in latency-$m-before latency-$m-after per4k-$m-before per4k-$m-after \
		overlay-$m overlay-per4k-$m speedup-$m; do
		check_png "$tmp/a/$g"
		check_svg "$tmp/a/$g"
		grep -q "$g" "$tmp/a.log" || fail "plot.sh did not list $g"
	done
done
echo "ok: 14 graphs, PNG and SVG"

# The same data again: the same picture.
"$root/scripts/plot.sh" --out "$tmp/a2" "$fix/before.csv" "$fix/after.csv" >/dev/null
[[ $(sum "$tmp/a/overlay-rdma.png") == $(sum "$tmp/a2/overlay-rdma.png") ]] ||
	fail "the same data drew a different overlay-rdma.png"

# Other data (the after set without its devdax rows of 1G size): other pictures.
mkdir "$tmp/changed"
grep -v ',devdax,.*,1073741824,[0-9]*,\(pin\|unpin\),' "$fix/after.csv" >"$tmp/changed/after.csv"
(($(wc -l <"$tmp/changed/after.csv") < $(wc -l <"$fix/after.csv"))) || fail "the fixture edit removed nothing"
"$root/scripts/plot.sh" --out "$tmp/b" "$fix/before.csv" "$tmp/changed/after.csv" >/dev/null
for g in overlay-rdma speedup-rdma latency-rdma-after; do
	check_png "$tmp/b/$g"
	[[ $(sum "$tmp/a/$g.png") != $(sum "$tmp/b/$g.png") ]] || fail "$g.png did not change with the data"
done
[[ $(sum "$tmp/a/latency-rdma-before.png") == $(sum "$tmp/b/latency-rdma-before.png") ]] ||
	fail "latency-rdma-before.png changed although its data did not"
echo "ok: PNGs follow the data"

# One label: per-label graphs, no overlay.
"$root/scripts/plot.sh" --out "$tmp/one" "$fix/before.csv" >/dev/null
check_png "$tmp/one/latency-rdma"
check_svg "$tmp/one/per4k-vfio"
[[ ! -e $tmp/one/overlay-rdma.png ]] || fail "an overlay from one label"
echo "ok: one label"

# One command from two result folders: report and graphs.
mkdir -p "$tmp/results/before" "$tmp/results/after"
cp "$fix/before.csv" "$tmp/results/before/"
cp "$fix/after.csv" "$tmp/results/after/"
RESULTS=$tmp/results PLOTS=$tmp/plots "$root/scripts/compare.sh" before after >"$tmp/c.log"
grep -q '^## after vs before' "$tmp/results/before-vs-after/report.md" || fail "no report"
grep -q 'not measured in before' "$tmp/results/before-vs-after/report.md" ||
	fail "the report does not list the settings only in one set"
check_png "$tmp/plots/before-vs-after/speedup-rdma"
check_png "$tmp/plots/before-vs-after/overlay-vfio"
grep -q "report.md" "$tmp/c.log" || fail "compare.sh did not say where the report is"
echo "ok: scripts/compare.sh"

# Refusals: one line, non-zero, nothing drawn.
if "$root/scripts/plot.sh" --out "$tmp/x" /nonexistent.csv >/dev/null 2>&1; then
	fail "plot.sh accepted a missing file"
fi
[[ ! -e $tmp/x/latency-rdma.png ]] || fail "graphs from a missing file"
echo "ok: refusals"
