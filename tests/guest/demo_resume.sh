#!/bin/bash
# make demo always measures here, and resumes only the run the user stopped:
# a demo interrupted mid-sweep (SIGINT to its process group, as Ctrl-C does)
# exits 130, keeps what it measured and says how to resume; the next demo
# says it resumes that run, keeps the files it had and measures the rest
# under the same name; FRESH=1 then starts a new run beside it.
GT_NAME=demo_resume
# shellcheck source=tests/guest-lib.sh
. "$(dirname "$0")/../guest-lib.sh"
work=$PB_GUEST_DIR/work
rm -rf "$work"
mkdir -p "$work"
export RESULTS=$work/results PLOTS=$work/plots
export SIZES=2M,4M SIZES_1G=1G REPS=2 METHODS=rdma,vfio REGIONS=devdax PB_TIMEOUT=600
csvs() { find "$RESULTS" -mindepth 2 -maxdepth 2 -name '*.csv' 2>/dev/null | sort; }

# 1. Interrupted once the first result file is there.
# A background job starts with SIGINT ignored; a terminal's Ctrl-C does not.
setsid env --default-signal=INT scripts/demo.sh >"$work/1.log" 2>&1 &
pid=$!
for _ in $(seq 300); do
	[[ -n $(csvs) ]] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 1
done
[[ -n $(csvs) ]] || { tail -n 30 "$work/1.log"; die "no result file within 300 s"; }
kill -INT -- "-$pid"
rc=0
wait "$pid" || rc=$?
[[ $rc == 130 ]] || { tail -n 30 "$work/1.log"; die "interrupted demo: exit $rc, expected 130"; }
grep -q 'run `make demo` again to resume this run' "$work/1.log" || die "no resume hint"
label=$(head -n1 "$RESULTS/.demo-run")
[[ $label =~ -[0-9a-f]{6}-[0-9]{8}-[0-9]{6}$ ]] || die "run name '$label' is not KERNEL-HOST-DATE"
mapfile -t before < <(csvs)
((${#before[@]} >= 1 && ${#before[@]} < 6)) || die "after the interrupt: ${#before[@]} result files"
pgrep -f "qemu-system-x86_64.*$PB_GUEST_DIR" >/dev/null && die "a QEMU is still running after the interrupt"

# 2. The next demo resumes it.
rc=0
scripts/demo.sh >"$work/2.log" 2>&1 || rc=$?
[[ $rc == 0 ]] || { tail -n 30 "$work/2.log"; die "resumed demo: exit $rc"; }
grep -q "resuming your interrupted run $label" "$work/2.log" || die "no 'resuming' message"
grep -q 'already measured' "$work/2.log" || die "the resumed sweep measured everything again"
[[ ! -e $RESULTS/.demo-run ]] || die "the finished run is still marked as interrupted"
mapfile -t after < <(csvs)
((${#after[@]} == 6)) || die "after the resume: ${#after[@]} result files, expected 6 (3 dax devices x 2 methods)"
for f in "${before[@]}"; do [[ -f $f ]] || die "$f was lost"; done
[[ $(find "$RESULTS" -mindepth 1 -maxdepth 1 -type d | wc -l) == 1 ]] || die "the resume made a second run folder"
[[ -s $RESULTS/$label/vs-reference/table.md ]] || die "no comparison with the reference"
compgen -G "$PLOTS/$label/*.png" >/dev/null || die "no graphs in $PLOTS/$label"

# 3. Nothing to resume now: a new run, never the reference.
rc=0
SIZES=2M REGIONS=devdax:/dev/dax0.1 METHODS=rdma scripts/demo.sh >"$work/3.log" 2>&1 || rc=$?
[[ $rc == 0 ]] || { tail -n 30 "$work/3.log"; die "third demo: exit $rc"; }
grep -q 'resuming' "$work/3.log" && die "a finished run was resumed"
[[ $(find "$RESULTS" -mindepth 1 -maxdepth 1 -type d | wc -l) == 2 ]] || die "the third demo did not make a new run"
[[ -z $(git -C "$ROOT" status --porcelain -- results/reference plots/reference) ]] || die "the reference changed"
rm -rf "$work"
echo "demo_resume: interrupted with ${#before[@]} of 6 files, resumed as $label to 6, then a new run: PASS"
