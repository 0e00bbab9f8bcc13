#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs what procscope needs, from Debian's archive only, in tiers:
#   tools/install-deps.sh run     build and run (make, make run): the compiler, clang for BPF,
#                                 bpftool and the libraries' -dev packages
#   tools/install-deps.sh image   run, plus what make deb and make image use (debhelper,
#                                 lintian, mmdebstrap, podman and runc)
#   tools/install-deps.sh arm64   run, plus what make ARCH=arm64 uses: Debian's aarch64 cross
#                                 toolchain, the libraries' arm64 -dev packages (multiarch) and
#                                 qemu's user-mode emulation, registered with binfmt_misc so
#                                 arm64 programs (the man page generator, unit tests) run here
#   tools/install-deps.sh test    image and arm64, plus what make test and make bench use
#                                 (cmocka, Prometheus, qemu for the VM kernel matrix, the
#                                 checkers, bpftrace and friends)
#   tools/install-deps.sh --list build   the build's packages, comma-separated (the Debian
#                                 package's Build-Depends come from here)
# Idempotent, and quiet when everything is already there.
set -euo pipefail

toolchain=(make gcc libc6-dev) # the Makefile's compiler for user space (CC=gcc)
# Programs the build runs on the building machine, whatever it builds for (":native" in the
# package's Build-Depends, so that make deb ARCH=arm64 cross-builds).
build_tools=(
	clang bpftool # BPF objects and skeletons
	g++ # libstdc++ to link (__cxa_demangle: C++ names in user stacks)
)
build_libraries=(
	libbpf-dev libelf-dev libdw-dev zlib1g-dev libmicrohttpd-dev libgnutls28-dev libyaml-dev
	libmount-dev libcap-dev libseccomp-dev libsystemd-dev libcrypt-dev
)
build_packages=(pkg-config "${build_tools[@]}" "${build_libraries[@]}")
# The same libraries for arm64 (and cmocka, for the unit tests), and the compilers that build for it.
cross_packages=(
	gcc-aarch64-linux-gnu g++-aarch64-linux-gnu libc6-dev:arm64
	"${build_libraries[@]/%/:arm64}" libcmocka-dev:arm64
	qemu-user-static mount # arm64 programs run here (binfmt_misc, mounted where it is not)
	qemu-system-arm  # the arm64 VM kernels (qemu-system-aarch64)
)
image_packages=(
	debhelper dpkg-dev lintian # make deb
	mmdebstrap podman runc uidmap catatonit # make image: a Debian root, built and run offline (catatonit: kube play's pause)
	arch-test # mmdebstrap's check that an arm64 root can be made here (make image ARCH=arm64)
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
	for p in "${build_packages[@]}"; do
		case " ${build_tools[*]} " in *" $p "*) p="$p:native" ;; esac
		echo "$p"
	done | paste -sd, | sed 's/,/, /g'
	exit 0
fi
tier=${1:-test}
case "$tier" in
run) packages=("${toolchain[@]}" "${build_packages[@]}") ;;
arm64) packages=("${toolchain[@]}" "${build_packages[@]}" "${cross_packages[@]}") ;;
image) packages=("${toolchain[@]}" "${build_packages[@]}" "${image_packages[@]}") ;;
test)
	packages=("${toolchain[@]}" "${build_packages[@]}" "${cross_packages[@]}" "${image_packages[@]}"
		"${test_packages[@]}")
	;;
*)
	echo "install-deps: unknown tier '$tier' (use: run, arm64, image or test)" >&2
	exit 2
	;;
esac

needs_root() {
	[ "$(id -u)" -eq 0 ] && return 0
	echo "install-deps: $1; run as root (or: sudo $2)" >&2
	exit 1
}

# arm64 programs run here through qemu-aarch64, registered with the kernel's binfmt_misc from
# the file qemu-user-static installs (a registration lasts until the machine restarts).
enable_arm64_binfmt() {
	local conf=/usr/lib/binfmt.d/qemu-aarch64.conf dir=/proc/sys/fs/binfmt_misc
	[ -e "$dir/qemu-aarch64" ] && return 0
	needs_root "arm64 programs cannot run here (qemu-aarch64 is not registered with binfmt_misc)" \
		"tools/install-deps.sh arm64"
	[ -e "$dir/register" ] || mount -t binfmt_misc binfmt_misc "$dir" || {
		echo "install-deps: cannot mount binfmt_misc on $dir: arm64 programs cannot run here" >&2
		exit 1
	}
	[ -e "$dir/qemu-aarch64" ] && return 0 # registered, where binfmt_misc was not mounted
	cat "$conf" >"$dir/register" || {
		echo "install-deps: cannot register $conf with binfmt_misc" >&2
		exit 1
	}
}

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
	needs_root "missing packages: ${missing[*]}" "apt-get install ${missing[*]}"
	echo "install-deps: installing ($tier) ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	# the arm64 -dev packages: Debian's multiarch, once told the machine takes arm64 packages
	if printf '%s\n' "${missing[@]}" | grep -q ':arm64$' && ! dpkg --print-foreign-architectures | grep -qx arm64; then
		dpkg --add-architecture arm64
	fi
	apt-get update -qq >/dev/null
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
case "$tier" in arm64 | test) enable_arm64_binfmt ;; esac
