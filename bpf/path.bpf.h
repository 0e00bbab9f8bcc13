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

#define PS_SPLIT_CHUNK 32 /* characters of a name path__split_chunk looks at */

/*
 * The steps of a path walk are global functions (bpf/path.bpf.c): the verifier checks each once
 * per program, not once per call site and way into it. Their arguments are scalars (5.10 passes
 * a global function nothing else) and they work in the calling thread's scratch space
 * (scratch__find). The walks below call them one after another, never one from another: a chain
 * of calls shares 512 bytes of stack (6.1 refused impact's program with three frames deep).
 */

/* The components of the path of @dentry (a struct dentry), root first, into scratch->chain
 * ending at PS_MAX_DEPTH (scratch->first, scratch->count): with @mnt (a struct vfsmount), the
 * mount it was reached through, through the mount points above it to the root of its mount
 * namespace; else to its superblock's root. */
int path__collect_chain(__u64 dentry, __u64 mnt);

/* Component @j of scratch->chain written out normalized (path__emit). Returns whether to go on. */
int path__emit_step(__u32 j, int is_proc, int named);

/* Cuts the characters @from to @from + PS_SPLIT_CHUNK of scratch->name at its slashes, adding the
 * components that start there to chain[PS_MAX_DEPTH + scratch->split]. Returns whether the name
 * goes on. */
int path__split_chunk(__u32 from);

/*
 * Writes the components of scratch->chain (scratch->first, scratch->count) as the normalized
 * path into scratch->key.path, "/name" each: in procfs (@is_proc) a process's number becomes
 * "[pid]", a thread's "[tid]", a descriptor's under fd/ or fdinfo/ "[fd]"; in a name given to a
 * system call (@named) "self" too becomes "[pid]" and "thread-self" "[pid]/task/[tid]" (a path
 * from dentries has the numbers: those two are symlinks). The key must be zeroed beforehand:
 * map keys compare all bytes.
 */
static __always_inline void path__emit(struct ps_key_scratch *scratch, int is_proc, int named)
{
	/* From memory: the verifier then checks the loop once rather than once per count (the
	 * difference between 336,000 and a few thousand instructions). */
	__u32 count = *(volatile __u32 *)&scratch->count;

	if (count > PS_MAX_DEPTH) {
		count = PS_MAX_DEPTH;
		scratch->key.truncated = 1;
	}
	scratch->off = 0;
	scratch->under_pid = 0;
	scratch->under_task = 0;
	scratch->fd_at = 0; /* the level of a descriptor's number (after fd/ or fdinfo/), 0: none */
	scratch->shift = 0; /* levels a component stood for beyond its own (thread-self: two) */
	for (__u32 j = 0; j < PS_MAX_DEPTH; j++)
		if (j >= count || !path__emit_step(j, is_proc, named))
			break;
}

/* Copies @name (the caller's memory) into scratch->name and cuts it at its slashes: the
 * components go to chain[PS_MAX_DEPTH] on. Returns how many (PS_MAX_DEPTH at most: more mark
 * the key truncated). */
static __always_inline __u32 path__split(struct ps_key_scratch *scratch, const char *name)
{
	scratch->split = 0;
	if (bpf_probe_read_user_str(scratch->name, PS_PATH_LEN, name) <= 0)
		return 0;
	for (__u32 from = 0; from < PS_PATH_LEN; from += PS_SPLIT_CHUNK)
		if (!path__split_chunk(from))
			break;
	/* from memory, as in path__collect: one unknown count, not one state per count */
	return *(volatile __u32 *)&scratch->split;
}

/*
 * Fills scratch->key.path with the normalized path of @dentry relative to its superblock root
 * ("/1/stat" becomes "/[pid]/stat" when @is_proc), or with @mnt through the mounts above it. The
 * key must be zeroed beforehand.
 */
static __always_inline void path__build(struct ps_key_scratch *scratch, struct dentry *dentry,
					struct vfsmount *mnt, bool is_proc)
{
	path__collect_chain((__u64)dentry, (__u64)mnt);
	path__emit(scratch, is_proc, false);
}

/*
 * Fills scratch->key.path with the normalized path of @name, a name given to a system call (the
 * caller's memory): relative to @dir, a directory on the filesystem, or (@dir NULL) absolute,
 * with its first @skip components the filesystem's mount point ("/proc/1/fd/3" with skip 1
 * becomes "/[pid]/fd/[fd]"); "self" and "thread-self" too are normalized. "." and ".." are taken
 * as names. The key must be zeroed beforehand.
 */
static __always_inline void path__of_name(struct ps_key_scratch *scratch, const char *name,
					  struct dentry *dir, __u32 skip, bool is_proc)
{
	__u32 k;

	scratch->first = PS_MAX_DEPTH;
	scratch->count = 0;
	if (dir)
		path__collect_chain((__u64)dir, 0);
	k = path__split(scratch, name);
	if (dir) {
		scratch->count = *(volatile __u32 *)&scratch->count + k;
	} else {
		scratch->first = PS_MAX_DEPTH + skip;
		scratch->count = k > skip ? k - skip : 0;
	}
	path__emit(scratch, is_proc, true);
}

/* The path of @task's executable into @ret_exe (PS_PATH_LEN bytes; empty for a kernel thread),
 * built in the scratch key. Returns whether it was truncated. */
static __always_inline __u8 path__exe(struct ps_key_scratch *scratch, struct task_struct *task,
				      char *ret_exe)
{
	struct file *exe = BPF_CORE_READ(task, mm, exe_file);

	__builtin_memset(&scratch->key, 0, sizeof(scratch->key));
	if (exe)
		path__build(scratch, BPF_CORE_READ(exe, f_path.dentry),
			    BPF_CORE_READ(exe, f_path.mnt), false);
	/* a helper call: copied in line, the 256 bytes took 64 instructions per copy to check */
	bpf_probe_read_kernel(ret_exe, PS_PATH_LEN, scratch->key.path);
	return scratch->key.truncated;
}

#endif /* PS_PATH_BPF_H */
