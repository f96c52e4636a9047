#!/bin/bash
# memmap.csv -> markdown tables on stdout (scripts/memmap/report.sh calls it).
set -euo pipefail
[[ $# == 1 && -f $1 ]] || { echo "usage: ${0##*/} memmap.csv" >&2; exit 2; }
awk -F, '
function h(b,   a) { # bytes -> "64.0 MiB"
	a = b < 0 ? -b : b
	if (a >= 1073741824) return sprintf("%.2f GiB", b / 1073741824)
	if (a >= 1048576) return sprintf("%.2f MiB", b / 1048576)
	if (a >= 1024) return sprintf("%.0f KiB", b / 1024)
	return sprintf("%d B", b)
}
function mib(b) { return sprintf("%.0f MiB", b / 1048576) }
NR == 1 { next }
{
	k = $1 SUBSEP $3 SUBSEP $4
	if (!(k in seen)) { seen[k] = 1; order[++n] = k; L[k] = $1; K[k] = $2; A[k] = $3; M[k] = $4; NS[k] = $5; U[k] = $14 }
	v[k, $7] = $6; nz[k, $7] = $9; ex[k, $7] = $10; vd[k, $7] = $11; pg[k, $7] = $12; tib[k, $7] = $13; smp[k, $7] = $8
}
END {
	print "| kernel | align | map | where | memmap measured | noise (±) | expected | verdict | per GiB of pmem | per TiB (model) | usable of the namespace (pmem) |"
	print "|---|---|---|---|---:|---:|---:|---|---:|---:|---:|"
	for (i = 1; i <= n; i++) {
		k = order[i]
		src = M[k] == "mem" ? "ram-free+pcp" : "pmem-dataoff"
		where = M[k] == "mem" ? "RAM" : "pmem reserved"
		printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s of %s |\n", L[k], A[k], M[k], where, h(v[k, src]), h(nz[k, src]), h(ex[k, src]), vd[k, src], h(pg[k, src]), h(tib[k, src]), mib(U[k]), mib(NS[k])
		if (M[k] == "dev") {
			src = "ram-free+pcp"
			printf "| %s | %s | %s | RAM | %s | %s | %s | %s | %s | %s | |\n", L[k], A[k], M[k], h(v[k, src]), h(nz[k, src]), h(ex[k, src]), vd[k, src], h(pg[k, src]), h(tib[k, src])
		}
	}
	# compound against order-0, -M mem
	base = ""
	for (i = 1; i <= n; i++) if (L[order[i]] == "base-pages") base = "base-pages"
	if (base != "") {
		print ""
		print "| kernel | align | -M mem RAM | base-pages | ratio |"
		print "|---|---|---:|---:|---:|"
		for (i = 1; i <= n; i++) {
			k = order[i]
			if (M[k] != "mem" || L[k] == base) continue
			b = base SUBSEP A[k] SUBSEP "mem"
			if (!(b in seen)) continue
			r = v[b, "ram-free+pcp"] ? v[k, "ram-free+pcp"] / v[b, "ram-free+pcp"] : 0
			printf "| %s | %s | %s | %s | 1/%.1f |\n", L[k], A[k], h(v[k, "ram-free+pcp"]), h(v[b, "ram-free+pcp"]), r ? 1 / r : 0
		}
	}
	# nr_memmap_pages (6.11+), where the kernel has it
	nm = 0
	for (i = 1; i <= n; i++) if ((order[i], "vmstat-nr_memmap") in v) nm++
	if (nm) {
		print ""
		print "| kernel | align | map | nr_memmap_pages change | noise (±) | expected: the struct pages alone | verdict |"
		print "|---|---|---|---:|---:|---:|---|"
		for (i = 1; i <= n; i++) {
			k = order[i]
			if (!((k, "vmstat-nr_memmap") in v)) continue
			printf "| %s | %s | %s | %s | %s | %s | %s |\n", L[k], A[k], M[k], h(v[k, "vmstat-nr_memmap"]), h(nz[k, "vmstat-nr_memmap"]), h(ex[k, "vmstat-nr_memmap"]), vd[k, "vmstat-nr_memmap"]
		}
	}
	# the noise of the two ways of reading free memory
	print ""
	print "| kernel | align | map | steps | free + per-CPU lists: median ± noise | MemFree alone: median ± noise |"
	print "|---|---|---|---:|---:|---:|"
	for (i = 1; i <= n; i++) {
		k = order[i]
		printf "| %s | %s | %s | %d | %s ± %s | %s ± %s |\n", L[k], A[k], M[k], smp[k, "ram-free+pcp"], h(v[k, "ram-free+pcp"]), h(nz[k, "ram-free+pcp"]), h(v[k, "ram-memfree"]), h(nz[k, "ram-memfree"])
	}
}' "$1"
