#!/usr/bin/env bash
# make ladder: the same settings on Debian's stock kernel of each series the
# archive holds complete, 3 interleaved boots each (make ab, PROFILE=ladder),
# then the report of its adjacent steps, audit changes, skips and graphs
# (scripts/ladder/report.sh). See --help.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

DEFAULT_SERIES="6.1 6.12 6.16 6.17 6.18 6.19 7.0 7.1 7.2 7.3"

usage() {
	cat <<EOF
usage: make ladder [LADDER_SERIES="6.1 6.12 ..."] [BOOTS=N] [AB_OUT=DIR]
       scripts/ladder.sh [--dry-run] [--report-only DIR]

A kernel ladder: Debian's stock kernels, oldest series first, each booted
BOOTS times (default 3) round-robin by make ab with PROFILE=ladder (rdma,
vfio, iouring, odirect on devdax 4K/2M/1G, hugetlb 2M, THP and anon 4K at
2M, 256M and 1G, the pin audit on every row), then the ladder's report.

  1. the series: for each of LADDER_SERIES (default: $DEFAULT_SERIES)
     scripts/qemu/debian-kernel.sh debian:SERIES fetches the newest point
     release whose image and modules are both listed (kept under build/); a
     series it refuses (exit 2: e.g. no modules package) is named with its
     reason and left out, not failed
  2. PROFILE=ladder KERNELS="debian:S1 debian:S2 ..." AB_OUT=DIR AB_PLOTS=
     scripts/ab.sh (DIR: AB_OUT, default results/ladder-HOST, HOST the
     6-hex machine id make ab uses; an interrupted ladder resumes)
  3. scripts/ladder/report.sh: DIR/ladder.md (every adjacent step whose
     interval over boots excludes 1, every pin audit verdict that changes,
     the skipped settings), DIR/steps/X-Y/, graphs in PLOTS (default
     plots/<DIR's name>): see scripts/ladder/report.sh --help
  The elapsed time is printed at the end and kept in DIR/ladder-series.txt.

  --report-only DIR  only step 3, on a finished (or partial) folder
  --complete-only    with --report-only: only the boots make ab finished (a
                     report while it still runs; the boot in progress named)
  --dry-run          steps 1 and the plan of step 2 (make ab --dry-run), then exit;
                     step 1 fetches the series not yet kept, as a real run would
  -h, --help         this text

Environment: LADDER_SERIES, BOOTS, AB_OUT, LADDER_PLOTS (graphs folder), and
make ab's AB_* settings (see scripts/ab.sh --help). For tests:
LADDER_DEBIAN_KERNEL (the fetch script), LADDER_AB (the make ab script).
EOF
}

die() { printf 'ladder: %s\n' "$*" >&2; exit 2; }

dry=0 report_only='' complete_only=()
while (($#)); do
	case $1 in
	-h | --help) usage; exit 0 ;;
	--dry-run) dry=1; shift ;;
	--report-only)
		(($# >= 2)) || die "--report-only needs a folder (a finished make ladder's AB_OUT)"
		report_only=$2; shift 2 ;;
	--report-only=*) report_only=${1#--report-only=}; shift ;;
	--complete-only) complete_only=(--complete-only); shift ;;
	-*) die "unknown option '$1' (see scripts/ladder.sh --help)" ;;
	*) die "unexpected argument '$1' (the series come from LADDER_SERIES; see --help)" ;;
	esac
done

((!${#complete_only[@]} || ${#report_only})) || die "--complete-only goes with --report-only DIR"
if [[ -n $report_only ]]; then
	((!dry)) || die "--dry-run and --report-only: choose one"
	[[ -d $report_only ]] || die "--report-only '$report_only': no such folder"
	t0=$SECONDS
	scripts/ladder/report.sh "${complete_only[@]+"${complete_only[@]}"}" "$report_only" ${LADDER_PLOTS:+"$LADDER_PLOTS"}
	printf 'ladder: report in %d s\n' "$((SECONDS - t0))"
	exit 0
fi

read -r -a series <<<"${LADDER_SERIES:-$DEFAULT_SERIES}"
((${#series[@]} >= 2)) || die "LADDER_SERIES '${LADDER_SERIES:-}': give at least two series (e.g. \"6.1 6.12\")"
declare -A dup=()
for s in "${series[@]}"; do
	[[ $s =~ ^[0-9]+\.[0-9]+(\.[0-9]+)?$ ]] || die "LADDER_SERIES: '$s' is not a series (e.g. 6.18 or 7.3.4)"
	[[ -z ${dup[$s]:-} ]] || die "LADDER_SERIES: '$s' given twice"
	dup[$s]=1
done
hostid=$( (cat /etc/machine-id 2>/dev/null || hostname) | sha256sum | cut -c1-6)
out=${AB_OUT:-results/ladder-$hostid}
plots=${LADDER_PLOTS:-plots/$(basename "$out")}
fetch=${LADDER_DEBIAN_KERNEL:-scripts/qemu/debian-kernel.sh}
ab=${LADDER_AB:-scripts/ab.sh}
t0=$SECONDS

# ---- 1. the series the archive holds complete ----
printf '== ladder: 1/3 series: %s\n' "${series[*]}"
kept=() refused=()
ftmp=$(mktemp)
trap 'rm -f "$ftmp"' EXIT
for s in "${series[@]}"; do
	rc=0
	msg=$("$fetch" "debian:$s" 2>&1 >"$ftmp") || rc=$?
	rel=$(sed -n 's/^RELEASE=//p' "$ftmp" | head -n1)
	if ((rc == 0)); then
		kept+=("$s")
		printf 'ladder: %s: %s\n' "$s" "${rel:-fetched}"
	elif ((rc == 2)); then
		why=$(printf '%s\n' "$msg" | grep -v '^[[:space:]]*$' | tail -n1)
		why=$(sed 's/^[^ :]*debian-kernel[^ :]*: //' <<<"$why")
		refused+=("$s: $why")
		printf 'ladder: %s: left out: %s\n' "$s" "$why"
	else
		printf '%s\n' "$msg" >&2
		echo "ladder: fetching debian:$s failed (exit $rc); nothing measured" >&2
		exit 1
	fi
done
((${#kept[@]} >= 2)) || die "fewer than two series have a complete kernel (${kept[*]:-none}): nothing to compare"
kernels=''
names=''
for s in "${kept[@]}"; do kernels+="debian:$s "; names+="debian-$s "; done
kernels=${kernels% } names=${names% }

# ---- 2. the boots ----
printf '== ladder: 2/3 make ab: %s into %s\n' "$kernels" "$out"
if ((dry)); then
	PROFILE=ladder KERNELS="$kernels" AB_OUT="$out" AB_PLOTS='' "$ab" --dry-run
	printf 'then: scripts/ladder/report.sh --kernels "%s" %s %s\n' "$names" "$out" "$plots"
	exit 0
fi
rc=0
PROFILE=ladder KERNELS="$kernels" AB_OUT="$out" AB_PLOTS='' "$ab" || rc=$?
((rc != 130)) || exit 130
[[ -d $out ]] || { echo "ladder: make ab wrote no $out (exit $rc)" >&2; exit 1; }
el=$((SECONDS - t0))
{
	printf 'series asked: %s\n' "${series[*]}"
	printf 'series measured: %s\n' "${kept[*]}"
	for r in "${refused[@]+"${refused[@]}"}"; do printf 'left out: %s\n' "$r"; done
	printf 'command: PROFILE=ladder KERNELS="%s" AB_OUT=%s AB_PLOTS= scripts/ab.sh (make ab exit %d)\n' "$kernels" "$out" "$rc"
	printf 'elapsed: %d min %d s (fetch and boots)\n' "$((el / 60))" "$((el % 60))"
} >"$out/ladder-series.txt"

# ---- 3. the report ----
printf '== ladder: 3/3 report\n'
LADDER_CMD="LADDER_SERIES=\"${series[*]}\" scripts/ladder.sh" \
	scripts/ladder/report.sh --kernels "$names" "$out" "$plots"
el=$((SECONDS - t0))
printf '== ladder: done in %d min %d s: %s/ladder.md, graphs in %s/\n' "$((el / 60))" "$((el % 60))" "$out" "$plots"
if ((rc)); then
	echo "ladder: make ab ended with exit $rc (incomplete boots: see above); the report covers the boots there" >&2
	exit 1
fi
