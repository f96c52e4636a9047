#!/bin/bash
# Turn the raw readings of scripts/memmap/measure.sh (one file per kernel)
# into memmap.csv (measured beside expected), a markdown table and the bar
# graphs (memmap bytes per GiB of pmem, and for a 1 TiB namespace).
set -euo pipefail

PROG=${0##*/}
HERE=$(cd "$(dirname "$0")" && pwd)

usage() {
	cat <<EOF
usage: $PROG [options] RAW.csv...

  --out DIR       where memmap.csv and table.md go (default: results/memmap)
  --plots DIR     where the graphs go (default: plots/memmap; --plots '' for none)
  --order0 LIST   labels of kernels whose device-dax does not use compound
                  pages (default: base-pages); their expected memmap is 64 B
                  per 4 KiB page at every align
  -h, --help      this text

The expected values are computed from first principles for x86-64 (4 KiB
pages, 64-byte struct page, vmemmap mapped with 2 MiB pages when it has no
holes, sections of 128 MiB); see results/memmap/README.md.
EOF
}

die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 2; }

root=$(cd "$HERE/../.." && pwd)
out=$root/results/memmap plots=$root/plots/memmap order0=base-pages
raw=()
while (($#)); do
	case $1 in
	--out) out=${2:?--out needs a folder}; shift 2 ;;
	--plots) plots=${2?--plots needs a folder}; shift 2 ;;
	--order0) order0=${2?--order0 needs a list}; shift 2 ;;
	-h | --help) usage; exit 0 ;;
	-*) die "unknown option '$1' (try --help)" ;;
	*) raw+=("$1"); shift ;;
	esac
done
((${#raw[@]})) || die "no raw files given (scripts/memmap/measure.sh writes them; try --help)"
want='label,kernel,align,map,namespace,namespace_bytes,ns_resource,pfn_mode,pfn_resource,pfn_bytes,dax_bytes,seq,state,free_pages,pcp_pages,memmap_pages,slab_pages,percpu_kib'
for f in "${raw[@]}"; do
	[[ -f $f ]] || die "no file $f"
	[[ $(head -n1 "$f") == "$want" ]] || die "$f is not a measure.sh raw file (its header differs)"
done
[[ $order0 =~ ^[A-Za-z0-9._+,-]*$ ]] || die "--order0 '$order0': a comma-separated list of labels"
[[ -d $out ]] || mkdir -p "$out" || die "cannot create $out"
if [[ -n $plots ]]; then
	command -v gnuplot >/dev/null || die "gnuplot not found (apt-get install gnuplot-nox), or pass --plots ''"
	mkdir -p "$plots" || die "cannot create $plots"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- memmap.csv ---------------------------------------------------------------------
awk -F, -v order0=",$order0," '
function ceil(x) { return x == int(x) ? x : int(x) + 1 }
function alignup(x, a) { return ceil(x / a) * a }
function bytes(s) { # 4K 2M 1G -> bytes
	if (s ~ /K$/) return substr(s, 1, length(s) - 1) * 1024
	if (s ~ /M$/) return substr(s, 1, length(s) - 1) * 1048576
	if (s ~ /G$/) return substr(s, 1, length(s) - 1) * 1073741824
	return s + 0
}
function hex(s,   i, c, v) { # 0x1f -> 31
	s = tolower(s); sub(/^0x/, "", s); v = 0
	for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; v = v * 16 + c }
	return v
}
# What the struct pages of a namespace of ns bytes should take.
#   ram: RAM taken when the namespace is enabled; pmem: the data offset.
function model(what, ns, A, map, compound,   N, V, P, pmd, folios) {
	P = 4096; pmd = 2097152
	N = ns / P; V = N * 64
	if (what == "pmem") {
		if (map == "dev") return alignup(8192 + 64 * int((ns - 8192) / P), (A > pmd ? A : pmd))
		return alignup(8192, (A > pmd ? A : pmd))
	}
	# what nr_memmap_pages (6.11+) counts: the struct pages alone, wherever
	# they are (in the altmap too), without the page tables that map them
	if (what == "data" && map == "dev") return V
	if (map == "dev") return 0	# the vmemmap comes from the altmap, mapped by PMDs
	if (!compound || A == P) return alignup(V, pmd)	# 2 MiB blocks, PMD-mapped
	if (what == "data") return ns / A * 2 * P
	# compound + tail-page reuse: per folio its head vmemmap page and one page
	# of tail struct pages; the rest of its vmemmap maps that page again. The
	# vmemmap is then mapped with 4 KiB PTEs: one PTE table per 2 MiB of it.
	folios = ns / A
	return folios * 2 * P + ceil(V / pmd) * P
}
function median(a, n,   i, j, t, b) {
	for (i = 1; i <= n; i++) b[i] = a[i]
	for (i = 2; i <= n; i++) { t = b[i]; for (j = i - 1; j >= 1 && b[j] > t; j--) b[j + 1] = b[j]; b[j + 1] = t }
	return n % 2 ? b[(n + 1) / 2] : (b[n / 2] + b[n / 2 + 1]) / 2
}
function spread(a, n, m,   i, d, w) {
	w = 0
	for (i = 1; i <= n; i++) { d = a[i] - m; if (d < 0) d = -d; if (d > w) w = d }
	return w
}
function row(src, got, n, noise, xp, ok,   tib, pg) {
	pg = got * 1073741824 / ns
	printf "%s,%s,%s,%s,%.0f,%.0f,%s,%d,%.0f,%.0f,%s,%.0f,%.0f,%.0f\n", label, kernel, align, map, ns, got, src, n, noise, xp, ok, pg, tib_model, dax
}
function verdict(got, xp, noise,   d) {
	d = got - xp
	if (d <= noise && -d <= noise) return "agrees"
	return sprintf("differs by %+.0f KiB", d / 1024)
}
function flush(   k, n, t, f, mm, st, s_t, s_f, s_m, nm, m, e, nz, A, comp, dataoff, i) {
	if (key == "") return
	A = bytes(align); comp = index(order0, "," label ",") == 0
	n = 0; nm = 0
	for (k = 2; k <= cnt; k++) {
		st = S[k]
		# steps between two readings of an existing namespace (not its creation)
		if ((st != "on" && st != "off") || (S[k - 1] != "on" && S[k - 1] != "off")) continue
		# pages taken by this step: enabling lowers the free count, disabling raises it
		t = T[k - 1] - T[k]; f = F[k - 1] - F[k]
		if (st == "off") { t = -t; f = -f }
		n++; s_t[n] = t * 4096; s_f[n] = f * 4096
		if (MM[k] != "" && MM[k - 1] != "") { nm++; s_m[nm] = (st == "off" ? MM[k - 1] - MM[k] : MM[k] - MM[k - 1]) * 4096 }
	}
	if (n == 0) { printf "report.sh: %s %s %s: no enable/disable steps\n", label, align, map > "/dev/stderr"; key = ""; return }
	dataoff = hex(pres) - hex(nsres)
	# the RAM it takes
	m = median(s_t, n); nz = spread(s_t, n, m); e = model("ram", ns, A, map, comp)
	tib_model = model("ram", 1099511627776, A, map, comp)
	row("ram-free+pcp", m, n, nz, e, verdict(m, e, nz))
	m = median(s_f, n); nz = spread(s_f, n, m)
	row("ram-memfree", m, n, nz, e, verdict(m, e, nz))
	if (nm) {
		m = median(s_m, nm); nz = spread(s_m, nm, m)
		e = model("data", ns, A, map, comp)
		tib_model = model("data", 1099511627776, A, map, comp)
		row("vmstat-nr_memmap", m, nm, nz, e, verdict(m, e, nz))
	}
	# the pmem it reserves (the data offset: info block, memmap for -M dev, padding)
	e = model("pmem", ns, A, map, comp)
	tib_model = model("pmem", 1099511627776, A, map, comp)
	row("pmem-dataoff", dataoff, 1, 0, e, dataoff == e ? "agrees" : sprintf("differs by %+.0f KiB", (dataoff - e) / 1024))
	key = ""
	delete T; delete F; delete MM; delete S
}
FNR == 1 { next }
{
	k = $1 SUBSEP $3 SUBSEP $4
	if (k != key) {
		flush()
		key = k; label = $1; kernel = $2; align = $3; map = $4; ns = $6; nsres = $7; pres = $9; dax = $11; cnt = 0
	}
	cnt++; S[cnt] = $13; T[cnt] = $14 + $15; F[cnt] = $14; MM[cnt] = $16
}
END {
	flush()
}
BEGIN { print "label,kernel,align,map,namespace_bytes,memmap_bytes,source,samples,noise_bytes,expected_bytes,verdict,per_gib_bytes,tib_model_bytes,usable_bytes" }
' "${raw[@]}" >"$tmp/memmap.csv"
[[ $(wc -l <"$tmp/memmap.csv") -gt 1 ]] || die "no rows came out of ${raw[*]}"
cp "$tmp/memmap.csv" "$out/memmap.csv"

# ---- table.md ------------------------------------------------------------------------
"$HERE/table.sh" "$out/memmap.csv" >"$out/table.md"

# ---- graphs --------------------------------------------------------------------------
if [[ -n $plots ]]; then
	"$HERE/plot.sh" "$out/memmap.csv" "$plots"
fi
printf '%s\n' "$out/memmap.csv" "$out/table.md"
[[ -z $plots ]] || printf '%s\n' "$plots/per-gib.png" "$plots/per-tib.png"
