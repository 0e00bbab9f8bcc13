#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# gen-vmlinux.sh [SUITE] [ARCH]: regenerates vmlinux/ARCH/vmlinux.h (ARCH: x86, the default, or
# arm64, as make's ARCH) from the BTF of a Debian cloud kernel package of that architecture
# (default suite: bookworm, the suite of the development machines) and records the package, kernel
# release and bpftool version in vmlinux/ARCH/README.md. CO-RE relocates every field access at
# load time, so one header from one kernel serves every kernel from 5.10 up.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
suite=${1:-bookworm}
arch=${2:-x86}
case "$arch" in
x86) debian_arch=amd64 ;;
arm64) debian_arch=arm64 ;;
*) echo "gen-vmlinux: unknown architecture '$arch' (use x86 or arm64)" >&2; exit 2 ;;
esac
dir=$("$top/tools/debian-kernel.sh" "$suite" --vmlinux --arch "$debian_arch")
out="$top/vmlinux/$arch"
mkdir -p "$out"
bpftool btf dump file "$dir/vmlinux" format c >"$out/vmlinux.h.tmp"
mv "$out/vmlinux.h.tmp" "$out/vmlinux.h"
{
	echo "# vmlinux.h"
	echo
	echo "Generated, never edited by hand: the C types of the kernel's BTF, which CO-RE"
	echo "relocates at load time on every kernel procscope runs on."
	echo
	echo "- suite: $suite"
	echo "- package: $(cat "$dir/package")"
	echo "- release: $(cat "$dir/release")"
	echo "- bpftool: $(bpftool version | head -n 1)"
	echo "- command: \`tools/gen-vmlinux.sh $suite $arch\`"
} >"$out/README.md"
echo "vmlinux/$arch/vmlinux.h regenerated from $(cat "$dir/package")"
