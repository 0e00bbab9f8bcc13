// SPDX-License-Identifier: GPL-2.0-only
/*
 * procscope impact's programs: the three mmap_lock tracepoints (5.11+), BTF-typed. Their
 * prototype lost the memcg path argument in later kernels; ps_config.mmap_lock_memcg_arg (read by
 * the loader from the tracepoints' BTF) says where the arguments after the mm are, and the
 * verifier, which knows the read-only value, never sees the other branch.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "impact.bpf.h"

SEC("tp_btf/mmap_lock_start_locking")
int tp__mmap_start(__u64 *ctx)
{
	return impact__start((struct mm_struct *)ctx[0]);
}

SEC("tp_btf/mmap_lock_acquire_returned")
int tp__mmap_acquired(__u64 *ctx)
{
	bool success = cfg.mmap_lock_memcg_arg ? ctx[3] : ctx[2];

	return impact__acquired((struct mm_struct *)ctx[0], success);
}

SEC("tp_btf/mmap_lock_released")
int tp__mmap_released(__u64 *ctx)
{
	return impact__released((struct mm_struct *)ctx[0]);
}
