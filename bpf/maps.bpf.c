// SPDX-License-Identifier: GPL-2.0-only
/* Defines the maps and configuration declared in maps.bpf.h, and the licence of the object. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#define PS_MAPS_DEFINE
#include "maps.bpf.h"

char LICENSE[] SEC("license") = "GPL";
