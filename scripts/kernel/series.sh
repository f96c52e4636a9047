# shellcheck shell=bash
# The patch files of a label folder, in the order they are applied. Sourced
# by build.sh and resolve.sh (and tests/host/kernel_series.sh); not run.
#
# A label folder (kernel/patches[-SERIES]/LABEL, or a folder of your own)
# either holds a plain-text file `series` (as quilt's) or not:
#  - with `series`: each line names one patch file, relative to the folder
#    (the project's labels name ../patches/NAME.patch, the one stored copy
#    of each patch of the series folder); blank lines and lines starting
#    with # are skipped; applied in the order of the lines. Other *.patch
#    files in the folder are not applied. An empty series: no patch.
#  - without: its *.patch files in name order (git format-patch output).
#
#   series_patches DIR   the patch files of DIR, one path a line, in order
#                        (a series entry as DIR/ENTRY with . and .. folded)
#   series_check DIR     returns 1 and prints "DIR/series: missing patch
#                        ENTRY" for the first entry that is not a file;
#                        returns 0 (silent) when all are, or DIR has no series
#   SERIES_STORE         the name of the series folder's store (patches)

# shellcheck disable=SC2034 # read by the scripts that source this file
SERIES_STORE=patches

# The entries of DIR/series as written (trimmed, comments and blanks dropped).
series_entries() {
	local line
	while IFS= read -r line || [[ -n $line ]]; do
		line=${line%$'\r'}
		line=${line#"${line%%[![:space:]]*}"}
		line=${line%"${line##*[![:space:]]}"}
		[[ -z $line || $line == \#* ]] || printf '%s\n' "$line"
	done <"$1/series"
}

# DIR/ENTRY with . and .. folded (symlinks kept), or ENTRY when absolute.
series_path() {
	case $2 in
	/*) printf '%s\n' "$2" ;;
	*) realpath -ms -- "$1/$2" ;;
	esac
}

series_patches() {
	local dir=$1 e
	if [[ -f $dir/series ]]; then
		while IFS= read -r e; do series_path "$dir" "$e"; done < <(series_entries "$dir")
	else
		find "$dir" -maxdepth 1 -name '*.patch' -type f | LC_ALL=C sort
	fi
}

series_check() {
	local dir=$1 e
	[[ -f $dir/series ]] || return 0
	while IFS= read -r e; do
		[[ -f $(series_path "$dir" "$e") ]] || { printf '%s/series: missing patch %s\n' "$dir" "$e"; return 1; }
	done < <(series_entries "$dir")
}
