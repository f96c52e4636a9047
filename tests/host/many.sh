#!/usr/bin/env bash
# --chunk and --threads on the host (io_uring on DRAM): bad values refused with
# one line, exit 2 and no file; rows per thread and the totals; SIGINT in the
# middle of a threaded run leaves no pin behind and keeps whole reps.
source "$(dirname "$0")/../lib.sh"

pb list >/dev/null
"$PINBENCH" run --region anon --method iouring --sizes 2M --reps 1 --quiet --outdir "$TMP/probe" >/dev/null 2>&1 ||
	skip "io_uring cannot register buffers here"

# Bad values: one line naming the value, exit 2, nothing written.
bad() { # message-part args...
	local says=$1
	shift
	pb run --region anon --method iouring --sizes 1M,4M --reps 1 --quiet --outdir "$TMP/bad" "$@"
	expect_rc 2 "$*"
	expect_err "$says"
	[ "$(grep -c . "$TMP/err")" = 1 ] || { cat "$TMP/err" >&2; die "$*: more than one line on stderr"; }
	[ ! -e "$TMP/bad" ] || die "$*: left $(find "$TMP/bad" -type f | head -n 1)"
}
bad "--threads 0 is out of range" --threads 0
bad "--threads 'two' is not a whole number" --threads two
bad "--chunk 'lots' is not a size" --chunk lots
bad "--chunk 3000 is not a multiple of anon's align 4K" --chunk 3000
bad "fewer than the threads" --threads 3 --sizes 8K
bad "--context 'own': use shared" --threads 2 --context own
bad "--thread-cpus 'some'" --threads 2 --thread-cpus some
bad "use --io-size instead" --threads 2 --method odirect
bad "leave out --chunk and --threads" --threads 2 --breakdown
bad "at most 16384 in one call" --chunk 4K --sizes 128M

# A threaded, chunked run: a pin and unpin row per thread and rep, a total per rep.
pb run --region anon --method iouring --sizes 4M --reps 3 --warmup 1 --threads 2 --chunk 64K \
	--outdir "$TMP/ok" --label t
expect_rc 0 "threaded run"
f=$(ls "$TMP"/ok/t/*.csv)
case $f in *-t2-c64K.csv) ;; *) die "result name $f does not carry the threads and chunk" ;; esac
grep -q '^# threads: 2 (one context each)$' "$f" || die "no threads metadata (io_uring: a ring per thread)"
grep -q '^# thread_cpus: ' "$f" || die "no thread_cpus metadata"
rows() { data_rows "$f" | awk -F, -v op="$1" '$10 == op' | wc -l; }
[ "$(rows pin)" = 6 ] || die "$(rows pin) pin rows, expected 2 threads x 3 reps"
[ "$(rows unpin)" = 6 ] || die "$(rows unpin) unpin rows"
[ "$(rows pin-total)" = 3 ] || die "$(rows pin-total) pin-total rows"
data_rows "$f" | awk -F, '$10 == "pin" && ($15 != 65536 || $16 != 2 || $17 < 0 || $17 > 1) { bad++ } END { exit bad > 0 }' ||
	die "pin rows lack chunk 65536, threads 2, thread 0/1"
grep -q 'GiB/s at p50 over 2 threads' "$TMP/out" || die "no aggregate rate printed"
if is_root && grep -q nr_foll_pin_acquired /proc/vmstat; then
	grep -q '^# audit: 4M iouring: balanced' "$f" || die "audit of the threaded run is not balanced"
fi
# Two runs in the same second do not collide.
pb run --region anon --method iouring --sizes 1M --reps 1 --outdir "$TMP/twice" --label t --quiet
pb run --region anon --method iouring --sizes 1M --reps 1 --outdir "$TMP/twice" --label t --quiet
expect_rc 0 "second run"
[ "$(ls "$TMP"/twice/t/*.csv | wc -l)" = 2 ] || die "the second run did not get a file of its own"

# SIGINT mid-run: every thread's pins released, whole reps kept.
audit=0
if is_root && grep -q nr_foll_pin_acquired /proc/vmstat; then
	audit=1
	before=$(pins_outstanding)
fi
set +e
$PB_WRAP "$PINBENCH" run --region anon --method iouring --sizes 32M --reps 100000 --warmup 0 --threads 2 \
	--chunk 256K --label sig --outdir "$TMP/sig" --quiet >"$TMP/out" 2>"$TMP/err" &
pid=$!
set -e
p=''
for _ in $(seq 1 200); do
	p=$(ls "$TMP"/sig/sig/*.csv.partial 2>/dev/null | head -n 1 || true)
	[ -n "$p" ] && [ "$(data_rows "$p" | awk -F, '$10 == "pin-total"' | wc -l)" -gt 3 ] && break
	sleep 0.1
done
[ -n "$p" ] || die "no partial file appeared while running"
kill -s INT "$pid"
set +e
wait "$pid"
RC=$?
set -e
expect_rc 130 "SIGINT of a threaded run"
expect_err "every pin was released"
"$PINBENCH" summary "$p" >/dev/null || die "partial file does not parse"
pt=$(data_rows "$p" | awk -F, '$10 == "pin-total"' | wc -l)
ut=$(data_rows "$p" | awk -F, '$10 == "unpin-total"' | wc -l)
[ "$pt" = "$ut" ] || die "$pt pin totals but $ut unpin totals: a rep was cut in half"
if [ "$audit" = 1 ]; then
	after=$(pins_outstanding)
	[ "$after" = "$before" ] || die "pins outstanding before $before, after $after: a thread's pins stayed"
fi
echo ok
