#!/bin/bash
# scripts/docs-tables.sh: a marked table matches its command, a drifted one
# fails with the diff, --update rewrites only the table, a failing command
# is an error.
. "$(dirname "$0")/../lib.sh"
T=$TOP/scripts/docs-tables.sh
md=$TMP/doc.md
cat >"$md" <<'MD'
# A document

<!-- table: printf '| a | b |\n|---|---|\n| x | 1 |\n' -->
| a | b |
|---|---|
| x | 1 |

Text after the table.
MD
capture "$T" "$md"
expect_rc 0 "a table that matches its command"
sed -i 's/^| x | 1 |$/| x | 2 |/' "$md"
capture "$T" "$md"
expect_rc 1 "a table edited by hand"
grep -q 'differs from what' "$TMP/out" || die "no diff shown: $(cat "$TMP/out")"
capture "$T" --update "$md"
expect_rc 0 "--update"
grep -q '^| x | 1 |$' "$md" || die "--update did not restore the table"
grep -q '^Text after the table\.$' "$md" || die "--update lost the text after the table"
[[ $(grep -c '^|' "$md") == 3 ]] || die "--update left $(grep -c '^|' "$md") table lines, expected 3"
printf '<!-- table: exit 3 -->\n| z |\n' >"$TMP/bad.md"
capture "$T" "$TMP/bad.md"
expect_rc 2 "a command that fails"
echo "docs-tables: match, drift, --update and a failing command"
