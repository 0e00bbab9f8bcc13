// SPDX-License-Identifier: GPL-2.0-only
/*
 * Opens and directory listings in the function modes; the bodies are bpf/walk.bpf.h's.
 *
 * do_filp_open is where every open by name ends up (open, openat, openat2, creat, io_uring's
 * opens, the kernel's own filp_open), with the name already copied into the kernel and the opened
 * file, or the error, as its return (7.2 renamed it do_file_open, same arguments: the sections
 * name the old one, the loader attaches to the kernel's, see PS_HOOKS). The getdents system calls
 * are hooked at their entry points, whose only argument is the caller's registers: the listing's
 * records are counted in the caller's buffer, which iterate_dir below them never sees.
 *
 * dirents_count, a global function, is here for the tracepoint mode's listings too.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "syscall_programs.bpf.h"
#include "walk.bpf.h"

#define PS_DIRENT_CHUNK 64 /* records dirents_chunk counts */

/* Counts up to PS_DIRENT_CHUNK records of the listing at @buf, @bytes long, from @off. Returns
 * the offset after them, @bytes when the records ended (or could not be read), with their count
 * in the bits above 32. A global function, checked once for every chunk: the 2,048 records of a
 * listing checked one by one in line took 35,000 instructions. Each record's length is at
 * offset 16 in both linux_dirent64 and linux_dirent. */
__noinline __u64 dirents_chunk(__u64 buf, __u32 off, __u32 bytes)
{
	__u64 n = 0;

	for (int i = 0; i < PS_DIRENT_CHUNK && off < bytes; i++) {
		__u16 reclen = 0;

		if (bpf_probe_read_user(&reclen, sizeof(reclen), (void *)(buf + off + 16)) ||
		    !reclen)
			return n << 32 | bytes;
		off += reclen;
		n++;
	}
	return n << 32 | off;
}

__noinline __u64 dirents_count(__u64 buf, long bytes)
{
	__u64 n = 0;
	__u32 off = 0;

	for (int c = 0; c < PS_DIRENT_MAX / PS_DIRENT_CHUNK && off < bytes; c++) {
		__u64 r = dirents_chunk(buf, off, bytes);

		n += r >> 32;
		off = (__u32)r;
	}
	if (off < bytes)
		counter__add(PS_CNT_DIRENTS_UNCOUNTED);
	return n;
}

#define MAX_ERRNO 4095 /* an ERR_PTR is one of the last 4095 addresses */

static __always_inline long err_of(const void *ptr)
{
	return (unsigned long)ptr >= (unsigned long)-MAX_ERRNO ? (long)ptr : 0;
}

static __always_inline int open_exit(void *ctx, struct file *ret)
{
	long err = err_of(ret);

	return walk__open_exit(ctx, err ? NULL : ret, err, PS_HOOK_DO_FILP_OPEN);
}

SEC("fentry/do_filp_open")
int BPF_PROG(fentry__do_filp_open, int dfd, struct filename *pathname)
{
	return walk__open_enter(ctx, BPF_CORE_READ(pathname, name), dfd, false,
				PS_HOOK_DO_FILP_OPEN);
}

SEC("fexit/do_filp_open")
int BPF_PROG(fexit__do_filp_open, int dfd, struct filename *pathname, const struct open_flags *op,
	     struct file *ret)
{
	return open_exit(ctx, ret);
}

SEC("kprobe/do_filp_open")
int BPF_KPROBE(kprobe__do_filp_open, int dfd, struct filename *pathname)
{
	return walk__open_enter(ctx, BPF_CORE_READ(pathname, name), dfd, false,
				PS_HOOK_DO_FILP_OPEN);
}

SEC("kretprobe/do_filp_open")
int BPF_KRETPROBE(kretprobe__do_filp_open, struct file *ret)
{
	return open_exit(ctx, ret);
}

/* getdents64(fd, dirent, count) and getdents(fd, dirent, count): the caller's registers. */
static __always_inline int dir_enter(void *ctx, const struct pt_regs *regs, int hook)
{
	return walk__dir_enter(ctx, fd_to_file(BPF_CORE_READ(regs, SYSCALL_ARG1)),
			       BPF_CORE_READ(regs, SYSCALL_ARG2), hook);
}

/* The calls by name: readlink(name, ...), stat(name, ...), lstat(name, ...) (x86-64 only);
 * readlinkat(dfd, name, ...), newfstatat(dfd, name, ...), statx(dfd, name, ...); and fstat(fd,
 * ...). */
static __always_inline __attribute__((unused)) int name_enter(void *ctx, const struct pt_regs *regs,
							      int hook)
{
	return walk__name_enter(ctx, (const char *)BPF_CORE_READ(regs, SYSCALL_ARG1), PS_AT_FDCWD,
				hook);
}

static __always_inline int name_at_enter(void *ctx, const struct pt_regs *regs, int hook)
{
	return walk__name_enter(ctx, (const char *)BPF_CORE_READ(regs, SYSCALL_ARG2),
				(int)BPF_CORE_READ(regs, SYSCALL_ARG1), hook);
}

static __always_inline int fd_enter(void *ctx, const struct pt_regs *regs, int hook)
{
	return walk__fd_enter(ctx, (int)BPF_CORE_READ(regs, SYSCALL_ARG1), hook);
}

static __always_inline int link_exit(void *ctx, long ret, int hook)
{
	return walk__name_exit(ctx, ret, hook, PS_WALK_READLINK, PS_OP_READLINK, false);
}

static __always_inline int stat_exit(void *ctx, long ret, int hook)
{
	return walk__name_exit(ctx, ret, hook, PS_WALK_STAT, PS_OP_STAT, false);
}

static __always_inline int fstat_exit(void *ctx, long ret, int hook)
{
	return walk__name_exit(ctx, ret, hook, PS_WALK_STAT, PS_OP_STAT, true);
}

SYSCALL_PROGRAMS(PS_SYS(getdents64), PS_HOOK_SYS_GETDENTS64, dir_enter, walk__dir_exit)
SYSCALL_PROGRAMS(PS_SYS(readlinkat), PS_HOOK_SYS_READLINKAT, name_at_enter, link_exit)
SYSCALL_PROGRAMS(PS_SYS(newfstat), PS_HOOK_SYS_NEWFSTAT, fd_enter, fstat_exit)
SYSCALL_PROGRAMS(PS_SYS(newfstatat), PS_HOOK_SYS_NEWFSTATAT, name_at_enter, stat_exit)
SYSCALL_PROGRAMS(PS_SYS(statx), PS_HOOK_SYS_STATX, name_at_enter, stat_exit)
#if PS_ARCH_LEGACY_SYSCALLS
SYSCALL_PROGRAMS(PS_SYS(getdents), PS_HOOK_SYS_GETDENTS, dir_enter, walk__dir_exit)
SYSCALL_PROGRAMS(PS_SYS(readlink), PS_HOOK_SYS_READLINK, name_enter, link_exit)
SYSCALL_PROGRAMS(PS_SYS(newstat), PS_HOOK_SYS_NEWSTAT, name_enter, stat_exit)
SYSCALL_PROGRAMS(PS_SYS(newlstat), PS_HOOK_SYS_NEWLSTAT, name_enter, stat_exit)
#endif
