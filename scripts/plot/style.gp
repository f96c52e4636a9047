# The look of every pinbench graph, in one place: loaded by each template in
# scripts/plot/. Fixed size, fonts readable when the PNG is shrunk into a
# cover letter, one colour per series (the same in every graph), the log2
# size axis with K/M/G labels, and the op names used as panel titles.

PB_W = 1280
PB_H = 720
PB_FONT = "DejaVu Sans,16"
PB_PNG = sprintf('set terminal pngcairo size %d,%d font "%s" noenhanced linewidth 1.5; set encoding utf8', PB_W, PB_H, PB_FONT)
PB_SVG = sprintf('set terminal svg size %d,%d font "%s" noenhanced linewidth 1.5 background "white"; set encoding utf8', PB_W, PB_H, PB_FONT)
set encoding utf8
set micro

# Colour slots of the series: each region kind's .series (bench/regions/*.c,
# shown by `pinbench list --json`) names its slots and their colours, and
# tests/plot/style_table.sh fails when this file disagrees. Device-dax in
# warm colours, the DRAM baselines in cool ones and grey; 10..12 for series
# no kind claims.
set linetype 1 lc rgb "#d62728" lw 2.5 pt 7 ps 1.2	# devdax 4K
set linetype 2 lc rgb "#ff7f0e" lw 2.5 pt 5 ps 1.2	# devdax 2M
set linetype 3 lc rgb "#9467bd" lw 2.5 pt 9 ps 1.5	# devdax 1G
set linetype 4 lc rgb "#1f77b4" lw 2 pt 13 ps 1.3	# hugetlb 2M
set linetype 5 lc rgb "#17becf" lw 2 pt 11 ps 1.5	# hugetlb 1G
set linetype 6 lc rgb "#2ca02c" lw 2 pt 3 ps 1.3	# thp 2M
set linetype 7 lc rgb "#555555" lw 2 pt 1 ps 1.3	# anon 4K
set linetype 8 lc rgb "#8c564b" lw 2 pt 15 ps 1.3	# fsdax 4K
set linetype 9 lc rgb "#e377c2" lw 2 pt 4 ps 1.3	# fsdax 2M
set linetype 10 lc rgb "#bcbd22" lw 2 pt 6 ps 1.3	# anything else
set linetype 11 lc rgb "#393b79" lw 2 pt 8 ps 1.3
set linetype 12 lc rgb "#637939" lw 2 pt 10 ps 1.3
set linetype cycle 12

# Sizes: log2 axis, a labelled tic every 8x from 4K: 4K 32K 256K 2M 16M 128M 1G,
# so that the huge page sizes 2M and 1G are labelled.
pb_size(e) = e >= 40 ? sprintf("%dT", int(2**(e-40))) : e >= 30 ? sprintf("%dG", int(2**(e-30))) : \
	e >= 20 ? sprintf("%dM", int(2**(e-20))) : e >= 10 ? sprintf("%dK", int(2**(e-10))) : sprintf("%d", int(2**e))
set logscale x 2
set xtics () nomirror
do for [e=0:42:3] { set xtics add (pb_size(e) 2**e) }
set mxtics 3
set autoscale xfix
set offsets graph 0.04, graph 0.04, 0, 0
set xlabel "size pinned per call (log scale)"

set grid xtics ytics mytics lc rgb "#d8d8d8" lw 1, lc rgb "#eeeeee" lw 1
set border 3 lc rgb "#444444"
set ytics nomirror
set key below horizontal center noreverse Left samplen 3 spacing 1.1 width 1 maxrows 2
set datafile missing "nan"

# Panel titles: what the op is.
pb_op(op) = op eq "pin" ? "pin" : op eq "unpin" ? "unpin" : op eq "io" ? "io: one O_DIRECT I/O" : \
	op eq "kget" ? "kget: get, kernel-timed" : op eq "kput" ? "kput: put, kernel-timed" : op

# Time axis in seconds with SI prefixes: 1µs, 10µs, ... 1s.
pb_time_axis = 'set logscale y 10; set format y "%.0s%cs"'

# Panels side by side with fixed margins, so that every panel's plot area is
# the same size whatever its key; one shared key at the bottom of the canvas.
# Titles come as arguments: a literal \n in them starts a new line.
pb_nl(s) = (pb_k = strstrt(s, "\\n")) > 0 ? s[1:pb_k-1]."\n".pb_nl(s[pb_k+2:]) : s
# The shared key's rows: enough that its columns (as wide as its longest
# entry) fit across the canvas; the bottom margin grows with them. A template
# sets PB_KN (entries) and PB_KLEN (longest entry, characters) before
# pb_multiplot when it knows better than this default: nine short series.
PB_KN = 9; PB_KLEN = 10
pb_keyfit = 'PB_KCOLS = int(1180.0 / (PB_KLEN * 10.5 + 100)); PB_KCOLS = (PB_KCOLS < 1 ? 1 : PB_KCOLS); PB_KROWS = int(ceil(1.0 * PB_KN / PB_KCOLS)); PB_KROWS = (PB_KROWS < 2 ? 2 : PB_KROWS)'
pb_multiplot = 'eval(pb_keyfit); set multiplot layout 1,PB_NP margins 0.105,0.98,(0.18 + 0.037 * PB_KROWS),0.80 spacing 0.075,0 title PB_TITLE font ",17"'
pb_key_shared = 'set key at screen 0.5, screen 0.010 center bottom vertical reverse Left maxrows PB_KROWS width 2 samplen 3'

# Size tics for the sizes of the panel (PB_XMIN..PB_XMAX, gathered by
# pb_scan; reset them with pb_xreset): every power of 2 over a narrow range,
# else every 8x from 4K (4K 32K 256K 2M 16M 128M 1G: the huge page sizes).
pb_xreset = 'PB_XMIN = 1e30; PB_XMAX = 0'
eval(pb_xreset)
pb_sizetics = 'set xtics (); pb_step = (PB_XMAX > 0 && PB_XMAX / PB_XMIN <= 64) ? 1 : 3; do for [e=0:42:pb_step] { set xtics add (pb_size(e) 2**e) }; set mxtics (pb_step == 1 ? 1 : 3)'

# Count the blocks of data file PB_F (0 when none) and read the colour slot of
# each (column PB_SLOTCOL) into the word list PB_SLOTS.
pb_scan = 'undefine STATS_*; stats PB_F using 1 nooutput; PB_NB = exists("STATS_blocks") ? int(STATS_blocks) : 0; if (PB_NB > 0) { PB_XMIN = (PB_XMIN < STATS_min ? PB_XMIN : STATS_min); PB_XMAX = (PB_XMAX > STATS_max ? PB_XMAX : STATS_max) }; PB_SLOTS = ""; if (PB_NB > 0) { do for [pb_i=0:PB_NB-1] { stats PB_F index pb_i using PB_SLOTCOL nooutput; PB_SLOTS = PB_SLOTS.sprintf(" %d", int(STATS_min)) } }'
pb_slot(i) = int(word(PB_SLOTS, i + 1))

# An empty panel says so instead of failing.
pb_empty = 'set label 99 "no data" at graph 0.5, graph 0.5 center; unset logscale y; set yrange [0:1]; set format y ""; plot NaN notitle; unset label 99; set autoscale y; set format y'
