// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfs_read / vfs_write (and their vectored siblings): the per-file accounting in the fentry and
 * kprobe modes. Every read(2) and pread64(2) goes through vfs_read on all kernels from 5.10 up;
 * readv(2) and preadv(2) go through vfs_readv, which is static and may be inlined on some builds,
 * so it is optional: when missing, the loader warns and vectored calls are not seen in these modes.
 * Each program is a thin wrapper over account.bpf.h; the loader attaches the set of the mode.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "account.bpf.h"

SEC("fentry/vfs_read")
int BPF_PROG(fentry__vfs_read, struct file *file)
{
	return account__enter(ctx, file, true, PS_HOOK_VFS_READ);
}

SEC("fexit/vfs_read")
int BPF_PROG(fexit__vfs_read, struct file *file, char *buf, size_t count, loff_t *pos, ssize_t ret)
{
	return account__exit(ctx, file, true, PS_OP_READ, PS_HOOK_VFS_READ, ret);
}

SEC("kprobe/vfs_read")
int BPF_KPROBE(kprobe__vfs_read, struct file *file)
{
	return account__enter(ctx, file, false, PS_HOOK_VFS_READ);
}

SEC("kretprobe/vfs_read")
int BPF_KRETPROBE(kretprobe__vfs_read, ssize_t ret)
{
	return account__exit(ctx, NULL, false, PS_OP_READ, PS_HOOK_VFS_READ, ret);
}

SEC("fentry/vfs_write")
int BPF_PROG(fentry__vfs_write, struct file *file)
{
	return account__enter(ctx, file, true, PS_HOOK_VFS_WRITE);
}

SEC("fexit/vfs_write")
int BPF_PROG(fexit__vfs_write, struct file *file, const char *buf, size_t count, loff_t *pos,
	     ssize_t ret)
{
	return account__exit(ctx, file, true, PS_OP_WRITE, PS_HOOK_VFS_WRITE, ret);
}

SEC("kprobe/vfs_write")
int BPF_KPROBE(kprobe__vfs_write, struct file *file)
{
	return account__enter(ctx, file, false, PS_HOOK_VFS_WRITE);
}

SEC("kretprobe/vfs_write")
int BPF_KRETPROBE(kretprobe__vfs_write, ssize_t ret)
{
	return account__exit(ctx, NULL, false, PS_OP_WRITE, PS_HOOK_VFS_WRITE, ret);
}

SEC("fentry/vfs_readv")
int BPF_PROG(fentry__vfs_readv, struct file *file)
{
	return account__enter(ctx, file, true, PS_HOOK_VFS_READV);
}

SEC("fexit/vfs_readv")
int BPF_PROG(fexit__vfs_readv, struct file *file, const struct iovec *vec, unsigned long vlen,
	     loff_t *pos, rwf_t flags, ssize_t ret)
{
	return account__exit(ctx, file, true, PS_OP_READ, PS_HOOK_VFS_READV, ret);
}

SEC("kprobe/vfs_readv")
int BPF_KPROBE(kprobe__vfs_readv, struct file *file)
{
	return account__enter(ctx, file, false, PS_HOOK_VFS_READV);
}

SEC("kretprobe/vfs_readv")
int BPF_KRETPROBE(kretprobe__vfs_readv, ssize_t ret)
{
	return account__exit(ctx, NULL, false, PS_OP_READ, PS_HOOK_VFS_READV, ret);
}

SEC("fentry/vfs_writev")
int BPF_PROG(fentry__vfs_writev, struct file *file)
{
	return account__enter(ctx, file, true, PS_HOOK_VFS_WRITEV);
}

SEC("fexit/vfs_writev")
int BPF_PROG(fexit__vfs_writev, struct file *file, const struct iovec *vec, unsigned long vlen,
	     loff_t *pos, rwf_t flags, ssize_t ret)
{
	return account__exit(ctx, file, true, PS_OP_WRITE, PS_HOOK_VFS_WRITEV, ret);
}

SEC("kprobe/vfs_writev")
int BPF_KPROBE(kprobe__vfs_writev, struct file *file)
{
	return account__enter(ctx, file, false, PS_HOOK_VFS_WRITEV);
}

SEC("kretprobe/vfs_writev")
int BPF_KRETPROBE(kretprobe__vfs_writev, ssize_t ret)
{
	return account__exit(ctx, NULL, false, PS_OP_WRITE, PS_HOOK_VFS_WRITEV, ret);
}
