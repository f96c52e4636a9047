#!/usr/bin/env bash
# scripts/docs-check.sh on a scratch repository: clean files pass; each kind
# of citation the repository cannot back fails and is named.
source "$(dirname "$0")/../lib.sh"
command -v git >/dev/null || skip "git not installed"

repo="$TMP/repo"
mkdir -p "$repo/results/x/report" "$repo/kernel/patches/a"
cd "$repo"
git init -q .
cat >README.md <<'EOF'
# A project
Published figures: [the series](docs/sources.md#martins), 16 GiB.
EOF
# A report's boot table numbers its boots: "#3 1.2 ms" is not an issue.
echo '| compound | rdma | #1 564 ms [544 ms, 819 ms]; #6 1.2 s [902 ms, 1.32 s] |' >results/x/report/report.md
# Patch files are kernel-build inputs: not checked.
echo 'Subject: mm: something (iss''ue 9)' >kernel/patches/a/0001-x.patch
echo '# kernel_version: #1 SMP PREEMPT_DYNAMIC' >results/x/rows.csv
mkdir -p docs
printf '# Sources\n\n### Martins\n\n### GUP history, v5.17-6.17\n' >docs/sources.md
echo 'See [the history](../docs/sources.md#gup-history-v517-617).' >results/x/README.md
git add -A
check_tree() { capture "$TOP/scripts/docs-check.sh" "$repo"; }

check_tree
expect_rc 0 "a clean tree"
grep -q '^docs-check: ok' "$TMP/out" || die "no ok line: $(cat "$TMP/out")"

# expect_bad FILE TEXT WHAT: a tracked line TEXT fails the check, named by WHAT.
expect_bad() {
	printf '%s\n' "$2" >"$1"
	git add "$1"
	check_tree
	[ "$RC" = 1 ] || die "'$2' in $1: exit $RC, expected 1"
	grep -qF "$3" "$TMP/out" || die "'$2': output lacks '$3': $(cat "$TMP/out")"
	grep -qF "$1:1:" "$TMP/out" || die "'$2': output does not name $1:1"
	git rm -q --cached "$1"
	rm "$1"
}
expect_bad notes.md 'As ANCH''ORS.md says, 59 -> 6.1 ms.' "cites ANCH"'ORS'
expect_bad notes.md 'See ..''/shared/notes for the figures.' "shared folder"
expect_bad notes.md 'The patch discussed in the seed'' thread.' "thread or email"
expect_bad notes.md 'The seed'' email asks for 16 GiB.' "thread or email"
expect_bad notes.md '## Fifth kernel (iss''ue 9, optional item)' "issue number"
expect_bad scripts.sh '# Iss''ues 6/9: the sweep.' "issue number"
expect_bad notes.md 'Fixed in (#''12).' "issue number"
expect_bad notes.md 'As #12 asks, every figure.' "bare #number"
expect_bad notes.md 'See [it](docs/sources.md#martins-2021).' "heading docs/sources.md does not have"

# An untracked file is not the repository's: not checked.
echo 'ANCH''ORS' >untracked.md
check_tree
expect_rc 0 "an untracked file"
echo ok
