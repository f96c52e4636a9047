#!/bin/bash
# pinbench sweep JOBFILE, for real on this host (the sweep runs itself, so no
# stub): anon and THP with the methods that need no device, and gup-fast
# (skipped without gup_test). Outcomes in sweep.sh's words and in
# sweep-outcomes.txt, sizes a region cannot hold dropped, resume, a failing
# setting that does not stop the others, bad job files, an interrupted sweep.
# Every jobs/*.job parses (--dry-run). --plan: the plan as tab-separated lines
# (the launchers' hugetlb pages and the guest's set-up come from it).
. "$(dirname "$0")/../lib.sh"

for f in "$TOP"/jobs/*.job; do
	pb sweep --dry-run --set outdir="$TMP/jobs" "$f"
	expect_rc 0 "sweep --dry-run $f"
done
[ ! -e "$TMP/jobs" ] || die "--dry-run wrote $TMP/jobs"

"$PINBENCH" list >"$TMP/list" 2>&1 || true
works() { grep -Eq "^  $1 +yes " "$TMP/list"; }
meths=()
for m in iouring odirect; do works "$m" && meths+=("$m"); done
((${#meths[@]})) || skip "neither iouring nor odirect can run here (pinbench list)"
regions=anon
grep -q '^  thp .*\[never\]' "$TMP/list" || ! grep -q '^  thp  *transparent' "$TMP/list" || regions=anon,thp
gup=skipped
works gup-fast && gup=measured
methods=$(IFS=,; echo "${meths[*]},gup-fast")
nreg=$(tr , '\n' <<<"$regions" | wc -l)
total=$((nreg * (${#meths[@]} + 1)))

cat >"$TMP/host.job" <<EOF
# a sweep of what this host can do
[global]
outdir = $TMP/res
label = t
reps = 2   ; per size
warmup = 0
sizes = 4K,2M

[host]
regions = $regions
methods = $methods
EOF

# ---- dry run: the plan, nothing written ----
pb sweep --dry-run "$TMP/host.job"
expect_rc 0 "sweep --dry-run"
[ "$(grep -c '^  would run: .* run --region ' "$TMP/out")" = "$total" ] || { cat "$TMP/out" >&2; die "dry run does not show $total commands"; }
[ ! -e "$TMP/res" ] || die "--dry-run created $TMP/res"

# ---- --plan: the job's keys and each setting's sizes in bytes, nothing written ----
pb sweep --plan --set regions=anon,hugetlb:1G --set sizes-1g=1G,2G "$TMP/host.job"
expect_rc 0 "sweep --plan"
T=$'\t'
for l in "job${T}host${T}label${T}t" "job${T}host${T}outdir${T}$TMP/res" "job${T}host${T}sizes${T}4K,2M" \
	"job${T}host${T}sizes-1g${T}1G,2G" "job${T}host${T}reps${T}2" "job${T}host${T}methods${T}$methods" \
	"job${T}host${T}regions${T}anon,hugetlb:1G" "job${T}host${T}warmup${T}0" \
	"setting${T}host${T}${meths[0]}${T}anon${T}4096${T}0${T}4096,2097152" \
	"setting${T}host${T}${meths[0]}${T}hugetlb:1G${T}1073741824${T}0${T}1073741824,2147483648"; do
	grep -qxF "$l" "$TMP/out" || { cat "$TMP/out" >&2; die "--plan lacks the line '$l'"; }
done
[ "$(grep -c "^setting$T" "$TMP/out")" = $((2 * (${#meths[@]} + 1))) ] || { cat "$TMP/out" >&2; die "--plan: not a line per setting"; }
[ ! -e "$TMP/res" ] || die "--plan created $TMP/res"
pb sweep --plan --dry-run "$TMP/host.job"
expect_rc 2 "sweep --plan --dry-run"

# ---- the sweep ----
pb sweep "$TMP/host.job"
expect_rc 0 "sweep"
set_dir=$TMP/res/t
i=0
for r in ${regions//,/ }; do
	for m in "${meths[@]}" gup-fast; do
		i=$((i + 1))
		want=measured
		[ "$m" = gup-fast ] && want=$gup
		grep -Eq "^\[$i/$total\] $m on $r: $want" "$TMP/out" ||
			{ cat "$TMP/out" >&2; die "[$i/$total] $m on $r: not $want"; }
	done
done
grep -Eq "^\[1/$total\] ${meths[0]} on anon: measured in [0-9]+s -> t/[0-9]{8}-[0-9]{6}-${meths[0]}-anon\.csv$" "$TMP/out" ||
	{ cat "$TMP/out" >&2; die "the measured line is not sweep.sh's"; }
if [[ $regions == *thp* ]]; then
	grep -q '^sweep: thp: dropped 4K: not a multiple of its 2M align$' "$TMP/out" ||
		{ cat "$TMP/out" >&2; die "no note that thp cannot hold 4K"; }
	f=$(ls "$set_dir"/*-"${meths[0]}"-thp.csv)
	col=$(grep -v '^#' "$f" | head -n1 | tr , '\n' | grep -nx size | cut -d: -f1)
	! data_rows "$f" | cut -d, -f"$col" | grep -qx 4096 || die "thp was measured at 4K: $f"
fi
measured=$(grep -c ': measured in ' "$TMP/out")
[ "$(ls "$set_dir"/*.csv | wc -l)" = "$measured" ] || { ls -la "$set_dir" >&2; die "not one result file per measured setting"; }
[ "$(wc -l <"$set_dir/sweep-outcomes.txt")" = "$total" ] || { cat "$set_dir/sweep-outcomes.txt" >&2; die "sweep-outcomes.txt: not one line per setting"; }
grep -E '^\[[0-9]+/[0-9]+\] .*: (measured|skipped|unsupported|FAILED)' "$TMP/out" | cmp -s - "$set_dir/sweep-outcomes.txt" ||
	{ cat "$set_dir/sweep-outcomes.txt" >&2; die "sweep-outcomes.txt differs from the progress lines"; }
[ "$(ls "$set_dir/.sweep-logs" | wc -l)" = "$total" ] || die "not one log per setting in $set_dir/.sweep-logs"
grep -q "^sweep: done: $measured measured, 0 already there, $((total - measured)) skipped, 0 failed" "$TMP/out" ||
	{ cat "$TMP/out" >&2; die "summary line"; }

# ---- again: what is measured is not measured twice ----
pb sweep "$TMP/host.job"
expect_rc 0 "sweep, second time"
[ "$(grep -c ': already measured (.*\.csv), skipped$' "$TMP/out")" = "$measured" ] ||
	{ cat "$TMP/out" >&2; die "the second sweep did not resume"; }
[ "$(ls "$set_dir"/*.csv | wc -l)" = "$measured" ] || die "the second sweep wrote result files again"

# ---- a setting that fails does not stop the next; exit 1 ----
cat >"$TMP/two.job" <<EOF
[global]
outdir = $TMP/res2
label = t
regions = anon
methods = ${meths[0]}
sizes = 2M
reps = 1
[broken]
breakdown = 1
chunk = 1M
[fine]
EOF
pb sweep "$TMP/two.job"
expect_rc 1 "sweep with a failing setting"
grep -q "^\[1/2\] ${meths[0]} on anon: FAILED (exit 2) after [0-9]*s: --breakdown traces one call" "$TMP/out" ||
	{ cat "$TMP/out" >&2; die "the failure is not reported"; }
grep -q "^\[2/2\] ${meths[0]} on anon: measured in .*-${meths[0]}-anon-fine\.csv$" "$TMP/out" ||
	{ cat "$TMP/out" >&2; die "the setting after a failure did not run"; }

# ---- bad job files: exit 2, nothing written ----
printf '[global]\noutdir = %s\n[j]\nregions = anon\nmethods = %s,nosuch\nsizes = 2M\n' "$TMP/bad" "${meths[0]}" >"$TMP/bad.job"
pb sweep "$TMP/bad.job"
expect_rc 2 "unknown method"
expect_err "bad.job:5: methods = ${meths[0]},nosuch: unknown method 'nosuch'"
[ ! -e "$TMP/bad" ] || die "a bad job file wrote $TMP/bad"
printf '[j]\noutdir = %s\nrep = 3\n' "$TMP/bad" >"$TMP/bad.job"
pb sweep "$TMP/bad.job"
expect_rc 2 "unknown key"
expect_err "bad.job:3: unknown key 'rep': did you mean reps?"
[ ! -e "$TMP/bad" ] || die "a bad job file wrote $TMP/bad"

# ---- interrupted: finished files kept, the next sweep resumes ----
cat >"$TMP/long.job" <<EOF
[long]
outdir = $TMP/res3
label = i
regions = $regions
methods = $(IFS=,; echo "${meths[*]}")
sizes = 2M..128M
reps = 30
warmup = 0
EOF
n=$((nreg * ${#meths[@]}))
"$PINBENCH" sweep "$TMP/long.job" >"$TMP/out" 2>"$TMP/err" &
pid=$!
for _ in $(seq 600); do
	compgen -G "$TMP/res3/i/*.csv" >/dev/null && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
kill -INT "$pid" 2>/dev/null || true
RC=0
wait "$pid" || RC=$?
done1=$(grep -c ': measured in ' "$TMP/out" || true)
if ((done1 == n)); then
	skip "the sweep finished before it could be interrupted (a faster host: raise sizes or reps)"
fi
expect_rc 130 "interrupted sweep"
((done1 >= 1)) || { cat "$TMP/out" >&2; die "nothing was measured before the interruption"; }
[ "$(ls "$TMP/res3/i"/*.csv | wc -l)" = "$done1" ] || { ls "$TMP/res3/i" >&2; die "not the finished settings' files only"; }
pb sweep "$TMP/long.job"
expect_rc 0 "resumed sweep"
[ "$(grep -c ': already measured ' "$TMP/out")" = "$done1" ] || { cat "$TMP/out" >&2; die "the resumed sweep measured again"; }
[ "$(ls "$TMP/res3/i"/*.csv | wc -l)" = "$n" ] || { ls "$TMP/res3/i" >&2; die "the resumed sweep did not finish"; }
echo "sweep jobs: $total settings ($measured measured), resumed, a failure isolated, bad job files refused, interrupted and resumed"
