#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs what procscope needs, from Debian's archive only, in tiers:
#   tools/install-deps.sh run     build and run (make, make run): the compiler, clang for BPF,
#                                 bpftool and the libraries' -dev packages
#   tools/install-deps.sh image   run, plus what make deb and make image use (debhelper,
#                                 lintian, mmdebstrap, podman and runc)
#   tools/install-deps.sh test    image, plus what make test and make bench use (cmocka,
#                                 Prometheus, qemu for the VM kernel matrix, the checkers,
#                                 bpftrace and friends)
#   tools/install-deps.sh --list build   the build's packages, comma-separated (the Debian
#                                 package's Build-Depends come from here)
# Idempotent, and quiet when everything is already there.
set -euo pipefail

toolchain=(make gcc libc6-dev) # the Makefile's compiler for user space (CC=gcc)
build_packages=(
	pkg-config clang bpftool # BPF objects and skeletons
	libbpf-dev libelf-dev libdw-dev zlib1g-dev libmicrohttpd-dev libgnutls28-dev libyaml-dev
	libmount-dev libcap-dev libseccomp-dev libsystemd-dev libcrypt-dev
	g++ # libstdc++ to link (__cxa_demangle: C++ names in user stacks)
)
image_packages=(
	debhelper dpkg-dev lintian # make deb
	mmdebstrap podman runc uidmap catatonit # make image: a Debian root, built and run offline (catatonit: kube play's pause)
)
test_packages=(
	libcmocka-dev python3 python3-prometheus-client python3-yaml prometheus wget groff-base systemd # tests
	openssl apache2-utils strace # TLS and basic-auth material, BPF calls watched in the daemon tests
	qemu-system-x86 busybox-static cpio lz4 zstd xz-utils # VM kernel matrix
	clang-format clang-tidy cppcheck # make check
	libclang-rt-dev # libFuzzer and the sanitizer runtimes for tests/fuzz (only recommended by clang)
	bpftrace libbpf-tools gnuplot-nox # make bench: the peers and the chart
)

if [ "${1:-}" = "--list" ] && [ "${2:-}" = "build" ]; then
	(IFS=,; echo "${build_packages[*]}" | sed 's/,/, /g')
	exit 0
fi
tier=${1:-test}
case "$tier" in
run) packages=("${toolchain[@]}" "${build_packages[@]}") ;;
image) packages=("${toolchain[@]}" "${build_packages[@]}" "${image_packages[@]}") ;;
test) packages=("${toolchain[@]}" "${build_packages[@]}" "${image_packages[@]}" "${test_packages[@]}") ;;
*)
	echo "install-deps: unknown tier '$tier' (use: run, image or test)" >&2
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
