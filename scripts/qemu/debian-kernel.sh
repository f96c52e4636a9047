#!/bin/bash
# Debian's stock kernel of any series as a guest kernel, fetched through a
# PRIVATE apt state under build/ (its own sources.list, lists, cache and
# status file), so the host's apt is neither read for packages nor written:
# only its mirror URIs are taken from /etc/apt (scripts/lib/apt-mirror.sh).
#
# usage: scripts/qemu/debian-kernel.sh [--check] debian:SERIES[.POINT]
#   debian:7.3      the newest 7.3.x whose image AND modules are listed
#   debian:7.3.4    exactly that point release
# Prints KERNEL=<vmlinuz> MODULES=<.../modules/RELEASE> RELEASE=<uname -r>,
# one a line. Suites: bookworm (6.1), bookworm-security (6.12),
# trixie-backports (6.16 and later), sid. Two layouts are handled: an image
# package with vmlinuz and modules (up to 6.18; 6.1 and 6.12 as
# *-unsigned), and from 6.19 linux-binary-REL (vmlinuz) + linux-modules-REL
# (+ linux-base-REL when listed: config, modules.builtin, modules.order).
# Kept unpacked in build/debian/kernels/RELEASE/ (PB_DEBIAN_DIR): a spec a
# kept kernel satisfies is answered from there, without apt or the network.
#   --check   only check the spec's form (no network), print SERIES[.POINT]
# Exit 2 with one line: a bad spec, or no complete kernel for it.
set -euo pipefail
# shellcheck source=scripts/qemu/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=scripts/lib/apt-mirror.sh
. "$PB_ROOT/scripts/lib/apt-mirror.sh"

PROG=debian-kernel
D=${PB_DEBIAN_DIR:-$PB_ROOT/build/debian}
SUITES='bookworm, bookworm-security, trixie-backports, sid'
refuse() { printf '%s: %s\n' "$PROG" "$*" >&2; exit 2; }

# debian:SPEC -> SERIES[.POINT] (checked); refuses with one line.
parse_spec() {
	local spec=$1 v=${1#debian:}
	[[ $v =~ ^([0-9]+)\.([0-9]+)(\.[0-9]+)?$ ]] ||
		refuse "kernel '$spec': want debian:SERIES or debian:SERIES.POINT, e.g. debian:6.18 or debian:7.3.4"
	local major=${BASH_REMATCH[1]} minor=${BASH_REMATCH[2]}
	if ((major < 6 || (major == 6 && minor < 1))); then
		refuse "kernel '$spec': Debian's kernels here start at 6.1 (bookworm 6.1, bookworm-security 6.12, trixie-backports 6.16 on, sid)"
	fi
	printf '%s\n' "$((10#$major)).$((10#$minor))${BASH_REMATCH[3]}"
}

# A kept kernel: print its three lines.
emit() { # dir
	local k m r
	k=$(sed -n 's/^KERNEL=//p' "$1/kernel.env")
	m=$(sed -n 's/^MODULES=//p' "$1/kernel.env")
	r=$(sed -n 's/^RELEASE=//p' "$1/kernel.env")
	printf 'KERNEL=%s\nMODULES=%s\nRELEASE=%s\n' "$1/$k" "$1/$m" "$r"
}

# The newest kept kernel matching SERIES or SERIES.POINT ('' if none).
kept() { # want
	local want=$1 f s p best='' bestp=''
	for f in "$D"/kernels/*/kernel.env; do
		[[ -f $f && -f ${f%/*}/.done ]] || continue
		s=$(sed -n 's/^SERIES=//p' "$f")
		p=$(sed -n 's/^POINT=//p' "$f")
		[[ $want == "$s" || $want == "$p" ]] || continue
		if [[ -z $best ]] || [[ $(printf '%s\n%s\n' "$bestp" "$p" | sort -V | tail -n1) == "$p" ]]; then
			best=${f%/*} bestp=$p
		fi
	done
	printf '%s\n' "$best"
}

# ---- the private apt state ----------------------------------------------------------
APT_OPTS=()
apt_state() {
	local mirror security keyring opt
	mirror=$(apt_debian_mirror)
	security=$(apt_security_mirror)
	[[ -n $mirror ]] || refuse "no Debian mirror in this host's apt configuration (/etc/apt/sources.list, sources.list.d/): add the one you use"
	mkdir -p "$D/apt/lists/partial" "$D/apt/cache/archives/partial"
	touch "$D/apt/status"
	keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	opt="[signed-by=$keyring]"
	[[ -f $keyring && ${PB_DEBIAN_TRUSTED:-0} != 1 ]] || opt='[trusted=yes]'
	{
		printf 'deb %s %s bookworm main\n' "$opt" "$mirror"
		[[ -z $security ]] || printf 'deb %s %s bookworm-security main\n' "$opt" "$security"
		printf 'deb %s %s trixie-backports main\n' "$opt" "$mirror"
		printf 'deb %s %s sid main\n' "$opt" "$mirror"
	} >"$D/apt/sources.list"
	APT_OPTS=(-o "Dir::Etc::SourceList=$D/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
		-o "Dir::State::Lists=$D/apt/lists" -o "Dir::Cache=$D/apt/cache"
		-o "Dir::State::status=$D/apt/status" -o Debug::NoDropPrivs=1 -o APT::Sandbox::User=root
		-o APT::Architecture=amd64 -o APT::Architectures=amd64
		-o Acquire::Languages=none -o Acquire::GzipIndexes=false)
}

apt_update() {
	local log=$D/apt/update.log
	if ! apt-get "${APT_OPTS[@]}" -q update >"$log" 2>&1 || grep -qE '^(E|W): .*(NO_PUBKEY|not signed|EXPKEYSIG)' "$log"; then
		if grep -qE 'NO_PUBKEY|not signed|EXPKEYSIG' "$log" && [[ ${PB_DEBIAN_TRUSTED:-0} != 1 ]]; then
			say "the host's keyring cannot check a suite; the private lists are taken unchecked (trusted=yes)"
			PB_DEBIAN_TRUSTED=1 apt_state
			apt-get "${APT_OPTS[@]}" -q update >"$log" 2>&1 || true
		fi
	fi
	compgen -G "$D/apt/lists/*_Packages*" >/dev/null ||
		die "apt-get update of the private lists got no package index (log: $log)"
}

# Every linux-{image,binary,modules,base}-* amd64 package in the private lists:
# "NAME VERSION SIZE DEPENDS-ON-BINARY(0|1)", one a line.
index() {
	local f
	for f in "$D"/apt/lists/*_Packages*; do
		case $f in
		*_Packages) cat "$f" ;;
		*) /usr/lib/apt/apt-helper cat-file "$f" ;;
		esac
	done | awk '
		function flush() {
			# the plain amd64 flavour (not rt, cloud or dbg)
			if (p ~ /^linux-(image|binary|modules|base)-[0-9]+\.[0-9]+\.[0-9]+(-[0-9]+)?(\+[a-z0-9]+)?-amd64(-unsigned)?$/)
				print p, v, s, meta
			p = v = ""; s = 0; meta = 0
		}
		/^$/ { flush(); next }
		/^Package: / { p = $2 }
		/^Version: / { v = $2 }
		/^Size: / { s = $2 }
		/^Depends: / { if ($0 ~ /linux-binary-|linux-modules-[0-9]/) meta = 1 }
		END { flush() }'
}

# The releases of a series (or one point release): lines
# "POINT RELEASE STATE PKG=VER[,PKG=VER]", STATE ok or missing:WHAT.
releases() { # want
	local want=$1 series=${1%.*}
	[[ $want == *.*.* ]] || series=$want
	index | sort -k1,1 -k2,2V | awk '{ v[$1] = $2; s[$1] = $3; m[$1] = $4 } END { for (p in v) print p, v[p], s[p], m[p] }' |
		awk -v series="$series" -v want="$want" '
		{
			name = $1; rel = name
			sub(/^linux-(image|binary|modules|base)-/, "", rel); sub(/-unsigned$/, "", rel)
			split(rel, a, /[.+-]/)
			if (a[1] "." a[2] != series) next
			kind = name; sub(/-[0-9].*/, "", kind)
			if (name ~ /-unsigned$/) kind = kind "-unsigned"
			ver[rel, kind] = $2; size[rel, kind] = $3; meta[rel, kind] = $4; rels[rel] = 1
		}
		END {
			for (r in rels) {
				state = "ok"; pk = ""
				if ((r, "linux-binary") in ver || ((r, "linux-image") in ver && meta[r, "linux-image"])) {
					if (!((r, "linux-binary") in ver)) state = "missing:linux-binary-" r
					else if (!((r, "linux-modules") in ver)) state = "missing:linux-modules-" r
					else pk = "linux-binary-" r "=" ver[r, "linux-binary"] ",linux-modules-" r "=" ver[r, "linux-modules"]
					# modules.builtin, modules.order and config, when listed
					if (pk != "" && (r, "linux-base") in ver) pk = pk ",linux-base-" r "=" ver[r, "linux-base"]
					v = ver[r, "linux-binary"]; if (v == "") v = ver[r, "linux-image"]
				} else if ((r, "linux-image-unsigned") in ver) {
					pk = "linux-image-" r "-unsigned=" ver[r, "linux-image-unsigned"]; v = ver[r, "linux-image-unsigned"]
				} else if ((r, "linux-image") in ver && size[r, "linux-image"] > 1000000) {
					pk = "linux-image-" r "=" ver[r, "linux-image"]; v = ver[r, "linux-image"]
				} else {
					v = ver[r, "linux-image"]; if (v == "") v = ver[r, "linux-modules"]
					state = "missing:linux-image-" r
				}
				point = v; sub(/-[^-]*$/, "", point); sub(/^[0-9]+:/, "", point)
				if (want != series && point != want) continue
				print point, r, state, (pk == "" ? "-" : pk)
			}
		}' | sort -V
}

# ---- fetch and unpack -------------------------------------------------------------------
fetch() { # release pkgs(comma separated name=version) point series
	local rel=$1 pkgs=$2 point=$3 series=$4 dir=$D/kernels/$1 dl tmp deb k m f
	local -a list
	IFS=, read -r -a list <<<"$pkgs"
	say "fetching Debian's $rel (${list[*]%%=*}; apt-get download into ${D#"$PB_ROOT"/}, then dpkg -x)"
	dl=$(mktemp -d "$D/dl.XXXXXX")
	tmp=$(mktemp -d "$D/kernels/.unpack.XXXXXX")
	# shellcheck disable=SC2064
	trap "rm -rf '$dl' '$tmp'" EXIT
	(cd "$dl" && apt-get "${APT_OPTS[@]}" -q download "${list[@]}" >&2) ||
		die "apt-get download ${list[*]} failed"
	for deb in "$dl"/*.deb; do
		[[ -f $deb ]] || die "apt-get download left no .deb in $dl"
		dpkg -x "$deb" "$tmp"
	done
	m=''
	for k in usr/lib/modules lib/modules; do
		[[ -d $tmp/$k/$rel ]] && { m=$k/$rel; break; }
	done
	[[ -n $m ]] || m=$(cd "$tmp" && find usr/lib/modules lib/modules -mindepth 1 -maxdepth 1 -type d 2>/dev/null | head -n1)
	k=''
	for f in "boot/vmlinuz-$rel" "$m/vmlinuz" "usr/lib/modules/$rel/vmlinuz" "lib/modules/$rel/vmlinuz"; do
		[[ -n $f && -f $tmp/$f ]] && { k=$f; break; }
	done
	[[ -n $m && -n $k ]] || die "unexpected layout in ${list[*]}: no vmlinuz or no modules folder"
	[[ -n $(find "$tmp/$m" -name '*.ko*' -print -quit) ]] || die "no modules (*.ko*) in $m of ${list[*]}"
	printf 'KERNEL=%s\nMODULES=%s\nRELEASE=%s\nSERIES=%s\nPOINT=%s\nPACKAGES=%s\n' \
		"$k" "$m" "${m##*/}" "$series" "$point" "$pkgs" >"$tmp/kernel.env"
	rm -rf "$dir"
	mv "$tmp" "$dir"
	touch "$dir/.done"
	rm -rf "$dl"
	trap - EXIT
}

main() {
	local check=0 spec='' want series
	while (($#)); do
		case $1 in
		--check) check=1; shift ;;
		-h | --help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
		-*) refuse "unknown option '$1' (see --help)" ;;
		*) [[ -z $spec ]] || refuse "one kernel spec at a time"; spec=$1; shift ;;
		esac
	done
	[[ -n $spec ]] || refuse "no kernel spec given (e.g. debian:6.18)"
	[[ $spec == debian:* ]] || spec=debian:$spec
	want=$(parse_spec "$spec")
	if ((check)); then
		printf '%s\n' "$want"
		exit 0
	fi
	series=$(cut -d. -f1,2 <<<"$want")
	mkdir -p "$D/kernels"
	exec 8>"$D/lock"
	flock 8
	local dir
	dir=$(kept "$want")
	if [[ -n $dir ]]; then
		emit "$dir"
		exit 0
	fi
	apt_state
	apt_update
	local rows ok point rel pk
	rows=$(releases "$want")
	ok=$(awk '$3 == "ok"' <<<"$rows" | tail -n1)
	if [[ -z $ok ]]; then
		if [[ -z $rows ]]; then
			if [[ $want == "$series" ]]; then
				refuse "kernel '$spec': no amd64 kernel of series $series in $SUITES"
			fi
			local have
			have=$(releases "$series" | awk '$3 == "ok" { printf "%s%s", sep, $1; sep = " " }')
			refuse "kernel '$spec': no release $want in $SUITES (series $series: ${have:-none complete})"
		fi
		local miss n more=''
		miss=$(awk '{ sub(/^missing:/, "", $3); print $3 }' <<<"$rows" | tail -n1)
		n=$(wc -l <<<"$rows")
		((n < 2)) || more=" (nor the packages of its $((n - 1)) other release(s))"
		refuse "kernel '$spec': no complete $want kernel in $SUITES: $miss is not listed$more; choose another series"
	fi
	read -r point rel _ pk <<<"$ok"
	fetch "$rel" "$pk" "$point" "$series"
	emit "$D/kernels/$rel"
}

main "$@"
