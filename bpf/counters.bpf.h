/* SPDX-License-Identifier: GPL-2.0-only */
/* Increments of the per-CPU counter arrays (fn_hits, counters). */
#ifndef PS_COUNTERS_BPF_H
#define PS_COUNTERS_BPF_H

#include "maps.bpf.h"

/* Per-CPU slots, but updated atomically all the same: a tracing program can be preempted by
 * another task running the same program on the same CPU, and no increment may be lost. */
static __always_inline void percpu_array_add(void *map, __u32 idx, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(map, &idx);

	if (v)
		__sync_fetch_and_add(v, n);
}

static __always_inline void counter__add(enum ps_counter c)
{
	percpu_array_add(&counters, c, 1);
}

#endif /* PS_COUNTERS_BPF_H */
