#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs what procscope needs to build and test, from Debian's archive only. Idempotent, and
# quiet when everything is already there.
set -euo pipefail

packages=(
	make clang llvm bpftool libbpf-dev libelf-dev libdw-dev binutils zlib1g-dev libmicrohttpd-dev libyaml-dev libmount-dev libcap-dev libseccomp-dev xxd pkg-config # build
	libcmocka-dev python3 python3-prometheus-client python3-yaml prometheus wget groff-base systemd # tests
	qemu-system-x86 busybox-static cpio lz4 zstd xz-utils # VM kernel matrix
	clang-format clang-tidy cppcheck # make check
	libclang-rt-dev # libFuzzer and the sanitizer runtimes for tests/fuzz (only recommended by clang)
	bpftrace libbpf-tools gnuplot-nox # make bench: the peers and the chart
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages: ${missing[*]}; run as root (or: sudo apt-get install ${missing[*]})" >&2
	exit 1
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
