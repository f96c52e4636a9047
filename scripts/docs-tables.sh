#!/usr/bin/env bash
# Tables of figures in documents, regenerated from the committed data. A
# table is marked by the line before it:
#   <!-- table: COMMAND -->
# COMMAND runs from the repository's top (bash -c) and must print the table
# exactly: the block of lines starting with "|" that follows the marker.
# usage: scripts/docs-tables.sh [--update] [FILE.md...]   (default: every
# tracked *.md with a marker). Exit 0 all match (or were updated), 1 a table
# differs from what its command prints (the diff is shown), 2 bad usage or a
# command that failed.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

update=0
files=()
for a in "$@"; do
	case $a in
	--update) update=1 ;;
	-h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "docs-tables: unknown option '$a' (try --help)" >&2; exit 2 ;;
	*) files+=("$a") ;;
	esac
done
((${#files[@]})) || mapfile -t files < <(git grep -l -F '<!-- table: ' -- '*.md' ':!scripts/docs-tables.sh' || true)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0 n=0
for f in "${files[@]}"; do
	[[ -f $f ]] || { echo "docs-tables: no file $f" >&2; exit 2; }
	# Split the file: each marker's command, and the table after it.
	awk -v dir="$tmp" '
		/^<!-- table: .* -->$/ { k++; cmd = $0; sub(/^<!-- table: /, "", cmd); sub(/ -->$/, "", cmd)
			print cmd > (dir "/cmd" k); close(dir "/cmd" k); printf "" > (dir "/old" k); intable = 1; next }
		intable && /^\|/ { print >> (dir "/old" k); next }
		{ intable = 0 }
		END { print k + 0 > (dir "/count") }' "$f"
	count=$(cat "$tmp/count")
	for ((k = 1; k <= count; k++)); do
		n=$((n + 1))
		cmd=$(cat "$tmp/cmd$k")
		if ! bash -c "$cmd" >"$tmp/new$k" 2>"$tmp/err"; then
			echo "docs-tables: $f, table $k: '$cmd' failed: $(tail -n1 "$tmp/err")" >&2
			exit 2
		fi
		if ! cmp -s "$tmp/old$k" "$tmp/new$k"; then
			if ((update)); then
				echo "docs-tables: $f, table $k: updated"
			else
				echo "docs-tables: $f, table $k differs from what '$cmd' prints:"
				diff "$tmp/old$k" "$tmp/new$k" | sed 's/^/  /' | head -n 20
				bad=1
			fi
		fi
	done
	if ((update)); then
		# Put each command's output in place of its table.
		awk -v dir="$tmp" '
			/^<!-- table: .* -->$/ { print; k++; while ((getline l < (dir "/new" k)) > 0) print l; close(dir "/new" k); skip = 1; next }
			skip && /^\|/ { next }
			{ skip = 0; print }' "$f" >"$tmp/out"
		cat "$tmp/out" >"$f"
	fi
	rm -f "$tmp"/cmd* "$tmp"/old* "$tmp"/new*
done
if ((bad)); then
	echo "docs-tables: FAILED (scripts/docs-tables.sh --update rewrites them from the data)"
	exit 1
fi
echo "docs-tables: ok ($n table(s) in ${#files[@]} file(s) match their commands)"
