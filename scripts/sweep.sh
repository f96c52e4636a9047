#!/bin/bash
# Sweep sizes x regions x methods with bench/pinbench under one label.
# Runs natively, or inside the QEMU guest (called by its /init).
# Resumable: a (method, region) whose complete result file already exists in
# the label's folder is skipped. Ctrl-C stops after keeping what was measured.
set -euo pipefail

PROG=${0##*/}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib/args.sh
. "$(dirname "$0")/lib/args.sh"

usage() {
	cat <<EOF
usage: $PROG [options] [-- extra pinbench run options]

  --label L         result set name (default: uname -r)
  --outdir DIR      results folder (default: $ROOT/results); files go to DIR/L/
  --sizes LIST      sizes for regions aligned below 1G (default: ${SIZES_DEFAULT})
  --sizes-1g LIST   sizes for 1G-aligned regions (default: ${SIZES_1G_DEFAULT})
                    LIST: 2M,64M,1G or a power-of-two range 4K..1G; sizes that
                    are not a multiple of a region's align or do not fit in a
                    dax device are dropped for that region
  --reps N          measured repetitions per size (default: 5)
  --warmup N        unmeasured repetitions first (default: pinbench's)
  --methods LIST    default: odirect,iouring,rdma,vfio
  --regions LIST    pinbench regions (devdax:/dev/dax0.0,hugetlb:2M,...); the word
                    devdax means every /dev/dax* here, dram means hugetlb:2M,thp,anon
                    (default: devdax,dram)
  --target PATH     odirect target (default: /dev/nullb0 when present)
  --pinbench PATH   the program (default: \$PINBENCH or $ROOT/bench/pinbench)
  --dry-run         print the plan and exit
  -h, --help        this text

Exit: 0 all settings measured or skipped, 1 something failed, 2 bad input,
130 interrupted. A skipped setting is one pinbench could not run here (exit 77);
"unsupported" one the kernel refuses to pin that way (pinbench's exit 78:
io_uring on device-dax before 6.2, long-term pins of fsdax).
A size the method refused beforehand (pinbench says "...; size skipped", e.g.
soft-RoCE above what one memory region can hold) is a skip too, reason and all,
in the setting's line and the summary; its other sizes are measured.
EOF
}

SIZES_DEFAULT=2M..256M
SIZES_1G_DEFAULT=1G,2G

die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 2; }

# "2M" -> 2097152
to_bytes() {
	local s=$1 n u
	[[ $s =~ ^([0-9]+)([KMGTkmgt]?)[Bb]?$ ]] || return 1
	n=${BASH_REMATCH[1]} u=${BASH_REMATCH[2]^^}
	case $u in
	K) n=$((n << 10)) ;; M) n=$((n << 20)) ;; G) n=$((n << 30)) ;; T) n=$((n << 40)) ;;
	esac
	printf '%s\n' "$n"
}

# 2097152 -> "2M"
human() {
	local n=$1 u
	for u in T G M K; do
		local sh
		case $u in T) sh=40 ;; G) sh=30 ;; M) sh=20 ;; K) sh=10 ;; esac
		if ((n >= (1 << sh) && n % (1 << sh) == 0)); then
			printf '%s%s\n' "$((n >> sh))" "$u"
			return
		fi
	done
	printf '%s\n' "$n"
}

# LIST -> sizes in bytes, one a line.
expand_sizes() {
	local item a b
	local -a items
	IFS=, read -r -a items <<<"$1"
	for item in "${items[@]}"; do
		if [[ $item == *..* ]]; then
			a=$(to_bytes "${item%%..*}") || die "bad size in '$item'"
			b=$(to_bytes "${item##*..}") || die "bad size in '$item'"
			((a > 0 && (a & (a - 1)) == 0)) || die "range start $item: not a power of two"
			while ((a <= b)); do
				printf '%s\n' "$a"
				a=$((a * 2))
			done
		else
			to_bytes "$item" || die "bad size '$item'"
		fi
	done
}

# A sysfs attribute of devdax:/dev/daxX.Y, or a default.
dax_attr() { # spec attr default
	local dev=${1#devdax:}
	cat "/sys/bus/dax/devices/${dev##*/}/$2" 2>/dev/null || echo "$3"
}

# Page size a region is made of, and how much it holds (0: unknown).
region_align() {
	local spec=$1
	case $spec in
	devdax:*) dax_attr "$spec" align 4096 ;;
	hugetlb:1G | hugetlb:1g) echo $((1 << 30)) ;;
	hugetlb:* | thp) echo $((2 << 20)) ;;
	*) echo 4096 ;;
	esac
}
region_capacity() {
	local spec=$1
	case $spec in
	devdax:*) dax_attr "$spec" size 0 ;;
	fsdax:* | file:*) stat -c %s "${spec#*:}" 2>/dev/null || echo 0 ;;
	*) echo 0 ;;
	esac
}

# devdax:/dev/dax0.1 -> devdax-dax0.1 ; hugetlb:2M -> hugetlb-2M
region_slug() {
	local spec=$1 kind arg
	kind=${spec%%:*}
	if [[ $spec == *:* ]]; then
		arg=${spec#*:}
		arg=${arg##*/}
		printf '%s-%s\n' "$kind" "${arg//[^A-Za-z0-9._]/_}"
	else
		printf '%s\n' "$kind"
	fi
}

main() {
	local label='' outdir=$ROOT/results sizes=$SIZES_DEFAULT sizes1g=$SIZES_1G_DEFAULT
	local reps=5 warmup='' methods=odirect,iouring,rdma,vfio regions='' target=''
	local pb=${PINBENCH:-$ROOT/bench/pinbench} dry=0
	local -a extra=()
	while (($#)); do
		case $1 in
		--label) label=${2:?}; shift 2 ;;
		--outdir) outdir=${2:?}; shift 2 ;;
		--sizes) sizes=${2:?}; shift 2 ;;
		--sizes-1g) sizes1g=${2:?}; shift 2 ;;
		--reps) reps=${2:?}; shift 2 ;;
		--warmup) warmup=${2:?}; shift 2 ;;
		--methods) methods=${2:?}; shift 2 ;;
		--regions) regions=${2:?}; shift 2 ;;
		--target) target=${2:?}; shift 2 ;;
		--pinbench) pb=${2:?}; shift 2 ;;
		--dry-run) dry=1; shift ;;
		-h | --help) usage; exit 0 ;;
		--) shift; extra=("$@"); break ;;
		*) die "unknown option '$1' (try --help)" ;;
		esac
	done
	[[ $reps =~ ^[0-9]+$ ]] || die "--reps wants a number"
	check_list --sizes "$sizes"
	check_list --sizes-1g "$sizes1g"
	check_list --methods "$methods"
	check_list --regions "$regions"
	[[ -x $pb ]] || die "no pinbench at $pb (run make, or pass --pinbench)"
	[[ -n $label ]] || label=$(uname -r)
	[[ $label != */* && $label != .* ]] || die "bad label '$label'"

	local -a regs meths
	local -a given
	IFS=, read -r -a given <<<"${regions:-devdax,dram}"
	regs=()
	local g d
	for g in "${given[@]}"; do
		case $g in
		devdax) # every dax device here
			for d in /dev/dax*; do
				[[ -c $d ]] && regs+=("devdax:$d")
			done
			;;
		dram) regs+=(hugetlb:2M thp anon) ;;
		*) regs+=("$g") ;;
		esac
	done
	IFS=, read -r -a meths <<<"$methods"
	# Methods this pinbench build knows (from `pinbench list`); others are skipped.
	local known
	known=$("$pb" list 2>/dev/null | awk '/^Methods/ { m = 1; next } m && /^  [a-z]/ { printf " %s ", $1 }' || true)
	((${#regs[@]} && ${#meths[@]})) || die "nothing to do"
	local -a all_sizes all_sizes1g
	mapfile -t all_sizes < <(expand_sizes "$sizes")
	mapfile -t all_sizes1g < <(expand_sizes "$sizes1g")

	local dir=$outdir/$label logs=$outdir/$label/.sweep-logs
	((dry)) || mkdir -p "$logs"
	local total=$((${#regs[@]} * ${#meths[@]})) i=0
	local measured=0 skipped=0 failed=0 present=0 leaks=0 size_skips=0
	local -a files=() failures=() skips=()
	local has_summary=0
	"$pb" summary --help >/dev/null 2>&1 && has_summary=1

	printf 'sweep: label %s, %d settings (%d regions x %d methods), reps %s, results in %s\n' \
		"$label" "$total" "${#regs[@]}" "${#meths[@]}" "$reps" "$dir"

	local reg meth
	for reg in "${regs[@]}"; do
		local align cap slug s
		align=$(region_align "$reg")
		cap=$(region_capacity "$reg")
		slug=$(region_slug "$reg")
		local -a src use=()
		if ((align >= (1 << 30))); then src=("${all_sizes1g[@]}"); else src=("${all_sizes[@]}"); fi
		for s in "${src[@]}"; do
			((s % align == 0)) || continue
			((cap == 0 || s <= cap)) || continue
			use+=("$(human "$s")")
		done
		local sizelist
		sizelist=$(IFS=,; printf '%s' "${use[*]}")
		for meth in "${meths[@]}"; do
			i=$((i + 1))
			local tag="[$i/$total] $meth on $reg"
			if ((${#use[@]} == 0)); then
				printf '%s: skipped, no size fits (align %s, capacity %s)\n' \
					"$tag" "$(human "$align")" "$(human "$cap")"
				skipped=$((skipped + 1)); skips+=("$tag: no size fits")
				continue
			fi
			if [[ -n $known && $known != *" $meth "* ]]; then
				printf '%s: skipped: this pinbench has no method %s\n' "$tag" "$meth"
				skipped=$((skipped + 1)); skips+=("$tag: no method $meth in this pinbench")
				continue
			fi
			local old
			old=$(find "$dir" -maxdepth 1 -name "*-$meth-$slug.csv" 2>/dev/null | sort | tail -n1 || true)
			if [[ -n $old ]]; then
				printf '%s: already measured (%s), skipped\n' "$tag" "${old##*/}"
				present=$((present + 1)); files+=("$old")
				continue
			fi
			local out
			out=$dir/$(date +%Y%m%d-%H%M%S)-$meth-$slug.csv
			local -a cmd=("$pb" run --region "$reg" --method "$meth" --sizes "$sizelist"
				--reps "$reps" --label "$label" --out "$out" --quiet)
			[[ -n $warmup ]] && cmd+=(--warmup "$warmup")
			if [[ $meth == odirect ]]; then
				if [[ -n $target ]]; then cmd+=(--target "$target")
				elif [[ -b /dev/nullb0 ]]; then cmd+=(--target /dev/nullb0); fi
			fi
			cmd+=("${extra[@]+"${extra[@]}"}")
			printf '%s (sizes %s, reps %s) ...\n' "$tag" "$sizelist" "$reps"
			if ((dry)); then
				printf '  would run: %s\n' "${cmd[*]}"
				continue
			fi
			local log=$logs/${out##*/}.log rc=0 t0 t1
			t0=$(date +%s)
			"${cmd[@]}" >"$log" 2>&1 || rc=$?
			t1=$(date +%s)
			local why
			# The reason: pinbench's own message, else the last line it printed.
			why=$(grep '^pinbench: ' "$log" | grep -v '^pinbench: results:' | tail -n1 || true)
			[[ -n $why ]] || why=$(grep -v '^[[:space:]]*$' "$log" | tail -n1 || true)
			why=${why#pinbench: }
			# Sizes the method refused beforehand, each with its reason (a skip, not a failure).
			local -a refused=()
			mapfile -t refused < <(sed -n 's/^pinbench: \(.*size skipped\)$/\1/p' "$log")
			((rc != 77 || ${#refused[@]} == 0)) || why=${refused[-1]}
			case $rc in
			0 | 3)
				local r
				for r in "${refused[@]+"${refused[@]}"}"; do
					printf '%s: skipped a size: %s\n' "$tag" "$r"
					size_skips=$((size_skips + 1)); skips+=("$tag: $r")
				done
				measured=$((measured + 1)); files+=("$out")
				if ((rc == 3)); then
					leaks=$((leaks + 1))
					printf '%s: measured in %ss, PIN LEAK reported: %s\n' "$tag" "$((t1 - t0))" "$why"
				else
					printf '%s: measured in %ss -> %s\n' "$tag" "$((t1 - t0))" "${out#"$outdir"/}"
				fi
				;;
			77)
				skipped=$((skipped + 1)); skips+=("$tag: ${why:-not available here}")
				printf '%s: skipped: %s\n' "$tag" "${why:-not available here}"
				;;
			78)
				skipped=$((skipped + 1)); skips+=("$tag: unsupported by this kernel: $why")
				printf '%s: unsupported: %s\n' "$tag" "$why"
				;;
			130 | 143)
				printf '%s: interrupted; partial results kept\n' "$tag"
				failed=$((failed + 1))
				summary_end
				exit 130
				;;
			*)
				failed=$((failed + 1)); failures+=("$tag: rc $rc: $why")
				printf '%s: FAILED (exit %s) after %ss: %s\n' "$tag" "$rc" "$((t1 - t0))" "$why"
				sed 's/^/    | /' "$log" | tail -n 8
				;;
			esac
		done
	done
	((dry)) && exit 0
	summary_end
	((failed == 0)) || exit 1
	exit 0
}

# Uses main's locals (dynamic scope).
summary_end() {
	local f
	printf 'sweep: done: %d measured, %d already there, %d skipped, %d failed' \
		"$measured" "$present" "$skipped" "$failed"
	((leaks)) && printf ', %d with pin leaks' "$leaks"
	((size_skips)) && printf ', %d size(s) skipped in measured settings' "$size_skips"
	printf '\n'
	for f in "${skips[@]+"${skips[@]}"}"; do printf '  skipped %s\n' "$f"; done
	for f in "${failures[@]+"${failures[@]}"}"; do printf '  failed  %s\n' "$f"; done
	printf 'sweep: results in %s\n' "$dir"
	if ((has_summary && ${#files[@]})); then
		"$pb" summary "${files[@]}" || true
	fi
}

main "$@"
