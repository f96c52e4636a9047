# Where the time goes: a stacked bar per kernel label x region/align, at one
# size, segments = the phases of pinbench run --breakdown (median ns of the
# traced reps; "other" is wall minus the named phases, clamped at 0).
#
#   gnuplot -c breakdown.gp OUTBASE TITLE DATAFILE
#
# DATAFILE: bd-<method>-<op>.dat from pinbench compare --plot-data: a header
# line "bar gup release ... other", then one line per bar: "name" ns ns ...
pb_n = strlen(ARG0)
while (pb_n > 0 && ARG0[pb_n:pb_n] ne "/") { pb_n = pb_n - 1 }
load (pb_n > 0 ? ARG0[1:pb_n] : "./")."style.gp"

OUT = ARG1; PB_TITLE = pb_nl(ARG2); F = ARG3

# Phase colours, fixed whatever the method (columns 2..10 of the data).
PH_COL = "#d62728 #ff9896 #9467bd #8c564b #e377c2 #1f77b4 #ff7f0e #2ca02c #c7c7c7"
stats F using 0 nooutput
NB = int(STATS_records)
NCOL = 10

unset logscale x
unset logscale y
set xtics () rotate by -20 left nomirror font ",13"
unset mxtics
set autoscale xfix
set offsets 0.5, 0.5, 0, 0
set xlabel ""
set ylabel "time per call (ms)"
set yrange [0:*]
set format y "%g"
set style data histograms
set style histogram rowstacked
set style fill solid 0.9 border rgb "#333333"
set boxwidth 0.7 relative
set key outside right center vertical Left reverse samplen 2 maxcols 1 maxrows 12 title "phase"

do for [fmt in "png svg"] {
	eval(fmt eq "png" ? PB_PNG : PB_SVG)
	set output OUT.".".fmt
	set title PB_TITLE font ",17"
	set lmargin 10
	set bmargin 7
	if (NB > 0) {
		plot for [c=2:NCOL] F using (column(c) / 1e6):xtic(1) title columnheader(c) lc rgb word(PH_COL, c - 1)
	} else {
		eval(pb_empty)
	}
	set output
}
