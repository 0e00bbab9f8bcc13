#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# debian-kernel.sh SUITE [--vmlinux]
#
# Fetches the current cloud kernel of a Debian suite (bullseye, bookworm, trixie, sid, ...) through
# an isolated apt configuration (own sources list, lists and cache under $PROCSCOPE_CACHE), so the
# machine's own apt sources are never touched, and extracts its vmlinuz. With --vmlinux it also
# decompresses the ELF vmlinux (which carries .BTF) out of the bzImage.
#
# Prints the kernel's cache directory on stdout; it holds `vmlinuz`, `release` (uname -r), `package`
# (name=version of the package it came from) and, with --vmlinux, `vmlinux`.
# Progress goes to stderr. Exit 1 with one line naming the cause when the kernel can't be had.
set -euo pipefail

die() { echo "debian-kernel: $*" >&2; exit 1; }

suite=${1:-}
want_vmlinux=0
[ "${2:-}" = "--vmlinux" ] && want_vmlinux=1
[ -n "$suite" ] || { echo "usage: debian-kernel.sh SUITE [--vmlinux]" >&2; exit 2; }

cache=${PROCSCOPE_CACHE:-$HOME/.cache/procscope}/apt
mkdir -p "$cache/lists/partial" "$cache/cache/archives/partial" "$cache/kernels"

apt_opts=(-o "Dir::Etc::SourceList=$cache/sources.list" -o Dir::Etc::SourceParts=/dev/null
	-o "Dir::State::Lists=$cache/lists" -o "Dir::Cache=$cache/cache"
	-o APT::Architecture=amd64 -o Debug::NoLocking=1 -o APT::Sandbox::User=root -qq)

# Refresh the package lists at most once a day; a failed refresh with lists already there is fine
# (the cached kernels still work offline).
refresh_lists() {
	local stamp="$cache/lists/.stamp"
	if [ ! -f "$cache/sources.list" ] || ! grep -q " $suite main" "$cache/sources.list"; then
		local uri
		uri=$("$(dirname "$0")/archive-uri.sh") || exit 1
		for s in bullseye bookworm trixie sid $suite; do
			echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $s main"
		done | sort -u >"$cache/sources.list"
		rm -f "$stamp"
	fi
	if [ -z "$(find "$stamp" -mmin -1440 2>/dev/null)" ]; then
		echo "debian-kernel: updating package lists" >&2
		if apt-get "${apt_opts[@]}" update >&2; then
			touch "$stamp"
		else
			echo "debian-kernel: apt-get update failed; using the lists already cached" >&2
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
	deb=$(ls "$cache/cache/archives/${pkg}_${ver//:/%3a}_"*.deb 2>/dev/null | head -n 1 || true)
	if [ -z "$deb" ]; then
		echo "debian-kernel: downloading $pkg $ver" >&2
		(cd "$cache/cache/archives" && apt-get "${apt_opts[@]}" download "$pkg/$suite" >&2) || return 1
		deb=$(ls "$cache/cache/archives/${pkg}_${ver//:/%3a}_"*.deb 2>/dev/null | head -n 1 || true)
	fi
	[ -n "$deb" ] && echo "$deb"
}

# The vmlinuz inside a .deb: /boot/vmlinuz-* (bullseye..trixie) or usr/lib/modules/*/vmlinuz (sid,
# where the image package is split and linux-binary-* holds it).
vmlinuz_in() {
	dpkg-deb -c "$1" | awk '{ print $NF }' | grep -E '(^\./boot/vmlinuz-|/lib/modules/[^/]+/vmlinuz$)' |
		head -n 1 || true
}

# Decompress the ELF vmlinux from a bzImage: the setup header gives the payload's offset and length
# (setup_sects at 0x1f1, payload_offset at 0x248, payload_length at 0x24c); the payload's magic says
# which decompressor Debian used (lz4 legacy on 5.10 and 6.1, zstd on 6.12 and 7.x).
extract_vmlinux() {
	local in=$1 out=$2 hdr sects off len magic
	hdr=$(od -An -tu1 -j $((0x1f1)) -N1 "$in" | tr -d ' ')
	sects=${hdr:-4}
	[ "$sects" -eq 0 ] && sects=4
	off=$(od -An -tu4 -j $((0x248)) -N4 "$in" | tr -d ' ')
	len=$(od -An -tu4 -j $((0x24c)) -N4 "$in" | tr -d ' ')
	off=$(((sects + 1) * 512 + off))
	magic=$(od -An -tx1 -j "$off" -N4 "$in" | tr -d ' \n')
	local payload="tail -c +$((off + 1)) $in | head -c $len"
	case "$magic" in
	02214c18) eval "$payload" | lz4 -dc >"$out" 2>/dev/null || true ;;
	28b52ffd) eval "$payload" | zstd -dcq >"$out" 2>/dev/null || true ;;
	fd377a58) eval "$payload" | xz -dc >"$out" 2>/dev/null || true ;;
	1f8b08*) eval "$payload" | gzip -dc >"$out" 2>/dev/null || true ;;
	*) die "unknown kernel compression (magic $magic) in $in" ;;
	esac
	[ "$(od -An -tx1 -N4 "$out" | tr -d ' \n')" = "7f454c46" ] || die "could not decompress $in"
}

refresh_lists
meta=$(depends_of "linux-image-cloud-amd64/$suite" | grep '^linux-image-' | head -n 1)
if [ -z "$meta" ]; then
	# Offline with no lists: fall back to the newest kernel already cached for this suite.
	cached=$(ls -d "$cache/kernels/$suite-"* 2>/dev/null | sort -V | tail -n 1 || true)
	[ -n "$cached" ] || die "no linux-image-cloud-amd64 in suite $suite (apt lists missing or suite unknown)"
	dir=$cached
else
	dir="$cache/kernels/$suite-$(version_of "$meta/$suite")-${meta#linux-image-}"
fi

if [ ! -f "$dir/vmlinuz" ]; then
	deb=$(download "$meta") || die "cannot download $meta from $suite"
	inner=$(vmlinuz_in "$deb")
	if [ -z "$inner" ]; then
		for dep in $(depends_of "$meta/$suite" | grep -E '^linux-(binary|image)-.*cloud-amd64'); do
			deb=$(download "$dep") || continue
			inner=$(vmlinuz_in "$deb")
			[ -n "$inner" ] && break
		done
	fi
	[ -n "$inner" ] || die "no vmlinuz in $meta or its linux-binary/linux-image dependencies"
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" "$inner"
	mkdir -p "$dir"
	mv "$tmp/$inner" "$dir/vmlinuz"
	case "$inner" in
	./boot/vmlinuz-*) echo "${inner#./boot/vmlinuz-}" >"$dir/release" ;;
	*) basename "$(dirname "$inner")" >"$dir/release" ;;
	esac
	echo "$(basename "$deb" | cut -d_ -f1)=$(basename "$deb" | cut -d_ -f2)" >"$dir/package"
fi

if [ "$want_vmlinux" = 1 ] && [ ! -f "$dir/vmlinux" ]; then
	extract_vmlinux "$dir/vmlinuz" "$dir/vmlinux.tmp"
	mv "$dir/vmlinux.tmp" "$dir/vmlinux"
fi
echo "$dir"
