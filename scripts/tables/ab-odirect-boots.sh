#!/bin/bash
# The odirect tail of a make ab PROFILE=odirect set, busy boots against quiet
# ones: from DIR/tail.txt (scripts/tables/odirect-tail.py's lines, one per
# boot and setting) and each boot's host.txt (its "busy:" verdict, other
# guests, others' CPU use) and kernel.txt (its boot_seq).
#   scripts/tables/ab-odirect-boots.sh DIR      (e.g. results/ab-odirect)
# One row for the busy boots, one for the quiet ones: their boot_seqs, the
# range of other guests and of others' CPU use, the range of the share of
# I/Os over 1 ms in a rep (every rep of every setting), and the range and
# median of the settings' per-I/O p90.
set -euo pipefail

usage() { echo "usage: scripts/tables/ab-odirect-boots.sh DIR (a make ab PROFILE=odirect set with tail.txt)" >&2; exit 2; }
if (($# != 1)) || [[ ! -f $1/tail.txt ]]; then usage; fi
dir=$1
# Each boot: "KERNEL SEQ busy|quiet OTHER_GUESTS OTHERS_CPUS".
boots=$(for d in "$dir"/r[0-9]*/*/; do
	[[ -f $d/host.txt && -f $d/kernel.txt ]] || continue
	awk -v k="$(basename "$d")" '
		FILENAME ~ /kernel.txt$/ && /^boot_seq: / { seq = $2 }
		FILENAME ~ /host.txt$/ && /^busy: / { busy = $2 == "yes," || $2 == "yes" ? "busy" : "quiet" }
		FILENAME ~ /host.txt$/ && /^other_guests: / { g = $2 }
		FILENAME ~ /host.txt$/ && /^others_cpus: / { c = $2 }
		END { print k, seq, busy, g + 0, c }' "$d/kernel.txt" "$d/host.txt"
done)
[[ -n $boots ]] || { echo "ab-odirect-boots: no boots with host.txt and kernel.txt in $dir" >&2; exit 2; }
awk -v boots="$boots" '
	function span(lo, hi, f) { return sprintf(f, lo) (sprintf(f, lo) == sprintf(f, hi) ? "" : "-" sprintf(f, hi)) }
	function upd(g, name, v) {
		if (!((g, name) in lo) || v < lo[g, name]) lo[g, name] = v
		if (!((g, name) in hi) || v > hi[g, name]) hi[g, name] = v
	}
	BEGIN {
		nb = split(boots, B, "\n")
		for (i = 1; i <= nb; i++) {
			split(B[i], f, " ")
			grp[f[1], f[2]] = f[3]; n[f[3]]++
			seqs[f[3]] = seqs[f[3]] (n[f[3]] > 1 ? ", " : "") f[2]
			upd(f[3], "guests", f[4]); upd(f[3], "cpus", f[5])
		}
	}
	# devdax-dax0.0      1G compound       seq  1 p50    264us p90   2789us slow%/rep [14, 14, 13, 15, 16] sum/rep ms [...] others_cpus 1.39
	{
		g = grp[$3, $5]
		if (g == "") { print "ab-odirect-boots: no host.txt for " $3 " boot_seq " $5 > "/dev/stderr"; exit 2 }
		p90 = $9; sub(/us$/, "", p90); upd(g, "p90", p90 + 0); P[g, ++np[g]] = p90 + 0
		s = $0; sub(/.*slow%\/rep \[/, "", s); sub(/\].*/, "", s)
		ns = split(s, S, ", "); for (j = 1; j <= ns; j++) upd(g, "slow", S[j] + 0)
	}
	function median(g,   k, m, t, i, j) {
		m = np[g]; for (i = 1; i <= m; i++) t[i] = P[g, i]
		for (i = 2; i <= m; i++) for (j = i; j > 1 && t[j - 1] > t[j]; j--) { k = t[j]; t[j] = t[j - 1]; t[j - 1] = k }
		return m % 2 ? t[(m + 1) / 2] : (t[m / 2] + t[m / 2 + 1]) / 2
	}
	END {
		print "| boots | boot_seq | other guests | others'\'' CPU use (host.txt) | I/Os over 1 ms, per rep | per-I/O p90 per setting, µs: range (median) |"
		print "|---|---|---:|---:|---:|---:|"
		for (gi = 1; gi <= 2; gi++) {
			g = gi == 1 ? "busy" : "quiet"
			if (!n[g]) continue
			printf "| %d %s | %s | %s | %s CPUs | %s%% | %s (%.0f) |\n", n[g], g, seqs[g], span(lo[g, "guests"], hi[g, "guests"], "%d"),
				span(lo[g, "cpus"], hi[g, "cpus"], "%.2f"), span(lo[g, "slow"], hi[g, "slow"], "%d"),
				span(lo[g, "p90"], hi[g, "p90"], "%d"), median(g)
		}
	}' "$dir/tail.txt"
