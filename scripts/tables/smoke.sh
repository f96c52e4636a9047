#!/bin/bash
# A markdown table of gup_test's kernel-side times from a smoke-test log
# (scripts/kernel/smoke.sh; committed under kernel/measured/):
#   scripts/tables/smoke.sh LOG [KERNELS] [ROWS]
# KERNELS: comma-separated labels, the columns in that order (default: every
# kernel in the log, in its order). ROWS: comma-separated ALIGN:TEST (e.g.
# 1G:PIN_FAST,4K:PIN_LONGTERM; fsdax rows are fsdax:TEST), the rows in that
# order (default: every one in the log, in its order). Each cell is the
# median over the reps of get_us / the median of put_us, in µs, or "refused"
# when every rep pinned nothing (size=0: long-term pins of fsdax).
set -euo pipefail

usage() { echo "usage: scripts/tables/smoke.sh LOG [KERNELS] [ROWS]   (KERNELS label,...; ROWS ALIGN:TEST,...)" >&2; exit 2; }
if (($# < 1 || $# > 3)) || [[ ! -f $1 ]]; then usage; fi
if [[ ! ${2:-} =~ ^[A-Za-z0-9@._,-]*$ || ! ${3:-} =~ ^[A-Za-z0-9:_,]*$ ]]; then usage; fi
awk -v kernels="${2:-}" -v rows="${3:-}" '
	function med(s,   a, n, i, j, t) {
		n = split(substr(s, 2), a, " ")
		for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
		return n % 2 ? a[(n + 1) / 2] : sprintf("%.0f", (a[n / 2] + a[n / 2 + 1]) / 2)
	}
	# "LABEL DEVICE ALIGN TEST rep=N get_us=G put_us=P size=S"; fsdax rows
	# have the mount point as DEVICE and "fsdax" as ALIGN.
	$5 ~ /^rep=/ && $6 ~ /^get_us=/ && $7 ~ /^put_us=/ {
		k = $1; r = $3 ":" $4
		if (!(k in ks)) { ks[k] = 1; korder[++nk] = k }
		if (!(r in rs)) { rs[r] = 1; rorder[++nr] = r }
		g = $6; sub(/^get_us=/, "", g); p = $7; sub(/^put_us=/, "", p)
		get[k, r] = get[k, r] " " g; put[k, r] = put[k, r] " " p
		if ($8 != "size=0") full[k, r] = 1
	}
	END {
		if (!nk) { print "tables/smoke.sh: no gup_test rows in the log" > "/dev/stderr"; exit 1 }
		if (kernels != "") nk = split(kernels, korder, ",")
		if (rows != "") nr = split(rows, rorder, ",")
		printf "| align | gup_test"
		for (i = 1; i <= nk; i++) printf " | %s", korder[i]
		printf " |\n|---|---"
		for (i = 1; i <= nk; i++) printf "|---:"
		printf "|\n"
		for (j = 1; j <= nr; j++) {
			split(rorder[j], f, ":")
			printf "| %s | %s", f[1], f[2]
			for (i = 1; i <= nk; i++) {
				k = korder[i]; r = rorder[j]
				if (!((k, r) in get)) { printf "tables/smoke.sh: no rows for %s %s\n", k, r > "/dev/stderr"; exit 1 }
				printf " | %s", ((k, r) in full) ? med(get[k, r]) " / " med(put[k, r]) : "refused"
			}
			printf " |\n"
		}
	}' "$1"
