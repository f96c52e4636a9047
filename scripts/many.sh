#!/bin/bash
# Many registrations, many threads: the scaling and chunk sweeps of
# `pinbench run --threads/--chunk` in the QEMU guest, then their summary and
# graphs. See --help.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PROG=many.sh

usage() {
	cat <<EOF
usage: scripts/many.sh [--parts LIST] [--out DIR] [--reps N] [--label L] [--dry-run]

Boots the QEMU guest once per setting of threads or chunk (scripts/qemu/run.sh;
its kernel: KERNEL=, GUEST_KERNEL=, as for make demo) and measures, with the
pin audit on every row:
  threads  rdma and vfio on 2M device-dax and hugetlb 2M, 256M and 1G, with
           --threads 1..CPUs and one oversubscribed point (CPUs+1), one shared
           context (PD, container); vfio also with --context per-thread (a
           container and a vfio-pci device per thread)
  chunks   rdma and vfio on 64M of 2M device-dax and of anon 4K memory, pinned
           in calls of 4K to 64M (--chunk; below 2M on anon only)
  permr    rdma and vfio: 1G of 2M device-dax pinned as 512 MRs (MAP_DMAs) of
           2M (--chunk 2M), one thread and two: the time per registration
Default parts: threads,chunks,permr. Results: DIR/raw/PART-SETTING/LABEL/*.csv.gz
(a boot each, compressed after the boot; pinbench reads them as they are), DIR/summary.csv (pinbench summary of all of them), graphs in
plots/SET for DIR results/SET, else DIR/plots: scaling-METHOD.png (aggregate GiB/s against threads, ideal linear
scaling from one thread drawn) and chunk-METHOD.png (per-call p50 and p99
against chunk size). A part whose raw folder holds results is not measured
again (delete it to redo); the summary and graphs are always redrawn.

  --out DIR    default results/many-HOST (a committed set is never written)
  --reps N     measured repetitions per size (default 5)
  --label L    the result sets' label (default: the guest kernel's release)
  --dry-run    print the boots, run nothing
EOF
}

die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 2; }
say() { printf '%s: %s\n' "$PROG" "$*" >&2; }

parts=threads,chunks,permr out='' reps=5 label='' dry=0
while (($#)); do
	case $1 in
	--parts) parts=${2:?}; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	--reps) reps=${2:?}; shift 2 ;;
	--label) label=${2:?}; shift 2 ;;
	--dry-run) dry=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown option '$1' (try --help)" ;;
	esac
done
[[ $reps =~ ^[1-9][0-9]*$ ]] || die "--reps '$reps': give a whole number from 1"
IFS=, read -r -a plist <<<"$parts"
((${#plist[@]})) || die "--parts: empty; give threads, chunks and/or permr"
for p in "${plist[@]}"; do
	[[ $p == threads || $p == chunks || $p == permr ]] || die "--parts: unknown part '$p'; use threads, chunks, permr"
done
[[ -n $out ]] || out=$ROOT/results/many-$(hostname -s | tr -c 'A-Za-z0-9\n' - | cut -c1-6)
if [[ -e $out && -n $(git -C "$ROOT" ls-files -- "$out" 2>/dev/null | head -n1) && $dry == 0 ]]; then
	die "--out $out holds committed results: give another folder (the committed set stays as measured)"
fi
cpus=$(nproc)
((cpus >= 2)) || cpus=2

# One boot: NAME, then run.sh options. Skipped when its folder has results.
boots=()
add() { boots+=("$*"); }
threads_list=$(seq -s ' ' 1 $((cpus + 1)))
for p in "${plist[@]}"; do
	case $p in
	threads)
		for t in $threads_list; do
			add "threads-t$t --methods rdma,vfio --regions devdax,hugetlb:2M --namespaces 2M:3G --sizes 256M,1G --set threads=$t --set thread-cpus=all"
		done
		for t in $threads_list; do
			((t > 1)) || continue
			add "threads-t${t}p --methods vfio --regions devdax,hugetlb:2M --namespaces 2M:3G --sizes 256M,1G --vfio-devs $t --set threads=$t --set thread-cpus=all --set context=per-thread"
		done
		;;
	chunks)
		for c in 4K 64K; do
			add "chunks-c$c --methods rdma,vfio --regions anon --namespaces 2M:1G --sizes 64M --set chunk=$c"
		done
		for c in 2M 16M 64M; do
			add "chunks-c$c --methods rdma,vfio --regions devdax,anon --namespaces 2M:1G --sizes 64M --set chunk=$c"
		done
		;;
	permr)
		for t in 1 2; do
			add "permr-t$t --methods rdma,vfio --regions devdax --namespaces 2M:3G --sizes 1G --set chunk=2M --set threads=$t --set thread-cpus=all"
		done
		;;
	esac
done

mkdir -p "$out/raw"
n=0
for b in "${boots[@]}"; do
	n=$((n + 1))
	read -r -a words <<<"$b"
	name=${words[0]}
	args=("${words[@]:1}" --reps "$reps" --results "$out/raw/$name")
	[[ -n $label ]] && args+=(--label "$label")
	if ((dry)); then
		echo "boot $n/${#boots[@]}: scripts/qemu/run.sh ${args[*]}"
		continue
	fi
	if compgen -G "$out/raw/$name/*/*.csv*" >/dev/null; then
		say "boot $n/${#boots[@]} $name: results there, not measured again"
		continue
	fi
	say "boot $n/${#boots[@]} $name"
	rm -rf "$out/raw/$name"
	mkdir -p "$out/raw/$name"
	# A setting the guest cannot measure is named in the boot's log and left out.
	if ! "$ROOT/scripts/qemu/run.sh" "${args[@]}" >"$out/raw/$name.log" 2>&1; then
		say "boot $n/${#boots[@]} $name: run.sh exited non-zero (see $out/raw/$name.log); its rows are kept"
	fi
	grep -E 'FAILED|PIN LEAK|skipped' "$out/raw/$name.log" | sed 's/^/    /' >&2 || true
	# A row per call adds up (4K chunks: 30 MB a boot); pinbench reads .csv.gz as it is.
	find "$out/raw/$name" -name '*.csv' -exec gzip -9 {} +
done
((dry)) && exit 0

mapfile -t files < <(find "$out/raw" -name '*.csv' -o -name '*.csv.gz' | sort)
((${#files[@]})) || die "no result files under $out/raw"
"$ROOT/bench/pinbench" summary --out "$out/summary.csv" "${files[@]}" >/dev/null
say "summary: $out/summary.csv (${#files[@]} result files)"
# Graphs of a set under results/ go to the same path under plots/.
plots=$out/plots
case $(realpath -m "$out") in "$ROOT"/results/*) plots=$ROOT/plots/${out#"$ROOT"/results/} ;; esac
case $out in results/*) plots=$ROOT/plots/${out#results/} ;; esac
"$ROOT/scripts/plot/many.sh" "$out/raw" "$plots"
