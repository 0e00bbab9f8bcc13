/* SPDX-License-Identifier: GPL-2.0-only */
/* The process filters (-p, -t, -u, -c): the second test on every path, after the filesystem. */
#ifndef PS_SELECT_BPF_H
#define PS_SELECT_BPF_H

#include "maps.bpf.h"

static __always_inline bool current_selected(void)
{
	__u64 id = bpf_get_current_pid_tgid();

	if (cfg.tgid && (__u32)(id >> 32) != cfg.tgid)
		return false;
	if (cfg.tid && (__u32)id != cfg.tid)
		return false;
	if (cfg.uid_set && (__u32)bpf_get_current_uid_gid() != cfg.uid)
		return false;
	if (cfg.comm_set) {
		char comm[PS_COMM_LEN];

		bpf_get_current_comm(comm, sizeof(comm));
#pragma unroll
		for (int i = 0; i < PS_COMM_LEN; i++) {
			if (comm[i] != cfg.comm[i])
				return false;
			if (!comm[i])
				break;
		}
	}
	return true;
}

#endif /* PS_SELECT_BPF_H */
