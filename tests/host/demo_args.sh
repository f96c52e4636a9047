#!/usr/bin/env bash
# make demo refuses bad settings before it installs, builds or boots
# anything: exit 2, one line naming the setting and the value, and no run
# folder or resume marker left behind.
source "$(dirname "$0")/../lib.sh"

export RESULTS=$TMP/results PLOTS=$TMP/plots
# expected message | settings
cases=(
	"REPS='0' is not a positive whole number|REPS=0"
	"REPS='five' is not a positive whole number|REPS=five"
	"SIZES '2M,,4M': empty element|SIZES=2M,,4M"
	"SIZES_1G '1G,': empty element|SIZES_1G=1G,"
	"METHODS: unknown method 'teleport'|METHODS=rdma,teleport"
	"REGIONS 'hugetlb:': nothing after a colon|REGIONS=hugetlb:"
	"LABEL='a/b': use letters|LABEL=a/b"
	"LABEL='reference' is a committed set|LABEL=reference"
	"FRESH='yes': use FRESH=1|FRESH=yes"
	"REFERENCE='$TMP/none' is not a folder|REFERENCE=$TMP/none"
)
n=0
for c in "${cases[@]}"; do
	IFS='|' read -r msg setting <<<"$c"
	capture env "$setting" bash "$TOP/scripts/demo.sh"
	[ "$RC" = 2 ] || { cat "$TMP/out" "$TMP/err"; die "$setting: exit $RC, expected 2"; }
	grep -qF -- "$msg" "$TMP/err" || { cat "$TMP/err"; die "$setting: message lacks '$msg'"; }
	[ "$(grep -c . "$TMP/err")" = 1 ] || { cat "$TMP/err"; die "$setting: more than one line"; }
	! grep -q '1/5 dependencies' "$TMP/out" || die "$setting: went on to install"
	[ ! -e "$RESULTS" ] && [ ! -e "$PLOTS" ] || die "$setting: left $RESULTS or $PLOTS behind"
	n=$((n + 1))
done
bash "$TOP/scripts/demo.sh" --help | grep -q 'FRESH=1' || die "--help does not explain FRESH"
bash "$TOP/scripts/demo.sh" --bogus >/dev/null 2>&1 && die "an unknown argument was accepted"
echo "ok: $n bad settings refused before anything was installed"
