#!/bin/bash
# The graphs of scripts/many.sh, from its summary (pinbench summary of every
# boot's rows), each boot's context read from its raw folder name:
#   scripts/plot/many.sh RAW_DIR PLOT_DIR
# scaling-METHOD.png/svg: aggregate GiB/s of pin-total (size / p50) against
# threads at the largest size, one line per region/align and context, its
# ideal (threads x the one-thread figure) dashed, the oversubscribed points
# (more threads than CPUs, from the files' thread_cpus metadata) past a line.
# chunk-METHOD.png/svg: per-call p50 (solid) and p99 (dashed) of the single
# pin calls against chunk size.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
pinbench=${PINBENCH:-$root/bench/pinbench}
die() { echo "plot/many.sh: $*" >&2; exit 2; }

(($# == 2)) || die "usage: scripts/plot/many.sh RAW_DIR PLOT_DIR"
raw=$1 out=$2
[[ -d $raw ]] || die "no folder $raw"
command -v gnuplot >/dev/null || die "gnuplot is not installed: apt-get install gnuplot-nox"
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One summary line per setting, with the boot's context and whether its threads
# outnumbered the CPUs: ctx,oversub,<summary columns>.
for d in "$raw"/*/; do
	name=$(basename "$d")
	mapfile -t fs < <(find "$d" -name '*.csv' -o -name '*.csv.gz' | sort)
	((${#fs[@]})) || continue
	ctx=shared
	[[ $name == *p ]] && ctx=per-thread
	over=0
	zgrep -qh '^# thread_cpus: .*oversubscribed' "${fs[@]}" && over=1
	"$pinbench" summary "${fs[@]}" | tail -n +2 | sed "s/^/$ctx,$over,/"
done >"$tmp/all.csv"
[[ -s $tmp/all.csv ]] || die "no result rows under $raw"

# Columns after the two added: 1 label ... 8 size, 9 op, 13 p50, 15 p99, 24 chunk, 25 threads.
series() { # method: scaling data, one block per series; a per-thread series starts from the shared one-thread point
	awk -F, -v m="$1" '
		# One thread and one call: its pin row is the whole rep.
		$5 == m && $26 == 0 && ($11 == "pin-total" || ($11 == "pin" && $27 == 1)) {
			al = $8 >= 1073741824 ? ($8 / 1073741824) "G" : $8 >= 1048576 ? ($8 / 1048576) "M" : ($8 / 1024) "K"
			r = $6 "-" al
			k = r "/" $1
			if ($10 > big[r]) big[r] = $10
			v[k, $10, $27] = $10 / $15 * 1e9 / 1073741824
			o[k, $10, $27] = $2
			keys[k] = r
		}
		END {
			for (k in keys) {
				r = keys[k]; s = r "/shared"; b = big[r]
				one = v[s, b, 1]
				if (k != s && one > 0) { v[k, b, 1] = one; o[k, b, 1] = 0 }
				printf "# %s\n", k
				for (n = 1; n <= 64; n++)
					if ((k, b, n) in v)
						printf "%d %.4f %.4f %d\n", n, v[k, b, n], one * n, o[k, b, n]
				printf "\n\n"
			}
		}' "$tmp/all.csv"
}
chunks() { # method: chunk data, one block per region
	awk -F, -v m="$1" '
		$5 == m && $11 == "pin" && $26 > 0 && $27 == 1 {
			al = $8 >= 1073741824 ? ($8 / 1073741824) "G" : $8 >= 1048576 ? ($8 / 1048576) "M" : ($8 / 1024) "K"
			k = $6 "-" al
			keys[k] = 1
			p50[k, $26] = $15; p99[k, $26] = $17; c[k, $26] = 1
		}
		END {
			for (k in keys) {
				printf "# %s\n", k
				for (e = 12; e <= 40; e++)
					if ((k, 2 ^ e) in c)
						printf "%d %.0f %.0f\n", 2 ^ e, p50[k, 2 ^ e], p99[k, 2 ^ e]
				printf "\n\n"
			}
		}' "$tmp/all.csv"
}

kernel=$(awk -F, 'NR == 1 { print $4 }' "$tmp/all.csv")
for m in $(awk -F, '{ print $5 }' "$tmp/all.csv" | sort -u); do
	series "$m" >"$tmp/scaling-$m.dat"
	if grep -q '^[0-9]' "$tmp/scaling-$m.dat"; then
		titles=$(sed -n 's/^# //p' "$tmp/scaling-$m.dat" | tr '\n' ' ')
		gnuplot -c "$here/scaling.gp" "$out/scaling-$m" "$m: aggregate pin rate against threads\\n$kernel, QEMU TCG" \
			"$tmp/scaling-$m.dat" "$titles" "$(nproc)"
		echo "$out/scaling-$m.png"
	fi
	chunks "$m" >"$tmp/chunk-$m.dat"
	if grep -q '^[0-9]' "$tmp/chunk-$m.dat"; then
		titles=$(sed -n 's/^# //p' "$tmp/chunk-$m.dat" | tr '\n' ' ')
		gnuplot -c "$here/chunk.gp" "$out/chunk-$m" "$m: time per call against chunk size (p50 solid, p99 dashed)\\n$kernel, QEMU TCG" \
			"$tmp/chunk-$m.dat" "$titles"
		echo "$out/chunk-$m.png"
	fi
done
cp "$tmp/all.csv" "$out/points.csv"
