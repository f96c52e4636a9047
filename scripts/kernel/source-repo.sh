#!/usr/bin/env bash
# A git history made of Debian's kernel source releases, one commit per
# release, for make bisect's --by-dir mode (and tree:DIR@vSERIES). See --help.
set -euo pipefail

PROG=source-repo.sh
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

usage() {
	cat <<EOF
usage: scripts/kernel/source-repo.sh DIR SERIES [SERIES...]

Makes DIR a git repository whose history is Debian's linux-source-SERIES
packages in the order given, one commit each (the first the root), tagged
vSERIES, e.g.
  scripts/kernel/source-repo.sh build/dev/linux-deb 7.2 7.3
gives v7.2 and v7.3 (= v7.2 + every change up to 7.3, as one commit). The
packages come from scripts/kernel/source-deb.sh (Debian's archive through
the private apt state). A DIR that already has the tags is left as it is;
a DIR that is not empty and not such a repository is refused.
EOF
}

refuse() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 2; }
die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 1; }
say() { printf '%s: %s\n' "$PROG" "$*" >&2; }

case ${1:-} in -h | --help) usage; exit 0 ;; esac
(($# >= 2)) || { usage >&2; exit 2; }
DIR=$1
shift
G=(git -C "$DIR" -c user.name=pinbench -c user.email=pinbench@localhost -c core.autocrlf=false)

if [[ -e $DIR/.git ]]; then
	missing=0
	for s in "$@"; do git -C "$DIR" rev-parse -q --verify "refs/tags/v$s" >/dev/null || missing=1; done
	if ((missing == 0)); then say "$DIR has v${*// / v}"; exit 0; fi
	refuse "$DIR is a repository without all of v${*// / v}: remove it or give another DIR"
fi
[[ ! -e $DIR || -z $(ls -A "$DIR") ]] || refuse "$DIR exists and is not empty: give a new folder"
mkdir -p "$DIR"
git -C "$DIR" init -q
git -C "$DIR" config gc.auto 0
# make bisect --by-dir may write its histories here (the tree is ours)
git -C "$DIR" config pinbench.owned true
for s in "$@"; do
	IFS=$'\t' read -r tarball ver < <("$ROOT/scripts/kernel/source-deb.sh" "$s") ||
		die "no source for $s"
	say "v$s: linux-source-$s $ver"
	find "$DIR" -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
	tar -C "$DIR" --strip-components=1 -xf "$tarball"
	"${G[@]}" add -A -f .
	"${G[@]}" commit -q -m "linux-source-$s $ver" -m "Debian's linux-source-$s package, version $ver, as one commit."
	"${G[@]}" tag -f "v$s" >/dev/null
done
say "$DIR: $(git -C "$DIR" log --oneline | wc -l) commit(s), tags $(git -C "$DIR" tag | tr '\n' ' ')"
