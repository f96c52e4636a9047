# Aggregate pin rate against threads (scripts/plot/many.sh): one line per
# series, its ideal linear scaling from one thread dashed in the same colour,
# the points past NCPU threads (oversubscribed) beyond a dotted line.
#
#   gnuplot -c scaling.gp OUTBASE TITLE DATA "series titles" NCPU
#
# DATA: one block per series: threads GiB/s ideal oversubscribed(0/1).
pb_n = strlen(ARG0)
while (pb_n > 0 && ARG0[pb_n:pb_n] ne "/") { pb_n = pb_n - 1 }
load (pb_n > 0 ? ARG0[1:pb_n] : "./")."style.gp"

OUT = ARG1; PB_TITLE = pb_nl(ARG2); F = ARG3; TITLES = ARG4; NCPU = int(ARG5)
N = words(TITLES)

unset logscale x
set xtics 1 nomirror
unset mxtics
set xrange [0.5:NCPU + 1.5]
set offsets 0, 0.5, 0, 0
set xlabel "threads pinning at once"
set ylabel "GiB pinned per second (size / p50 of the rep's wall time)"
set yrange [0:*]
set key below horizontal center maxrows 3 samplen 3 reverse Left width 2
set arrow 1 from first NCPU + 0.5, graph 0 to first NCPU + 0.5, graph 1 nohead dt 3 lc rgb "#666666"
set label 1 "oversubscribed ->" at first NCPU + 0.55, graph 0.95 left tc rgb "#666666"

do for [fmt in "png svg"] {
	eval(fmt eq "png" ? PB_PNG : PB_SVG)
	set output OUT.".".fmt
	set title PB_TITLE font ",17"
	plot for [i=0:N-1] F index i using 1:2 with linespoints lt (i % 12) + 1 title word(TITLES, i + 1), \
	     for [i=0:N-1] F index i using 1:3 with lines lt (i % 12) + 1 dt 2 notitle
	unset output
}
