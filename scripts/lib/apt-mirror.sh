# shellcheck shell=bash
# The Debian mirrors this host's apt already uses, read from its own
# configuration (sourced, not run; nothing is written). No mirror name is kept
# in this repository: every script asks the host.
#   apt_uris            every http(s) URI of /etc/apt/sources.list and
#                       sources.list.d/*.{list,sources}, one a line
#   apt_debian_mirror   the main archive (a URI ending in /debian)
#   apt_security_mirror the security archive (a URI naming debian-security)
# APT_ETC (default /etc/apt) is where the configuration is read from.

apt_uris() {
	local etc=${APT_ETC:-/etc/apt}
	cat "$etc/sources.list" "$etc"/sources.list.d/*.sources "$etc"/sources.list.d/*.list 2>/dev/null |
		sed -nE 's/^URIs:[[:space:]]+//p; s/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/p' |
		tr ' ' '\n' | grep -E '^https?://' || true
}

apt_debian_mirror() {
	apt_uris | grep -v -- '-security' | grep -m1 -E '/debian/?$' | sed 's:/*$::' || true
}

apt_security_mirror() {
	apt_uris | grep -m1 -- 'debian-security' | sed 's:/*$::' || true
}
