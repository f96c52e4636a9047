#!/bin/bash
# memmap.csv -> bar graphs (scripts/memmap/report.sh calls it):
#   DIR/per-gib.png  measured: memmap bytes per GiB of pmem (4 GiB namespaces)
#   DIR/per-tib.png  the model that the measurements check, for a 1 TiB namespace
# By align, one bar per kernel and map mode: -M mem is RAM, -M dev is pmem.
set -euo pipefail
[[ $# == 2 && -f $1 && -d $2 ]] || { echo "usage: ${0##*/} memmap.csv DIR" >&2; exit 2; }
csv=$1 dir=$2
style=$(cd "$(dirname "$0")/../plot" && pwd)/style.gp

# (kernel, map) series in the order they appear; for each, the bar per align.
gp() { # column title ylabel output
	awk -F, -v col="$1" -v title="$2" -v ylab="$3" -v outp="$4" -v style="$style" '
	NR == 1 { next }
	($4 == "mem" && $7 == "ram-free+pcp") || ($4 == "dev" && $7 == "pmem-dataoff") {
		s = $1 " -M " $4 (($4 == "mem") ? " (RAM)" : " (pmem reserved)")
		if (!(s in sidx)) { sidx[s] = ++ns; sname[ns] = s; smap[ns] = $4; slab[ns] = $1 }
		if (!($1 in lidx)) lidx[$1] = ++nl
		a = ($3 == "4K") ? 0 : ($3 == "2M") ? 1 : 2
		v[sidx[s], a] = (col == "gib") ? $12 : $13
	}
	function h(b) {
		if (b >= 1073741824) return sprintf("%.1fG", b / 1073741824)
		if (b >= 1048576) return sprintf("%.1fM", b / 1048576)
		return sprintf("%.0fK", b / 1024)
	}
	END {
		print "load \"" style "\""
		print "eval PB_PNG"
		print "set output \"" outp "\""
		print "set title \"" title "\""
		print "set ylabel \"" ylab "\""
		print "unset logscale x; set mxtics 1; set offsets 0, 0, 0, 0; unset xlabel; set grid noxtics"
		print "set logscale y 2"
		print "set format y \"\""
		ymin = 1e30; ymax = 0
		for (i = 1; i <= ns; i++) for (a = 0; a < 3; a++) if ((i, a) in v && v[i, a] > 0) { if (v[i, a] < ymin) ymin = v[i, a]; if (v[i, a] > ymax) ymax = v[i, a] }
		printf "set yrange [%g:%g]\n", ymin / 3, ymax * 6
		print "set ytics (\"4K\" 4096, \"16K\" 16384, \"64K\" 65536, \"256K\" 262144, \"1M\" 1048576, \"4M\" 4194304, \"16M\" 16777216, \"64M\" 67108864, \"256M\" 268435456, \"1G\" 1073741824, \"4G\" 4294967296, \"16G\" 17179869184, \"64G\" 68719476736)"
		print "set grid ytics"
		print "set key below horizontal center reverse Left samplen 2 width 1"
		print "set style fill solid 0.85 border -1"
		print "set boxwidth 0.9"
		gap = 1.5
		printf "set xtics (\"4K align\" %g, \"2M align\" %g, \"1G align\" %g) scale 0\n", (ns - 1) / 2, (ns + gap) + (ns - 1) / 2, 2 * (ns + gap) + (ns - 1) / 2
		printf "set xrange [-1:%g]\n", 3 * (ns + gap) - gap
		for (i = 1; i <= ns; i++) {
			printf "$s%d << EOD\n", i
			for (a = 0; a < 3; a++) if ((i, a) in v && v[i, a] > 0) printf "%g %s %s\n", a * (ns + gap) + (i - 1), v[i, a], h(v[i, a])
			print "EOD"
		}
		printf "plot "
		for (i = 1; i <= ns; i++) {
			fs = smap[i] == "dev" ? "fs pattern 4 border lt " lidx[slab[i]] : "fs solid 0.85 border -1"
			printf "%s$s%d using 1:2 with boxes lt %d %s title \"%s\", $s%d using 1:($2*1.25):3 with labels rotate by 90 left font \",11\" notitle", (i > 1 ? ", \\\n  " : ""), i, lidx[slab[i]], fs, sname[i], i
		}
		print ""
	}' "$csv"
}
gp gib "memmap per GiB of pmem (measured, 4 GiB device-dax namespaces, QEMU guest)" \
	"bytes per GiB (log)" "$dir/per-gib.png" | gnuplot
gp tib "memmap for a 1 TiB namespace (the model the measurements check)" \
	"bytes per TiB (log)" "$dir/per-tib.png" | gnuplot
