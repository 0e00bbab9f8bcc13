#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# build-image.sh DEB IMAGE WORKDIR
#
# Builds the OCI image IMAGE with podman, offline (no registry): a minimal Debian bookworm root
# made by mmdebstrap from the archive this machine's apt uses, with the package DEB installed
# into it (its dependencies resolved by apt, exactly as on a host), imported into podman, then
# tools/deploy/Containerfile on top (entry point, port, labels). The image's architecture is the
# package's: an arm64 root is made here through qemu's user-mode emulation (binfmt_misc, set up
# by tools/install-deps.sh arm64).
set -euo pipefail

die() { echo "build-image: $*" >&2; exit 1; }

deb=$(realpath "$1") image=$2 work=$3
top=$(cd "$(dirname "$0")/.." && pwd)
[ -f "$deb" ] || die "no package $deb: run make deb first"
version=$(dpkg-deb -f "$deb" Version)
arch=$(dpkg-deb -f "$deb" Architecture)
export CONTAINERS_CONF=$top/tools/deploy/containers.conf
mkdir -p "$work"
uri=$("$top/tools/archive-uri.sh")

# Documentation, manuals and translations have no reader in a container.
mmdebstrap --variant=minbase --quiet --architectures="$arch" --include="$deb" \
	--hook-dir=/usr/share/mmdebstrap/hooks/file-mirror-automount \
	--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
	--dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
	bookworm "$work/rootfs.tar" "deb $uri bookworm main" "deb $uri bookworm-updates main" ||
	die "mmdebstrap failed"
podman import --quiet --arch "$arch" "$work/rootfs.tar" "localhost/procscope-rootfs:$version-$arch" \
	>/dev/null || die "podman import failed"
podman build --quiet --arch "$arch" --build-arg "BASE=localhost/procscope-rootfs:$version-$arch" \
	--build-arg "VERSION=$version" -f "$top/tools/deploy/Containerfile" -t "$image" \
	"$top/tools/deploy" >/dev/null || die "podman build failed"
rm -f "$work/rootfs.tar"
echo "build-image: $image ($arch, $(podman image inspect --format '{{.Size}}' "$image") bytes)" >&2
