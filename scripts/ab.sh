#!/usr/bin/env bash
# make ab: the same sweep on each guest kernel (before and after the device-dax
# GUP patches), then the comparison report and graphs.
#
#   scripts/ab.sh [LABEL...]        default: compound base-pages grab-once longterm-fast slow-batch
#
# Builds what is missing with scripts/kernel/build.sh (cached by a hash of its
# inputs), boots each kernel with scripts/qemu/run.sh, and keeps each kernel's
# result set in results/ab/LABEL/. A kernel whose result set is complete is not
# run again (delete its folder to re-measure); an interrupted sweep resumes.
# Environment: AB_SIZES (default 2M,8M,32M,128M,512M,2G,4G), AB_SIZES_1G
# (1G,2G,4G), AB_REPS (5), AB_METHODS, AB_REGIONS (devdax,dram; plus an fsdax
# file the long-term methods must be refused on), AB_NVDIMM (22G), AB_MEM (MiB),
# AB_OUT (results/ab), AB_PLOTS (plots/ab).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

case ${1:-} in -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
labels=("$@")
((${#labels[@]})) || labels=(compound base-pages grab-once longterm-fast slow-batch)
sizes=${AB_SIZES:-2M,8M,32M,128M,512M,2G,4G}
sizes1g=${AB_SIZES_1G:-1G,2G,4G}
reps=${AB_REPS:-5}
methods=${AB_METHODS:-odirect,iouring,rdma,vfio,gup-fast,gup-pin,gup-longterm}
regions=${AB_REGIONS:-devdax,dram}
out=${AB_OUT:-results/ab}
plots=${AB_PLOTS:-plots/ab}
say() { printf '\n== ab: %s\n' "$*"; }

scripts/deps.sh --guest
make -s all

t0=$SECONDS
say "1/3 kernels: ${labels[*]}"
scripts/kernel/build.sh "${labels[@]}"

incomplete=()
say "2/3 the same sweep on each kernel (sizes $sizes, 1G device $sizes1g, $reps reps)"
for l in "${labels[@]}"; do
	kernel=$ROOT/build/kernel/$l
	[[ -e $kernel ]] || { echo "ab: no kernel for $l at $kernel" >&2; exit 1; }
	if [[ -f $out/$l/.complete ]]; then
		echo "ab: $l: already measured ($out/$l); delete the folder to measure again"
		continue
	fi
	say "kernel $l"
	rc=0
	KERNEL=$kernel scripts/qemu/run.sh --label "$l" --results "$out" --sizes "$sizes" \
		--sizes-1g "$sizes1g" --reps "$reps" --methods "$methods" --regions "$regions" \
		--nvdimm-size "${AB_NVDIMM:-22G}" --namespaces 4K:5G,2M:5G,1G:6G,fsdax:2G \
		--mem "${AB_MEM:-11264}" --timeout "${AB_TIMEOUT:-3600}" || rc=$?
	# What each setting came to, skips and refusals included (fsdax must be refused).
	mkdir -p "$out/$l"
	tr -d '\r' <"$ROOT/build/guest/console.log" |
		grep -E '^\[[0-9]+/[0-9]+\] .*: (measured|skipped|FAILED)' >"$out/$l/sweep-outcomes.txt" || true
	# 0: all measured; 3: measured, a pin leak was reported (kept, it is a result).
	if ((rc == 0 || rc == 3)); then
		touch "$out/$l/.complete"
	else
		# Keep going: the other kernels are still worth measuring. Rerun to resume.
		echo "ab: the sweep on $l ended with exit $rc; its results so far are in $out/$l (run make ab again to resume it)" >&2
		incomplete+=("$l")
	fi
done

say "3/3 comparison and graphs"
dirs=()
for l in "${labels[@]}"; do dirs+=("$out/$l"); done
bench/pinbench compare --quiet --baseline "${labels[0]}" --out "$out/report" "${dirs[@]}"
# Overlays stay readable with three labels: the baseline against two others
# per set of graphs, in the order given.
base=${labels[0]}
rest=("${labels[@]:1}")
while ((${#rest[@]})); do
	group=("${rest[@]:0:2}")
	rest=("${rest[@]:2}")
	name=$(IFS=-; printf '%s' "$base-vs-${group[*]}")
	gdirs=("$out/$base")
	for l in "${group[@]}"; do gdirs+=("$out/$l"); done
	bench/pinbench compare --quiet --baseline "$base" --out "$out/plot-$name" "${gdirs[@]}"
	scripts/plot.sh --data "$out/plot-$name/plot" --out "$plots/$name"
done
say "done in $((SECONDS - t0)) s: report $out/report/report.md, graphs $plots/"
if ((${#incomplete[@]})); then
	echo "ab: incomplete sweeps (see their FAILED lines): ${incomplete[*]}" >&2
	exit 1
fi
