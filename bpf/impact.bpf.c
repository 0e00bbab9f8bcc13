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
	struct mm_struct *mm = (struct mm_struct *)ctx[0];

	/* Two loads at constant offsets, each in its own branch: the verifier refuses an offset
	 * computed into the context, and explores only the branch of the read-only value. */
	__u64 success;

	if (cfg.mmap_lock_memcg_arg) {
		success = ctx[3];
		barrier_var(success);
	} else {
		success = ctx[2];
		barrier_var(success);
	}
	return impact__acquired(ctx, mm, success);
}

SEC("tp_btf/mmap_lock_released")
int tp__mmap_released(__u64 *ctx)
{
	return impact__released((struct mm_struct *)ctx[0]);
}
