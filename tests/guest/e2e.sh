#!/bin/bash
# End-to-end test: boot the QEMU guest with small sizes and check that
#  - three device-dax devices exist with align 4K, 2M and 1G,
#  - the result files record the region's NUMA node (the NVDIMM's node),
#  - every required method returned rows on every dax device; the others may
#    be skipped but must not fail. (iouring is not required: 6.1's io_uring
#    refuses file-backed buffers other than hugetlbfs, devdax included.)
#  - the pin audit gives the verdict expected for the guest kernel's series
#    (expect_audit below): a change of kernel or of the audit shows here.
# Exit 0 pass, 1 fail, 77 skipped (no qemu, no kernel, no pinbench).
# Environment: E2E_METHODS (default odirect,iouring,rdma,vfio),
# E2E_REQUIRE (methods that must have rows; default odirect,rdma,vfio; the
# others may be skipped in the guest (pinbench exit 77) but must not fail),
# E2E_TIMEOUT (seconds, default 280), KERNEL/MODULES/QEMU_ACCEL, PINBENCH.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

skip() { echo "e2e: SKIP: $*"; exit 77; }
fail() { echo "e2e: FAIL: $*"; failed=1; }

command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 not installed (scripts/deps.sh --guest)"
[[ -x /bin/busybox ]] || skip "busybox-static not installed (scripts/deps.sh --guest)"
pb=${PINBENCH:-$ROOT/bench/pinbench}
[[ -x $pb ]] || skip "no $pb (run make)"
if [[ -z ${KERNEL:-} ]]; then
	scripts/qemu/kernel.sh >/dev/null 2>&1 || skip "no guest kernel (apt-get download failed)"
fi

methods=${E2E_METHODS:-odirect,iouring,rdma,vfio}
require=${E2E_REQUIRE:-odirect,rdma,vfio}
out=$ROOT/build/guest/e2e-results
rm -rf "$out"
mkdir -p "$out"
log=$ROOT/build/guest/console.log

t0=$SECONDS
rc=0
scripts/qemu/run.sh --sizes 2M,4M --sizes-1g 1G --reps 2 --methods "$methods" --regions devdax \
	--label e2e --results "$out" --nvdimm-size 6G --namespaces 4K:1G,2M:1G,1G:3G \
	--timeout "${E2E_TIMEOUT:-280}" || rc=$?
echo "e2e: guest run took $((SECONDS - t0)) s, exit $rc"

failed=0
console=$(tr -d '\r' <"$log")
grep -q '^pinbench-guest: SWEEP-RC=' <<<"$console" ||
	fail "the guest did not finish the sweep (run.sh exit $rc, console: $log)"
# Settings the sweep skipped (pinbench exit 77 or method not built) are fine;
# settings that failed are not.
while read -r line; do
	fail "sweep: $line"
done < <(grep -E '^\[[0-9]+/[0-9]+\] .*: FAILED' <<<"$console" || true)

# dax devices the guest reported: "dax daxX.Y align A size S node N"
declare -A dev_align=() dev_node=()
while read -r _ _ dev _ align _ _ _ node; do
	dev_align[$dev]=$align
	dev_node[$dev]=$node
done < <(grep '^pinbench-guest: dax dax' <<<"$console" || true)
aligns=" ${dev_align[*]} "
for a in 4096 2097152 1073741824; do
	[[ $aligns == *" $a "* ]] || fail "no dax device with align $a (got:${aligns% })"
done
((${#dev_align[@]} == 3)) || fail "expected 3 dax devices, got ${#dev_align[@]}"

# For one result file: data rows, and the distinct align and node values.
check_file() { # file want_align want_node
	awk -F, -v wa="$2" -v wn="$3" '
		/^#/ { if ($0 ~ /node/ && $0 ~ ":[ ]*" wn "[ ]*$") meta = 1; next }
		!hdr { for (i = 1; i <= NF; i++) col[$i] = i; hdr = 1; next }
		NF > 1 { n++; if ("status" in col && $col["status"] != "ok") err[$col["status"]]++
			if ("align" in col && $col["align"] != wa) bad_a = $col["align"]
			if ("node" in col) { if ($col["node"] == wn) node_ok++; else bad_n = $col["node"] } }
		END {
			if (n == 0) { print "no data rows"; exit 1 }
			if (bad_a != "") { print "align " bad_a " != " wa; exit 1 }
			if (bad_n != "") { print "node " bad_n " != " wn; exit 1 }
			if (!node_ok && !meta) { print "region node " wn " not recorded"; exit 1 }
			printf "%d rows", n
			for (e in err) printf ", %d with status %s", err[e], e
			print ""
		}' "$1"
}

# The pin audit's expected verdict on device-dax, per kernel series and
# method, for every pin row: "balanced", or "leaked" = exactly every page the
# measured reps pinned (n x size / 4 KiB) is still pinned. On 6.1, 6.12 and
# 7.3 vfio_iommu_type1's put_pfn() does not unpin PageReserved pages and these
# kernels mark ZONE_DEVICE pages reserved, so type1 leaks every device-dax
# page it maps; rdma releases them all (results/ab-6.12/README.md,
# results/reference/ for 6.1, results/type1-devdax/ for 7.3). A series not
# listed here fails the test until its verdicts have been checked and added.
audit_series=" 6.1 6.12 7.3 "
expect_audit() { # series method: prints the verdict, or nothing (not asserted)
	case $1:$2 in
	6.1:rdma | 6.12:rdma | 7.3:rdma) echo balanced ;;
	6.1:vfio | 6.12:vfio | 7.3:vfio) echo leaked ;;
	esac
}
audit_methods=" rdma vfio "
# awk prologue for pinbench summary output: c[NAME] = column of NAME; fails
# when a column the checks read is missing.
# shellcheck disable=SC2016 # awk code, not shell
cols='NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i
	for (k = split("kernel size op n verdict", need, " "); k > 0; k--)
		if (!(need[k] in c)) { print "summary has no column " need[k] > "/dev/stderr"; exit 2 }
	next }
'

IFS=, read -r -a all <<<"$methods"
for dev in "${!dev_align[@]}"; do
	node=${dev_node[$dev]}
	[[ $node =~ ^[0-9]+$ && $node != 0 ]] ||
		fail "$dev: node '$node' (the NVDIMM should be on its own node, 1)"
	for m in "${all[@]}"; do
		f=$(find "$out/e2e" -maxdepth 1 -name "*-$m-devdax-$dev.csv" | head -n1)
		must=0
		[[ ,$require, == *,$m,* ]] && must=1
		if [[ -z $f ]]; then
			why=$(grep -E "^\[[0-9]+/[0-9]+\] $m on devdax:/dev/$dev: (skipped|unsupported)" <<<"$console" | sed -E 's/.*: (skipped|unsupported): *//' | head -n1 || true)
			if ((must)); then
				fail "$m on $dev: no result file${why:+ (skipped: $why)}"
			else
				echo "e2e: skip $m on $dev: ${why:-no result file}"
			fi
			continue
		fi
		if msg=$(check_file "$f" "${dev_align[$dev]}" "$node"); then
			echo "e2e: ok   $m on $dev (align ${dev_align[$dev]}, node $node): $msg"
		else
			fail "$m on $dev: ${f##*/}: $msg"
		fi
		# The pin audit's verdict for each size, against the one expected for
		# this kernel series and method; every pin row must carry counter
		# deltas (the guest kernel counts FOLL_PIN).
		if ! summary=$("$pb" summary "$f"); then
			fail "$m on $dev: pinbench summary failed"
			continue
		fi
		# Columns by their header name: the summary grows columns at its end.
		verdicts=$(awk -F, "$cols"'$c["op"] == "pin" { printf "%s%s=%s", sep, $c["size"], $c["verdict"]; sep = " " }' <<<"$summary" || true)
		kernel=$(awk -F, "$cols"'{ print $c["kernel"]; exit }' <<<"$summary" || true)
		series=$(sed -E 's/^([0-9]+\.[0-9]+).*/\1/' <<<"$kernel")
		echo "e2e: audit $m on $dev (kernel $kernel): $verdicts"
		[[ -n $verdicts ]] || fail "$m on $dev: no pin audit verdict"
		if [[ $audit_methods == *" $m "* ]]; then
			want=$(expect_audit "$series" "$m")
			if [[ $audit_series != *" $series "* || -z $want ]]; then
				fail "$m on $dev: no expected pin audit verdict for kernel $kernel (series '$series'; known:${audit_series% }): check it and add it to expect_audit"
			elif ! bad=$(awk -F, -v want="$want" "$cols"'$c["op"] == "pin" {
					e = want == "leaked" ? sprintf("leaked %.0f pages", $c["n"] * $c["size"] / 4096) : want
					if ($c["verdict"] != e) { printf "%s%s: %s, expected %s", sep, $c["size"], $c["verdict"], e; sep = "; " }
				}' <<<"$summary"); then
				fail "$m on $dev: could not check the pin audit verdicts"
			elif [[ -n $bad ]]; then
				fail "$m on $dev: pin audit on $series: $bad"
			else
				echo "e2e: audit $m on $dev: as expected on $series ($want)"
			fi
		fi
		if awk -F, '!/^#/ && hdr && $10 == "pin" && $13 == "" { bad = 1 } /^label,/ { hdr = 1 } END { exit !bad }' "$f"; then
			fail "$m on $dev: pin rows without counter deltas"
		fi
	done
done

if ((failed)); then
	echo "e2e: FAILED (results in $out, console in $log)"
	exit 1
fi
echo "e2e: PASS in $((SECONDS - t0)) s"
