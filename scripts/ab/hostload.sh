#!/usr/bin/env bash
# What else used the host's CPUs while one guest boot ran: sampled every
# AB_SAMPLE seconds (default 2) until STOPFILE appears, then written to OUT
# (make ab's host.txt, read by pinbench compare). See --help.
set -euo pipefail

usage() {
	cat <<EOF
usage: scripts/ab/hostload.sh OUT PIDFILE STOPFILE

Samples /proc/stat (all CPUs busy time), /proc/loadavg, the CPU time of the
QEMU process named in PIDFILE and of every other process, until STOPFILE
exists; then writes OUT:
  wall_s, ncpu, host_busy_cpu_s, qemu_cpu_s, others_cpu_s, others_cpus
  (others' average number of busy CPUs), load_before, load_after, load_max,
  other_guests (most other qemu-system processes seen at once), heavy (the
  other processes that used most CPU), steal_s, steal_cpus, steal_share,
  steal_max_cpus (the host's steal time from /proc/stat: CPU time the
  hypervisor under this host gave to others, in seconds over the boot, as
  an average number of CPUs, as a share of all CPU time, and the highest
  average over one sample period), summary, and
  busy: yes, REASON   when another guest ran, or others used more than
                      AB_BUSY_CPUS CPUs on average (default 0.5)
  busy: no            otherwise
Environment: AB_SAMPLE (seconds), AB_BUSY_CPUS.
EOF
}
case ${1:-} in -h | --help) usage; exit 0 ;; esac
(($# == 3)) || { echo "hostload.sh: needs OUT PIDFILE STOPFILE (see --help)" >&2; exit 2; }
out=$1 pidfile=$2 stop=$3
period=${AB_SAMPLE:-2}
limit=${AB_BUSY_CPUS:-0.5}
[[ $period =~ ^[0-9]+$ && $period -gt 0 ]] || { echo "hostload.sh: AB_SAMPLE '$period': whole seconds, at least 1" >&2; exit 2; }
[[ $limit =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "hostload.sh: AB_BUSY_CPUS '$limit': a number of CPUs, e.g. 0.5" >&2; exit 2; }

hz=$(getconf CLK_TCK)
ncpu=$(nproc)
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
# The steal column (8th value of the cpu line; 0 on bare metal).
steal_ticks() { awk '/^cpu / { print $9 + 0; exit }' /proc/stat; }
load1() { cut -d' ' -f1-3 /proc/loadavg; }
# pid comm ticks of every process (utime + stime), comm without blanks.
snapshot() {
	# One cat for all (a process may end meanwhile: its file is skipped).
	{ cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk '{
		# comm is in parentheses and may hold blanks: fields after the last ")".
		s = $0; i = index(s, "("); j = 0
		for (k = length(s); k > 0; k--) if (substr(s, k, 1) == ")") { j = k; break }
		if (!i || !j) next
		comm = substr(s, i + 1, j - i - 1); gsub(/[ \t]/, "_", comm)
		n = split(substr(s, j + 2), f, " ")
		print $1, comm, f[12] + f[13]
	}'
}
qemu_pid() {
	local p
	p=$(cat "$pidfile" 2>/dev/null || true)
	[[ $p =~ ^[0-9]+$ ]] && printf '%s\n' "$p"
	return 0
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
t0=$(date +%s.%N)
b0=$(busy_ticks)
st0=$(steal_ticks)
l0=$(load1)
stprev=$st0 tprev=$t0 stmax=0
lmax=${l0%% *}
guests=0 qpid='' qticks=0 qbase=''
snapshot >"$tmp/first"
cp "$tmp/first" "$tmp/prev"
: >"$tmp/heavy"
while [[ ! -e $stop ]]; do
	sleep "$period"
	snapshot >"$tmp/now"
	p=$(qemu_pid || true)
	if [[ -n $p ]]; then
		qpid=$p
		t=$(awk -v p="$p" '$1 == p { print $3 }' "$tmp/now")
		if [[ -n $t ]]; then
			[[ -n $qbase ]] || qbase=$(awk -v p="$p" '$1 == p { print $3 }' "$tmp/first")
			qticks=$((t - ${qbase:-0}))
		fi
	fi
	# Other guests: qemu-system processes that are not ours.
	n=$(awk -v p="${qpid:-0}" '$2 ~ /^qemu-system/ && $1 != p { c++ } END { print c + 0 }' "$tmp/now")
	((n > guests)) && guests=$n
	# Per-process CPU in this interval (ours excluded): ticks by command name.
	awk -v p="${qpid:-0}" 'NR == FNR { prev[$1] = $3; next }
		$1 != p && ($1 in prev) { d = $3 - prev[$1]; if (d > 0) print $2, d }' \
		"$tmp/prev" "$tmp/now" >>"$tmp/heavy"
	mv "$tmp/now" "$tmp/prev"
	l=$(load1)
	awk -v a="${l%% *}" -v b="$lmax" 'BEGIN { exit !(a > b) }' && lmax=${l%% *}
	# Steal in this period, as CPUs: the highest is kept (a window of steal
	# slows the guest even when the boot's average is small).
	st=$(steal_ticks) ts=$(date +%s.%N)
	stmax=$(awk -v a="$st" -v b="$stprev" -v t="$ts" -v u="$tprev" -v hz="$hz" -v m="$stmax" \
		'BEGIN { d = t - u; c = d > 0 ? (a - b) / hz / d : 0; printf "%.2f", (c > m ? c : m) }')
	stprev=$st tprev=$ts
done
t1=$(date +%s.%N)
b1=$(busy_ticks)
st1=$(steal_ticks)
l1=$(load1)
heavy=$(awk '{ s[$1] += $2 } END { for (c in s) print s[c], c }' "$tmp/heavy" | sort -rn | head -n 3 |
	awk -v hz="$hz" '{ printf("%s%s %.0fs", (NR > 1 ? ", " : ""), $2, $1 / hz) }')
awk -v t0="$t0" -v t1="$t1" -v b0="$b0" -v b1="$b1" -v q="$qticks" -v hz="$hz" \
	-v n="$ncpu" -v g="$guests" -v lim="$limit" -v l0="$l0" -v l1="$l1" -v lmax="$lmax" \
	-v heavy="$heavy" -v st0="$st0" -v st1="$st1" -v stmax="$stmax" 'BEGIN {
	wall = t1 - t0; if (wall <= 0) wall = 1
	busy = (b1 - b0) / hz; qemu = q / hz; others = busy - qemu; if (others < 0) others = 0
	oc = others / wall
	printf "wall_s: %.0f\nncpu: %d\nhost_busy_cpu_s: %.0f\nqemu_cpu_s: %.0f\n", wall, n, busy, qemu
	printf "others_cpu_s: %.0f\nothers_cpus: %.2f\n", others, oc
	printf "load_before: %s\nload_after: %s\nload_max: %s\nother_guests: %d\n", l0, l1, lmax, g
	printf "heavy: %s\n", heavy == "" ? "-" : heavy
	steal = (st1 - st0) / hz; if (steal < 0) steal = 0
	printf "steal_s: %.1f\nsteal_cpus: %.2f\nsteal_share: %.3f\nsteal_max_cpus: %s\n", \
		steal, steal / wall, steal / wall / n, stmax
	printf "summary: %.0f s; qemu %.2f CPUs, others %.2f of %d CPUs; steal %.2f CPUs (max %s); load %s..%s (max %s)%s\n", \
		wall, qemu / wall, oc, n, steal / wall, stmax, substr(l0, 1, index(l0 " ", " ") - 1), \
		substr(l1, 1, index(l1 " ", " ") - 1), lmax, heavy == "" ? "" : "; top: " heavy
	why = ""
	if (g > 0) why = sprintf("%d other guest(s) ran", g)
	if (oc > lim) why = why (why == "" ? "" : "; ") sprintf("others used %.2f CPUs (limit %s)", oc, lim)
	if (why == "") print "busy: no"; else print "busy: yes, " why
}' >"$out.partial"
mv "$out.partial" "$out"
