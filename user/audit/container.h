/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which container a cgroup v2 path belongs to, by the names container managers give their
 * cgroups (what Falco and Tetragon read too): docker, containerd (Kubernetes' CRI), CRI-O,
 * podman and systemd-nspawn, under the systemd and the cgroupfs drivers, and the Kubernetes pod
 * around it. Pure string work: no I/O.
 */
#ifndef PS_CONTAINER_H
#define PS_CONTAINER_H

#include <stdbool.h>

struct container_ref {
	const char *runtime; /* "docker", "containerd", "cri-o", "podman", "systemd-nspawn" */
	char id[65];	     /* the full container id (64 hex digits), or the nspawn machine name */
	char pod_uid[37];    /* the Kubernetes pod's uid, "" outside Kubernetes */
};

/* Fills @ret from @cgroup_path ("/system.slice/docker-<id>.scope"); false, with @ret cleared,
 * when the path names no container. The innermost container wins (a container's own nested
 * cgroups, like podman's "/container", belong to it). */
bool container__from_cgroup(const char *cgroup_path, struct container_ref *ret);

#endif
