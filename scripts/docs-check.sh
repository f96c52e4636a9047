#!/usr/bin/env bash
# make docs-check: every tracked file cites only what a reader of the
# repository can open. It fails on
#  - "ANCHORS", the old notes file that is not in the repository;
#  - a path into a shared folder beside the repository ([.][.]/shared);
#  - "the seed thread" or "seed email";
#  - an issue number ("issue 9", "issues 6/9", "(#12)"; in documents also a
#    bare "#12" that is not a boot number of a report's table, "#3 1.2 ms");
#  - a link to docs/sources.md#ANCHOR where no heading there makes ANCHOR;
#  - a report whose Input line names an absolute path (a file of one
#    machine, not of the repository: reports name inputs from the top).
# Published figures are cited by their entry in docs/sources.md instead, and
# what an issue asked for is said in words.
#
# Not checked: kernel/patches*/*.patch (the patch files are the kernel
# builds' inputs: their bytes make the hash that names each bzImage in the
# committed kernel.txt files, so their messages stay as they were built) and
# this script (it holds the patterns).
#
# usage: scripts/docs-check.sh [DIR]   (DIR: a git work tree, default this one)
# Exit 0 clean, 1 with each offending line printed.
set -euo pipefail

dir=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$dir"
git rev-parse --is-inside-work-tree >/dev/null 2>&1 || {
	echo "docs-check: $dir is not a git work tree" >&2
	exit 2
}

skip=(':!*.patch' ':!scripts/docs-check.sh')
docs=('*.md' '*README*')
bad=0

# check WHAT GREP-ARGS... -- PATHSPECS...: print the hits, count them.
check() {
	local what=$1 hits line
	shift
	hits=$(git grep -n -I "$@" || true)
	if [[ -n $hits ]]; then
		echo "docs-check: $what:"
		while IFS= read -r line; do echo "  $line"; done <<<"$hits"
		bad=1
	fi
}

check "cites ANCHORS (not in the repository; cite docs/sources.md)" \
	-w -E 'ANCHORS(\.md)?' -- "${skip[@]}"
check "cites a shared folder outside the repository" \
	-E '[.][.]/shared' -- "${skip[@]}"
check "cites the seed thread or email (cite docs/sources.md)" \
	-i -E 'seed[ -](thread|e-?mail)' -- "${skip[@]}"
check "cites an issue number (say what it asked for)" \
	-i -E '\bissues? #?[0-9]+|\(#[0-9]+\)' -- "${skip[@]}"
check "cites a bare #number in a document (say what it refers to)" \
	-E '(^|[[:space:]([])#[0-9]+([^0-9 ]|$| [^0-9 ])' -- "${docs[@]}" "${skip[@]}"
check "a report names an absolute input path (run the report from the checkout's top with relative paths)" \
	-E '^Input: `/' -- '*.md' "${skip[@]}"

# Every link into docs/sources.md names one of its headings (GitHub's anchor:
# lower case, punctuation dropped, blanks to hyphens). The test of this
# script links to headings of its own scratch sources.md: not checked here.
if git ls-files --error-unmatch docs/sources.md >/dev/null 2>&1; then
	anchors=" $(sed -n 's/^#\{1,6\} //p' docs/sources.md | tr '[:upper:]' '[:lower:]' | sed 's/[^a-z0-9 _-]//g; s/ /-/g' | tr '\n' ' ')"
	dangling=
	while IFS= read -r hit; do
		[[ $anchors == *" ${hit##*#} "* ]] || dangling+="  $hit"$'\n'
	done < <(git grep -n -I -o -E 'sources\.md#[A-Za-z0-9_-]+' -- "${skip[@]}" ':!tests/host/docs-check.sh' || true)
	if [[ -n $dangling ]]; then
		printf 'docs-check: links to a heading docs/sources.md does not have:\n%s' "$dangling"
		bad=1
	fi
fi

if ((bad)); then
	echo "docs-check: FAILED"
	exit 1
fi
echo "docs-check: ok ($(git ls-files | wc -l) tracked files)"
