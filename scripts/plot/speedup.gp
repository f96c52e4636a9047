# Speedup vs size: baseline median / compared median per setting, with the
# bootstrap 95% confidence interval as bars (from pinbench compare); one panel
# per op, one line per series. Above 1: the compared label is faster. Filled
# points: the interval excludes 1 (significant); open points: it does not.
#
#   gnuplot -c speedup.gp OUTBASE TITLE DATADIR LABELIDX METHOD "pin unpin"
#
# Reads DATADIR/ratio-L<LABELIDX>-<METHOD>-<op>.dat (ratio = compared / baseline).
pb_n = strlen(ARG0)
while (pb_n > 0 && ARG0[pb_n:pb_n] ne "/") { pb_n = pb_n - 1 }
load (pb_n > 0 ? ARG0[1:pb_n] : "./")."style.gp"

OUT = ARG1; PB_TITLE = pb_nl(ARG2); DIR = ARG3; L = ARG4; METHOD = ARG5; OPS = ARG6
PB_NP = words(OPS)
PB_SLOTCOL = 6

set logscale y 2
set format y "%g×"
set ytics () nomirror
do for [v in "0.125 0.25 0.5 0.67 0.8 1 1.25 1.5 2 4 8 16 32"] { set ytics add (v.'×' real(v)) }
set mytics 1
set yrange [*<0.8:1.25<*]
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead lc rgb "#333333" lw 1.5 dt 2 back

do for [fmt in "png svg"] {
	eval(fmt eq "png" ? PB_PNG : PB_SVG)
	set output OUT.".".fmt
	eval(pb_multiplot)
	do for [p=1:PB_NP] {
		op = word(OPS, p)
		PB_F = sprintf("%s/ratio-L%s-%s-%s.dat", DIR, L, METHOD, op)
		eval(pb_xreset)
		eval(pb_scan)
		eval(pb_sizetics)
		set title pb_op(op)
		if (p == 1) { eval(pb_key_shared); set ylabel "speedup (above 1: faster)" } else { unset key; unset ylabel }
		if (PB_NB > 0) {
			plot for [i=0:PB_NB-1] PB_F index i using 1:(1/$2):(1/$4):(1/$3) \
				with yerrorlines lt pb_slot(i) pt 6 ps 2 title columnheader(1), \
			     for [i=0:PB_NB-1] PB_F index i using 1:($5 > 0.5 ? 1/$2 : NaN) \
				with points lt pb_slot(i) pt 7 ps 1.8 notitle, \
			     NaN with points lc rgb "black" pt 7 ps 1.8 title "significant", \
			     NaN with points lc rgb "black" pt 6 ps 2 title "not significant"
		} else {
			eval(pb_empty)
		}
	}
	unset multiplot
	set output
}
