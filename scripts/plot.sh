#!/bin/bash
# Draw the pinbench graphs, PNG and SVG, from result sets:
#
#   scripts/plot.sh [--out DIR] [--title T] RESULTS_DIR_OR_FILE...
#   scripts/plot.sh [--out DIR] [--title T] --data PLOT_DATA_DIR
#
# For every label and method: latency-<method>-<label> (time per call vs
# size, log-log, one panel per op, one line per region + align) and
# per4k-<method>-<label> (ns per 4 KiB page). With two labels or more, also
# overlay-<method> and overlay-per4k-<method> (every label on the same axes:
# colour per series, solid for the baseline, dashed for the others) and
# speedup-<method>[-<label>] (baseline / compared median with 95% CI bars).
# Where the result files have breakdown files beside them (run --breakdown),
# breakdown-<method>-<op>: a stacked bar of phases per label x region/align.
# The baseline is the first label given.
#
# The numbers come from `pinbench compare --plot-data` (written to DIR/data),
# or with --data from the plot/ folder a `pinbench compare` run wrote. The
# graphs are drawn by the gnuplot templates in scripts/plot/ (style.gp holds
# the look). Default DIR: plots.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
pinbench=${PINBENCH:-$root/bench/pinbench}

usage() {
	sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

die() {
	echo "plot.sh: $*" >&2
	exit 2
}

out=plots
title=
data=
while (($#)); do
	case $1 in
	--out) out=${2:?--out needs a folder}; shift 2 ;;
	--title) title=${2:?--title needs a text}; shift 2 ;;
	--data) data=${2:?--data needs a folder}; shift 2 ;;
	-h | --help) usage; exit 0 ;;
	--) shift; break ;;
	-*) die "unknown option '$1' (see --help)" ;;
	*) break ;;
	esac
done

if ! command -v gnuplot >/dev/null; then
	echo "plot.sh: gnuplot is not installed: apt-get install gnuplot-nox (Debian, Ubuntu), dnf install gnuplot (Fedora)" >&2
	exit 77
fi
gpver=$(gnuplot --version | sed -n 's/^gnuplot \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
read -r gpmaj gpmin <<<"${gpver:-0 0}"
if ((gpmaj < 5 || (gpmaj == 5 && gpmin < 4))); then
	die "gnuplot 5.4 or later is needed, this is $(gnuplot --version)"
fi

mkdir -p "$out"
if [[ -z $data ]]; then
	(($#)) || die "give result folders or files (e.g. results/before results/after), or --data DIR"
	[[ -x $pinbench ]] || die "'$pinbench' not found: build it with make (or set PINBENCH)"
	data=$out/data
	"$pinbench" compare --quiet --plot-data --out "$data" "$@" >/dev/null
elif (($#)); then
	die "--data and result files do not go together"
fi
[[ -f $data/labels.tsv ]] || die "'$data' holds no plot data (labels.tsv): run pinbench compare"

# Labels, baseline first: index, name, kernels.
names=() kernels=()
while IFS=$'\t' read -r idx name kern; do
	names[idx]=$name
	kernels[idx]=$kern
done <"$data/labels.tsv"
nl=${#names[@]}

# Methods and their ops, from the baseline's files: lat-L0-<method>-<op>.dat.
declare -A ops_of=()
methods=()
for f in "$data"/lat-L0-*.dat; do
	[[ -e $f ]] || die "'$data' has no data files"
	base=${f##*/lat-L0-}
	base=${base%.dat}
	m=${base%-*}
	[[ -v "ops_of[$m]" ]] || methods+=("$m")
	ops_of[$m]="${ops_of[$m]:-} ${base##*-}"
done

# Panels in a fixed order: pin, unpin, io, kget, kput, then anything else.
order_ops() {
	local have=" $1 " o out=""
	for o in pin unpin io kget kput; do
		[[ $have == *" $o "* ]] && out+=" $o"
	done
	for o in $1; do
		[[ " pin unpin io kget kput " == *" $o "* ]] || out+=" $o"
	done
	echo "${out# }"
}

# Each method's graph title, from pinbench's table (list --json); the
# method's name where pinbench or jq is missing.
declare -A titles=()
if [[ -x $pinbench ]] && command -v jq >/dev/null; then
	while IFS=$'\t' read -r m t; do
		titles[$m]=$t
	done < <("$pinbench" list --json | jq -r '.methods[] | [.name, .title] | @tsv')
else
	echo "plot.sh: graph titles name the method only (titles need $pinbench and jq: make; apt-get install jq)" >&2
fi
describe() { echo "${titles[$1]:-$1}"; }

safe() { echo "${1//[^A-Za-z0-9._-]/_}"; }

gp() {	# template, args...
	local t=$1
	shift
	gnuplot -c "$here/plot/$t" "$@" || die "gnuplot failed on $t (arguments: $*)"
}

made=()
for m in "${methods[@]}"; do
	ops=$(order_ops "${ops_of[$m]}")
	what=$(describe "$m")
	[[ -n $title ]] && what="$title: $what"
	for ((l = 0; l < nl; l++)); do
		sfx=$m
		((nl > 1)) && sfx+="-$(safe "${names[l]}")"
		gp latency.gp "$out/latency-$sfx" \
			"$what\\nkernel ${kernels[l]} (label ${names[l]}); median, p10-p90 bars" \
			"$data" "$l" "$m" "$ops"
		gp per4k.gp "$out/per4k-$sfx" \
			"$what: ns per 4 KiB page\\nkernel ${kernels[l]} (label ${names[l]}); median, p10-p90 bars" \
			"$data" "$l" "$m" "$ops"
		made+=("$out/latency-$sfx" "$out/per4k-$sfx")
	done
	((nl > 1)) || continue
	# Labels on one line, their kernels (once when they share one) on the
	# next, so that a long title is never cut at the canvas edge.
	vs=${names[0]} same=1
	for ((l = 1; l < nl; l++)); do
		vs+=" vs ${names[l]}"
		[[ ${kernels[l]} == "${kernels[0]}" ]] || same=0
	done
	if ((same)); then
		vs+="\\nkernel ${kernels[0]}; "
	else
		vs+="\\nkernels ${kernels[0]}"
		for ((l = 1; l < nl; l++)); do vs+=" / ${kernels[l]}"; done
		vs+="; "
	fi
	gp overlay.gp "$out/overlay-$m" "$what: time per call\\n${vs}median, p10-p90 bars" \
		"$data" "$m" "$ops" time "${names[@]:0:4}"
	gp overlay.gp "$out/overlay-per4k-$m" "$what: ns per 4 KiB page\\n${vs}median, p10-p90 bars" \
		"$data" "$m" "$ops" per4k "${names[@]:0:4}"
	made+=("$out/overlay-$m" "$out/overlay-per4k-$m")
	for ((l = 1; l < nl; l++)); do
		sfx=$m
		((nl > 2)) && sfx+="-$(safe "${names[l]}")"
		gp speedup.gp "$out/speedup-$sfx" \
			"$what\\nspeedup of ${names[l]} over ${names[0]} (median ratio, 95% CI bars)\\n${names[0]}: ${kernels[0]}, ${names[l]}: ${kernels[l]}" \
			"$data" "$l" "$m" "$ops"
		made+=("$out/speedup-$sfx")
	done
done

# pinbench run --breakdown: a stacked bar per label x region/align, segments = phases.
for f in "$data"/bd-*.dat; do
	[[ -e $f ]] || continue
	b=${f##*/bd-}
	b=${b%.dat}
	at=$(sed -n '1s/^# .* at \([^:]*\):.*/\1/p' "$f")
	gp breakdown.gp "$out/breakdown-$b" \
		"$(describe "${b%-*}"): where the ${b##*-} time goes, at $at\nmedian of the traced reps per phase (pinbench run --breakdown)" "$f"
	made+=("$out/breakdown-$b")
done

((nl <= 4)) || echo "plot.sh: overlays show the first 4 labels of $nl" >&2
echo "graphs (.png and .svg) in $out/:"
for g in "${made[@]}"; do
	echo "  ${g##*/}"
done
