# Time per call vs size, log-log: one panel per op (pin, unpin, ...), one
# line per series (region + align), the median with p10..p90 bars.
#
#   gnuplot -c latency.gp OUTBASE TITLE DATADIR LABELIDX METHOD "pin unpin"
#
# Reads DATADIR/lat-L<LABELIDX>-<METHOD>-<op>.dat (pinbench compare
# --plot-data); writes OUTBASE.png and OUTBASE.svg.
pb_n = strlen(ARG0)
while (pb_n > 0 && ARG0[pb_n:pb_n] ne "/") { pb_n = pb_n - 1 }
load (pb_n > 0 ? ARG0[1:pb_n] : "./")."style.gp"

OUT = ARG1; PB_TITLE = pb_nl(ARG2); DIR = ARG3; L = ARG4; METHOD = ARG5; OPS = ARG6
PB_NP = words(OPS)
PB_SLOTCOL = 11

do for [fmt in "png svg"] {
	eval(fmt eq "png" ? PB_PNG : PB_SVG)
	set output OUT.".".fmt
	eval(pb_multiplot)
	do for [p=1:PB_NP] {
		op = word(OPS, p)
		PB_F = sprintf("%s/lat-L%s-%s-%s.dat", DIR, L, METHOD, op)
		eval(pb_xreset)
		eval(pb_scan)
		eval(pb_sizetics)
		set title pb_op(op)
		if (p == 1) { eval(pb_key_shared); set ylabel "time per call" } else { unset key; unset ylabel }
		eval(pb_time_axis)
		if (PB_NB > 0) {
			plot for [i=0:PB_NB-1] PB_F index i using 1:($2*1e-9):($3*1e-9):($4*1e-9) \
				with yerrorlines lt pb_slot(i) title columnheader(1)
		} else {
			eval(pb_empty)
		}
	}
	unset multiplot
	set output
}
