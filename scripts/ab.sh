#!/usr/bin/env bash
# make ab: the same sweep on each guest kernel (before and after a patch),
# each kernel booted BOOTS times, round-robin, then the comparison over boots.
# See --help.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/ab/profiles.sh
. "$ROOT/scripts/ab/profiles.sh"

usage() {
	cat <<'EOF'
usage: make ab [PROFILE=P] [KERNELS="K1 K2 ..."] [BOOTS=N] [MINE=... [BASE=6.1|6.12|7.3]]
       scripts/ab.sh [--dry-run] [KERNEL...]

Builds the kernels (cached), boots each BOOTS times round-robin (K1, K2, ...,
then again), each boot a sweep of the profile's job file jobs/PROFILE.job
(pinbench sweep in the guest), and compares every kernel
with the first: ratio of medians with a hierarchical bootstrap interval
(boots, then reps within each boot), the between-boot spread, boots that
disagree, and what else used the host's CPUs during each boot.

  PROFILE   full (default): every method, devdax 4K/2M/1G, DRAM, fsdax, 2M..4G
            quick: rdma, vfio, gup_test -a on 4K/2M devdax, 32M/256M/1G
            headline: gup_test -u/-a, rdma, vfio on 2M and 1G devdax at 16 GiB
            odirect: O_DIRECT on devdax 2M/1G and hugetlb 2M, 1G and 4G
            ladder: Debian 6.1 .. 7.3, rdma/vfio/iouring/odirect (make ladder)
            permr: 1 GiB of 2M devdax as 512 calls of 2 MiB, rdma and vfio
            typeone: vfio of 4 GiB of DRAM and devdax, Debian 6.17 against 6.18
            type1: vfio on devdax 4K/2M/1G and anon, 7.3 against the type1
              ZONE_DEVICE fix (kernel/patches-7.3/type1-zone-device)
  KERNELS   kernel specs (default: the profile's; compound base-pages grab-once
            longterm-fast slow-batch for full and headline):
              LABEL           kernel/patches/LABEL on 6.1
              LABEL@6.12      kernel/patches-6.12/LABEL on 6.12
              NAME=patches:DIR | NAME=tree:DIR | NAME=bzimage:FILE
              mine            your patch, from MINE (see scripts/kernel/resolve.sh --help)
              debian:SERIES[.POINT]  Debian's stock kernel, image + modules
                              (debian:6.1, debian:6.18, debian:7.3.4; named debian-SERIES)
            The first is the baseline.
  BOOTS     boots per kernel (default 3)
  BASE      the release MINE's patches apply to and the baseline compound@BASE
            runs: 6.1, 6.12 or 7.3; default: the series of a folder under
            kernel/patches[-SERIES]/, else 7.3 (the newest). The report names it.
  MINE      patches:DIR, tree:DIR[@REV], bzimage:FILE or a path; with MINE and no
            KERNELS the kernels are "compound mine"

Results: results/ab-PROFILE-HOST/rR/KERNEL/ (round R's boot of KERNEL: result files,
host.txt, kernel.txt, sweep-outcomes.txt, calibrate.txt), the report in
results/ab-PROFILE-HOST/report/ (report.md, compare.csv, boots.csv). A boot already
complete is not run again: an interrupted make ab resumes where it stopped, a
later run with more BOOTS or other KERNELS reuses the boots there, and a
kernel whose build changed since (your patch) is measured again. Other
settings in the same folder are refused (delete it or set AB_OUT).

Environment: AB_OUT (results folder; default results/ab-PROFILE-HOST); AB_SIZES, AB_SIZES_1G, AB_REPS,
AB_METHODS, AB_REGIONS and AB_SET (more job keys, blank-separated KEY=VALUE words:
AB_SET="chunk=2M breakdown=1") change the job (pinbench sweep --set); AB_NAMESPACES,
AB_NVDIMM, AB_MEM, AB_TIMEOUT the guest; AB_EXCLUDE=auto|busy|none: leave busy boots out of the report
(auto: only when every kernel keeps 2 quiet boots); AB_DRIFT=PCT: leave out boots whose
calibration loop drifted more than PCT% (default 0: every boot kept; the calibration
is in the report's Boots table either way); AB_BUSY_CPUS (0.5): CPUs
others may use before a boot counts as busy; AB_PLOTS=DIR: where the graphs go (default plots/ab-PROFILE-HOST; empty: none);
PB_GUEST_DIR (default build/guest-ab): the guest's own folder and lock.
  --dry-run   print the plan (kernels, boots in order, settings) and exit
  --report-only SET [--to DIR] [--names "K1 K2 ..."]
              no kernels, no boots: the comparison of SET's boots (SET/rR/NAME/)
              again, into DIR (default SET/report; a committed SET needs --to),
              with AB_EXCLUDE and AB_DRIFT as above; the kernels are SET's in
              the order of their first boots, or those --names, the first the
              baseline. MINE's "Base:" line is not added.
EOF
}

die() { printf 'ab: %s\n' "$*" >&2; exit 2; }
say() { printf '\n== ab: %s\n' "$*"; }

# compare_boots SET REPORT: the comparison over the boots in SET/rR/NAME/ of
# names[] (the first the baseline), P_BOOTS rounds, AB_EXCLUDE and AB_DRIFT
# applied, written to REPORT (report.md, compare.csv, boots.csv, plot/).
compare_boots() {
	local -a dirs=() cmpargs excl=()
	local -A quiet=()
	local nbusy keep n r d
	for n in "${names[@]}"; do quiet[$n]=0; done
	for ((r = 1; r <= P_BOOTS; r++)); do
		for n in "${names[@]}"; do
			d=$1/r$r/$n
			compgen -G "$d/*.csv*" >/dev/null || continue	# committed sets keep their rows as .csv.gz
			dirs+=("$d")
			grep -q '^busy: yes' "$d/host.txt" 2>/dev/null || quiet[$n]=$((quiet[$n] + 1))
		done
	done
	((${#dirs[@]})) || { echo "ab: no result files under $1" >&2; exit 1; }
	cmpargs=(--quiet --baseline "${names[0]}" --out "$2" --drift-threshold "$drift")
	nbusy=$(cat "$1"/r*/*/host.txt 2>/dev/null | grep -c '^busy: yes' || true)
	case $exclude in
	busy)
		keep=1
		for n in "${names[@]}"; do ((quiet[$n] >= 1)) || keep=0; done
		if ((nbusy && keep)); then
			excl=(--exclude-boots busy)
		elif ((nbusy)); then
			echo "ab: AB_EXCLUDE=busy: a kernel has no quiet boot; all $nbusy busy boot(s) kept, marked in the report's Boots table"
		fi
		;;
	auto)
		keep=1
		for n in "${names[@]}"; do ((quiet[$n] >= 2)) || keep=0; done
		if ((nbusy && keep)); then
			excl=(--exclude-boots busy)
			echo "ab: $nbusy busy boot(s) left out of the report (every kernel keeps 2+ quiet boots; AB_EXCLUDE=none keeps them)"
		elif ((nbusy)); then
			echo "ab: $nbusy boot(s) ran on a busy host; kept in the report (too few quiet boots to leave them out), marked in its Boots table"
		fi
		;;
	esac
	"$pb" compare "${cmpargs[@]}" "${excl[@]}" "${dirs[@]}"
}

dry=0 report_set='' report_to='' report_names=''
args=()
while (($#)); do
	case $1 in
	-h | --help) usage; exit 0 ;;
	--dry-run) dry=1; shift ;;
	--report-only) report_set=${2:?--report-only needs a folder of boots}; shift 2 ;;
	--to) report_to=${2:?--to needs a folder}; shift 2 ;;
	--names) report_names=${2:?--names needs a list}; shift 2 ;;
	-*) die "unknown option '$1' (see scripts/ab.sh --help)" ;;
	*) args+=("$1"); shift ;;
	esac
done
((${#args[@]})) && KERNELS="${args[*]}"

profile=${PROFILE:-full}
[[ -z ${AB_EXTRA:-} ]] || die "AB_EXTRA is gone: give job keys in AB_SET (AB_EXTRA=--chunk,2M is AB_SET=chunk=2M)"
ab_profile "$profile" || die "PROFILE '$profile': use one of $AB_PROFILES"
for kv in "${P_SETS[@]+"${P_SETS[@]}"}"; do
	[[ $kv =~ ^[a-z0-9-]+=[^[:space:]]*$ ]] || die "AB_SET '$kv': want KEY=VALUE words (e.g. AB_SET=chunk=2M)"
	case ${kv%%=*} in label | outdir | boot-seq) die "AB_SET $kv: make ab sets ${kv%%=*} itself" ;; esac
done
mine_base=''
if [[ -n ${MINE:-} && -z ${KERNELS:-} ]]; then
	mine_base=$(scripts/kernel/resolve.sh --mine-base) || exit 2
	export BASE=$mine_base
	P_KERNELS="compound$([[ $mine_base == 6.1 ]] || echo "@$mine_base") mine"
fi
[[ $P_BOOTS =~ ^[0-9]+$ ]] && ((P_BOOTS >= 1 && P_BOOTS <= 50)) ||
	die "BOOTS '$P_BOOTS': a whole number from 1 to 50"
exclude=${AB_EXCLUDE:-auto}
# Off by default: under TCG the calibration loop moved up to 9x inside single
# boots of a quiet host (results/ladder/README.md), so it cannot tell drift.
drift=${AB_DRIFT:-0}
[[ $drift =~ ^[0-9]+(\.[0-9]+)?%?$ ]] || die "AB_DRIFT '$drift': a percentage (e.g. 15), 0 to keep every boot"
case $exclude in auto | busy | none) ;; *) die "AB_EXCLUDE '$exclude': use auto, busy or none" ;; esac
if [[ -n $report_set ]]; then
	[[ -d $report_set/r1 ]] || die "--report-only '$report_set': no r1/ in it (a make ab folder: SET/rR/KERNEL/)"
	report_to=${report_to:-$report_set/report}
	[[ -z $(git -C "$ROOT" ls-files -- "$(realpath -m "$report_to")" 2>/dev/null | head -n1) ]] ||
		die "--to '$report_to' holds committed data, which is never written; give --to another folder"
	if [[ -n $report_names ]]; then
		read -r -a names <<<"$report_names"
	else
		mapfile -t names < <(for k in "$report_set"/r1/*/kernel.txt; do
			printf '%s\t%s\n' "$(sed -n 's/^boot_seq: //p' "$k")" "$(basename "$(dirname "$k")")"
		done | sort -n | cut -f2)
	fi
	((${#names[@]} >= 2)) || die "--report-only '$report_set': fewer than two kernels (give --names)"
	for n in "${names[@]}"; do [[ -d $report_set/r1/$n ]] || die "--names: no $report_set/r1/$n"; done
	P_BOOTS=$(find "$report_set" -maxdepth 1 -type d -name 'r[0-9]*' | wc -l)
	compgen -G "$report_set/r1/${names[0]}/[0-9]*-*.csv*" >/dev/null ||
		die "--report-only '$report_set': $report_set/r1/${names[0]} holds no result rows (DATE-METHOD-REGION.csv[.gz]); a set that kept only summaries cannot be compared again"
	pb=${PINBENCH:-bench/pinbench}
	[[ -x $pb ]] || make -s all
	compare_boots "$report_set" "$report_to"
	plots=${AB_PLOTS:-}
	[[ -z $plots ]] || scripts/plot.sh --data "$report_to/plot" --out "$plots" >/dev/null
	echo "ab: report of $report_set (${names[*]}, $P_BOOTS rounds): $report_to/report.md"
	exit 0
fi
# This machine's own folder: committed sets (results/ab, results/ab-headline,
# ...) are reference data, never resumed into nor written.
hostid=$( (cat /etc/machine-id 2>/dev/null || hostname) | sha256sum | cut -c1-6)
out=${AB_OUT:-results/ab-$profile-$hostid}
plots=${AB_PLOTS-plots/ab-$profile-$hostid}
[[ -z $(git -C "$ROOT" ls-files -- "$(realpath -m "$out")" 2>/dev/null | head -n1) ]] ||
	die "AB_OUT '$out' holds committed reference data, which is never written; choose another folder (default results/ab-PROFILE-HOST)"
runner=${AB_RUN:-scripts/qemu/run.sh}
export PB_GUEST_DIR=${PB_GUEST_DIR:-$ROOT/build/guest-ab}

read -r -a specs <<<"$P_KERNELS"
((${#specs[@]} >= 2)) || die "KERNELS '$P_KERNELS': give at least two (the first is the baseline)"
# Every spec checked before anything is built or booted (one line on bad input).
specs_checked=$(scripts/kernel/resolve.sh --check "${specs[@]}") || exit 2
mapfile -t names < <(cut -f1 <<<"$specs_checked")
nk=${#names[@]}
total=$((nk * P_BOOTS))

if ((!dry)) && [[ $runner == scripts/qemu/run.sh ]]; then
	scripts/deps.sh --guest
	# The guest's own folder; the Debian kernel already fetched is shared.
	mkdir -p "$PB_GUEST_DIR"
	[[ -e $PB_GUEST_DIR/kernel || ! -d $ROOT/build/guest/kernel ]] ||
		ln -s "$ROOT/build/guest/kernel" "$PB_GUEST_DIR/kernel"
fi
pb=${PINBENCH:-bench/pinbench}
((dry)) && [[ -x $pb ]] || make -s all

# The job as pinbench sweep reads it (the job file and every --set checked
# here, before anything is booted).
setargs=()
for kv in "${P_SETS[@]+"${P_SETS[@]}"}"; do setargs+=(--set "$kv"); done
jobplan=$("$pb" sweep --plan "${setargs[@]+"${setargs[@]}"}" "$P_JOB") || exit 2
job_key() { awk -F'\t' -v k="$1" '$1 == "job" && $3 == k { print $4; exit }' <<<"$jobplan"; }

# The plan: the settings every boot in a folder shares. Kernels and boots are
# not in it: a run may add kernels or boots to a folder and reuses the boots
# already there; each boot records its kernel (kernel.txt: the build's input
# hash), and a boot of a kernel that changed since (your patch) is measured again.
plan=$(
	printf 'profile: %s\n' "$profile"
	awk -F'\t' '$1 == "job" && $3 ~ /^(sizes|sizes-1g|reps|methods|regions)$/ { k = $3; sub(/-1g$/, "_1g", k); print k ": " $4 }' <<<"$jobplan"
	printf 'namespaces: %s\nnvdimm: %s\nmem: %s\n' "$P_NS" "$P_NVDIMM" "${P_MEM:-auto}"
	awk -F'\t' '$1 == "job" && $3 !~ /^(label|outdir|sizes|sizes-1g|reps|methods|regions)$/ { print "set: " $3 "=" $4 }' <<<"$jobplan"
)
if ((dry)); then
	printf '%s\n' "$plan"
	awk -F'\t' '{ printf "kernel %s: %s %s\n", $1, $2, $3 }' <<<"$specs_checked"
	printf 'boots: %s per kernel\n' "$P_BOOTS"
	printf 'order:'
	for ((r = 1; r <= P_BOOTS; r++)); do for n in "${names[@]}"; do printf ' %s' "$n"; done; done
	printf '\nresults: %s\n' "$out"
	exit 0
fi
if [[ -f $out/plan.txt ]] && [[ $(cat "$out/plan.txt") != "$plan" ]]; then
	die "$out holds boots measured with other settings (see $out/plan.txt); delete it to start anew, or set AB_OUT=another/folder"
fi
mkdir -p "$out"
printf '%s\n' "$plan" >"$out/plan.txt"

t0=$SECONDS

say "1/3 kernels: ${names[*]} (profile $profile, $P_BOOTS boots each)"
declare -A kernel_of=() modules_of=()
while IFS=$'\t' read -r n path mods; do
	kernel_of[$n]=$path modules_of[$n]=${mods:-}
done < <(scripts/kernel/resolve.sh "${specs[@]}")
# A kernel's identity: build.sh's hash of its inputs (package, config,
# patches: the same in every clone), else the bzImage's own hash.
kbuild=$(realpath -m "${PINBENCH_KBUILD:-$ROOT/build/kernel}")
kernel_id() {
	local real
	real=$(realpath "$1")
	if [[ $real == "$kbuild"/out/*/bzImage ]]; then
		real=${real%/bzImage}
		printf 'inputs:%s\n' "${real##*/}"
	else
		printf 'sha256:%s\n' "$(sha256sum <"$real" | cut -c1-16)"
	fi
}
declare -A kernel_sha=()
for n in "${names[@]}"; do
	[[ -e ${kernel_of[$n]:-} ]] || { echo "ab: no kernel for $n (${kernel_of[$n]:-not built})" >&2; exit 1; }
	kernel_sha[$n]=$(kernel_id "${kernel_of[$n]}")
done
# boot_seq: each boot's place in the order this folder's boots ran in.
seq=$({ cat "$out"/r*/*/kernel.txt 2>/dev/null || true; } | sed -n 's/^boot_seq: //p' | sort -n | tail -n1)
seq=${seq:-0}
# KIND:ARG of a kernel, paths relative to the checkout.
spec_of() {
	awk -F'\t' -v n="$1" -v root="$ROOT/" '$1 == n {
		a = $3; if (index(a, root) == 1) a = substr(a, length(root) + 1); print $2 ":" a }' <<<"$specs_checked"
}

sampler=''
stop_sampler() {
	[[ -n $sampler ]] || return 0
	touch "$stopfile"
	wait "$sampler" 2>/dev/null || true
	sampler=''
}
trap 'stop_sampler; echo "ab: interrupted; run make ab again (same settings) to resume" >&2; exit 130' INT TERM

say "2/3 $total boots, round-robin: profile $profile ($P_JOB${P_SETS[*]:+ with ${P_SETS[*]}}: sizes $(job_key sizes), 1G device $(job_key sizes-1g), $(job_key reps) reps, methods $(job_key methods))"
incomplete=()
i=0 done_here=0 t_boots=0
for ((r = 1; r <= P_BOOTS; r++)); do
	for n in "${names[@]}"; do
		i=$((i + 1))
		dir=$out/r$r/$n
		if [[ -d $dir && $(sed -n 's/^kernel_id: //p' "$dir/kernel.txt" 2>/dev/null) != "${kernel_sha[$n]}" ]] &&
			compgen -G "$dir/*.csv*" >/dev/null; then
			# Measured on another build of this kernel (the patch changed).
			if git ls-files --error-unmatch "$dir" >/dev/null 2>&1; then
				die "$dir is committed data measured on another build of $n; set AB_OUT=another/folder"
			fi
			echo "ab: boot $i ($n, round $r): the kernel changed since it was measured; measuring it again"
			rm -rf "$dir"
		elif [[ -f $dir/.complete ]]; then
			echo "ab: boot $i/$total ($n, round $r): already measured ($dir)"
			continue
		fi
		left=''
		if ((done_here)); then
			left=", about $(((total - i + 1) * t_boots / done_here / 60)) min left"
		fi
		seq=$((seq + 1))
		say "boot $i/$total: $n, round $r of $P_BOOTS, boot_seq $seq (elapsed $(((SECONDS - t0) / 60)) min$left)"
		mkdir -p "$dir"
		printf 'name: %s\nspec: %s\nkernel_id: %s\nboot_seq: %s\n' "$n" "$(spec_of "$n")" \
			"${kernel_sha[$n]}" "$seq" >"$dir/kernel.txt"
		stopfile=$PB_GUEST_DIR/hostload.stop
		mkdir -p "$PB_GUEST_DIR"
		rm -f "$stopfile"
		scripts/ab/hostload.sh "$dir/host.txt" "$PB_GUEST_DIR/qemu.pid" "$stopfile" &
		sampler=$!
		tb=$SECONDS
		rc=0
		# What each setting came to, skips and refusals included, the guest's
		# pinbench sweep writes to $dir/sweep-outcomes.txt itself.
		KERNEL=${kernel_of[$n]} MODULES=${modules_of[$n]} "$runner" --label "$n" --results "$out/r$r" \
			--job "$P_JOB" "${setargs[@]+"${setargs[@]}"}" --set "boot-seq=$seq" --nvdimm-size "$P_NVDIMM" \
			--namespaces "$P_NS" ${P_MEM:+--mem "$P_MEM"} --timeout "$P_TIMEOUT" || rc=$?
		stop_sampler
		t_boots=$((t_boots + SECONDS - tb))
		done_here=$((done_here + 1))
		sed -n 's/^summary: /ab: host during the boot: /p; s/^busy: yes, /ab: BUSY HOST: /p' "$dir/host.txt" || true
		# The guest's calibrate.txt (pinbench calibrate at its start and end; compare reads it).
		sed -n 's/^\(start\|end\) .*calibrate: ns=\([0-9]*\) .*/\1 \2/p' "$dir/calibrate.txt" 2>/dev/null |
			awk '{ printf "%s%s %.3f s", (NR > 1 ? ", " : "ab: calibration loop: "), $1, $2 / 1e9 } END { if (NR) print "" }' || true
		if ((rc == 130)); then
			echo "ab: interrupted; run make ab again (same settings) to resume" >&2
			exit 130
		elif ((rc == 0 || rc == 3)); then
			touch "$dir/.complete"
		else
			echo "ab: boot $i ($n, round $r, boot_seq $seq) ended with exit $rc; its results so far are in $dir (make ab again resumes it)" >&2
			incomplete+=("$n#$r")
		fi
	done
done
trap - INT TERM
# The NVDIMM backing file is sparse but grows with what the guest touched.
rm -f "$PB_GUEST_DIR/nvdimm.img"

say "3/3 comparison over boots"
compare_boots "$out" "$out/report"
if [[ -n $mine_base ]]; then
	printf '\nBase: Linux %s (BASE=%s): the baseline %s is Debian'"'"'s linux-source-%s as shipped; mine (%s) is compared with it.\n' \
		"$mine_base" "$mine_base" "${names[0]}" "$mine_base" "$MINE" >>"$out/report/report.md"
fi
# The report's compare also wrote the graphs' data, in report/plot.
[[ -z $plots ]] || scripts/plot.sh --data "$out/report/plot" --out "$plots" >/dev/null
say "done in $(((SECONDS - t0) / 60)) min $(((SECONDS - t0) % 60)) s: report $out/report/report.md${plots:+, graphs $plots/}"
if ((${#incomplete[@]})); then
	echo "ab: incomplete boots (see their sweep-outcomes.txt): ${incomplete[*]}; make ab again resumes them" >&2
	exit 1
fi
