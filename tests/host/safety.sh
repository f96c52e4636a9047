#!/usr/bin/env bash
# What pinbench must not do: store into a file region without --write, write
# to an odirect target it did not create, leave its scratch file behind.
source "$(dirname "$0")/../lib.sh"

f="$TMP/data.bin"
head -c $((8 << 20)) /dev/urandom >"$f"
sum=$(sha256sum <"$f")
mtime=$(stat -c %y "$f")   # nanoseconds where the filesystem keeps them
# Content and modification time must both be as they were: a store through a
# shared mapping changes the mtime even when it writes back the same bytes.
unchanged() {
	sync
	[ "$(sha256sum <"$f")" = "$sum" ] || die "file: region content changed without --write ($1)"
	[ "$(stat -c %y "$f")" = "$mtime" ] || die "file: region mtime changed without --write ($1): $mtime -> $(stat -c %y "$f")"
}

pb run --region "file:$f" --method odirect --sizes 4K..8M --reps 2 --outdir "$TMP/res" --quiet
expect_rc 0 "odirect on file:"
grep -q '^# region_written: no$' "$TMP"/res/*/*-odirect-file-data.bin.csv || die "metadata claims the file was written"
unchanged "after odirect"
# A long-term pin for write of a page-cache file: pinned and released on
# kernels that allow it, refused with a message naming the rule on 6.5+.
pb run --region "file:$f" --method iouring --sizes 4K..8M --reps 2 --outdir "$TMP/res" --quiet
if [ "$RC" != 0 ]; then
	expect_rc 2 "iouring on file:"
	expect_err "refuses long-term pins for write of a shared page-cache file"
fi
unchanged "after iouring"
echo "file: region content and mtime unchanged after pins for write: $mtime"

# odirect's own scratch file is removed, on success and on refusal.
export TMPDIR="$TMP/scratch"
mkdir -p "$TMPDIR"
pb run --region anon --method odirect --sizes 1M --reps 2 --outdir "$TMP/res2" --quiet
expect_rc 0 "odirect with a scratch file"
[ -z "$(ls -A "$TMPDIR")" ] || die "scratch file left behind: $(ls "$TMPDIR")"

# A target it did not create: refused without --write, written with it.
tgt="$TMP/target.img"
truncate -s 64M "$tgt"
pb run --region anon --method odirect --sizes 1M --target "$tgt" --outdir "$TMP/res3" --quiet
expect_rc 2 "odirect to a foreign target without --write"
[ -z "$(tr -d '\0' <"$tgt" | head -c 1)" ] || die "refused target was written"
pb run --region anon --method odirect --sizes 1M --target "$tgt" --write --outdir "$TMP/res3" --quiet
expect_rc 0 "odirect to a foreign target with --write"
echo ok
