/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Trace events for `procscope trace`: one ring-buffer record per traced call, with the raw path
 * (user space normalizes it for display) and, with -K/-U, the stacks. The record is reserved
 * before anything is built, so a full ring buffer costs no path walk; the loss is counted, never
 * silent.
 */
#ifndef PS_TRACE_BPF_H
#define PS_TRACE_BPF_H

#include "maps.bpf.h"
#include "counters.bpf.h"
#include "path.bpf.h"
#include "ustack.bpf.h"

/*
 * The stacks after the event. User frames are taken as build id + file offset, resolved by the
 * kernel while the process and its mappings still exist; the executable's path comes along so
 * that user space can find the file with that build id after the process is gone.
 */
/*
 * arm64's kprobe at a function's first instruction: the caller's return address is still in the
 * link register, not yet in a frame record, so the kernel's walk (from the pc, then the frame
 * records) leaves the caller out. It goes in as the second frame, as x86-64's walk has it.
 */
static __always_inline void entry_stack_caller(struct pt_regs *regs, struct ps_kstack *k)
{
#if defined(__TARGET_ARCH_arm64)
	__u64 lr = PT_REGS_RET_CORE(regs);

	if (k->bytes < 2 * (int)sizeof(__u64) || k->ips[1] == lr)
		return;
	for (int i = PS_STACK_MAX - 1; i > 1; i--)
		k->ips[i] = k->ips[i - 1];
	k->ips[1] = lr;
	if (k->bytes < (int)sizeof(k->ips))
		k->bytes += sizeof(__u64);
#endif
}

/* At a call's entry, when the kernel stack is taken there (see ps_config.entry_kstack: kprobes,
 * whose return probes' stacks begin in the return trampoline). */
static __always_inline void trace__entry_stack(void *ctx)
{
	struct ps_key_scratch *scratch;
	__u32 tid;

	if (!cfg.entry_kstack || !(cfg.stacks & PS_STACK_KERNEL))
		return;
	scratch = scratch__get();
	if (!scratch)
		return;
	tid = (__u32)bpf_get_current_pid_tgid();
	scratch->kstack.bytes =
		bpf_get_stack(ctx, scratch->kstack.ips, sizeof(scratch->kstack.ips), 0);
	entry_stack_caller(ctx, &scratch->kstack);
	bpf_map_update_elem(&entry_stacks, &tid, &scratch->kstack, BPF_ANY);
}

/* The kernel stack of the event: the one saved at the call's entry (@of_call, where the mode
 * takes it there), or the current one. */
static __always_inline void kernel_stack(void *ctx, struct ps_stacks *st, bool of_call)
{
	struct ps_kstack *saved;
	__u32 tid;

	if (!cfg.entry_kstack || !of_call) {
		st->kstack_bytes = bpf_get_stack(ctx, st->kstack, sizeof(st->kstack), 0);
		return;
	}
	tid = (__u32)bpf_get_current_pid_tgid();
	saved = bpf_map_lookup_elem(&entry_stacks, &tid);
	if (!saved) {
		st->kstack_bytes = -2; /* -ENOENT: entered before procscope attached */
		return;
	}
	st->kstack_bytes = saved->bytes;
	__builtin_memcpy(st->kstack, saved->ips, sizeof(st->kstack));
	bpf_map_delete_elem(&entry_stacks, &tid);
}

/* @of_call: the event is a call's (not a stall's). A stall's user stack is walked, never copied:
 * the copy's loop does not fit in the stack the impact programs have left (6.1 counts 544 of
 * 512 bytes with it). */
static __always_inline void trace__stacks(void *ctx, struct ps_key_scratch *scratch,
					  struct ps_stacks *st, bool of_call)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	st->kstack_bytes = 0;
	st->ustack_bytes = 0;
	if (cfg.stacks & PS_STACK_KERNEL)
		kernel_stack(ctx, st, of_call);
	if (!(cfg.stacks & PS_STACK_USER))
		return;
	st->has_copy = 0;
	__builtin_memset(st->pad, 0, sizeof(st->pad));
	if (of_call && (cfg.ustack & PS_USTACK_COPY)) {
		ustack__copy(task, (struct ps_ustack_copy *)(st + 1));
		st->has_copy = 1;
	}
	/* Without the walk, its first frame still comes: the build id of the code at the
	 * instruction pointer, which places that file when the process is gone. */
	st->ustack_bytes =
		bpf_get_stack(ctx, st->ustack,
			      (cfg.ustack & PS_USTACK_WALK) || !of_call ? sizeof(st->ustack)
									: sizeof(st->ustack[0]),
			      BPF_F_USER_STACK | BPF_F_USER_BUILD_ID);
	st->exe_truncated = path__exe(scratch, task, st->exe);
}

/* The thread's scratch space and an event reserved in the ring buffer (cfg.event_size: a
 * constant to the verifier, with or without stacks); NULL when either is missing, a full ring
 * buffer counted as a lost event. */
static __always_inline struct ps_event *trace__reserve_size(struct ps_key_scratch **ret_scratch,
							    __u32 size)
{
	struct ps_event *e;

	*ret_scratch = scratch__get();
	if (!*ret_scratch)
		return NULL;
	e = bpf_ringbuf_reserve(&events, size, 0);
	if (!e)
		counter__add(PS_CNT_EVENTS_LOST);
	return e;
}

static __always_inline struct ps_event *trace__reserve(struct ps_key_scratch **ret_scratch)
{
	return trace__reserve_size(ret_scratch, cfg.event_size);
}

static __always_inline void trace__submit(struct ps_event *e)
{
	/* The reader also polls every 100 ms, so events never wait longer than that. */
	bpf_ringbuf_submit(e, bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= cfg.wakeup_bytes
				      ? BPF_RB_FORCE_WAKEUP
				      : BPF_RB_NO_WAKEUP);
}

/* What every event has: the current thread, when, which call and how it ended; no reader. */
static __always_inline void trace__head(struct ps_event *e, int fs, __u32 op, __u32 func, long ret,
					__u64 lat_ns)
{
	__u64 id = bpf_get_current_pid_tgid();

	e->ts_ns = bpf_ktime_get_ns();
	e->lat_ns = lat_ns;
	e->ret = ret;
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->func = func;
	e->fs = fs;
	e->op = op;
	e->has_stacks = cfg.stacks != 0;
	e->path_is_name = 0;
	__builtin_memset(e->pad, 0, sizeof(e->pad));
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	e->reader_pid = 0;
	e->reader_slot = 0;
	__builtin_memset(e->reader_comm, 0, sizeof(e->reader_comm));
}

/* The event of a call on @file, or when it has none, on the name @name it was given (the
 * caller's memory when @user: a failed open). With neither (a traced function that carries no
 * file) the event has no path. */
static __always_inline void trace__emit_named(void *ctx, struct file *file, const char *name,
					      bool user, int fs, __u32 op, __u32 func, long ret,
					      __u64 lat_ns)
{
	struct ps_key_scratch *scratch;
	struct ps_event *e;

	if (cfg.errors_only && ret >= 0)
		return;
	if (cfg.min_lat_ns && lat_ns < cfg.min_lat_ns)
		return;
	e = trace__reserve(&scratch);
	if (!e)
		return;
	/* The scratch key may have been used for a file slot already; build the raw path in it.
	 */
	__builtin_memset(&scratch->key, 0, sizeof(scratch->key));
	if (file)
		path__build(scratch, BPF_CORE_READ(file, f_path.dentry), NULL, false);
	else if (name && (user ? bpf_probe_read_user_str(scratch->key.path, PS_PATH_LEN, name)
			       : bpf_probe_read_kernel_str(scratch->key.path, PS_PATH_LEN, name)) ==
				 PS_PATH_LEN)
		scratch->key.truncated = 1;
	bpf_probe_read_kernel(e->path, sizeof(e->path), scratch->key.path); /* see path__exe */
	e->truncated = scratch->key.truncated;
	trace__head(e, fs, op, func, ret, lat_ns);
	e->path_is_name = !file && name;
	if (cfg.stacks)
		trace__stacks(ctx, scratch, (struct ps_stacks *)(e + 1), true);
	trace__submit(e);
}

/* @file may be NULL (a traced function that carries none): the event then has no path. */
static __always_inline void trace__emit(void *ctx, struct file *file, int fs, __u32 op, __u32 func,
					long ret, __u64 lat_ns)
{
	trace__emit_named(ctx, file, NULL, false, fs, op, func, ret, lat_ns);
}

/* trace --min-stall: the current thread waited @wait_ns for its own mmap_lock, @charged_ns of
 * it while readers held it; @reader is the row of the one with the largest share. */
static __always_inline void trace__emit_stall(void *ctx, __u64 wait_ns, __u64 charged_ns,
					      const struct ps_impact_key *reader)
{
	struct ps_key_scratch *scratch;
	struct ps_event *e;

	e = trace__reserve(&scratch);
	if (!e)
		return;
	__builtin_memset(e->path, 0, sizeof(e->path));
	e->truncated = 0;
	trace__head(e, PS_FS_PROC, PS_OP_STALL, 0, (__s64)charged_ns, wait_ns);
	e->reader_pid = reader->reader_tgid;
	e->reader_slot = reader->file_slot;
	__builtin_memcpy(e->reader_comm, reader->reader_comm, sizeof(e->reader_comm));
	if (cfg.stacks)
		trace__stacks(ctx, scratch, (struct ps_stacks *)(e + 1), false);
	trace__submit(e);
}

#endif /* PS_TRACE_BPF_H */
