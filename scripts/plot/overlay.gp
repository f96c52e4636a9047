# Before vs after: time per call vs size for two or more labels on the same
# axes, log-log; one panel per op. The same colour per series (region +
# align) in every label, a solid line for the first label (the baseline),
# dashed and dotted for the others; p10..p90 bars.
#
#   gnuplot -c overlay.gp OUTBASE TITLE DATADIR METHOD "pin unpin" Y LABEL0 LABEL1 [LABEL2]
#
# Y: "time" (time per call) or "per4k" (ns per 4 KiB page, where a change in
# the per-page cost shows best). Reads DATADIR/lat-L<i>-<METHOD>-<op>.dat for
# i = 0 .. number of labels - 1.
pb_n = strlen(ARG0)
while (pb_n > 0 && ARG0[pb_n:pb_n] ne "/") { pb_n = pb_n - 1 }
load (pb_n > 0 ? ARG0[1:pb_n] : "./")."style.gp"

OUT = ARG1; PB_TITLE = pb_nl(ARG2); DIR = ARG3; METHOD = ARG4; OPS = ARG5; Y = ARG6
NL = ARGC - 6
if (NL < 2) { print "overlay.gp: give at least two labels"; exit status 2 }
array LAB[NL]
do for [l=1:NL] { LAB[l] = ARGV[l + 6] }
# Columns: p50, p10, p90 as time in seconds, or ns per 4 KiB page.
if (Y eq "per4k") { C1 = 8; C2 = 9; C3 = 10; SCALE = 1 } else { C1 = 2; C2 = 3; C3 = 4; SCALE = 1e-9 }
PB_NP = words(OPS)
PB_SLOTCOL = 11
fl(l) = sprintf("%s/lat-L%d-%s-%s.dat", DIR, l - 1, METHOD, op)

array SL[NL]	# colour slots of each label's blocks
array NB[NL]	# number of blocks of each label
array TI[NL]	# " i j ": blocks that bring a series into the key (first label that has it)
# The key: every series of any panel and label, then the labels.
PB_KLEN = 10
do for [l=1:NL] { PB_KLEN = (strlen(LAB[l]) > PB_KLEN ? strlen(LAB[l]) : PB_KLEN) }
allseen = " "
do for [p=1:PB_NP] {
	op = word(OPS, p)
	do for [l=1:NL] {
		PB_F = fl(l)
		eval(pb_scan)
		if (PB_NB > 0) {
			do for [i=0:PB_NB-1] {
				s = sprintf(" %d ", pb_slot(i))
				if (strstrt(allseen, s) == 0) { allseen = allseen.s[2:] }
			}
		}
	}
}
PB_KN = words(allseen) + NL
do for [fmt in "png svg"] {
	eval(fmt eq "png" ? PB_PNG : PB_SVG)
	set output OUT.".".fmt
	eval(pb_multiplot)
	do for [p=1:PB_NP] {
		op = word(OPS, p)
		seen = " "
		total = 0
		eval(pb_xreset)
		do for [l=1:NL] {
			PB_F = fl(l)
			eval(pb_scan)
			SL[l] = PB_SLOTS; NB[l] = PB_NB; TI[l] = " "
			total = total + PB_NB
			if (PB_NB > 0) {
				do for [i=0:PB_NB-1] {
					s = sprintf(" %d ", pb_slot(i))
					if (strstrt(seen, s) == 0) { TI[l] = TI[l].sprintf("%d ", i); seen = seen.s[2:] }
				}
			}
		}
		eval(pb_sizetics)
		set title pb_op(op)
		if (p == 1) { eval(pb_key_shared); set ylabel (Y eq "per4k" ? "ns per 4 KiB page" : "time per call") } else { unset key; unset ylabel }
		if (Y eq "per4k") { set logscale y 10; set format y "%g" } else { eval(pb_time_axis) }
		if (total > 0) {
			plot for [l=1:NL] for [i=0:NB[l]-1] fl(l) index i using 1:(column(C1)*SCALE):(column(C2)*SCALE):(column(C3)*SCALE) \
				with yerrorlines lt int(word(SL[l], i + 1)) dt l \
				title (strstrt(TI[l], sprintf(" %d ", i)) > 0 ? columnhead(1) : ""), \
			     for [l=1:NL] NaN with lines lc rgb "black" lw 2 dt l title LAB[l]
		} else {
			eval(pb_empty)
		}
	}
	unset multiplot
	set output
}
