#!/usr/bin/env bash
# Build a kernel tree of your own (tree:DIR or tree:DIR@REV) as a pinbench
# guest kernel without touching the tree: its files are exported under
# build/kernel/trees/ and built out of tree there. See --help.
set -euo pipefail
# Read whole before it runs (a bisect may rewrite files around it).
{

PROG=tree.sh
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KB=${PINBENCH_KBUILD:-$ROOT/build/kernel}
KCONF_ROOT=$ROOT
# shellcheck source=scripts/kernel/kconfig.sh
. "$ROOT/scripts/kernel/kconfig.sh"

usage() {
	cat <<EOF
usage: scripts/kernel/tree.sh [options] DIR[@REV]

Builds the Linux tree DIR as a pinbench guest kernel and prints the path of
its bzImage. DIR, its .git (HEAD, index, refs, objects) and its work tree are
only read, never written:
  DIR@REV   a git revision (commit, tag, branch, HEAD~2): its files are
            exported with git archive into build/kernel/trees/T/src-rev; a
            later revision rewrites only the files that differ between the
            two (git diff --name-status), so make rebuilds only what changed.
            Kept per commit: trees/T/out/COMMIT-CFG/bzImage (a second call is
            instant).
  DIR       the work tree as it is, uncommitted edits included (not .git):
            copied into trees/T/src-wt, afterwards only files whose size or
            mtime changed; always rebuilt (incrementally).
The build is out of tree (make O=trees/T/obj-rev or obj-wt), one export and
object folder per tree T (DIR's name + a hash of its path), under a lock.

Config (--config): min (default): make allnoconfig + kernel/config/guest-min.config
+ kernel/config/pinbench.config (+ pinbench-6.12.config when the tree is 6.2
or later); defconfig: the tree's x86_64_defconfig + kernel/configs/kvm_guest.config
+ the same fragments. Every =y/=n line must hold (checked after the build too).

Options:
  -j N            make jobs (default: nproc)
  --config MODE   min or defconfig
  --force         rebuild a revision the cache holds
  --print-commit  only resolve REV to its commit id and print it
  -h, --help      this text
Environment: PINBENCH_KBUILD (default build/kernel); PINBENCH_NICE (19): the
niceness of make; PINBENCH_TREE_CONFIG: the default of --config (make ab's tree:).
Exit 2 with one line on a bad DIR or REV; 1 when the build fails (its log named).
EOF
}

refuse() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 2; }
die() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 1; }
log() { printf '%s: %s\n' "$PROG" "$*" >&2; }

JOBS=$(nproc) MODE=${PINBENCH_TREE_CONFIG:-min} FORCE=0 PRINT_COMMIT=0 SPEC=''
NICE=${PINBENCH_NICE-19}
while (($#)); do
	case $1 in
	-h | --help) usage; exit 0 ;;
	-j) (($# >= 2)) || refuse "-j needs a number, e.g. -j2"; JOBS=$2; shift 2 ;;
	-j*) JOBS=${1#-j}; shift ;;
	--config) (($# >= 2)) || refuse "--config needs min or defconfig"; MODE=$2; shift 2 ;;
	--config=*) MODE=${1#--config=}; shift ;;
	--force) FORCE=1; shift ;;
	--print-commit) PRINT_COMMIT=1; shift ;;
	-*) refuse "unknown option '$1' (see --help)" ;;
	*) [[ -z $SPEC ]] || refuse "one tree at a time ('$SPEC' and '$1')"; SPEC=$1; shift ;;
	esac
done
[[ -n $SPEC ]] || refuse "no tree given: scripts/kernel/tree.sh DIR[@REV] (see --help)"
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || refuse "-j '$JOBS': want a whole number, e.g. -j2"
[[ $MODE == min || $MODE == defconfig ]] || refuse "--config '$MODE': use min or defconfig"
[[ $NICE =~ ^-?[0-9]+$ ]] || refuse "PINBENCH_NICE='$NICE': want a niceness, e.g. 19"

# DIR[@REV]: the last '@' splits when what is before it is a directory.
DIR=$SPEC REV=''
if [[ $SPEC == *@* && -d ${SPEC%@*} ]]; then
	DIR=${SPEC%@*} REV=${SPEC##*@}
	[[ -n $REV ]] || refuse "tree '$SPEC': nothing after '@'; give a revision (DIR@HEAD, DIR@v7.3, DIR@abc123) or no '@' for the work tree"
fi
[[ -d $DIR ]] || refuse "tree '$SPEC': '$DIR' is not a directory"
DIR=$(realpath "$DIR")
COMMIT=''
if [[ -n $REV ]]; then
	git -C "$DIR" rev-parse --git-dir >/dev/null 2>&1 ||
		refuse "tree '$SPEC': '$DIR' is not a git repository, so it has no revision '$REV' (drop '@$REV' to build the files as they are)"
	COMMIT=$(git -C "$DIR" rev-parse --verify --quiet "$REV^{commit}") ||
		refuse "tree '$SPEC': no commit '$REV' in $DIR (see git -C $DIR log --oneline)"
	for f in Makefile Kconfig arch/x86/Kconfig; do
		git -C "$DIR" cat-file -e "$COMMIT:$f" 2>/dev/null ||
			refuse "tree '$SPEC': revision $REV has no $f: not a Linux source tree"
	done
	if ((PRINT_COMMIT)); then printf '%s\n' "$COMMIT"; exit 0; fi
else
	[[ -f $DIR/Makefile && -f $DIR/Kconfig && -d $DIR/arch/x86 ]] ||
		refuse "tree '$SPEC': '$DIR' is not a Linux source tree (no Makefile, Kconfig, arch/x86)"
	((PRINT_COMMIT == 0)) || refuse "tree '$SPEC': --print-commit needs DIR@REV"
fi

TD=$KB/trees/$(basename "$DIR")-$(printf '%s' "$DIR" | sha256sum | cut -c1-8)
mkdir -p "$TD"
exec 9>"$TD/lock"
flock -n 9 || { log "another build of $DIR holds $TD/lock; waiting"; flock 9; }

# A file of the tree as built: of COMMIT, or of the work tree (read only).
tree_file() { # path
	if [[ -n $COMMIT ]]; then
		git -C "$DIR" show "$COMMIT:$1" 2>/dev/null || true
	else
		cat "$DIR/$1" 2>/dev/null || true
	fi
}
# The fragments follow the tree's release: 6.2+ has IOMMUFD (pinbench-6.12.config).
frags_for() {
	local v p
	read -r v p < <(tree_file Makefile |
		awk -F' *= *' '$1 == "VERSION" { v = $2 } $1 == "PATCHLEVEL" { p = $2 } END { print v + 0, p + 0 }')
	if ((v < 6 || (v == 6 && p < 2))); then kconfig_frags 6.1; else kconfig_frags 7.3; fi
}

# ---- export: the tree's files into src-rev (a commit) or src-wt (the work tree) ----
# Files of COMMIT given NUL-separated on stdin are written (mtime now) into $1.
extract_files() { # dst
	local -a batch=()
	local p
	while IFS= read -r -d '' p; do
		batch+=("$p")
		if ((${#batch[@]} >= 500)); then
			git -C "$DIR" --literal-pathspecs archive "$COMMIT" -- "${batch[@]}" | tar -x -m -C "$1"
			batch=()
		fi
	done
	if ((${#batch[@]})); then
		git -C "$DIR" --literal-pathspecs archive "$COMMIT" -- "${batch[@]}" | tar -x -m -C "$1"
	fi
}

export_rev() {
	local src=$TD/src-rev old='' st path n=0
	[[ -f $TD/exported-rev && -d $src ]] && old=$(cat "$TD/exported-rev")
	[[ $old == "$COMMIT" ]] && return 0
	if [[ -n $old ]] && git -C "$DIR" cat-file -e "$old^{commit}" 2>/dev/null; then
		log "updating the export ${src#"$ROOT"/} from ${old:0:12} to ${COMMIT:0:12} (changed files only)"
		rm -f "$TD/exported-rev" # an interrupted update is redone in full
		local -a gone=()
		local list
		list=$(mktemp "$TD/changed.XXXXXX")
		while IFS= read -r -d '' st && IFS= read -r -d '' path; do
			n=$((n + 1))
			if [[ $st == D ]]; then gone+=("$path"); else printf '%s\0' "$path" >>"$list"; fi
		done < <(git -C "$DIR" diff --no-renames --name-status -z "$old" "$COMMIT")
		for path in "${gone[@]+"${gone[@]}"}"; do rm -f -- "$src/$path"; done
		extract_files "$src" <"$list"
		rm -f "$list"
		log "$n file(s) differ"
	else
		log "exporting $DIR at ${COMMIT:0:12} into ${src#"$ROOT"/} (git archive)"
		rm -rf "$src" "$TD/exported-rev"
		mkdir -p "$src"
		git -C "$DIR" archive "$COMMIT" | tar -x -m -C "$src"
	fi
	printf '%s\n' "$COMMIT" >"$TD/exported-rev"
}

# The work tree: a manifest of (path, size, mtime); copy what is new or changed.
export_wt() {
	local src=$TD/src-wt man=$TD/wt.manifest new changed
	new=$(mktemp "$TD/manifest.XXXXXX")
	(cd "$DIR" && find . -path ./.git -prune -o \( -type f -o -type l \) -printf '%P\t%s\t%T@\n' | LC_ALL=C sort) >"$new"
	[[ -d $src && -f $man ]] || { rm -rf "$src"; : >"$man"; mkdir -p "$src"; }
	changed=$(mktemp "$TD/changed.XXXXXX")
	LC_ALL=C comm -13 "$man" "$new" | cut -f1 | tr '\n' '\0' >"$changed"
	# gone: paths of the old manifest that the new one lacks
	LC_ALL=C comm -23 <(cut -f1 "$man" | LC_ALL=C sort -u) <(cut -f1 "$new" | LC_ALL=C sort -u) |
		while IFS= read -r p; do rm -f -- "$src/$p"; done
	if [[ -s $changed ]]; then
		log "copying $(tr -cd '\0' <"$changed" | wc -c) new or changed file(s) of $DIR into ${src#"$ROOT"/}"
		rm -f "$man" # an interrupted copy is redone in full
		tar -C "$DIR" --null -T "$changed" -cf - | tar -x -m -C "$src"
	fi
	mv "$new" "$man"
	rm -f "$changed"
}

# ---- configure, build, keep ------------------------------------------------------------------
build() { # src obj -> sets BZ
	local src=$1 obj=$2 stamp t0 f
	local -a frags
	mapfile -t frags < <(frags_for)
	stamp=$( (kconfig_inputs "$MODE" "${frags[@]}"; [[ $MODE == min ]] || tree_file kernel/configs/kvm_guest.config) | sha256sum | cut -c1-16)
	CFGKEY=$stamp
	if [[ -n $COMMIT && $FORCE == 0 && -f $TD/out/$COMMIT-$CFGKEY/bzImage ]]; then
		BZ=$TD/out/$COMMIT-$CFGKEY/bzImage
		log "${COMMIT:0:12}: cached $BZ"
		return 0
	fi
	if [[ -n $COMMIT ]]; then export_rev; else export_wt; fi
	if [[ ! -f $obj/.config || $(cat "$obj/.pinbench-config" 2>/dev/null) != "$stamp" ]]; then
		log "configuring ${src#"$ROOT"/} ($MODE: ${frags[*]##*/}) in ${obj#"$ROOT"/}"
		rm -f "$obj/.pinbench-config"
		nice -n "$NICE" bash -c '. "$1"; KCONF_ROOT=$2; shift 2; kconfig_make "$@"' _ \
			"$ROOT/scripts/kernel/kconfig.sh" "$ROOT" "$src" "$obj" "$MODE" "${frags[@]}" ||
			die "the options above did not end as asked in ${obj#"$ROOT"/}/.config (a dependency this tree lacks?)"
		printf '%s\n' "$stamp" >"$obj/.pinbench-config"
	fi
	log "make -j$JOBS bzImage in ${obj#"$ROOT"/} (nice $NICE; log ${obj#"$ROOT"/}/make.log)"
	t0=$SECONDS
	nice -n "$NICE" make -C "$src" O="$obj" LOCALVERSION= -j"$JOBS" bzImage >"$obj/make.log" 2>&1 || {
		grep -E 'error|Error' "$obj/make.log" | head -10 >&2 || true
		die "build of ${COMMIT:-the work tree of} $DIR failed, see $obj/make.log"
	}
	BUILD_SECONDS=$((SECONDS - t0))
	# the tree's Kconfig may have changed with the revision: the asks must still hold
	kconfig_verify "$obj/.config" "$MODE" "${frags[@]}" ||
		die "after the build, the options above no longer hold in $obj/.config"
	[[ -f $obj/arch/x86/boot/bzImage ]] || die "make left no $obj/arch/x86/boot/bzImage"
	local out=$TD/out/${COMMIT:-worktree}-$CFGKEY
	mkdir -p "$out"
	cp "$obj/arch/x86/boot/bzImage" "$out/bzImage.partial"
	cp "$obj/.config" "$out/config"
	{
		echo "tree: $DIR"
		echo "revision: ${REV:-work tree} ${COMMIT:-}"
		echo "config: $MODE $CFGKEY"
		echo "kernel: $(cat "$obj/include/config/kernel.release" 2>/dev/null || echo '?')"
		echo "build_seconds: $BUILD_SECONDS"
		echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ), make -j$JOBS"
	} >"$out/inputs.txt"
	mv "$out/bzImage.partial" "$out/bzImage"
	BZ=$out/bzImage
	log "${COMMIT:0:12}${COMMIT:+: }built in $((BUILD_SECONDS / 60))m$(printf '%02d' $((BUILD_SECONDS % 60)))s -> $BZ"
}

BZ='' BUILD_SECONDS=0 CFGKEY=''
if [[ -n $COMMIT ]]; then
	mkdir -p "$TD/obj-rev"
	build "$TD/src-rev" "$TD/obj-rev"
else
	mkdir -p "$TD/obj-wt"
	build "$TD/src-wt" "$TD/obj-wt"
fi
printf '%s\n' "$BZ"
exit 0
}
