/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Builds the normalized, superblock-relative path of a pseudo-file by walking its dentries.
 * bpf_d_path is not allowed in vfs_read or the syscall tracepoints, so the walk is done by hand.
 *
 * Normalization happens here, before the path becomes a map key, so that per-process entries
 * cannot multiply: in procfs a numeric directory right under the root becomes "[pid]", a
 * numeric directory under "[pid]/task" becomes "[tid]", and a descriptor's entry under "fd" or
 * "fdinfo" (of a process or a thread) becomes "[fd]", so that a process with 100,000 descriptors
 * is one file. /proc/self and /proc/thread-self are
 * symlinks, so the dentries already name the numeric directories. user/core/pathfmt.c applies the
 * same rules to path strings from outside (tests, --path patterns) and adds the mount prefix.
 */
#ifndef PS_PATH_BPF_H
#define PS_PATH_BPF_H

#include "maps.bpf.h"

/*
 * The path walks are global functions (bpf/path.bpf.c): the verifier checks each once per
 * program, not once per call site and way into it. Their arguments are scalars (5.10 passes a
 * global function nothing else) and they work in the calling thread's scratch space
 * (scratch__get), whose key the caller has zeroed beforehand: map keys compare all bytes. They
 * return 0, or -1 when the thread has no scratch space.
 */

/* Fills scratch->key.path with the normalized path of @dentry relative to its superblock root
 * ("/1/stat" becomes "/[pid]/stat" when @is_proc), or with @mnt, the mount it was reached
 * through, through the mounts above it to the root of its mount namespace. */
int path__build(__u64 dentry, __u64 mnt, int is_proc);

/* Fills scratch->key.path with the normalized path of @name, a name given to a system call (the
 * caller's memory): relative to @dir, a directory on the filesystem, or (@dir 0) absolute, with
 * its first @skip components the filesystem's mount point ("/proc/1/fd/3" with skip 1 becomes
 * "/[pid]/fd/[fd]"); "self" and "thread-self" too are normalized. "." and ".." are taken as
 * names. */
int path__of_name(__u64 name, __u64 dir, __u32 skip, int is_proc);

/* The path of @task's executable into @ret_exe (PS_PATH_LEN bytes; empty for a kernel thread),
 * built in the scratch key. Returns whether it was truncated. */
static __always_inline __u8 path__exe(struct ps_key_scratch *scratch, struct task_struct *task,
				      char *ret_exe)
{
	struct file *exe = BPF_CORE_READ(task, mm, exe_file);

	__builtin_memset(&scratch->key, 0, sizeof(scratch->key));
	if (exe)
		path__build((__u64)BPF_CORE_READ(exe, f_path.dentry),
			    (__u64)BPF_CORE_READ(exe, f_path.mnt), false);
	/* a helper call: copied in line, the 256 bytes took 64 instructions per copy to check */
	bpf_probe_read_kernel(ret_exe, PS_PATH_LEN, scratch->key.path);
	return scratch->key.truncated;
}

#endif /* PS_PATH_BPF_H */
