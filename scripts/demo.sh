#!/bin/bash
# `make demo`: install what is missing, build, sweep on this machine (natively
# when it has a /dev/dax* device, else in a QEMU guest with a virtual NVDIMM),
# draw the graphs, and set this machine's medians beside the committed
# reference. See --help.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/lib/args.sh
. scripts/lib/args.sh

usage() {
	cat <<'EOF'
usage: make demo [VAR=value ...]     (or scripts/demo.sh)

Installs what is missing (Debian packages, as root), builds bench/pinbench,
sweeps sizes x regions x methods on this machine and draws the graphs. With
no /dev/dax* device here the sweep runs in a QEMU guest with a virtual NVDIMM
(device-dax at 4K, 2M and 1G, hugetlb, THP and 4K DRAM beside it).

Every run is a new result set, named KERNEL-HOST-DATE:
  results/<run>/      the result files (one CSV per method and region)
  plots/<run>/        its graphs
  results/<run>/vs-reference/   this run against the committed reference
The committed reference (results/reference/, plots/reference/) is never
written to. An interrupted run is resumed by the next `make demo` (settings
already measured are kept); FRESH=1 starts a new run instead.

The sweep is jobs/demo.job (pinbench sweep; in the guest too); these settings
(environment or make variables) change it for one run, each a --set of the job:
  SIZES=LIST         sizes for 4K/2M-aligned regions (list or power-of-two range)
  SIZES_1G=LIST      sizes for the 1G-aligned device
  REPS=N             measured repetitions per size
  METHODS=LIST       pinbench's methods (pinbench list)
  REGIONS=LIST       devdax (every /dev/dax*), dram (hugetlb:2M,thp,anon) or
                     pinbench regions
  LABEL=name         name the result set yourself (default KERNEL-HOST-DATE)
  FRESH=1            do not resume an interrupted run; start a new one
  REFERENCE=dir      committed set to compare with (default results/reference/6.1.0-57-amd64)
  RESULTS=dir, PLOTS=dir   where runs go (default results, plots)
  KERNEL=bzImage, QEMU_ACCEL=auto|tcg|kvm, PB_TIMEOUT=s   (guest; scripts/qemu/run.sh --help)
  GUEST_KERNEL=6.1   Debian's stock guest kernel when KERNEL is not set: a series
                     (6.1 default, 6.12, 6.16, 6.17, 6.18, 7.2, 7.3) or
                     debian:SERIES[.POINT] (debian:7.3.4); fetched on first use
EOF
}
case ${1:-} in -h | --help) usage; exit 0 ;; '') ;; *) echo "demo.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;; esac

say() { printf '\n== demo: %s\n' "$*"; }
bad() { printf 'demo: %s\n' "$*" >&2; exit 2; }

# Empty: the job file's (jobs/demo.job).
sizes=${SIZES:-} sizes1g=${SIZES_1G:-} reps=${REPS:-}
methods=${METHODS:-} regions=${REGIONS:-}
reference=${REFERENCE:-results/reference/6.1.0-57-amd64}
results=${RESULTS:-results} plotroot=${PLOTS:-plots}
state=$results/.demo-run

# Bad settings are refused before anything is installed.
[[ -z $reps || $reps =~ ^[1-9][0-9]*$ ]] || bad "REPS='$reps' is not a positive whole number (e.g. REPS=5)"
check_list SIZES "$sizes"
check_list SIZES_1G "$sizes1g"
check_list METHODS "$methods"
check_list REGIONS "$regions"
# The methods are pinbench's own (list --names): checked now when it is
# built, else right after the build.
check_methods() { # pinbench
	local known m ms
	known=$("$1" list --names | paste -sd ' ')
	IFS=, read -r -a ms <<<"$methods"
	for m in "${ms[@]}"; do
		[[ " $known " == *" $m "* ]] || bad "METHODS: unknown method '$m' (known: $known)"
	done
}
methods_checked=0
if [[ -x ${PINBENCH:-bench/pinbench} ]]; then
	check_methods "${PINBENCH:-bench/pinbench}"
	methods_checked=1
fi
if [[ -n ${LABEL:-} ]]; then
	[[ $LABEL =~ ^[A-Za-z0-9][A-Za-z0-9._+@-]*$ ]] || bad "LABEL='$LABEL': use letters, digits and . _ + - @ only"
	case $LABEL in reference | ab) bad "LABEL='$LABEL' is a committed set's folder: choose another name" ;; esac
fi
[[ -d $reference ]] || bad "REFERENCE='$reference' is not a folder (the committed reference is results/reference/6.1.0-57-amd64)"
case ${FRESH:-0} in 0 | 1) ;; *) bad "FRESH='${FRESH}': use FRESH=1 to start a new run" ;; esac
if [[ ${KERNEL:-} == debian:* ]]; then # KERNEL=debian:7.3 is GUEST_KERNEL=debian:7.3
	export GUEST_KERNEL=$KERNEL
	unset KERNEL
fi
if [[ -z ${KERNEL:-} ]]; then
	scripts/qemu/kernel.sh --check >/dev/null || exit 2
fi

has_dax=0
for d in /dev/dax*; do [[ -c $d ]] && has_dax=1; done

say "1/5 dependencies"
if ((has_dax)); then scripts/deps.sh; else scripts/deps.sh --guest; fi

say "2/5 build"
make -s -j"$(nproc)" all
((methods_checked)) || check_methods bench/pinbench

# The kernel the sweep will run on names the run.
if ((has_dax)); then
	release=$(uname -r)
elif [[ -n ${KERNEL:-} ]]; then
	release=${KERNEL##*/}
else
	release=$(scripts/qemu/kernel.sh | sed -n 's/^RELEASE=//p')
fi
hostid=$( (cat /etc/machine-id 2>/dev/null || hostname) | sha256sum | cut -c1-6)

# Which run: the one the user interrupted, or a new one.
label=${LABEL:-}
resumed=0
if [[ -z $label && ${FRESH:-0} != 1 && -s $state ]]; then
	old=$(head -n1 "$state")
	if [[ $old =~ ^[A-Za-z0-9][A-Za-z0-9._+-]*$ && -d $results/$old ]]; then
		label=$old resumed=1
	fi
fi
[[ -n $label ]] || label=$release-$hostid-$(date +%Y%m%d-%H%M%S)
dir=$results/$label
plotdir=$plotroot/$label
mkdir -p "$dir"
printf '%s\n' "$label" >"$state"
if ((resumed)); then
	say "resuming your interrupted run $label ($dir): settings already measured are kept (FRESH=1 make demo starts a new run)"
fi

interrupted() {
	printf '\ndemo: interrupted; what was measured is kept in %s.\n' "$dir" >&2
	printf 'demo: run `make demo` again to resume this run, or `FRESH=1 make demo` to start a new one.\n' >&2
	exit 130
}
trap interrupted INT TERM

# jobs/demo.job, with what this run changes (pinbench sweep --set).
sets=()
[[ -z $sizes ]] || sets+=(--set "sizes=$sizes")
[[ -z $sizes1g ]] || sets+=(--set "sizes-1g=$sizes1g")
[[ -z $reps ]] || sets+=(--set "reps=$reps")
[[ -z $methods ]] || sets+=(--set "methods=$methods")
[[ -z $regions ]] || sets+=(--set "regions=$regions")
t0=$SECONDS
rc=0
if ((has_dax)); then
	say "3/5 sweep on this host's dax devices (run $label)"
	"${PINBENCH:-bench/pinbench}" sweep "${sets[@]+"${sets[@]}"}" --set "label=$label" --set "outdir=$results" jobs/demo.job || rc=$?
else
	say "3/5 no /dev/dax* here: sweep in a QEMU guest with a virtual NVDIMM (run $label, kernel $release)"
	scripts/qemu/run.sh --job demo "${sets[@]+"${sets[@]}"}" --label "$label" --results "$results" \
		--timeout "${PB_TIMEOUT:-1800}" || rc=$?
fi
say "sweep took $((SECONDS - t0)) s (exit $rc)"
case $rc in
130 | 143) interrupted ;;
124)
	echo "demo: the guest was stopped at its time limit; what was measured is kept in $dir." >&2
	echo "demo: run \`make demo\` again to measure the rest (PB_TIMEOUT=seconds gives it longer)." >&2
	exit 124
	;;
esac
rm -f "$state"

n=$(find "$dir" -maxdepth 1 -name '*.csv' | wc -l)
if ((n == 0)); then
	echo "demo: the sweep wrote no result file in $dir; see the messages above" >&2
	exit 1
fi

say "4/5 graphs"
plots_ok=0
scripts/plot.sh --out "$plotdir" "$dir" && plots_ok=1 || echo "demo: scripts/plot.sh failed" >&2

say "5/5 this machine beside the committed reference ($reference)"
scripts/vs-reference.sh "$reference" "$dir" || echo "demo: comparison with the reference failed" >&2

say "results: $n file(s) in $dir"
((plots_ok)) && echo "graphs: $plotdir/"
echo "against the reference: $dir/vs-reference/report.md"
exit "$rc"
