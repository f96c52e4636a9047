#!/usr/bin/env bash
# make ladder's report: the adjacent steps of a kernel ladder measured by
# make ab (DIR/rR/KERNEL/), the pin audit verdicts that change along it, the
# settings each kernel skipped, and one graph per method and op. See --help.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

usage() {
	cat <<'EOF'
usage: scripts/ladder/report.sh [--kernels "K1 K2 ..."] [--complete-only] DIR [PLOTS]

The report of a kernel ladder: the boots of make ab (PROFILE=ladder) in
DIR/rR/KERNEL/, kernels in ladder order (--kernels; default: the boot
folders' names in version order, debian-6.1 before debian-6.12).

  DIR/ladder.md       the report: every adjacent step whose interval over
                      boots excludes 1 (ratio newer/older, 95% CI, faster or
                      slower), sorted by step then by size of the change; the
                      number of settings compared per step; every pin audit
                      verdict that differs between adjacent kernels; the
                      settings each kernel skipped or failed; the graphs
  DIR/steps/X-Y/      pinbench compare --baseline X of each adjacent pair
                      (report.md, compare.csv, boots.csv)
  DIR/ladder/         all/ (one compare over every kernel: the graphs' medians
                      and boot spread, and the drift rule), audit-KERNEL.csv
                      (pinbench summary of the kernel's boots pooled),
                      steps.csv (every setting of every step), audit.csv
  PLOTS/              ladder-METHOD-OP.png/.svg (default plots/<DIR's name>):
                      median time per call at 1 GiB against kernel, log y,
                      one line per region and align, bars from the lowest to
                      the highest boot median (scripts/plot/ladder.gp)

Boots left out, the same rule as make ab's own report: busy boots (host.txt)
only when every kernel keeps 2 quiet boots (AB_EXCLUDE=auto, the default;
busy or none as in scripts/ab.sh), and drifted boots (calibration loop more
than 15% from the whole run's median, decided once over every kernel's boots,
as make ab's report does) are left out of every step. A kernel with fewer
than 2 boots left is named and left out of the steps (the step then spans it);
its medians still are in the graphs and its verdicts in the audit.

--complete-only: only boots make ab finished (their .complete mark); for a
report while make ab still runs (the boot in progress is named and left out).
Without it every boot with result files counts, as in make ab's report.

LADDER_DRIFT=PCT: another drift threshold for the whole run's compare (0:
none; default: pinbench compare's, as make ab's report). AB_EXCLUDE as above.

Outputs are written all or nothing (a temporary folder, then moved).
Exit 2 with one line on bad input.
EOF
}

die() { printf 'ladder-report: %s\n' "$*" >&2; exit 2; }
note() { printf 'ladder-report: %s\n' "$*" >&2; }

kernels_arg='' complete_only=0
args=()
while (($#)); do
	case $1 in
	-h | --help) usage; exit 0 ;;
	--kernels) (($# >= 2)) || die "--kernels needs a list"; kernels_arg=$2; shift 2 ;;
	--kernels=*) kernels_arg=${1#--kernels=}; shift ;;
	--complete-only) complete_only=1; shift ;;
	-*) die "unknown option '$1' (see --help)" ;;
	*) args+=("$1"); shift ;;
	esac
done
((${#args[@]} >= 1 && ${#args[@]} <= 2)) || die "give DIR (a make ab folder) and optionally PLOTS (see --help)"
dir=${args[0]%/}
[[ -d $dir ]] || die "'$dir' is not a folder"
plots=${args[1]:-plots/$(basename "$(realpath "$dir")")}
plots=${plots%/}
exclude=${AB_EXCLUDE:-auto}
case $exclude in auto | busy | none) ;; *) die "AB_EXCLUDE '$exclude': use auto, busy or none" ;; esac
PB=${PINBENCH:-$ROOT/bench/pinbench}
[[ -x $PB ]] || die "no pinbench at $PB (make)"
command -v gnuplot >/dev/null || die "no gnuplot (apt-get install gnuplot-nox)"

# ---- the kernels and their boots ----
has_csv() { compgen -G "$1/*.csv*" >/dev/null && { ((!complete_only)) || [[ -f $1/.complete ]]; }; }
if [[ -n $kernels_arg ]]; then
	read -r -a kernels <<<"$kernels_arg"
else
	mapfile -t kernels < <(for d in "$dir"/r*/*/; do
		d=${d%/}
		has_csv "$d" && printf '%s\n' "${d##*/}"
	done | sort -uV)
fi
((${#kernels[@]} >= 2)) || die "'$dir' holds result files of ${#kernels[@]} kernel(s) under r*/KERNEL/: a ladder needs 2 or more"
declare -A seen=()
for k in "${kernels[@]}"; do
	[[ $k =~ ^[A-Za-z0-9@._+=-]+$ ]] || die "kernel '$k': not a boot folder name"
	[[ -z ${seen[$k]:-} ]] || die "kernel '$k' given twice"
	seen[$k]=1
done
short() { printf '%s' "${1#debian-}"; }

# Every boot: folder, kernel, boot_id, boot_seq, busy.
declare -A boots_of=() nboots=() quiet=() partial=()
all_boots=()
for k in "${kernels[@]}"; do
	boots_of[$k]='' nboots[$k]=0 quiet[$k]=0
	while IFS= read -r d; do
		if ((complete_only)) && [[ ! -f $d/.complete ]] && compgen -G "$d/*.csv*" >/dev/null; then
			partial[$k]+="${d#"$dir"/}: not complete; "
		fi
		has_csv "$d" || continue
		boots_of[$k]+="$d"$'\n'
		nboots[$k]=$((nboots[$k] + 1))
		all_boots+=("$d")
		grep -q '^busy: yes' "$d/host.txt" 2>/dev/null || quiet[$k]=$((quiet[$k] + 1))
	done < <(compgen -G "$dir/r*/$k" | sort -V)
done
with_data=() no_data=()
for k in "${kernels[@]}"; do
	if ((nboots[$k])); then with_data+=("$k"); else no_data+=("$k"); note "kernel $k: no boot with result files in $dir; left out"; fi
done
((${#with_data[@]} >= 2)) || die "fewer than 2 of the kernels have result files in $dir"
kernels=("${with_data[@]}")

boot_meta() { # folder -> "id seq" from its result files' headers
	local f id='' seq=''
	for f in "$1"/*.csv*; do	# rows may be kept as .csv.gz
		id=$(gzip -dcf "$f" | sed -n '/^#/!q; s/^# boot_id: //p' | head -n1)
		seq=$(gzip -dcf "$f" | sed -n '/^#/!q; s/^# boot_seq: //p' | head -n1)
		[[ -z $id ]] || break
	done
	printf '%s %s\n' "${id:--}" "${seq:--}"
}

# The busy rule of scripts/ab.sh.
nbusy=0
for d in "${all_boots[@]}"; do grep -q '^busy: yes' "$d/host.txt" 2>/dev/null && nbusy=$((nbusy + 1)); done
excl_busy=0
busy_rule=''
case $exclude in
busy)
	keep=1
	for k in "${kernels[@]}"; do ((quiet[$k] >= 1)) || keep=0; done
	if ((nbusy && keep)); then excl_busy=1; busy_rule="AB_EXCLUDE=busy: the $nbusy busy boot(s) are left out."
	elif ((nbusy)); then busy_rule="AB_EXCLUDE=busy, but a kernel has no quiet boot: all $nbusy busy boot(s) kept."
	else busy_rule="No boot ran on a busy host."; fi
	;;
auto)
	keep=1
	for k in "${kernels[@]}"; do ((quiet[$k] >= 2)) || keep=0; done
	if ((nbusy && keep)); then excl_busy=1; busy_rule="The $nbusy busy boot(s) (host.txt: others used more than AB_BUSY_CPUS) are left out: every kernel keeps 2+ quiet boots (make ab's AB_EXCLUDE=auto)."
	elif ((nbusy)); then busy_rule="$nbusy boot(s) ran on a busy host and are kept: too few quiet boots to leave them out (make ab's AB_EXCLUDE=auto)."
	else busy_rule="No boot ran on a busy host."; fi
	;;
none) busy_rule="AB_EXCLUDE=none: busy boots ($nbusy) kept." ;;
esac

tmp=$(mktemp -d "$dir/.ladder-report.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/steps" "$tmp/ladder" "$tmp/plots/data"

# ---- one compare over every kernel: drift decided on the whole run, medians and boot spread ----
cmp_all=(--quiet --baseline "${kernels[0]}" --out "$tmp/ladder/all")
[[ -z ${LADDER_DRIFT:-} ]] || cmp_all+=(--drift-threshold "$LADDER_DRIFT")
((excl_busy)) && cmp_all+=(--exclude-boots busy)
"$PB" compare "${cmp_all[@]}" "${all_boots[@]}" >"$tmp/all.log" 2>&1 ||
	{ cat "$tmp/all.log" >&2; echo "ladder-report: pinbench compare over every kernel failed" >&2; exit 1; }
all=$tmp/ladder/all
# Drifted boots (left out, not kept): their boot_id and boot_seq.
drifted=''
[[ ! -f $all/boots.csv ]] || drifted=$(awk -F, '/^#/ { next } !h { for (i = 1; i <= NF; i++) c[$i] = i; h = 1; next }
	("drifted" in c) && $c["drifted"] == "yes" { print $c["label"], ($c["boot_id"] == "" ? "-" : $c["boot_id"]), ($c["boot_seq"] == "" ? "-" : $c["boot_seq"]) }' \
	"$all/boots.csv" | sort -u)
# The rule in short, from the whole run's report: its median and how many boots drifted.
drift_rule=''
if rule=$(sed -n 's/^\*\*Drift rule\.\*\* *//p' "$all/report.md" | head -n1) && [[ -n $rule ]]; then
	med=$(sed -n "s/.*over the run's median, \([0-9.]* s\): .*/\1/p" <<<"$rule")
	thr=$(sed -n 's/.*is more than \([0-9.]*%\) away.*/\1/p' <<<"$rule")
	cnt=$(grep -o '[0-9]* of [0-9]* calibrated boot(s) drifted, [0-9]* left out' <<<"$rule" || true)
	whose="\`pinbench compare\`'s default \`--drift-threshold\`, as in make ab's report"
	[[ -z ${LADDER_DRIFT:-} ]] || whose="LADDER_DRIFT=$LADDER_DRIFT, not \`pinbench compare\`'s default \`--drift-threshold\` of make ab's report"
	drift_rule="a boot whose calibration loop (\`calibrate.txt\`, at its start and end) ran more than ${thr:-15%} away from the whole run's median${med:+ ($med)}, or whose end and start differ by more, is drifted and left out ($whose)${cnt:+: $cnt}."
fi

# Each boot: used in the steps or why not.
declare -A nused=() why_out=() excl_items=()
for k in "${kernels[@]}"; do
	nused[$k]=0 excl_items[$k]=''
	while IFS= read -r d; do
		[[ -n $d ]] || continue
		read -r id seq < <(boot_meta "$d")
		why=''
		if ((excl_busy)) && grep -q '^busy: yes' "$d/host.txt" 2>/dev/null; then
			why=busy
		elif [[ -n $drifted ]] && awk -v k="$k" -v id="$id" -v seq="$seq" '
			$1 == k && (($2 != "-" && $2 == id) || ($2 == "-" && $3 == seq)) { f = 1 } END { exit !f }' <<<"$drifted"; then
			why=drifted
			if [[ $id != - ]]; then excl_items[$k]+=",$id"; else excl_items[$k]+=",$k:$seq"; fi
		fi
		if [[ -z $why ]]; then
			nused[$k]=$((nused[$k] + 1))
		else
			why_out[$d]=$why
		fi
	done <<<"${boots_of[$k]}"
done
stepk=()
for k in "${kernels[@]}"; do ((nused[$k] >= 2)) && stepk+=("$k"); done

# ---- the steps: each adjacent pair of kernels with 2+ boots ----
printf 'step,from,to,method,region,align,size,op,p50_from,p50_to,ratio,lo,hi,significant,boots_from,boots_to\n' >"$tmp/ladder/steps.csv"
steps=()
for ((i = 0; i + 1 < ${#stepk[@]}; i++)); do
	a=${stepk[i]} b=${stepk[i + 1]}
	name="$(short "$a")-$(short "$b")"
	steps+=("$name")
	items=${excl_items[$a]}${excl_items[$b]}
	((excl_busy)) && items+=",busy"
	items=${items#,}
	mapfile -t pair < <(printf '%s' "${boots_of[$a]}${boots_of[$b]}")
	cmp=(--quiet --baseline "$a" --drift-threshold 0 --out "$tmp/steps/$name")
	[[ -z $items ]] || cmp+=(--exclude-boots "$items")
	"$PB" compare "${cmp[@]}" "${pair[@]}" >"$tmp/step.log" 2>&1 ||
		{ cat "$tmp/step.log" >&2; echo "ladder-report: pinbench compare of step $name failed" >&2; exit 1; }
	awk -F, -v step="$name" -v a="$a" -v b="$b" -v na="${nused[$a]}" -v nb="${nused[$b]}" '
		/^#/ { next }
		!h { for (i = 1; i <= NF; i++) c[$i] = i; h = 1; next }
		{ key = $c["method"] "," $c["region"] "," $c["align"] "," $c["size"] "," $c["op"] }
		$c["label"] == a { p50a[key] = $c["p50"] }
		$c["label"] == b && $c["ratio"] != "" {
			printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n", step, a, b, $c["method"], $c["region"],
				$c["align"], $c["size"], $c["op"], p50a[key], $c["p50"], $c["ratio"], $c["lo"], $c["hi"],
				$c["significant"], na "," nb
		}' "$tmp/steps/$name/compare.csv" >>"$tmp/ladder/steps.csv"
done

# ---- the pin audit: each kernel's boots pooled (every boot: the counters do not depend on timing) ----
printf 'kernel,method,region,align,size,verdict,class,pins_acq,pins_rel,calls\n' >"$tmp/ladder/audit.csv"
for k in "${kernels[@]}"; do
	mapfile -t files < <(while IFS= read -r d; do [[ -n $d ]] && printf '%s\n' "$d"/*.csv*; done <<<"${boots_of[$k]}")
	"$PB" summary --out "$tmp/ladder/audit-$k.csv" "${files[@]}" >"$tmp/sum.log" 2>&1 ||
		{ cat "$tmp/sum.log" >&2; echo "ladder-report: pinbench summary of $k failed" >&2; exit 1; }
	# One verdict per setting, its rows pooled: pin and unpin, and the NUMA
	# nodes a boot's memory landed on (summary splits them); by header name.
	# acquired - released over the pooled rows decides, as pinbench's audit
	# does; the class is the verdict's kind, where an imbalance of fewer pages
	# than the setting has calls (under one page per call: a pin path that
	# leaks does so in every call it leaks in; the counters are system-wide)
	# is "balanced" (the verdict keeps its count).
	awk -F, -v k="$k" '
		!h { for (i = 1; i <= NF; i++) c[$i] = i; h = 1; next }
		$c["op"] == "io" { next }	# O_DIRECT per-I/O rows: the counters are on its pin rows
		{ key = $c["method"] "," $c["region"] "," $c["align"] "," $c["size"]
		  if (!(key in seen)) { seen[key] = 1; order[++n] = key }
		  if ($c["op"] == "pin") calls[key] += $c["n"]; else if ($c["n"] + 0 > other[key]) other[key] = $c["n"] + 0
		  if ($c["verdict"] == "not counted" || $c["pins_acq"] == "" || $c["pins_rel"] == "") next
		  counted[key] = 1; acq[key] += $c["pins_acq"]; rel[key] += $c["pins_rel"] }
		END { for (i = 1; i <= n; i++) { key = order[i]; nc = calls[key] ? calls[key] : other[key]
			if (!(key in counted)) { v = "not counted"; cl = v }
			else { d = acq[key] - rel[key]
				v = d == 0 ? "balanced" : d > 0 ? "leaked " d " pages" : "over-released " (-d) " pages"
				cl = d == 0 ? "balanced" : d > 0 ? "leaked" : "over-released"
				if (d != 0 && (d < 0 ? -d : d) < nc) cl = "balanced" }
			printf "%s,%s,%s,%s,%s,%s,%s\n", k, key, v, cl, acq[key], rel[key], nc } }' "$tmp/ladder/audit-$k.csv" >>"$tmp/ladder/audit.csv"
done

# ---- skipped and failed settings: the boots' sweep-outcomes.txt ----
# backing -> align, from the result rows (a skipped devdax namespace is named by its align).
declare -A nb_all=()
for k in "${kernels[@]}"; do nb_all[$k]=${nboots[$k]}; done
{
	for k in "${kernels[@]}"; do
		while IFS= read -r d; do
			[[ -n $d && -f $d/sweep-outcomes.txt ]] || continue
			sed "s|^|$k\t|" "$d/sweep-outcomes.txt"
		done <<<"${boots_of[$k]}"
	done
} >"$tmp/outcomes.tsv"
for d in "${all_boots[@]}"; do
	gzip -dcf "$d"/*.csv* | awk -F, '!/^#/ && $4 == "devdax" { print $5 "\t" $6 }'
done | sort -u >"$tmp/backing.tsv"

# ---- the graphs' data: size 1 GiB, pin and unpin, from the all-kernel compare ----
G=1073741824
klist=$(printf '%s ' "${kernels[@]}")
awk -F, -v G="$G" -v klist="$klist" -v out="$tmp/plots/data" '
	function slot(r, a) {
		if (r == "devdax" && a == 4096) return 1
		if (r == "devdax" && a == 2097152) return 2
		if (r == "devdax" && a == 1073741824) return 3
		if (r == "hugetlb" && a == 2097152) return 4
		if (r == "hugetlb" && a == 1073741824) return 5
		if (r == "thp") return 6
		if (r == "anon") return 7
		if (r == "fsdax" && a == 4096) return 8
		if (r == "fsdax" && a == 2097152) return 9
		return 10
	}
	function hs(n) { return n % 1073741824 == 0 ? n / 1073741824 "G" : n % 1048576 == 0 ? n / 1048576 "M" : n % 1024 == 0 ? n / 1024 "K" : n }
	function title(r, a) { return r == "thp" ? "thp" : r " " hs(a) }
	FNR == 1 { f++; h = 0 }
	/^#/ { next }
	!h { delete c; for (i = 1; i <= NF; i++) c[$i] = i; h = 1; next }
	$c["size"] != G || ($c["op"] != "pin" && $c["op"] != "unpin") { next }
	{ key = $c["method"] SUBSEP $c["op"] SUBSEP slot($c["region"], $c["align"]) SUBSEP $c["region"] SUBSEP $c["align"] SUBSEP $c["label"] }
	f == 1 { p50[key] = $c["p50"]; mo[$c["method"] SUBSEP $c["op"]] = 1
		ser[$c["method"] SUBSEP $c["op"] SUBSEP slot($c["region"], $c["align"]) SUBSEP $c["region"] SUBSEP $c["align"]] = 1 }
	f == 2 && $c["p50"] != "" { v = $c["p50"] + 0
		if (!(key in lo) || v < lo[key]) lo[key] = v
		if (!(key in hi) || v > hi[key]) hi[key] = v }
	END {
		nk = split(klist, K, " ")
		for (m in mo) {
			split(m, mm, SUBSEP); file = out "/ladder-" mm[1] "-" mm[2] ".dat"
			printf "# %s %s at 1 GiB: p50 over the kernel'"'"'s boots pooled, lowest and highest boot p50 (ns); x: kernel index in ladder order; one block per series\n", mm[1], mm[2] > file
			ns = 0
			for (s in ser) { split(s, ss, SUBSEP); if (ss[1] == mm[1] && ss[2] == mm[2]) sl[++ns] = ss[3] SUBSEP ss[4] SUBSEP ss[5] }
			# blocks in slot order
			for (i = 1; i <= ns; i++) for (j = i + 1; j <= ns; j++) { split(sl[i], x, SUBSEP); split(sl[j], y, SUBSEP); if (y[1] + 0 < x[1] + 0) { t = sl[i]; sl[i] = sl[j]; sl[j] = t } }
			for (i = 1; i <= ns; i++) {
				split(sl[i], x, SUBSEP)
				printf "%s\"%s\" x p50 lo hi slot\n", (i > 1 ? "\n\n" : ""), title(x[2], x[3]) > file
				gap = 0
				for (j = 1; j <= nk; j++) {
					key = mm[1] SUBSEP mm[2] SUBSEP sl[i] SUBSEP K[j]
					if (!(key in p50) || p50[key] == "") { gap = 1; continue }
					if (gap) { print "" > file; gap = 0 }
					printf "%d %s %s %s %d\n", j - 1, p50[key], (key in lo ? lo[key] : p50[key]), (key in hi ? hi[key] : p50[key]), x[1] > file
				}
			}
			delete sl
			close(file)
		}
	}' "$all/compare.csv" "$([[ -f $all/boots.csv ]] && echo "$all/boots.csv" || echo /dev/null)"
xt=''
for k in "${kernels[@]}"; do xt+="$(short "$k") "; done
for f in "$tmp/plots/data"/ladder-*.dat; do
	[[ -e $f ]] || continue
	base=${f##*/}; base=${base%.dat}
	mo=${base#ladder-}; m=${mo%-*}; op=${mo##*-}
	gnuplot -c "$ROOT/scripts/plot/ladder.gp" "$tmp/plots/$base" \
		"$m $op at 1 GiB: median time per call by kernel\\n(bars: lowest to highest boot median; TCG guest; make ladder)" \
		"$f" "${xt% }" >"$tmp/gp.log" 2>&1 ||
		{ cat "$tmp/gp.log" >&2; echo "ladder-report: gnuplot failed on $f" >&2; exit 1; }
	[[ -s $tmp/plots/$base.png ]] || { echo "ladder-report: gnuplot drew no $base.png" >&2; exit 1; }
done

# ---- ladder.md ----
rel_of() { # the kernel release(s) in a kernel's result rows
	local d
	while IFS= read -r d; do
		[[ -n $d ]] || continue
		gzip -dcf "$d"/*.csv* 2>/dev/null | sed -n 's/^# kernel: //p; /^#/!q'
	done <<<"${boots_of[$1]}" | sort -u | paste -sd' '
}
plots_rel=$(realpath -m --relative-to="$dir" "$plots")
{
	printf '# Kernel ladder: %s\n\n' "$(basename "$(realpath "$dir")")"
	printf 'Boots made by make ab (`PROFILE=ladder`, see `plan.txt`); this report by `scripts/ladder/report.sh %s`' "$dir"
	[[ -z ${LADDER_CMD:-} ]] || printf ' (run: `%s`)' "$LADDER_CMD"
	printf '. Times are in a QEMU TCG guest: compare kernels with each other, not with hardware.\n\n'
	if [[ -f $dir/ladder-series.txt ]]; then
		printf '%s\n\n' "$(sed 's/^/    /' "$dir/ladder-series.txt")"
	fi
	printf '## Kernels\n\n| kernel | release | boots | in the steps | left out |\n|---|---|---:|---:|---|\n'
	for k in "${kernels[@]}"; do
		out=''
		while IFS= read -r d; do
			[[ -n $d && -n ${why_out[$d]:-} ]] || continue
			out+="${d#"$dir"/}: ${why_out[$d]}; "
		done <<<"${boots_of[$k]}"
		out+=${partial[$k]:-}
		((nused[$k] >= 2)) || out+="fewer than 2 boots: out of the steps; "
		out=${out%; }
		printf '| %s | %s | %s | %s | %s |\n' "$(short "$k")" "$(rel_of "$k")" "${nboots[$k]}" "${nused[$k]}" "${out:--}"
	done
	for k in "${no_data[@]+"${no_data[@]}"}"; do printf '| %s | - | 0 | 0 | no boot with result files: left out |\n' "$(short "$k")"; done
	printf '\n**Boots left out** (the rule of make ab'"'"'s own report, decided once over every kernel): %s ' "$busy_rule"
	if [[ ${LADDER_DRIFT:-} =~ ^0+(\.0*)?%?$ ]]; then
		printf 'Drift: not judged (LADDER_DRIFT=0): every boot kept whatever its calibration loop.\n\n'
	elif [[ -n $drift_rule ]]; then
		printf 'Drift: %s It is judged against the whole run (one `pinbench compare` over every kernel, `ladder/all/`), and the boots it leaves out are left out of each step by name (`--exclude-boots`, `--drift-threshold 0`), so that every step uses the same boots.\n\n' "$drift_rule"
	else
		printf 'No boot has a calibration record (calibrate.txt): none is judged drifted.\n\n'
	fi

	lost=''
	for k in "${kernels[@]}"; do
		((nused[$k] >= 2 || nboots[$k] < 2)) || lost+=" $(short "$k")"
	done
	if [[ -n $lost ]]; then
		printf '**Out of the steps by the boots left out:**%s (boots measured, too few kept). `LADDER_DRIFT=0 scripts/ladder/report.sh DIR` keeps every boot (with a host this busy, a choice to state).\n\n' "$lost"
	fi
	printf '## Steps whose interval excludes 1\n\n'
	if ((${#steps[@]} == 0)); then
		printf 'No step: fewer than 2 kernels with 2+ boots.\n\n'
	else
		printf 'Each step is `pinbench compare --baseline OLDER` over the two kernels'"'"' boots (`steps/X-Y/`): ratio = newer p50 / older p50 with a hierarchical bootstrap 95%% interval (boots, then reps). Significant: the interval excludes 1.\n\n'
		printf '| step | settings compared | slower | faster |\n|---|---:|---:|---:|\n'
		for s in "${steps[@]}"; do
			awk -F, -v s="$s" 'NR > 1 && $1 == s { n++; if ($14 == "yes") { if ($11 > 1) sl++; else fa++ }; a = $2; b = $3 }
				END { sub(/^debian-/, "", a); sub(/^debian-/, "", b); printf "| %s -> %s | %d | %d | %d |\n", a, b, n, sl, fa }' "$tmp/ladder/steps.csv"
		done
		printf '\n'
		awk -F, '
			function hs(n) { return n % 1073741824 == 0 ? n / 1073741824 "G" : n % 1048576 == 0 ? n / 1048576 "M" : n % 1024 == 0 ? n / 1024 "K" : n }
			function ft(ns) { return ns >= 1e9 ? sprintf("%.2f s", ns / 1e9) : ns >= 1e6 ? sprintf("%.2f ms", ns / 1e6) : ns >= 1e3 ? sprintf("%.1f us", ns / 1e3) : sprintf("%.0f ns", ns) }
			NR > 1 && $14 == "yes" {
				a = $2; b = $3; sub(/^debian-/, "", a); sub(/^debian-/, "", b)
				mag = log($11 + 0); if (mag < 0) mag = -mag
				printf "%s\t%012.6f\t| %s -> %s | %s | %s | %s | %s | %s | %s | %s | %.3f [%.3f, %.3f] | %s |\n", $1, 1000 - mag, a, b, $4, $5,
					hs($6), hs($7), $8, ft($9), ft($10), $11, $12, $13,
					($11 > 1 ? sprintf("**slower** %.2fx", $11) : sprintf("**faster** %.2fx", 1 / $11))
			}' "$tmp/ladder/steps.csv" >"$tmp/sig.tsv"
		if [[ -s $tmp/sig.tsv ]]; then
			printf '| step | method | region | align | size | op | older p50 | newer p50 | ratio [95%% CI] | change |\n|---|---|---|---:|---:|---|---:|---:|---:|---|\n'
			for s in "${steps[@]}"; do
				awk -F'\t' -v s="$s" '$1 == s' "$tmp/sig.tsv" | sort -t$'\t' -k2,2 | cut -f3
			done
		else
			printf 'No setting changed beyond its interval at any step.\n'
		fi
		printf '\nEvery setting of every step, significant or not: `ladder/steps.csv`.\n\n'
	fi

	printf '## Pin audit changes\n\n'
	printf 'The verdict of the `nr_foll_pin_*` counters per setting (`pinbench summary` over every boot of a kernel pooled; page counts are summed over its boots and reps). A change is a verdict of another kind (balanced, leaked, over-released, not counted) on the next kernel in the ladder that measured the setting. The counters are system-wide: an imbalance of fewer pages than the setting has calls (under one page per call; a pin path that leaks does so in every call it leaks in) is counted as balanced here, and listed below the table.\n\n'
	# One row per step, method, region and align whose sizes changed alike.
	awk -F, -v klist="$klist" '
		function hs(n) { return n % 1073741824 == 0 ? n / 1073741824 "G" : n % 1048576 == 0 ? n / 1048576 "M" : n % 1024 == 0 ? n / 1024 "K" : n }
		function num(v) { return match(v, /-?[0-9]+ pages/) ? substr(v, RSTART, RLENGTH - 6) : "" }
		function show(cl, nums, n1) { return n1 == 1 ? cl (nums != "" ? " " nums " pages" : "") : cl (nums != "" ? " (" nums " pages)" : "") }
		NR > 1 { key = $2 "," $3 "," $4 "," $5; v[$1, key] = $6; cl[$1, key] = $7; if (!(key in ks)) { ks[key] = 1; ord[++nk] = key } }
		END {
			n = split(klist, K, " ")
			for (j = 1; j <= n; j++) rank[K[j]] = j
			for (i = 1; i <= nk; i++) {
				key = ord[i]; prev = ""
				split(key, x, ",")
				for (j = 1; j <= n; j++) {
					if (!((K[j], key) in cl)) continue
					if (prev != "" && cl[prev, key] != cl[K[j], key]) {
						g = rank[prev] SUBSEP rank[K[j]] SUBSEP x[1] SUBSEP x[2] SUBSEP x[3] SUBSEP cl[prev, key] SUBSEP cl[K[j], key]
						if (!(g in gs)) { gs[g] = 1; gord[++ng] = g; sz[g] = ""; na[g] = ""; nb[g] = ""; cnt[g] = 0 }
						cnt[g]++
						sz[g] = sz[g] (sz[g] == "" ? "" : ", ") hs(x[4])
						a1 = num(v[prev, key]); b1 = num(v[K[j], key])
						if (a1 != "") na[g] = na[g] (na[g] == "" ? "" : " / ") a1
						if (b1 != "") nb[g] = nb[g] (nb[g] == "" ? "" : " / ") b1
					}
					prev = K[j]
				}
			}
			if (!ng) { print "No verdict changes along the ladder.\n"; exit }
			# In ladder order, then method, region, align.
			for (i = 1; i <= ng; i++) for (j = i + 1; j <= ng; j++) {
				split(gord[i], p, SUBSEP); split(gord[j], q, SUBSEP)
				if (q[1] + 0 < p[1] + 0 || (q[1] == p[1] && q[3] q[4] sprintf("%015d", q[5]) < p[3] p[4] sprintf("%015d", p[5]))) { t = gord[i]; gord[i] = gord[j]; gord[j] = t }
			}
			print "| step | method | region | align | sizes | older | newer |\n|---|---|---|---:|---|---|---|"
			for (i = 1; i <= ng; i++) {
				g = gord[i]; split(g, p, SUBSEP)
				a = K[p[1]]; b = K[p[2]]; sub(/^debian-/, "", a); sub(/^debian-/, "", b)
				printf "| %s -> %s | %s | %s | %s | %s | %s | %s |\n", a, b, p[3], p[4], hs(p[5]), sz[g], show(p[6], na[g], cnt[g]), show(p[7], nb[g], cnt[g])
			}
			for (g in na) if (na[g] nb[g] != "") counts = 1
			print (counts ? "\nPage counts: one per size, in the order of the sizes.\n" : "")
		}' "$tmp/ladder/audit.csv"
	awk -F, 'NR > 1 && $7 == "balanced" && $6 != "balanced" { k = $1; sub(/^debian-/, "", k); if (!(k in n)) ord[++m] = k; n[k]++
			v = $6; sub(/ pages.*/, "", v); sub(/^[a-z-]+ /, "", v); if (v + 0 > mx[k]) mx[k] = v + 0 }
		END { if (!m) exit
			printf "Imbalances under one page per call, counted as balanced (settings, largest in pages):"
			for (i = 1; i <= m; i++) printf "%s %s: %d (%d)", (i > 1 ? ";" : ""), ord[i], n[ord[i]], mx[ord[i]]
			printf ". Each is in `ladder/audit.csv`.\n\n" }' "$tmp/ladder/audit.csv"
	# The verdicts at a glance: one row per method, region and align (every size).
	printf '**Verdicts by kernel** (every size of the setting; "mixed" when its sizes differ):\n\n| method | region | align |'
	for k in "${kernels[@]}"; do printf ' %s |' "$(short "$k")"; done
	printf '\n|---|---|---:|'
	for k in "${kernels[@]}"; do printf -- '---|'; done
	printf '\n'
	awk -F, -v klist="$klist" '
		function hs(n) { return n % 1073741824 == 0 ? n / 1073741824 "G" : n % 1048576 == 0 ? n / 1048576 "M" : n % 1024 == 0 ? n / 1024 "K" : n }
		NR > 1 { key = $2 "," $3 "," $4; if (!(key in ks)) { ks[key] = 1; ord[++nk] = key }
			if (!(($1, key) in cl)) cl[$1, key] = $7; else if (cl[$1, key] != $7) cl[$1, key] = "mixed" }
		END { n = split(klist, K, " ")
			for (i = 1; i <= nk; i++) { split(ord[i], x, ","); printf "| %s | %s | %s |", x[1], x[2], hs(x[3])
				for (j = 1; j <= n; j++) printf " %s |", ((K[j], ord[i]) in cl ? cl[K[j], ord[i]] : "-")
				printf "\n" } }' "$tmp/ladder/audit.csv" | sort -t'|' -k2,2 -k3,3 -k4,4
	printf '\n'

	printf '## Skipped and failed settings\n\n'
	awk -F'\t' -v klist="$klist" -v nbl="$(for k in "${kernels[@]}"; do printf '%s=%s ' "$k" "${nb_all[$k]}"; done)" '
		function hs(n) { return n % 1073741824 == 0 ? n / 1073741824 "G" : n % 1048576 == 0 ? n / 1048576 "M" : n % 1024 == 0 ? n / 1024 "K" : n }
		FNR == NR { al[$1] = $2; next }
		{
			k = $1; line = $2
			if (!match(line, /^\[[0-9]+\/[0-9]+\] [^ ]+ on [^ ]+: (skipped a size|skipped|unsupported|FAILED[^:]*): /)) next
			head = substr(line, 1, RLENGTH); why = substr(line, RLENGTH + 1)
			sub(/^\[[0-9]+\/[0-9]+\] /, "", head)
			split(head, w, " "); meth = w[1]; reg = w[3]; sub(/:$/, "", reg)
			kind = head; sub(/^[^ ]+ on [^ ]+: /, "", kind); sub(/: $/, "", kind); sub(/ after .*/, "", kind)
			if (kind == "skipped a size") kind = "size skipped"
			# Sweeps older than the "unsupported" outcome said "skipped" for these.
			if (kind == "skipped" && why ~ /^[^ ]+: (this kernel.s io_uring refuses|the kernel refuses long-term pins)/) kind = "unsupported"
			if (reg ~ /^devdax:/) { b = reg; sub(/^devdax:/, "", b); if (b in al) reg = "devdax " hs(al[b]) " (" b ")" }
			sub("^" meth ": ", "", why)
			if ((i = index(why, ". ")) > 0) why = substr(why, 1, i - 1)
			if ((i = index(why, "; use ")) > 0) why = substr(why, 1, i - 1)
			if (length(why) > 170) why = substr(why, 1, 167) "..."
			gsub(/\|/, "/", why)
			key = meth SUBSEP reg SUBSEP kind SUBSEP why
			if (!(key in seenk)) { seenk[key] = 1; ord[++nkey] = key }
			cnt[key, k]++
		}
		END {
			if (!nkey) { print "No setting was skipped or failed (sweep-outcomes.txt).\n"; exit }
			n = split(klist, K, " "); m = split(nbl, NB, " ")
			for (i = 1; i <= m; i++) { split(NB[i], kv, "="); nb[kv[1]] = kv[2] }
			print "From each boot'"'"'s sweep-outcomes.txt; boots: in how many of the kernel'"'"'s boots.\n"
			print "| method | region | outcome | kernels (boots) | reason |\n|---|---|---|---|---|"
			for (i = 1; i <= nkey; i++) {
				split(ord[i], x, SUBSEP); ks = ""
				for (j = 1; j <= n; j++) if ((ord[i], K[j]) in cnt) { s = K[j]; sub(/^debian-/, "", s); ks = ks (ks == "" ? "" : ", ") s " (" cnt[ord[i], K[j]] "/" nb[K[j]] ")" }
				printf "| %s | %s | %s | %s | %s |\n", x[1], x[2], x[3], ks, x[4]
			}
			print ""
		}' "$tmp/backing.tsv" "$tmp/outcomes.tsv"

	printf '## Graphs\n\n'
	printf 'In `%s/`: per method and op, the median time per call at **1 GiB** (device-dax 1G holds only 1 GiB) against the kernel, log y, one line per region and align, bars from the lowest to the highest boot median (boots left out as above). PNG and SVG.\n\n' "$plots_rel"
	for f in "$tmp/plots"/ladder-*.png; do
		[[ -e $f ]] || continue
		b=${f##*/}
		printf -- '- [%s](%s/%s)\n' "${b%.png}" "$plots_rel" "$b"
	done
	# A method without rows of an op at 1 GiB has no graph of it: said.
	for m in $(awk -F, 'NR > 1 { print $2 }' "$tmp/ladder/audit.csv" | sort -u); do
		for op in pin unpin; do
			[[ -e $tmp/plots/ladder-$m-$op.png ]] || printf -- '- %s %s: no graph (no %s rows at 1 GiB on any kernel)\n' "$m" "$op" "$op"
		done
	done
	printf '\n'
} >"$tmp/ladder.md"

# ---- all or nothing: move the new outputs in ----
mkdir -p "$tmp/old"
for x in steps ladder ladder.md; do
	[[ ! -e $dir/$x ]] || mv "$dir/$x" "$tmp/old/$x"
done
mv "$tmp/steps" "$tmp/ladder" "$tmp/ladder.md" "$dir/"
mkdir -p "$plots"
mkdir -p "$tmp/oldplots"
find "$plots" -mindepth 1 -maxdepth 1 -name 'ladder-*' -exec mv -t "$tmp/oldplots" {} +
find "$tmp/plots" -mindepth 1 -maxdepth 1 -name 'ladder-*' \( -name '*.png' -o -name '*.svg' \) -exec mv -t "$plots" {} +
mkdir -p "$plots/data"
find "$plots/data" -mindepth 1 -maxdepth 1 -name 'ladder-*.dat' -delete
mv "$tmp/plots/data"/ladder-*.dat "$plots/data/" 2>/dev/null || true
printf 'ladder report: %s/ladder.md (%d kernels, %d steps), graphs in %s/\n' "$dir" "${#kernels[@]}" "${#steps[@]}" "$plots"
