# shellcheck shell=bash
# Checks of list-valued settings shared by the scripts (sourced, not run).

# check_list NAME VALUE: a comma-separated list with no empty element and no
# blank; on a fault one line naming the setting, the value and the fix, and
# exit 2. An empty VALUE is the caller's business (often "use the default").
check_list() {
	local name=$1 v=$2
	[[ -z $v ]] && return 0
	if [[ $v == *[[:space:]]* ]]; then
		printf '%s: %s %q: no blanks allowed; separate items with commas only\n' "${0##*/}" "$name" "$v" >&2
		exit 2
	fi
	if [[ $v == ,* || $v == *, || $v == *,,* ]]; then
		printf "%s: %s '%s': empty element; remove the stray comma\n" "${0##*/}" "$name" "$v" >&2
		exit 2
	fi
	if [[ $v == *: || $v == *:,* ]]; then
		printf "%s: %s '%s': nothing after a colon; give the argument (e.g. hugetlb:2M) or drop the colon\n" "${0##*/}" "$name" "$v" >&2
		exit 2
	fi
}
