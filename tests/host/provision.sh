#!/usr/bin/env bash
# scripts/provision.sh touches only what it is given, and nothing without
# --force. Runs against a fake sysfs and fake ndctl/daxctl that log calls.
source "$(dirname "$0")/../lib.sh"

sys="$TMP/sys"
mkdir -p "$sys/bus/nd/devices/region0" "$sys/bus/nd/devices/region1" \
	"$sys/bus/nd/devices/namespace0.0" "$sys/bus/nd/devices/namespace1.0" \
	"$sys/bus/dax/devices/dax0.0" "$sys/bus/dax/devices/dax1.0" "$TMP/bin"
echo "nmem0,0,4194304,0" >"$sys/bus/nd/devices/region0/mapping0"
echo "nmem1,0,4194304,0" >"$sys/bus/nd/devices/region1/mapping0"
for tool in ndctl daxctl; do
	cat >"$TMP/bin/$tool" <<EOT
#!/bin/sh
echo "$tool \$*" >>"$TMP/calls"
case "\$1" in create-namespace) echo '{"dev":"namespace0.1","daxregion":{"devices":[{"chardev":"dax0.1"}]}}' ;; esac
EOT
	chmod +x "$TMP/bin/$tool"
done
export PATH="$TMP/bin:$PATH" PROVISION_SYSFS="$sys"
P="$TOP/scripts/provision.sh"
calls() { cat "$TMP/calls" 2>/dev/null || true; }
run() {
	: >"$TMP/calls"
	capture "$P" "$@"
}

# Without --force: says what it would do, runs nothing that changes anything.
for args in "create --region region0 --align 2M --size 1G" "destroy --namespace namespace0.0" \
	"init-labels --region region0" "reconfigure --dev dax0.0 --mode system-ram"; do
	# shellcheck disable=SC2086
	run $args
	expect_rc 0 "provision $args (dry run)"
	grep -q '^would run: ' "$TMP/out" || die "provision $args: no 'would run' line"
	[ -z "$(calls)" ] || die "provision $args without --force ran: $(calls)"
done

# With --force: exactly the named object, nothing else.
run destroy --namespace namespace1.0 --force
expect_rc 0 "destroy --force"
[ "$(calls)" = "ndctl destroy-namespace -f namespace1.0" ] || die "destroy ran: $(calls)"
run create --region region1 --align 1G --size 3G --force
expect_rc 0 "create --force"
[ "$(calls)" = "ndctl create-namespace -r region1 -m devdax -a 1G -s 3G" ] || die "create ran: $(calls)"
grep -qx /dev/dax0.1 "$TMP/out" || die "create did not print the new device"
run create --region region1 --align 2M --size 4G --map mem --force
expect_rc 0 "create --map mem --force"
[ "$(calls)" = "ndctl create-namespace -r region1 -m devdax -a 2M -s 4G -M mem" ] || die "create --map mem ran: $(calls)"
run create --region region1 --align 4K --size 4G --map dev
expect_rc 0 "create --map dev (dry run)"
grep -qx 'would run: ndctl create-namespace -r region1 -m devdax -a 4K -s 4G -M dev' "$TMP/out" ||
	die "create --map dev dry run: $(cat "$TMP/out")"
[ -z "$(calls)" ] || die "create --map dev without --force ran: $(calls)"
run init-labels --region region1 --force
expect_rc 0 "init-labels --force"
[ "$(calls | tr '\n' '|')" = "ndctl disable-region region1|ndctl init-labels -f nmem1|ndctl enable-region region1|" ] ||
	die "init-labels ran: $(calls)"
run reconfigure --dev /dev/dax1.0 --mode devdax --force
expect_rc 0 "reconfigure --force"
[ "$(calls)" = "daxctl reconfigure-device -m devdax dax1.0" ] || die "reconfigure ran: $(calls)"

# Refusals, each with --force, each touching nothing.
refusals=(
	"no namespace9.9 here|destroy --namespace namespace9.9"
	"destroy needs --namespace namespaceX.Y|destroy --namespace all"
	"destroy needs --namespace namespaceX.Y|destroy --namespace namespace0.0;reboot"
	"no region7 here|create --region region7 --align 2M --size 1G"
	"bad region name|create --region all --align 2M --size 1G"
	"align must be 4K, 2M or 1G|create --region region0 --align 3M --size 1G"
	"bad size|create --region region0 --align 2M --size lots"
	"--map 'ram': must be mem (struct pages in RAM) or dev (on the pmem)|create --region region0 --align 2M --size 1G --map ram"
	"create needs --region, --align and --size|create --region region0"
	"no region5 here|init-labels --region region5"
	"no dax5.0 here|reconfigure --dev dax5.0 --mode devdax"
	"--mode must be devdax or system-ram|reconfigure --dev dax0.0 --mode kmem"
	"unknown command|format --region region0"
)
for r in "${refusals[@]}"; do
	IFS='|' read -r msg args <<<"$r"
	# shellcheck disable=SC2086
	run $args --force
	[ "$RC" != 0 ] || die "provision $args: accepted"
	grep -qF -- "$msg" "$TMP/err" || { cat "$TMP/err" >&2; die "provision $args: message lacks '$msg'"; }
	[ -z "$(calls)" ] || die "provision $args was refused but ran: $(calls)"
done
echo "provision: 5 dry runs, 5 forced runs, ${#refusals[@]} refusals"
