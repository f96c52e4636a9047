#!/bin/bash
# Where the traced time of each op goes, from the "# coverage:" lines of
# pinbench breakdown files (pinbench --breakdown), at one size:
#   scripts/tables/coverage.sh [--aligns LIST] SIZE DIR[,DIR...]...
# SIZE as the lines write it (2M, 256M, 1G); --aligns keeps those region
# aligns only (comma-separated: 4K,2M,1G). Each argument is a group of
# result folders (one per kernel) whose figures are pooled into ranges
# (lowest-highest over its kernels). One row per group, method, op and
# align (each file's result file's "# region_align:"): the share of the
# traced wall that the named phases cover, and each phase's share (median
# over the traced reps, as the lines give them), largest first, leaving out
# phases under 1% everywhere in the group.
set -euo pipefail

usage() { echo "usage: scripts/tables/coverage.sh [--aligns LIST] SIZE DIR[,DIR...]...   (SIZE: 2M, 256M, 1G)" >&2; exit 2; }
aligns=''
if [[ ${1:-} == --aligns ]]; then
	[[ ${2:-} =~ ^[0-9]+[KMG](,[0-9]+[KMG])*$ ]] || usage
	aligns=,$2,
	shift 2
fi
if (($# < 2)) || [[ ! $1 =~ ^[0-9]+[KMG]$ ]]; then usage; fi
size=$1
shift
rows=()
for group in "$@"; do
	IFS=, read -r -a dirs <<<"$group"
	name=''
	for d in "${dirs[@]}"; do
		[[ -d $d ]] || usage
		name+=${name:+, }$(basename "$d")
	done
	for d in "${dirs[@]}"; do
		for b in "$d"/*.breakdown; do
			[[ -f $b ]] || continue
			res=$(sed -n 's/^# result_file: //p' "$b" | head -n1)
			align=$(zcat -f "$d/$res" "$d/$res.gz" 2>/dev/null | sed -n 's/^# region_align: //p' | head -n1 || true)
			[[ -z $aligns || $aligns == *",$align,"* ]] || continue
			while IFS= read -r l; do rows+=("$name|${align:-?}|$l"); done < <(grep "^# coverage: [a-z-]* $size " "$b" || true)
		done
	done
done
((${#rows[@]})) || { echo "tables/coverage.sh: no coverage lines at $size" >&2; exit 1; }

printf '%s\n' "${rows[@]}" | awk -F'|' '
	function rng(lo, hi, f) { return sprintf(f, lo) == sprintf(f, hi) ? sprintf(f "%%", hi) : sprintf(f "-" f "%%", lo, hi) }
	function ai(a) { return a == "4K" ? 1 : a == "2M" ? 2 : a == "1G" ? 3 : 4 }
	{
		# "# coverage: METHOD SIZE OP: named phases cover C% (...); traced ...: PHASE S%, PHASE S%, ..."
		split($3, w, " "); method = w[3]; op = w[5]; sub(/:$/, "", op)
		cov = $3; sub(/.*named phases cover /, "", cov); sub(/%.*/, "", cov); cov += 0
		k = $1 SUBSEP method SUBSEP op SUBSEP $2
		if (!(k in n)) { keys[++nk] = k; gi[k] = ($1 in gseen) ? gseen[$1] : (gseen[$1] = ++ng) }
		n[k]++
		if (n[k] == 1 || cov < clo[k]) clo[k] = cov
		if (n[k] == 1 || cov > chi[k]) chi[k] = cov
		sh = $3; sub(/.*\): /, "", sh)
		np = split(sh, P, ", ")
		for (i = 1; i <= np; i++) {
			split(P[i], q, " "); p = q[1]; v = q[2]; sub(/%$/, "", v); v += 0
			if (!((k, p) in plo)) { plo[k, p] = v; phi[k, p] = v; ph[k] = ph[k] " " p }
			if (v < plo[k, p]) plo[k, p] = v
			if (v > phi[k, p]) phi[k, p] = v
		}
	}
	END {
		print "| kernels | method | op | align | runs | named phases cover | phases (share of the traced wall) |"
		print "|---|---|---|---|---:|---:|---|"
		# order: group, method, op, align
		for (i = 1; i <= nk; i++) {
			split(keys[i], f, SUBSEP)
			srt[i] = sprintf("%03d %s %s %d", gi[keys[i]], f[2], f[3], ai(f[4]))
			idx[i] = i
		}
		for (i = 2; i <= nk; i++) { t = idx[i]; for (j = i - 1; j >= 1 && srt[idx[j]] > srt[t]; j--) idx[j + 1] = idx[j]; idx[j + 1] = t }
		for (i = 1; i <= nk; i++) {
			k = keys[idx[i]]; split(k, f, SUBSEP)
			m = split(substr(ph[k], 2), L, " ")
			# largest share first
			for (a = 2; a <= m; a++) { t = L[a]; for (b = a - 1; b >= 1 && phi[k, L[b]] < phi[k, t]; b--) L[b + 1] = L[b]; L[b + 1] = t }
			s = ""
			for (a = 1; a <= m; a++) if (phi[k, L[a]] >= 1) s = s (s == "" ? "" : ", ") L[a] " " rng(plo[k, L[a]], phi[k, L[a]], "%.0f")
			printf "| %s | %s | %s | %s | %d | %s | %s |\n", f[1], f[2], f[3], f[4], n[k], rng(clo[k], chi[k], "%.1f"), s
		}
	}'
