# A kernel ladder: the median time per call of one method and op at one
# size against the kernel release (x: the kernels in ladder order, as
# categories), log y, one line per series (region + align) in its style.gp
# colour, bars from the lowest to the highest boot median. Points of the
# series are set a little apart so that their bars do not hide each other.
#
#   gnuplot -c ladder.gp OUTBASE TITLE DATAFILE "6.1 6.12 6.16 ..."
#
# DATAFILE (scripts/ladder/report.sh): one block per series, blocks separated
# by two blank lines, each starting with a header line whose first field is
# the series title ("devdax 2M"); columns x p50 lo hi slot (x: the kernel's
# index in the list, times in ns); a single blank line where a kernel lacks
# the series. Writes OUTBASE.png and OUTBASE.svg.
pb_n = strlen(ARG0)
while (pb_n > 0 && ARG0[pb_n:pb_n] ne "/") { pb_n = pb_n - 1 }
load (pb_n > 0 ? ARG0[1:pb_n] : "./")."style.gp"

OUT = ARG1; PB_TITLE = pb_nl(ARG2); PB_F = ARG3; KERNELS = ARG4
NK = words(KERNELS)
PB_SLOTCOL = 5
eval(pb_scan)

# Kernels as categories, not sizes: undo style.gp's size axis.
unset logscale x
unset mxtics
set xtics () nomirror
do for [i=1:NK] { set xtics add (word(KERNELS, i) i - 1) }
set xrange [-0.5:NK - 0.5]
set offsets 0, 0, 0, 0
set xlabel "kernel (Debian's stock kernel of each series, oldest to newest)"
set ylabel "time per call (median)"
eval(pb_time_axis)
set title PB_TITLE font ",17"
# The key at the bottom of the canvas, under the kernel axis's label.
set bmargin 7.5
set key at screen 0.5, screen 0.015 center bottom horizontal reverse Left samplen 3 spacing 1.1 width 2 maxrows 2
set bars 0.6
# Each series' points a little to the side, in slot order.
dx(s) = (s - 4.5) * 0.035

do for [fmt in "png svg"] {
	eval(fmt eq "png" ? PB_PNG : PB_SVG)
	set output OUT.".".fmt
	if (PB_NB > 0) {
		plot for [i=0:PB_NB-1] PB_F index i using ($1 + dx(pb_slot(i))):($2*1e-9):($3*1e-9):($4*1e-9) \
			with yerrorlines lt pb_slot(i) title columnheader(1)
	} else {
		eval(pb_empty)
	}
	set output
}
