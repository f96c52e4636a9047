# Time per pin call against chunk size (scripts/plot/many.sh): one colour per
# region/align, p50 solid with points, p99 dashed.
#
#   gnuplot -c chunk.gp OUTBASE TITLE DATA "series titles"
#
# DATA: one block per series: chunk_bytes p50_ns p99_ns.
pb_n = strlen(ARG0)
while (pb_n > 0 && ARG0[pb_n:pb_n] ne "/") { pb_n = pb_n - 1 }
load (pb_n > 0 ? ARG0[1:pb_n] : "./")."style.gp"

OUT = ARG1; PB_TITLE = pb_nl(ARG2); F = ARG3; TITLES = ARG4
N = words(TITLES)

set xlabel "bytes per call (--chunk, log scale)"
set ylabel "time per call"
eval(pb_time_axis)
set key below horizontal center maxrows 2 samplen 3 reverse Left width 2

do for [fmt in "png svg"] {
	eval(fmt eq "png" ? PB_PNG : PB_SVG)
	set output OUT.".".fmt
	set title PB_TITLE font ",17"
	plot for [i=0:N-1] F index i using 1:($2/1e9) with linespoints lt (i % 12) + 1 title word(TITLES, i + 1)." p50", \
	     for [i=0:N-1] F index i using 1:($3/1e9) with lines lt (i % 12) + 1 dt 2 title word(TITLES, i + 1)." p99"
	unset output
}
