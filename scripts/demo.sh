#!/bin/bash
# `make demo`: install what is missing, build, sweep (natively when this host
# has a /dev/dax* device, else in a QEMU guest with a virtual NVDIMM), draw
# the graphs if scripts/plot.sh exists, and say where everything is.
# Environment: LABEL (result set name), SIZES, SIZES_1G, REPS, METHODS,
# REGIONS (sweep settings), KERNEL/MODULES/QEMU_ACCEL (see scripts/qemu/run.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

say() { printf '\n== demo: %s\n' "$*"; }

has_dax=0
for d in /dev/dax*; do [[ -c $d ]] && has_dax=1; done

say "1/4 dependencies"
if ((has_dax)); then scripts/deps.sh; else scripts/deps.sh --guest; fi

say "2/4 build"
make -j"$(nproc)" all

sizes=${SIZES:-2M..256M} sizes1g=${SIZES_1G:-1G,2G} reps=${REPS:-5}
methods=${METHODS:-odirect,iouring,rdma,vfio}
t0=$SECONDS
if ((has_dax)); then
	label=${LABEL:-$(uname -r)}
	say "3/4 sweep on this host's dax devices (label $label)"
	args=(--label "$label" --sizes "$sizes" --sizes-1g "$sizes1g" --reps "$reps" --methods "$methods")
	[[ -n ${REGIONS:-} ]] && args+=(--regions "$REGIONS")
	rc=0
	scripts/sweep.sh "${args[@]}" || rc=$?
else
	if [[ -n ${KERNEL:-} ]]; then
		label=${LABEL:-qemu-${KERNEL##*/}}
	else
		release=$(scripts/qemu/kernel.sh | sed -n 's/^RELEASE=//p')
		label=${LABEL:-$release}
	fi
	say "3/4 no /dev/dax* here: sweep in a QEMU guest with a virtual NVDIMM (label $label)"
	args=(--label "$label" --sizes "$sizes" --sizes-1g "$sizes1g" --reps "$reps" --methods "$methods"
		--timeout "${PB_TIMEOUT:-1500}")
	[[ -n ${REGIONS:-} ]] && args+=(--regions "$REGIONS")
	rc=0
	scripts/qemu/run.sh "${args[@]}" || rc=$?
fi
say "sweep took $((SECONDS - t0)) s (exit $rc)"

dir=$ROOT/results/$label
plots=''
if [[ -x scripts/plot.sh ]]; then
	say "4/4 graphs"
	if scripts/plot.sh "$dir"; then
		plots=$ROOT/plots
	else
		echo "demo: scripts/plot.sh failed" >&2
	fi
else
	say "4/4 graphs: scripts/plot.sh not there yet, skipped"
fi

n=$(find "$dir" -maxdepth 1 -name '*.csv' 2>/dev/null | wc -l)
say "results: $n file(s) in $dir"
[[ -n $plots ]] && echo "graphs: $plots"
exit "$rc"
