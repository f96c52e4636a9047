#!/usr/bin/env bash
# scripts/memmap/measure.sh: nothing changes without --force; with it, exactly
# one namespace per case is created, cycled and destroyed (also when a step
# fails), and the rows carry what /proc and sysfs said. Runs against a fake
# sysfs, a fake /proc and a fake ndctl that logs its calls.
source "$(dirname "$0")/../lib.sh"

sys=$TMP/sys proc=$TMP/proc
mkdir -p "$sys/bus/nd/devices/region0" "$sys/bus/dax/devices" "$proc/sys/vm" "$TMP/bin"
echo "nmem0,0,8589934592,0" >"$sys/bus/nd/devices/region0/mapping0"
: >"$proc/sys/vm/stat_refresh"
echo 500000 >"$TMP/free"
mkvmstat() { printf 'nr_free_pages %s\nnr_zone_inactive_anon 7\nnr_slab_reclaimable 10\nnr_slab_unreclaimable 20\n' "$(cat "$TMP/free")" >"$proc/vmstat"; }
mkvmstat
printf 'MemTotal: 2000000 kB\nPercpu: 512 kB\n' >"$proc/meminfo"
printf 'Node 0, zone   Normal\n  pagesets\n    cpu: 0\n              count: 30\n    cpu: 1\n              count: 12\n' >"$proc/zoneinfo"
# Enabling takes 4100 pages, disabling gives them back; create takes 4200.
cat >"$TMP/bin/ndctl" <<EOT
#!/bin/bash
echo "ndctl \$*" >>"$TMP/calls"
sys=$sys
take() { echo \$((\$(cat "$TMP/free") - \$1)) >"$TMP/free"; printf 'nr_free_pages %s\nnr_slab_reclaimable 10\nnr_slab_unreclaimable 20\n' "\$(cat "$TMP/free")" >"$proc/vmstat"; }
case "\$1" in
create-namespace)
	mode=ram; [[ " \$* " == *" -M dev "* ]] && mode=pmem
	n=\$sys/bus/nd/devices/namespace0.1 p=\$sys/bus/nd/devices/dax0.1
	mkdir -p "\$n" "\$p" "\$sys/bus/dax/devices/dax0.1"
	echo 4294967296 >"\$n/size"; echo 0x240000000 >"\$n/resource"; echo dax0.1 >"\$n/holder"
	echo \$mode >"\$p/mode"; echo 0x244200000 >"\$p/resource"; echo 4225761280 >"\$p/size"
	echo 4225761280 >"\$sys/bus/dax/devices/dax0.1/size"
	take 4200
	echo '{"dev":"namespace0.1","mode":"devdax","daxregion":{"devices":[{"chardev":"dax0.1"}]}}' ;;
destroy-namespace) rm -rf "\$sys/bus/nd/devices/namespace0.1" "\$sys/bus/nd/devices/dax0.1" "\$sys/bus/dax/devices/dax0.1" ;;
enable-namespace) [[ -n \${FAIL_ENABLE:-} ]] && exit 1; take 4100 ;;
disable-namespace) take -4100 ;;
esac
exit 0
EOT
chmod +x "$TMP/bin/ndctl"
export PATH="$TMP/bin:$PATH" MEMMAP_SYSFS="$sys" MEMMAP_PROC="$proc" PROVISION_SYSFS="$sys"
M="$TOP/scripts/memmap/measure.sh"
calls() { cat "$TMP/calls" 2>/dev/null || true; }
run() {
	: >"$TMP/calls"
	capture "$M" "$@"
}

# --help, and a dry run: the plan, nothing run, no file.
run --help
expect_rc 0 "--help"
grep -q -- '--force' "$TMP/out" || die "--help does not mention --force"
run --region region0 --cases 2M:4G:mem,1G:4G:dev --out "$TMP/dry.csv"
expect_rc 0 "dry run"
grep -q 'would run: .*provision.sh create --region region0 --align 2M --size 4G --map mem --force' "$TMP/out" ||
	die "dry run lacks the create line: $(cat "$TMP/out")"
grep -q 'would run: .*destroy' "$TMP/out" || die "dry run lacks the destroy line"
[ -z "$(calls)" ] || die "dry run ran: $(calls)"
[ ! -e "$TMP/dry.csv" ] || die "dry run wrote $TMP/dry.csv"

# Forced: create, 2 x (disable, enable), destroy, per case; rows as read.
run --region region0 --cases 2M:4G:mem,1G:4G:dev --rounds 2 --settle 0 --label test-k --out "$TMP/raw.csv" --force
expect_rc 0 "forced run"
want="ndctl create-namespace -r region0 -m devdax -a 2M -s 4G -M mem|ndctl disable-namespace namespace0.1|ndctl enable-namespace namespace0.1|ndctl disable-namespace namespace0.1|ndctl enable-namespace namespace0.1|ndctl destroy-namespace -f namespace0.1|"
want+="ndctl create-namespace -r region0 -m devdax -a 1G -s 4G -M dev|ndctl disable-namespace namespace0.1|ndctl enable-namespace namespace0.1|ndctl disable-namespace namespace0.1|ndctl enable-namespace namespace0.1|ndctl destroy-namespace -f namespace0.1|"
[ "$(calls | tr '\n' '|')" = "$want" ] || die "forced run called: $(calls | tr '\n' '|')"
[ ! -e "$sys/bus/nd/devices/namespace0.1" ] || die "the namespace was left behind"
[ "$(head -n1 "$TMP/raw.csv")" = "label,kernel,align,map,namespace,namespace_bytes,ns_resource,pfn_mode,pfn_resource,pfn_bytes,dax_bytes,seq,state,free_pages,pcp_pages,memmap_pages,slab_pages,percpu_kib" ] ||
	die "raw header: $(head -n1 "$TMP/raw.csv")"
[ "$(wc -l <"$TMP/raw.csv")" = 13 ] || die "want 12 rows, got: $(cat "$TMP/raw.csv")"
# Before the first create, then after create, then off/on/off/on.
got=$(awk -F, 'NR > 1 && $3 == "2M" { printf "%s:%s:%s ", $13, $14, $15 }' "$TMP/raw.csv")
[ "$got" = "none:500000:42 on:495800:42 off:499900:42 on:495800:42 off:499900:42 on:495800:42 " ] ||
	die "2M readings: $got"
awk -F, 'NR > 1 { if ($1 != "test-k" || $5 != "namespace0.1" || $6 != 4294967296 || $11 != 4225761280 || $16 != "" || $17 != 30 || $18 != 512) exit 1 }' "$TMP/raw.csv" ||
	die "row fields: $(sed -n 2p "$TMP/raw.csv")"
awk -F, 'NR > 1 && $3 == "2M" && $8 != "ram" { exit 1 } NR > 1 && $3 == "1G" && $8 != "pmem" { exit 1 }' "$TMP/raw.csv" ||
	die "pfn mode not read from sysfs"

# nr_memmap_pages is read where the kernel has it.
printf 'nr_free_pages 1000\nnr_memmap_pages 16384\n' >"$proc/vmstat"
run --region region0 --cases 4K:4G:mem --rounds 1 --settle 0 --out "$TMP/raw2.csv" --force
expect_rc 0 "forced run with nr_memmap_pages"
awk -F, 'NR == 2 && $16 != 16384 { exit 1 }' "$TMP/raw2.csv" || die "nr_memmap_pages not read: $(sed -n 2p "$TMP/raw2.csv")"

# A step that fails: exit 1, and the namespace is still destroyed.
mkvmstat
FAIL_ENABLE=1 run --region region0 --cases 2M:4G:mem --rounds 2 --settle 0 --out "$TMP/raw3.csv" --force
expect_rc 1 "enable failing"
expect_err "enable-namespace namespace0.1 failed"
calls | grep -qx "ndctl destroy-namespace -f namespace0.1" || die "failed run did not destroy: $(calls)"
[ ! -e "$sys/bus/nd/devices/namespace0.1" ] || die "the namespace was left behind after a failure"

# Bad input: one line naming the value, exit 2, nothing run, no file.
refusals=(
	"--region regionN is required|--cases 2M:4G:mem"
	"bad region name 'all'|--region all"
	"no region7 here|--region region7"
	"case '3M:4G:mem'|--region region0 --cases 3M:4G:mem"
	"case '2M:4G:ram'|--region region0 --cases 2M:4G:ram"
	"case '2M:lots:mem'|--region region0 --cases 2M:lots:mem"
	"--rounds '0'|--region region0 --rounds 0"
	"--settle 'x'|--region region0 --settle x"
	"--label 'a b'|--region region0 --label a\ b"
	"--out $TMP/raw.csv exists|--region region0 --out $TMP/raw.csv"
	"unknown argument '--bogus'|--region region0 --bogus"
)
for r in "${refusals[@]}"; do
	IFS='|' read -r msg args <<<"$r"
	eval "set -- $args"
	run --out "$TMP/refused.csv" "$@" --force
	[ "$RC" = 2 ] || die "measure $args: exit $RC, want 2"
	[ "$(wc -l <"$TMP/err")" = 1 ] || die "measure $args: more than one line: $(cat "$TMP/err")"
	grep -qF -- "$msg" "$TMP/err" || die "measure $args: message lacks '$msg': $(cat "$TMP/err")"
	[ -z "$(calls)" ] || die "measure $args was refused but ran: $(calls)"
	[ ! -e "$TMP/refused.csv" ] || die "measure $args was refused but wrote a file"
done
echo "memmap measure: 1 dry run, 3 forced runs, ${#refusals[@]} refusals"
