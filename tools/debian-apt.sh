# SPDX-License-Identifier: GPL-2.0-only
#
# debian-apt.sh: sourced by debian-kernel.sh and debian-package.sh, with $suite and $arch (Debian's
# architecture name) set and a die function: an isolated apt configuration (own sources list,
# lists and cache under $PROCSCOPE_CACHE) that leaves the machine's own apt sources alone, and
# the functions that ask it (refresh_lists, depends_of, version_of, download).
cache=${PROCSCOPE_CACHE:-$HOME/.cache/procscope}/apt
# amd64's lists where they always were; another architecture's beside them (an update for one
# architecture drops the other's lists from its directory)
lists="$cache/lists"
[ "$arch" = amd64 ] || lists="$cache/lists-$arch"
mkdir -p "$lists/partial" "$cache/cache/archives/partial"

apt_opts=(-o "Dir::Etc::SourceList=$cache/sources.list" -o Dir::Etc::SourceParts=/dev/null
	-o "Dir::State::Lists=$lists" -o "Dir::Cache=$cache/cache"
	-o "APT::Architecture=$arch" -o Debug::NoLocking=1 -o APT::Sandbox::User=root -qq)

# Refresh the package lists at most once a day; a failed refresh with lists already there is fine
# (the cached kernels still work offline).
refresh_lists() {
	local stamp="$lists/.stamp"
	if [ ! -f "$cache/sources.list" ] || ! grep -q " $suite main" "$cache/sources.list"; then
		local uri
		uri=$("$(dirname "$0")/archive-uri.sh") || exit 1
		for s in bullseye bookworm trixie sid $suite; do
			echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $s main"
		done | sort -u >"$cache/sources.list"
		rm -f "$stamp"
	fi
	if [ -z "$(find "$stamp" -mmin -1440 2>/dev/null)" ]; then
		echo "$(basename "$0" .sh): updating package lists ($arch)" >&2
		if apt-get "${apt_opts[@]}" update >&2; then
			touch "$stamp"
		else
			echo "$(basename "$0" .sh): apt-get update failed; using the lists already cached" >&2
		fi
	fi
}

# depends_of PKG: the package names in PKG's Depends, one per line (alternatives flattened).
depends_of() {
	apt-cache "${apt_opts[@]}" show "$1" 2>/dev/null | awk -F': ' '/^Depends:/ { print $2; exit }' |
		tr ',|' '\n\n' | sed -e 's/([^)]*)//g' -e 's/[[:space:]]//g' | grep -v '^$' || true
}

version_of() {
	apt-cache "${apt_opts[@]}" show "$1" 2>/dev/null | awk -F': ' '/^Version:/ { print $2; exit }'
}

# download PKG/SUITE into the cache; prints the .deb path.
download() {
	local pkg=$1 ver deb
	ver=$(version_of "$pkg/$suite")
	[ -n "$ver" ] || return 1
	deb=$(ls "$cache/cache/archives/${pkg}_${ver//:/%3a}_"{"$arch",all}.deb 2>/dev/null | head -n 1 || true)
	if [ -z "$deb" ]; then
		echo "$(basename "$0" .sh): downloading $pkg $ver ($arch)" >&2
		(cd "$cache/cache/archives" && apt-get "${apt_opts[@]}" download "$pkg/$suite" >&2) || return 1
		deb=$(ls "$cache/cache/archives/${pkg}_${ver//:/%3a}_"{"$arch",all}.deb 2>/dev/null | head -n 1 || true)
	fi
	[ -n "$deb" ] && echo "$deb"
}

