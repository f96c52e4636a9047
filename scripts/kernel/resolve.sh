#!/usr/bin/env bash
# Turn make ab's kernel specs into bootable kernels: build what is missing,
# fetch Debian's, print "NAME<TAB>KERNEL[<TAB>MODULES]" per spec. See --help.
set -euo pipefail

PROG=resolve.sh
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KB=${PINBENCH_KBUILD:-$ROOT/build/kernel}
# shellcheck source=scripts/kernel/series.sh
. "$ROOT/scripts/kernel/series.sh"

usage() {
	cat <<EOF
usage: scripts/kernel/resolve.sh [--check] SPEC...

Each SPEC names one guest kernel of make ab:
  LABEL               kernel/patches/LABEL on Debian's 6.1 (scripts/kernel/build.sh)
  LABEL@6.12          kernel/patches-6.12/LABEL on 6.12 (build.sh's 6.12 series)
  NAME=patches:DIR    the *.patch files in DIR (git format-patch), on 6.1
                      (NAME@6.12=patches:DIR: on 6.12), built like a label;
                      a DIR with a file 'series' (a label folder such as
                      kernel/patches-7.3/type1-zone-device): the patches it
                      names, in its order (scripts/kernel/series.sh)
  NAME=tree:DIR[@REV] a kernel source tree of your own: its work tree as it is,
                      or (@REV) a git revision of it; exported under
                      build/kernel/trees/ and built there out of tree, the
                      tree itself untouched (scripts/kernel/tree.sh --help)
  NAME=bzimage:FILE   a bzImage you built (needs the options of
                      kernel/config/pinbench.config built in)
  debian:SERIES[.POINT]  Debian's stock kernel (debian:6.18, debian:7.3.4, debian:6.1;
                      named debian-SERIES[.POINT]; NAME=debian:... names it), an image
                      plus its modules, fetched by scripts/qemu/debian-kernel.sh
  mine                your patch: MINE=patches:DIR|tree:DIR[@REV]|bzimage:FILE, or MINE=PATH
                      (a folder of *.patch, a kernel tree, one .patch file or a bzImage);
                      patches go on the release BASE (see --mine-base)
Builds are cached (build.sh: by a hash of the inputs; a tree: make's own
incremental build). Prints one line per spec: NAME<TAB>path of its bzImage,
and for a Debian kernel NAME<TAB>vmlinuz<TAB>its lib/modules/RELEASE folder.

  --check     only check the specs (nothing is built); prints NAME<TAB>KIND<TAB>ARG
  --mine-base print the release MINE's patches are built on (and make ab's
              baseline compound@BASE): BASE=6.1|6.12|7.3 when set; else the
              series of a folder under kernel/patches[-SERIES]/ (so
              MINE=kernel/patches/longterm-fast is a 6.1 series); else 7.3,
              the newest
  -h, --help  this text
EOF
}

die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 2; }
log() { printf '%s: %s\n' "$PROG" "$*" >&2; }

SERIES_ALL='6.1 6.12 7.3'
# The release MINE's patches are built on (see --mine-base).
mine_base() {
	local b=${BASE:-} m=${MINE:-} d
	if [[ -n $b ]]; then
		[[ " $SERIES_ALL " == *" $b "* ]] || die "BASE '$b': use one of $SERIES_ALL (the Debian release your patches apply to)"
		printf '%s\n' "$b"
		return
	fi
	m=${m#patches:}
	if [[ -e $m ]]; then
		d=$(realpath "$m")
		case $d in
		"$ROOT"/kernel/patches/*) echo 6.1; return ;;
		"$ROOT"/kernel/patches-*/*)
			d=${d#"$ROOT"/kernel/patches-}
			d=${d%%/*}
			[[ " $SERIES_ALL " != *" $d "* ]] || { printf '%s\n' "$d"; return; }
			;;
		esac
	fi
	echo "${SERIES_ALL##* }"
}

# NAME<TAB>KIND<TAB>ARG of one spec; dies with one line on bad input.
classify() {
	local spec=$1 name kind arg
	if [[ $spec == mine ]]; then
		[[ -n ${MINE:-} ]] || die "kernel 'mine' needs MINE=patches:DIR, tree:DIR, bzimage:FILE or a path, e.g. make ab KERNELS=\"compound mine\" MINE=path/to/patches"
		name=mine arg=$MINE
	elif [[ $spec == debian:* ]]; then
		arg=$("$ROOT/scripts/qemu/debian-kernel.sh" --check "$spec") || exit 2
		printf 'debian-%s\tdebian\t%s\n' "$arg" "$arg"
		return
	elif [[ $spec == *=* ]]; then
		name=${spec%%=*} arg=${spec#*=}
		[[ -n $arg ]] || die "kernel spec '$spec': nothing after '='; use NAME=patches:DIR, NAME=tree:DIR or NAME=bzimage:FILE"
	else
		[[ $spec =~ ^[A-Za-z0-9][A-Za-z0-9._-]*(@[0-9][0-9.]*)?$ ]] ||
			die "kernel '$spec': not a label (letters, digits, . _ -, optionally @SERIES) nor NAME=patches:DIR|tree:DIR|bzimage:FILE"
		local base=${spec%@*} dir=$ROOT/kernel/patches
		[[ $spec == *@* ]] && dir=$ROOT/kernel/patches-${spec##*@}
		[[ -d $dir/$base && $base != "$SERIES_STORE" ]] ||
			die "kernel '$spec': no patch folder ${dir#"$ROOT"/}/$base (known: $(find "$dir" -mindepth 1 -maxdepth 1 -xtype d ! -name "$SERIES_STORE" -printf '%f\n' 2>/dev/null | LC_ALL=C sort | tr '\n' ' '))"
		printf '%s\tlabel\t%s\n' "$spec" "$spec"
		return
	fi
	[[ $name =~ ^[A-Za-z0-9][A-Za-z0-9._-]*(@[0-9][0-9.]*)?$ ]] ||
		die "kernel name '$name' in '$spec': use letters, digits, . _ - (optionally @SERIES)"
	case $arg in
	debian:*)
		arg=$("$ROOT/scripts/qemu/debian-kernel.sh" --check "$arg") || exit 2
		printf '%s\tdebian\t%s\n' "$name" "$arg"
		return
		;;
	patches:* | tree:* | bzimage:*) kind=${arg%%:*} arg=${arg#*:} ;;
	*) # a bare path: say what it is by looking
		if [[ -d $arg && -f $arg/Makefile && -f $arg/Kconfig ]]; then kind=tree
		elif [[ $arg == *@* && -d ${arg%@*}/.git ]]; then kind=tree # DIR@REV
		elif [[ -d $arg ]]; then kind=patches
		elif [[ $arg == *.patch || $arg == *.diff ]]; then kind=patches
		else kind=bzimage
		fi
		;;
	esac
	local rev=''
	if [[ $kind == tree && $arg == *@* && -d ${arg%@*} ]]; then
		rev=${arg##*@} arg=${arg%@*}
		[[ -n $rev ]] || die "kernel '$name': nothing after '@' in tree:$arg@; give a revision (tree:DIR@HEAD, @v7.3, @abc123) or no '@' for the work tree"
	fi
	[[ -e $arg ]] || die "kernel '$name': $kind '$arg' does not exist"
	arg=$(realpath "$arg")
	case $kind in
	patches)
		if [[ -f $arg/series ]]; then
			local msg
			msg=$(series_check "$arg") || die "kernel '$name': ${msg#"$ROOT"/}"
		elif [[ -d $arg ]]; then
			compgen -G "$arg/*.patch" >/dev/null ||
				die "kernel '$name': no *.patch in '$arg' (make them with git format-patch)"
		fi
		;;
	tree)
		if [[ -n $rev ]]; then
			# the revision as a commit id, so that a report names what was built
			rev=$("$ROOT/scripts/kernel/tree.sh" --print-commit "$arg@$rev") || exit 2
			arg=$arg@$rev
		else
			[[ -d $arg && -f $arg/Makefile && -f $arg/Kconfig && -d $arg/arch/x86 ]] ||
				die "kernel '$name': '$arg' is not a Linux source tree (no Makefile, Kconfig, arch/x86)"
		fi
		;;
	bzimage)
		[[ -f $arg ]] || die "kernel '$name': bzimage '$arg' is not a file"
		# bzImages carry "HdrS" at offset 0x202.
		[[ $(dd if="$arg" bs=1 skip=514 count=4 2>/dev/null) == HdrS ]] ||
			die "kernel '$name': '$arg' is not a bzImage (no HdrS header); give arch/x86/boot/bzImage"
		;;
	esac
	printf '%s\t%s\t%s\n' "$name" "$kind" "$arg"
}

# Build a patch set of your own with build.sh, unchanged: build.sh takes its
# patches from ROOT/kernel/patches[-SERIES]/LABEL, ROOT being where it lies,
# so it runs from a shadow checkout under build/ (config and build.sh linked,
# the patches copied in) on the same build area, tree, cache and lock.
build_patches() { # name file-or-dir [series]
	local name=$1 arg=$2 base=${1%@*} sub=patches shadow=$KB/patchroot
	if [[ -n ${3:-} && $3 != 6.1 ]]; then name=$base@$3; fi
	[[ $name == *@* ]] && sub=patches-${name##*@}
	mkdir -p "$shadow/scripts/kernel" "$shadow/kernel/$sub"
	ln -sfn "$ROOT/kernel/config" "$shadow/kernel/config"
	ln -sfn "$ROOT/scripts/kernel/build.sh" "$shadow/scripts/kernel/build.sh"
	ln -sfn "$ROOT/scripts/kernel/kconfig.sh" "$shadow/scripts/kernel/kconfig.sh"
	ln -sfn "$ROOT/scripts/kernel/series.sh" "$shadow/scripts/kernel/series.sh"
	# build.sh fetches linux-source-7.3 with debian-kernel.sh's private apt state
	ln -sfn "$ROOT/scripts/qemu" "$shadow/scripts/qemu"
	ln -sfn "$ROOT/scripts/lib" "$shadow/scripts/lib"
	export PB_DEBIAN_DIR=${PB_DEBIAN_DIR:-$ROOT/build/debian}
	rm -rf "$shadow/kernel/$sub/$base"
	mkdir -p "$shadow/kernel/$sub/$base"
	if [[ -f $arg/series ]]; then
		# the files the series names, under their own names, and a series
		# of those names: the same patches in the same order, the same hash
		local p f
		while IFS= read -r p; do
			f=${p##*/}
			[[ ! -e $shadow/kernel/$sub/$base/$f ]] ||
				die "kernel '$name': $arg/series names two patches called $f"
			cp "$p" "$shadow/kernel/$sub/$base/$f"
			printf '%s\n' "$f" >>"$shadow/kernel/$sub/$base/series"
		done < <(series_patches "$arg")
		: >>"$shadow/kernel/$sub/$base/series"
	elif [[ -d $arg ]]; then
		cp "$arg"/*.patch "$shadow/kernel/$sub/$base/"
	else # one file: a set of one
		local f=${arg##*/}
		[[ $f == *.patch ]] || f+=.patch
		cp "$arg" "$shadow/kernel/$sub/$base/$f"
	fi
	PINBENCH_KBUILD=$KB "$shadow/scripts/kernel/build.sh" "$name" >&2
}

build_tree() { # name dir[@commit] -> bzImage path
	PINBENCH_KBUILD=$KB "$ROOT/scripts/kernel/tree.sh" "$2" ||
		{ printf '%s: kernel %s: the build of tree %s failed (above)\n' "$PROG" "$1" "$2" >&2; exit 1; }
}

main() {
	local check=0 line name kind arg
	local -a specs=() rows=() labels=()
	while (($#)); do
		case $1 in
		--check) check=1; shift ;;
		--mine-base) mine_base; exit 0 ;;
		-h | --help) usage; exit 0 ;;
		-*) die "unknown option '$1' (see --help)" ;;
		*) specs+=("$1"); shift ;;
		esac
	done
	((${#specs[@]})) || die "no kernel given (see --help)"
	local -A seen=()
	for s in "${specs[@]}"; do
		line=$(classify "$s")
		name=${line%%$'\t'*}
		[[ -z ${seen[$name]:-} ]] || die "kernel '$name' given twice"
		seen[$name]=1
		rows+=("$line")
	done
	if ((check)); then
		printf '%s\n' "${rows[@]}"
		exit 0
	fi
	# Labels in one build.sh call (it shares one tree), the others one by one.
	for line in "${rows[@]}"; do
		IFS=$'\t' read -r name kind arg <<<"$line"
		[[ $kind == label ]] && labels+=("$name")
	done
	if ((${#labels[@]})); then
		"$ROOT/scripts/kernel/build.sh" "${labels[@]}" >&2
	fi
	for line in "${rows[@]}"; do
		IFS=$'\t' read -r name kind arg <<<"$line"
		case $kind in
		label) printf '%s\t%s\n' "$name" "$KB/$name" ;;
		patches)
			if [[ $name == mine ]]; then
				local mb
				mb=$(mine_base)
				build_patches "$name" "$arg" "$mb"
				[[ $mb == 6.1 ]] || mb=mine@$mb
				printf '%s\t%s\n' "$name" "$KB/${mb/#6.1/mine}"
			else
				build_patches "$name" "$arg"
				printf '%s\t%s\n' "$name" "$KB/$name"
			fi
			;;
		tree) printf '%s\t%s\n' "$name" "$(build_tree "$name" "$arg")" ;;
		bzimage) printf '%s\t%s\n' "$name" "$arg" ;;
		debian)
			local kinfo
			kinfo=$("$ROOT/scripts/qemu/debian-kernel.sh" "debian:$arg") || exit $?
			printf '%s\t%s\t%s\n' "$name" "$(sed -n 's/^KERNEL=//p' <<<"$kinfo")" \
				"$(sed -n 's/^MODULES=//p' <<<"$kinfo")"
			;;
		esac
	done
}

main "$@"
