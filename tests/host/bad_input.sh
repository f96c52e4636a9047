#!/usr/bin/env bash
# Bad invocations: each gets a non-zero exit, one message that names the
# problem, and leaves no file behind.
source "$(dirname "$0")/../lib.sh"

OUT="$TMP/res"
mkdir -p "$TMP/ro" "$TMP/target"
: >"$TMP/plainfile"
truncate -s 64M "$TMP/target/someone-elses.img"
chmod 555 "$TMP/ro"
printf 'label,kernel\nx,y\n' >"$TMP/notresults.csv"
printf '# nothing\n' >"$TMP/empty.csv"

R="--outdir $OUT --quiet"
# exit | expected message | arguments
cases=(
	"2|no --region given|run --method iouring $R"
	"2|no --method given|run --region anon $R"
	"2|unknown method 'teleport'|run --region anon --method teleport $R"
	"2|unknown region kind 'dram'|run --region dram --method iouring $R"
	"2|unknown region kind ''|run --region :x --method iouring $R"
	"2|'2X' is not a size|run --region anon --method iouring --sizes 2X $R"
	"2|'1.5G' is not a size|run --region anon --method iouring --sizes 1.5G $R"
	"2|runs backwards|run --region anon --method iouring --sizes 1G..2M $R"
	"2|both ends must be powers of two|run --region anon --method iouring --sizes 3M..12M $R"
	"2|empty element in the size list '2M,,4M'|run --region anon --method iouring --sizes 2M,,4M $R"
	"2|empty element in the size list '2M,'|run --region anon --method iouring --sizes 2M, $R"
	"2|empty element in the size list ',4K'|run --region anon --method iouring --sizes ,4K $R"
	"2|--region 'hugetlb:': nothing after the colon|run --region hugetlb: --method iouring $R"
	"2|--region 'devdax:': nothing after the colon|run --region devdax: --method iouring $R"
	"2|--region 'fsdax:': nothing after the colon|run --region fsdax: --method iouring $R"
	"2|is zero|run --region anon --method iouring --sizes 0 $R"
	"2|no sizes given|run --region anon --method iouring --sizes= $R"
	"2|too large|run --region anon --method iouring --sizes 99999999999999999999 $R"
	"2|not a multiple of the 4K alignment|run --region anon --method iouring --sizes 6000 $R"
	"2|not a multiple of the 2M alignment|run --region thp --method iouring --sizes 1M $R"
	"2|hugetlb page size '3M' is not supported|run --region hugetlb:3M --method iouring $R"
	"2|thp takes no argument|run --region thp:2M --method iouring $R"
	"2|anon takes no argument|run --region anon:1 --method iouring $R"
	"77|cannot use /dev/dax9.9|run --region devdax:/dev/dax9.9 --method iouring $R"
	"2|is not a character device|run --region devdax:$TMP/plainfile --method iouring $R"
	"2|needs a device|run --region devdax --method iouring $R"
	"77|cannot use $TMP/nofile|run --region fsdax:$TMP/nofile --method iouring $R"
	"2|is not on a DAX filesystem|run --region fsdax:$TMP/plainfile --method iouring $R"
	"2|is larger than|run --region file:$TMP/plainfile --method iouring --sizes 4K $R"
	"2|is not a regular file|run --region file:$TMP --method iouring $R"
	"2|--reps 0 is out of range|run --region anon --method iouring --reps 0 $R"
	"2|--reps 'ten' is not a whole number|run --region anon --method iouring --reps ten $R"
	"2|--warmup -1 is out of range|run --region anon --method iouring --warmup -1 $R"
	"2|--io-size 1K is out of range|run --region anon --method odirect --io-size 1K $R"
	"2|unknown option '--colour'|run --region anon --method iouring --colour $R"
	"2|--reps needs a value|run --region anon --method iouring $R --reps"
	"2|unexpected argument 'extra'|run --region anon --method iouring $R extra"
	"2|--label 'a/b' may hold only|run --region anon --method iouring --label a/b $R"
	"2|NUMA node 99 does not exist|run --region anon --method iouring --node 99 $R"
	"2|cannot run on CPU 4095|run --region anon --method iouring --cpu 4095 $R"
	"2|odirect would overwrite|run --region anon --method odirect --sizes 4K --target $TMP/target/someone-elses.img $R"
	"2|odirect target $TMP/nothere|run --region anon --method odirect --sizes 4K --target $TMP/nothere $R"
	"2|names a folder|run --region anon --method iouring --sizes 4K --out $TMP/res/"
	"2|cannot create output folder|run --region anon --method iouring --sizes 4K --outdir /proc/nope --quiet"
	"2|unknown command 'frobnicate'|frobnicate"
	"2|no result files given|summary"
	"2|not a pinbench result header|summary $TMP/notresults.csv"
	"2|no result header|summary $TMP/empty.csv"
	"2|cannot read '$TMP/missing.csv'|summary $TMP/missing.csv"
	"2|unknown argument '--bogus'|list --bogus"
)
if ! is_root; then
	cases+=("2|cannot write|run --region anon --method iouring --sizes 4K --outdir $TMP/ro --quiet")
fi

n=0
for c in "${cases[@]}"; do
	IFS='|' read -r want msg args <<<"$c"
	# shellcheck disable=SC2086
	pb $args
	[ "$RC" = "$want" ] || { cat "$TMP/err" >&2; die "pinbench $args: exit $RC, expected $want"; }
	grep -qF -- "$msg" "$TMP/err" || { cat "$TMP/err" >&2; die "pinbench $args: message lacks '$msg'"; }
	[ "$(grep -c . "$TMP/err")" -le 12 ] || die "pinbench $args: more than a short message"
	left=$(find "$OUT" "$TMP/ro" "$TMP/target" -type f ! -name someone-elses.img 2>/dev/null | head -n 1 || true)
	[ -z "$left" ] || die "pinbench $args left $left behind"
	n=$((n + 1))
done
# The target that was refused is untouched.
[ "$(stat -c %s "$TMP/target/someone-elses.img")" = $((64 << 20)) ] || die "refused target changed size"
[ -z "$(tr -d '\0' <"$TMP/target/someone-elses.img" | head -c 1)" ] || die "refused target was written"
echo "$n bad invocations refused"
