# shellcheck shell=bash
# The guest kernel's .config, shared by build.sh (labels) and tree.sh (tree:
# specs). Sourced, not run. Needs KCONF_ROOT (the checkout).
#
#   kconfig_frags SERIES            the project fragments of a series, one a line
#                                   (pinbench.config, + pinbench-6.12.config on 6.2+)
#   kconfig_mode_default SERIES     min for 7.3 and trees, defconfig for 6.1/6.12
#   kconfig_make SRC OBJ MODE FRAG...   write OBJ/.config and check it:
#     MODE min:       make allnoconfig with KCONFIG_ALLCONFIG = guest-min.config
#                     + the fragments + guest-min-drop.config (everything else
#                     off; what the drop file names is not checked in the fragments)
#     MODE defconfig: make x86_64_defconfig + kernel/configs/kvm_guest.config
#                     + the fragments (merge_config.sh), olddefconfig
#   Then every CONFIG_X=y|n line of the fragments (and guest-min.config) must
#   hold in .config; returns 1 naming each one that does not.
#   kconfig_inputs MODE FRAG...     the text the cache key hashes for a config

kconfig_frags() {
	printf '%s\n' "$KCONF_ROOT/kernel/config/pinbench.config"
	case $1 in
	6.1) ;;
	*) printf '%s\n' "$KCONF_ROOT/kernel/config/pinbench-6.12.config" ;;
	esac
}

kconfig_mode_default() {
	case $1 in 6.1 | 6.12) echo defconfig ;; *) echo min ;; esac
}

kconfig_inputs() {
	local mode=$1 f
	shift
	echo "config $mode"
	[[ $mode != min ]] || cat "$KCONF_ROOT/kernel/config/guest-min.config"
	for f in "$@"; do echo "fragment ${f##*/}"; cat "$f"; done
	[[ $mode != min ]] || { echo "drop"; cat "$KCONF_ROOT/kernel/config/guest-min-drop.config"; }
}

# Options a fragment asks for that did not end up as asked.
kconfig_check() { # .config fragment [names to skip, space separated]
	local cfg=$1 frag=$2 skip=" ${3:-} " bad=0 line name val
	while IFS= read -r line; do
		case $line in CONFIG_*=*) ;; *) continue ;; esac
		name=${line%%=*} val=${line#*=}
		[[ $skip != *" $name "* ]] || continue
		if [[ $val == n ]]; then
			if grep -q "^$name=" "$cfg"; then
				echo "  $name: asked n, got $(grep "^$name=" "$cfg") (${frag##*/})" >&2
				bad=1
			fi
		elif ! grep -qxF "$line" "$cfg"; then
			echo "  $name: asked $val, got $(grep "^$name=\|^# $name is not set" "$cfg" || echo missing) (${frag##*/})" >&2
			bad=1
		fi
	done <"$frag"
	return $bad
}

kconfig_make() { # src obj mode frag...
	local src=$1 obj=$2 mode=$3 dropf=$KCONF_ROOT/kernel/config/guest-min-drop.config
	shift 3
	mkdir -p "$obj"
	case $mode in
	min)
		cat "$KCONF_ROOT/kernel/config/guest-min.config" "$@" "$dropf" >"$obj/pinbench-allno.config"
		make -s -C "$src" O="$obj" KCONFIG_ALLCONFIG="$obj/pinbench-allno.config" allnoconfig >&2
		;;
	defconfig)
		make -s -C "$src" O="$obj" x86_64_defconfig >&2
		(cd "$obj" && "$src/scripts/kconfig/merge_config.sh" -m -O "$obj" \
			"$obj/.config" "$src/kernel/configs/kvm_guest.config" "$@" >/dev/null)
		;;
	*)
		echo "kconfig: config mode '$mode': use min or defconfig" >&2
		return 2
		;;
	esac
	make -s -C "$src" O="$obj" olddefconfig >&2
	kconfig_verify "$obj/.config" "$mode" "$@"
}

# Every asked line of the config's files holds in .config (1 if not, naming them).
kconfig_verify() { # .config mode frag...
	local cfg=$1 mode=$2 f bad=0 drop='' dropf=$KCONF_ROOT/kernel/config/guest-min-drop.config
	shift 2
	local -a all=("$@")
	if [[ $mode == min ]]; then
		all=("$KCONF_ROOT/kernel/config/guest-min.config" "$@" "$dropf")
		drop=$(sed -n 's/^\(CONFIG_[A-Za-z0-9_]*\)=.*/\1/p' "$dropf" | tr '\n' ' ')
	fi
	for f in "${all[@]}"; do
		if [[ $f == "$dropf" ]]; then
			kconfig_check "$cfg" "$f" || bad=1
		else
			kconfig_check "$cfg" "$f" "$drop" || bad=1
		fi
	done
	return $bad
}
