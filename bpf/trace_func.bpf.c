// SPDX-License-Identifier: GPL-2.0-only
/*
 * `procscope trace FUNC`: the calls of one chosen kernel function. An fentry program is bound to
 * its function when it is loaded, so this object is separate from the main one and the loader
 * opens one copy per FUNC, sharing the main object's ring buffer and counters (bpf_map__reuse_fd);
 * the kprobe mode uses the same copies for symmetry, so no kernel needs bpf_cookie (5.15+).
 *
 * The programs are generic: which argument carries the file, how many arguments there are (fexit
 * finds the return value after them) and the return type come from the function's BTF, through
 * the read-only cfg. Every index below is a constant to the verifier, which keeps one case of
 * each switch and drops the rest.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#define PS_MAPS_DEFINE
#include "account.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* The file behind the argument that carries one: a struct file, a kiocb or a seq_file. */
static __always_inline struct file *file_of_arg(__u64 arg)
{
	switch (cfg.file_kind) {
	case PS_FILE_FILE:
		return (struct file *)arg;
	case PS_FILE_KIOCB:
		return BPF_CORE_READ((struct kiocb *)arg, ki_filp);
	case PS_FILE_SEQ_FILE:
		return (struct file *)BPF_CORE_READ((struct seq_file *)arg, file);
	default:
		return NULL;
	}
}

/*
 * fentry/fexit: the arguments are 8-byte slots of ctx (the return value after them in fexit).
 * The verifier allows direct loads at constant offsets only, and the compiler folds a switch of
 * constant loads back into one load at a computed offset; a copy through a helper keeps any
 * offset, and the rodata index keeps it constant.
 */
static __always_inline __u64 fentry_arg(__u64 *ctx, __u32 n)
{
	__u64 v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), &ctx[n]);
	return v;
}

/* kprobe: the argument registers, read through CO-RE (the same folding applies to pt_regs). */
static __always_inline __u64 kprobe_arg(struct pt_regs *ctx, __u32 n)
{
	switch (n) {
	case 0:
		return PT_REGS_PARM1_CORE(ctx);
	case 1:
		return PT_REGS_PARM2_CORE(ctx);
	case 2:
		return PT_REGS_PARM3_CORE(ctx);
	case 3:
		return PT_REGS_PARM4_CORE(ctx);
	case 4:
		return PT_REGS_PARM5_CORE(ctx);
	default:
		return 0;
	}
}

/* The raw return value, widened by its C type (a 32-bit int's upper half is garbage). */
static __always_inline long widen_ret(__u64 raw)
{
	switch (cfg.ret_size) {
	case 0:
		return 0;
	case 1:
		return cfg.ret_signed ? (long)(__s8)raw : (long)(__u8)raw;
	case 2:
		return cfg.ret_signed ? (long)(__s16)raw : (long)(__u16)raw;
	case 4:
		return cfg.ret_signed ? (long)(__s32)raw : (long)(__u32)raw;
	default:
		return (long)raw;
	}
}

/* Entry: filters first (the file's filesystem when the function carries a file, then the
 * process), then remember when the call started and on which file. */
static __always_inline int func__enter(void *ctx, struct file *file)
{
	if (cfg.file_kind != PS_FILE_NONE && file_traced_fs(file) < 0)
		return 0;
	if (!current_selected())
		return 0;
	if (!inflight__begin((__u64)file, 0, 0))
		counter__add(PS_CNT_INFLIGHT_FULL);
	trace__entry_stack(ctx);
	return 0;
}

/* Return: only calls whose entry passed the filters have a call in flight (this object's own
 * map: nested traced functions of one thread do not collide). */
static __always_inline int func__exit(void *ctx, long ret)
{
	struct ps_inflight in;
	struct file *file;
	__u64 lat_ns;
	int fs = PS_FS_COUNT;

	if (!inflight__end(&in))
		return 0;
	file = (struct file *)in.file;
	lat_ns = bpf_ktime_get_ns() - in.start_ns;
	if (cfg.file_kind != PS_FILE_NONE)
		fs = file_traced_fs(file);
	if (fs < 0)
		return 0;
	trace__emit(ctx, cfg.file_kind != PS_FILE_NONE ? file : NULL, fs, PS_OP_CALL, cfg.func, ret,
		    lat_ns);
	return 0;
}

SEC("fentry")
int trace_func__fentry(__u64 *ctx)
{
	return func__enter(ctx, cfg.file_kind ? file_of_arg(fentry_arg(ctx, cfg.file_arg)) : NULL);
}

SEC("fexit")
int trace_func__fexit(__u64 *ctx)
{
	return func__exit(ctx, widen_ret(cfg.ret_size ? fentry_arg(ctx, cfg.nargs) : 0));
}

SEC("kprobe")
int trace_func__kprobe(struct pt_regs *ctx)
{
	return func__enter(ctx, cfg.file_kind ? file_of_arg(kprobe_arg(ctx, cfg.file_arg)) : NULL);
}

SEC("kretprobe")
int trace_func__kretprobe(struct pt_regs *ctx)
{
	return func__exit(ctx, widen_ret(PT_REGS_RC_CORE(ctx)));
}
