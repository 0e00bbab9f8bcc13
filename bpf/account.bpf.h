/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The accounting bodies shared by every attach mode: each fentry, kprobe and tracepoint program is
 * a thin wrapper that extracts the struct file (or the return value) from its own context and calls
 * one of these. Order on every path: filesystem filter, process filter, then maps.
 */
#ifndef PS_ACCOUNT_BPF_H
#define PS_ACCOUNT_BPF_H

#include "maps.bpf.h"
#include "counters.bpf.h"
#include "fs.bpf.h"
#include "path.bpf.h"
#include "ident.bpf.h"
#include "inflight.bpf.h"
#include "select.bpf.h"
#include "trace.bpf.h"
#include "audit.bpf.h"
#include "impact.bpf.h"

static __always_inline void hook__hit(enum ps_hook hook)
{
	percpu_array_add(&fn_hits, hook, 1);
}

/* The function hit counter of a hook that carries a file: counted when the file is on a traced
 * filesystem and the caller passes the process filters. */
static __always_inline int hook__count(const struct file *file, enum ps_hook hook)
{
	if (file_traced_fs(file) < 0 || !current_selected())
		return 0;
	hook__hit(hook);
	return 0;
}

static __always_inline __u32 log2_bucket(__u64 v)
{
	__u32 r = 0, shift;

	shift = (v > 0xffffffffULL) << 5;
	v >>= shift;
	r |= shift;
	shift = (v > 0xffff) << 4;
	v >>= shift;
	r |= shift;
	shift = (v > 0xff) << 3;
	v >>= shift;
	r |= shift;
	shift = (v > 0xf) << 2;
	v >>= shift;
	r |= shift;
	shift = (v > 0x3) << 1;
	v >>= shift;
	r |= shift;
	r |= (v >> 1);
	return r < PS_LAT_BUCKETS ? r : PS_LAT_BUCKETS - 1;
}

static __always_inline void stats__add(struct ps_file_stats *st, __u32 op, long ret, __u64 lat_ns)
{
	if (op == PS_OP_READ) {
		__sync_fetch_and_add(&st->reads, 1);
		if (ret > 0)
			__sync_fetch_and_add(&st->read_bytes, ret);
	} else {
		__sync_fetch_and_add(&st->writes, 1);
		if (ret > 0)
			__sync_fetch_and_add(&st->write_bytes, ret);
	}
	if (ret < 0)
		__sync_fetch_and_add(&st->errors, 1);
	if (op != PS_OP_READ || !lat_ns)
		return;
	__sync_fetch_and_add(&st->lat_count, 1);
	__sync_fetch_and_add(&st->lat_sum_ns, lat_ns);
	__sync_fetch_and_add(&st->lat_hist[log2_bucket(lat_ns) & (PS_LAT_BUCKETS - 1)], 1);
	/* The maximum is per interval: user space starts a new epoch at each boundary. A race
	 * between two preempting readers can only lose a maximum, never a count. */
	if (st->lat_max_epoch != lat_epoch) {
		st->lat_max_epoch = lat_epoch;
		st->lat_max_ns = lat_ns;
	} else if (lat_ns > st->lat_max_ns) {
		st->lat_max_ns = lat_ns;
	}
}

/* The statistics of @slot, or [other] of filesystem @fs when it is PS_SLOT_NONE. */
static __always_inline struct ps_file_stats *stats__of_slot(__u32 slot, int fs)
{
	__u32 fs_idx = fs;
	struct ps_file_stats *st;

	if (slot != PS_SLOT_NONE) {
		st = bpf_map_lookup_elem(&file_stats, &slot);
		if (st)
			return st;
	}
	counter__add(PS_CNT_FILES_FULL);
	return bpf_map_lookup_elem(&other_files, &fs_idx);
}

/* The statistics of a file: its own slot, or [other] of its filesystem when none is left. */
static __always_inline struct ps_file_stats *stats__slot(struct file *file, int fs)
{
	return stats__of_slot(slot__of(file, fs), fs);
}

static __always_inline void account__record(struct file *file, int fs, __u32 op, long ret,
					    __u64 lat_ns)
{
	struct ps_file_stats *st = stats__slot(file, fs);

	if (st)
		stats__add(st, op, ret, lat_ns);
}

/*
 * What a call of a traced file does, once its file is known and selected. `trace` shows events
 * and nothing reads its statistics: counting there too would walk the path twice per call for
 * nothing; `audit` alone reads no counts either.
 */
static __always_inline void account__finish(void *ctx, struct file *file, int fs, __u32 op,
					    __u32 func, long ret, __u64 lat_ns)
{
	if (cfg.trace) {
		if (cfg.trace_ops & (1u << op))
			trace__emit(ctx, file, fs, op, func, ret, lat_ns);
	} else if (!cfg.skip_count)
		account__record(file, fs, op, ret, lat_ns);
	if (cfg.impact && op == PS_OP_READ)
		impact__read(file, fs);
	audit__access(file, fs, op, ret);
}

/*
 * The entry of a call that is followed: @hook's hit counted (-1: a system call, no function),
 * the call remembered until its return (struct ps_inflight's @file, @arg, @name), and with trace
 * the kernel stack of the entry. Every entry program ends here.
 */
static __always_inline int call__begin(void *ctx, int hook, __u64 file, __u64 arg, __u64 name)
{
	if (hook >= 0)
		hook__hit(hook);
	if (!inflight__begin(file, arg, name))
		counter__add(PS_CNT_INFLIGHT_FULL);
	if (cfg.trace)
		trace__entry_stack(ctx);
	return 0;
}

/*
 * Entry of a read or write: remember when it started and on which file (a kretprobe has no other
 * way to know it). @typed: @file is a typed fentry argument (see typed_file_traced_fs). @hook is
 * the function hit to count, or -1 where the entry is a system call
 * rather than a kernel function. @ctx is the program's, for a kernel stack taken at entry.
 */
static __always_inline int account__enter(void *ctx, struct file *file, bool typed, int hook)
{
	if ((typed ? typed_file_traced_fs(file) : file_traced_fs(file)) < 0 || !current_selected())
		return 0;
	return call__begin(ctx, hook, (__u64)file, 0, 0);
}

/*
 * Return of a read or write. @file is the call's file where the context has it (fexit), so other
 * files leave before any map lookup. A kretprobe has only the return value, and the syscall exit
 * would have to resolve the fd again (eight helper calls): both pass NULL, and the file comes
 * from the entry (inflight.bpf.h). @ctx is the program's, for stacks.
 */
static __always_inline int account__exit(void *ctx, struct file *file, bool typed, __u32 op,
					 __u32 func, long ret)
{
	struct ps_inflight in;
	__u64 lat_ns = 0;
	int fs = -1;

	if (file) {
		fs = typed ? typed_file_traced_fs(file) : file_traced_fs(file);
		if (fs < 0)
			return 0;
	}
	if (cfg.no_latency && file) {
		/* No entry was attached: nothing to look up. */
		if (!current_selected())
			return 0;
		if (!(func & PS_FUNC_SYSCALL))
			hook__hit(func);
	} else {
		if (inflight__end(&in)) {
			if (!file)
				file = (struct file *)in.file;
			lat_ns = cfg.no_latency ? 0 : bpf_ktime_get_ns() - in.start_ns;
		} else if (!file || !current_selected()) {
			return 0;
		} else {
			/* Entered before procscope attached, or its entry found inflight full: the
			 * call still counts, without a latency. */
			counter__add(PS_CNT_UNMATCHED_EXIT);
		}
		if (fs < 0)
			fs = file_traced_fs(file);
		if (fs < 0)
			return 0;
	}
	/* One call site: the verifier walks the bodies behind it once per path that reaches it. */
	account__finish(ctx, file, fs, op, func, ret, lat_ns);
	return 0;
}

#endif /* PS_ACCOUNT_BPF_H */
