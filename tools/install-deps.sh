#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs what procscope needs, from Debian's archive only, in tiers:
#   tools/install-deps.sh run    build and run (make, make run): the compiler, clang for BPF, bpftool
#                                and the libraries' -dev packages
#   tools/install-deps.sh test   run, plus what make test and make bench use (cmocka, Prometheus,
#                                qemu for the VM kernel matrix, the checkers, bpftrace and friends)
# Idempotent, and quiet when everything is already there.
set -euo pipefail

run_packages=(
	make gcc libc6-dev pkg-config # the Makefile's compiler for user space (CC=gcc)
	clang bpftool # BPF objects and skeletons
	libbpf-dev libelf-dev libdw-dev zlib1g-dev libmicrohttpd-dev libyaml-dev libmount-dev
	libcap-dev libseccomp-dev libgnutls28-dev libsystemd-dev libcrypt-dev
)
test_packages=(
	libcmocka-dev python3 python3-prometheus-client python3-yaml prometheus wget groff-base systemd # tests
	mmdebstrap # a fresh Debian root for the Quick start test
	qemu-system-x86 busybox-static cpio lz4 zstd xz-utils # VM kernel matrix
	clang-format clang-tidy cppcheck # make check
	libclang-rt-dev # libFuzzer and the sanitizer runtimes for tests/fuzz (only recommended by clang)
	bpftrace libbpf-tools gnuplot-nox # make bench: the peers and the chart
)

tier=${1:-test}
case "$tier" in
run) packages=("${run_packages[@]}") ;;
test) packages=("${run_packages[@]}" "${test_packages[@]}") ;;
*)
	echo "install-deps: unknown tier '$tier' (use: run or test)" >&2
	exit 2
	;;
esac

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages: ${missing[*]}; run as root (or: sudo apt-get install ${missing[*]})" >&2
	exit 1
fi
echo "install-deps: installing ($tier) ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
