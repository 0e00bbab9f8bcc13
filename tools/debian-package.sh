#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# debian-package.sh SUITE ARCH PACKAGE
#
# A Debian package of another architecture than this machine's (one that cannot be installed
# beside this machine's own, as busybox-static or coreutils), fetched through the isolated apt
# of debian-apt.sh (cached) and unpacked, not installed. Prints the directory it was unpacked
# into. The VM harness takes the arm64 guests' busybox, bpftool and cat from here.
# Progress goes to stderr. Exit 1 with one line naming the cause when the package can't be had.
set -euo pipefail

die() { echo "debian-package: $*" >&2; exit 1; }
[ $# -eq 3 ] || { echo "usage: debian-package.sh SUITE ARCH PACKAGE" >&2; exit 2; }
suite=$1 arch=$2 pkg=$3
source "$(dirname "$0")/debian-apt.sh"

refresh_lists
ver=$(version_of "$pkg/$suite")
[ -n "$ver" ] || die "no $pkg for $arch in suite $suite (apt lists missing or package unknown)"
dir="$cache/packages/$suite-$arch/${pkg}_$ver"
if [ ! -d "$dir" ]; then
	deb=$(download "$pkg") || die "cannot download $pkg $ver ($arch) from $suite"
	mkdir -p "$dir.tmp"
	dpkg-deb -x "$deb" "$dir.tmp"
	mv "$dir.tmp" "$dir"
fi
echo "$dir"
