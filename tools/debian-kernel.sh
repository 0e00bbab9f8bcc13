#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# debian-kernel.sh SUITE [--vmlinux] [--arch amd64|arm64]
#
# Fetches the current cloud kernel of a Debian suite (bullseye, bookworm, trixie, sid, ...) for an
# architecture (Debian's name, default amd64) through an isolated apt configuration (own sources
# list, lists and cache under $PROCSCOPE_CACHE), so the machine's own apt sources are never
# touched, and extracts its vmlinuz. With --vmlinux it also takes the kernel's BTF out of it: on
# amd64 the ELF vmlinux (which carries .BTF) decompressed from the bzImage; on arm64, whose
# vmlinuz is a raw Image with no sections, the raw BTF found in the Image (bpftool reads
# either).
#
# Prints the kernel's cache directory on stdout; it holds `vmlinuz`, `release` (uname -r), `package`
# (name=version of the package it came from) and, with --vmlinux, `vmlinux`.
# Progress goes to stderr. Exit 1 with one line naming the cause when the kernel can't be had.
set -euo pipefail

die() { echo "debian-kernel: $*" >&2; exit 1; }

usage() { echo "usage: debian-kernel.sh SUITE [--vmlinux] [--arch amd64|arm64]" >&2; exit 2; }
suite=${1:-}
[ -n "$suite" ] || usage
shift
want_vmlinux=0
arch=amd64
while [ $# -gt 0 ]; do
	case "$1" in
	--vmlinux) want_vmlinux=1 ;;
	--arch) arch=${2:-}; shift ;;
	*) usage ;;
	esac
	shift
done
case "$arch" in amd64 | arm64) ;; *) usage ;; esac

source "$(dirname "$0")/debian-apt.sh"
mkdir -p "$cache/kernels"

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

# The raw BTF inside an arm64 vmlinuz (a raw Image, gzipped or not): the header (magic 0xeb9f, version 1,
# flags 0, hdr_len 24, type_off 0) is found, and type_len, str_off (= type_len) and str_len give
# its length.
extract_raw_btf() {
	local in=$1 out=$2 image off type_len str_off str_len
	image=$(mktemp)
	gzip -dc "$in" >"$image" 2>/dev/null || cp "$in" "$image"
	for off in $(LC_ALL=C grep -obUaP '\x9f\xeb\x01\x00\x18\x00\x00\x00\x00\x00\x00\x00' "$image" |
		cut -d: -f1); do
		type_len=$(od -An -tu4 -j $((off + 12)) -N4 "$image" | tr -d ' ')
		str_off=$(od -An -tu4 -j $((off + 16)) -N4 "$image" | tr -d ' ')
		str_len=$(od -An -tu4 -j $((off + 20)) -N4 "$image" | tr -d ' ')
		[ "$type_len" = "$str_off" ] || continue
		dd if="$image" of="$out" iflag=skip_bytes,count_bytes skip="$off" \
			count=$((24 + str_off + str_len)) bs=1M status=none
		rm -f "$image"
		return 0
	done
	rm -f "$image"
	die "no BTF in $in"
}

refresh_lists
meta=$(depends_of "linux-image-cloud-$arch/$suite" | grep '^linux-image-' | head -n 1)
if [ -z "$meta" ]; then
	# Offline with no lists: fall back to the newest kernel already cached for this suite.
	cached=$(ls -d "$cache/kernels/$suite-"*"-cloud-$arch" 2>/dev/null | sort -V | tail -n 1 || true)
	[ -n "$cached" ] || die "no linux-image-cloud-$arch in suite $suite (apt lists missing or suite unknown)"
	dir=$cached
else
	dir="$cache/kernels/$suite-$(version_of "$meta/$suite")-${meta#linux-image-}"
fi

if [ ! -f "$dir/vmlinuz" ]; then
	deb=$(download "$meta") || die "cannot download $meta from $suite"
	inner=$(vmlinuz_in "$deb")
	if [ -z "$inner" ]; then
		for dep in $(depends_of "$meta/$suite" | grep -E "^linux-(binary|image)-.*cloud-$arch"); do
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
	if [ "$arch" = arm64 ]; then
		extract_raw_btf "$dir/vmlinuz" "$dir/vmlinux.tmp"
	else
		extract_vmlinux "$dir/vmlinuz" "$dir/vmlinux.tmp"
	fi
	mv "$dir/vmlinux.tmp" "$dir/vmlinux"
fi
echo "$dir"
