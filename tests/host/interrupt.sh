#!/usr/bin/env bash
# SIGINT / SIGTERM in the middle of a run: pins released, rows kept under a
# name that says partial, exit status says interrupted.
source "$(dirname "$0")/../lib.sh"

can_audit=0
if is_root && grep -q nr_foll_pin_acquired /proc/vmstat; then
	can_audit=1
	before=$(pins_outstanding)
fi

for sig in INT TERM; do
	case $sig in INT) want=130 ;; TERM) want=143 ;; esac
	out="$TMP/res-$sig"
	# Long enough to be caught mid-run on any machine: many reps of 64M.
	set +e
	$PB_WRAP "$PINBENCH" run --region anon --method iouring --sizes 4M..64M --reps 100000 --warmup 0 \
		--label sig --outdir "$out" --quiet >"$TMP/out" 2>"$TMP/err" &
	pid=$!
	set -e
	# Wait until rows are on disk, then interrupt.
	for _ in $(seq 1 100); do
		f=$(ls "$out"/sig/*.csv.partial 2>/dev/null | head -n 1 || true)
		[ -n "$f" ] && [ "$(data_rows "$f" | wc -l)" -gt 4 ] && break
		sleep 0.1
	done
	[ -n "$f" ] || die "no partial file appeared while running"
	kill -s "$sig" "$pid"
	set +e
	wait "$pid"
	RC=$?
	set -e
	expect_rc "$want" "SIG$sig"
	expect_err "interrupted by signal"
	[ -z "$(ls "$out"/sig/*.csv 2>/dev/null)" ] || die "an interrupted run left a file that looks complete"
	rows=$(data_rows "$f" | wc -l)
	[ "$rows" -gt 4 ] || die "partial file has $rows rows"
	# Every row is whole: the last line parses.
	"$PINBENCH" summary "$f" >/dev/null || die "partial file does not parse"
	# Each pin row is followed by its unpin row: nothing was left pinned.
	pins=$(data_rows "$f" | awk -F, '$10 == "pin"' | wc -l)
	unpins=$(data_rows "$f" | awk -F, '$10 == "unpin"' | wc -l)
	[ "$pins" = "$unpins" ] || die "SIG$sig: $pins pins but $unpins unpins recorded"
done

if [ "$can_audit" = 1 ]; then
	after=$(pins_outstanding)
	[ "$after" = "$before" ] || die "pins outstanding before $before, after $after: something stayed pinned"
fi
echo ok
