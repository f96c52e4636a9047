#!/bin/bash
# Does VFIO type1 give device-dax pins back, and what does a leak do to the
# namespace? One guest boot per kernel spec running type1-devdax-guest.sh,
# then a table of what each found. See --help.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"

usage() {
	cat <<EOF
usage: scripts/repro/type1-devdax.sh [--out DIR] [--size SIZE] SPEC...

For each kernel SPEC (as make ab takes them: debian:7.3, LABEL@7.3,
NAME=tree:DIR@REV, ...; scripts/kernel/resolve.sh builds what is not built),
boot the QEMU guest once and, on the 2M-aligned device-dax namespace:
  1. pinbench vfio MAP_DMA/UNMAP_DMA of SIZE (default 256M), 3 reps, with the
     pin audit; pinned pages held system-wide afterwards
  2. the same again: a second map of the same range
  3. ndctl disable-namespace of that namespace, watched for 60 s (a leaked
     pin can block it for ever: its kernel stack is kept)
Each kernel's findings go to DIR/NAME/release.txt (key=value) beside the
result files; DIR/release.md is the table of all of them (default DIR:
build/repro-type1). A namespace is only disabled inside the throw-away guest.
EOF
}
die() { printf 'type1-devdax: %s\n' "$*" >&2; exit 2; }

out=build/repro-type1 size=256M
specs=()
while (($#)); do
	case $1 in
	--out) out=${2:?}; shift 2 ;;
	--size) size=${2:?}; shift 2 ;;
	-h | --help) usage; exit 0 ;;
	-*) die "unknown option '$1' (try --help)" ;;
	*) specs+=("$1"); shift ;;
	esac
done
((${#specs[@]})) || die "name at least one kernel spec (e.g. debian:7.3)"
[[ $size =~ ^[0-9]+[MG]$ ]] || die "--size '$size': use e.g. 256M or 1G (a multiple of 2M)"
scripts/kernel/resolve.sh --check "${specs[@]}" >/dev/null || exit 2
make -s all
mkdir -p "$out"

while IFS=$'\t' read -r name kernel mods; do
	echo "== type1-devdax: $name"
	rm -rf "${out:?}/$name"
	KERNEL=$kernel MODULES=${mods:-} scripts/qemu/run.sh --sizes "$size" --reps 3 \
		--script scripts/repro/type1-devdax-guest.sh --methods vfio --label "$name" \
		--results "$out" --timeout 900 || echo "type1-devdax: the $name guest ended with $? (a blocked namespace can keep it from powering off)"
done < <(scripts/kernel/resolve.sh "${specs[@]}")

scripts/tables/type1-release.sh --full "$out" >"$out/release.md.tmp"
mv "$out/release.md.tmp" "$out/release.md"
cat "$out/release.md"
