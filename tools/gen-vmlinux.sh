#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# gen-vmlinux.sh [SUITE]: regenerates vmlinux/x86/vmlinux.h from the BTF of a Debian cloud kernel
# package (default: bookworm, the suite of the development machines) and records the package,
# kernel release and bpftool version in vmlinux/x86/README.md. CO-RE relocates every field access at
# load time, so one header from one kernel serves every kernel from 5.10 up.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
suite=${1:-bookworm}
dir=$("$top/tools/debian-kernel.sh" "$suite" --vmlinux)
out="$top/vmlinux/x86"
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
	echo "- command: \`tools/gen-vmlinux.sh $suite\`"
} >"$out/README.md"
echo "vmlinux/x86/vmlinux.h regenerated from $(cat "$dir/package")"
