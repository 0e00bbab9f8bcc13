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

#define PS_PATH_MASK (PS_PATH_LEN - 1)
#define PS_NAME_MAX 64 /* longest component copied; longer ones mark the path truncated */

/* "[pid]" / "[tid]" padded with NULs to 8 bytes: one store overwrites a pid of up to 7 digits
 * and its NUL, so no digit is left behind after the new terminator. */
#define PS_PID_WORD 0x0000005d6469705bULL      /* "[pid]\0\0\0" little-endian */
#define PS_TID_WORD 0x0000005d6469745bULL      /* "[tid]\0\0\0" */
#define PS_FD_WORD 0x000000005d64665bULL       /* "[fd]\0\0\0\0" */
#define PS_PID_TASK_WORD 0x61742f5d6469705bULL /* "[pid]/ta" */
#define PS_TASK_TID_WORD 0x5d6469745b2f6b73ULL /* "sk/[tid]" */

static __always_inline bool name_is_number(const char *s, int len)
{
	if (len < 1 || len > 7)
		return false;
	for (int i = 0; i < 7; i++) {
		if (i >= len)
			break;
		if (s[i] < '0' || s[i] > '9')
			return false;
	}
	return true;
}

static __always_inline bool name_is_task(const char *s, int len)
{
	return len == 4 && s[0] == 't' && s[1] == 'a' && s[2] == 's' && s[3] == 'k';
}

/* "fd" or "fdinfo": a directory of one entry per descriptor. */
static __always_inline bool name_is_fd_dir(const char *s, int len)
{
	return (len == 2 ||
		(len == 6 && s[2] == 'i' && s[3] == 'n' && s[4] == 'f' && s[5] == 'o')) &&
	       s[0] == 'f' && s[1] == 'd';
}

static __always_inline bool name_is_self(const char *s, int len)
{
	return len == 4 && s[0] == 's' && s[1] == 'e' && s[2] == 'l' && s[3] == 'f';
}

static __always_inline bool name_is_thread_self(const char *s, int len)
{
	return len == 11 && s[0] == 't' && s[1] == 'h' && s[2] == 'r' && s[3] == 'e' &&
	       s[4] == 'a' && s[5] == 'd' && s[6] == '-' && name_is_self(&s[7], 4);
}

#define PS_CHAIN_MASK (2 * PS_MAX_DEPTH - 1)

/*
 * The components of @dentry's path, root first, into scratch->chain ending at PS_MAX_DEPTH
 * (scratch->first, scratch->count): with @mnt, the mount @dentry was reached through, through
 * the mount points above it to the root of its mount namespace (an executable on a separate
 * /usr still reads /usr/bin/ps); else to its superblock's root. Marks the key truncated when
 * the path is deeper than PS_MAX_DEPTH.
 */
static __always_inline void path__collect(struct ps_key_scratch *scratch, struct dentry *dentry,
					  struct vfsmount *mnt)
{
	/* container_of with the running kernel's offset (CO-RE), not vmlinux.h's */
	struct mount *m =
		mnt ? (struct mount *)((void *)mnt - bpf_core_field_offset(struct mount, mnt))
		    : NULL;
	struct dentry *d = dentry, *mnt_root = mnt ? BPF_CORE_READ(mnt, mnt_root) : NULL;
	bool at_root = false;
	__u32 depth;

	/* Leaf to root: remember the names, stop at the root (its own parent). They are kept in
	 * the scratch map, not on the stack: 5.10's verifier refuses variable-offset stack reads.
	 * A mount crossing takes a step of the walk but no component. The count lives in the
	 * scratch map too, read back through a volatile load: the verifier then sees one unknown
	 * count per step rather than every exact count every mix of crossings and components can
	 * reach (with mounts, 150,000 instructions more to verify).
	 */
	scratch->count = 0;
	for (int i = 0; i < PS_MAX_DEPTH; i++) {
		struct dentry *parent;

		if (m && d == mnt_root) {
			struct mount *up = BPF_CORE_READ(m, mnt_parent);

			if (!up || up == m) {
				at_root = true;
				break;
			}
			d = BPF_CORE_READ(m, mnt_mountpoint);
			m = up;
			mnt_root = BPF_CORE_READ(m, mnt.mnt_root);
			continue;
		}
		parent = BPF_CORE_READ(d, d_parent);
		if (!parent || parent == d) {
			at_root = true;
			break;
		}
		depth = *(volatile __u32 *)&scratch->count;
		scratch->chain[(PS_MAX_DEPTH - 1 - depth) & PS_CHAIN_MASK] =
			(__u64)BPF_CORE_READ(d, d_name.name);
		scratch->count = depth + 1;
		d = parent;
	}
	/* Out of steps: cut unless the walk stands exactly at its end (the root of the last
	 * mount, or the superblock root without mounts). */
	if (!at_root) {
		struct mount *up = m && d == mnt_root ? BPF_CORE_READ(m, mnt_parent) : NULL;

		if (up ? up != m : BPF_CORE_READ(d, d_parent) != d)
			scratch->key.truncated = 1;
	}
	scratch->first = PS_MAX_DEPTH - *(volatile __u32 *)&scratch->count;
}

/*
 * Writes the components of scratch->chain (scratch->first, scratch->count) as the normalized
 * path into scratch->key.path, "/name" each: in procfs (@is_proc) a process's number becomes
 * "[pid]", a thread's "[tid]", a descriptor's under fd/ or fdinfo/ "[fd]"; in a name given to a
 * system call (@named) "self" too becomes "[pid]" and "thread-self" "[pid]/task/[tid]" (a path
 * from dentries has the numbers: those two are symlinks). @named is a constant at each call:
 * path walks from dentries are not checked for them. The key must be zeroed beforehand: map
 * keys compare all bytes.
 */
static __always_inline void path__emit(struct ps_key_scratch *scratch, bool is_proc, bool named)
{
	char *buf = scratch->key.path;
	bool under_pid = false, under_task = false;
	int fd_at = 0; /* the level of a descriptor's number (after fd/ or fdinfo/), 0: none */
	int shift = 0; /* levels a component stood for beyond its own (thread-self: two) */
	__u32 off = 0, first, count;

	/* From memory: the verifier then checks the loop once rather than once per count (the
	 * difference between 336,000 and a few thousand instructions). */
	first = *(volatile __u32 *)&scratch->first;
	count = *(volatile __u32 *)&scratch->count;
	if (count > PS_MAX_DEPTH) {
		count = PS_MAX_DEPTH;
		scratch->key.truncated = 1;
	}
	for (int j = 0; j < PS_MAX_DEPTH; j++) {
		int level = j + shift;
		__u32 pos;
		long n;

		if (j >= count)
			break;
		if (off >= PS_PATH_LEN - PS_NAME_MAX - 1) {
			scratch->key.truncated = 1;
			break;
		}
		/* The compiler knows off is small here and would drop the masks the verifier needs
		 * (5.10 and 6.1 then see a pointer of unknown range). */
		barrier_var(off);
		pos = off & PS_PATH_MASK;
		buf[pos] = '/';
		pos = (pos + 1) & PS_PATH_MASK;
		n = bpf_probe_read_kernel_str(
			&buf[pos], PS_NAME_MAX,
			(const void *)scratch->chain[(first + j) & PS_CHAIN_MASK]);
		if (n <= 0)
			break;
		n--; /* the NUL */
		if (n == PS_NAME_MAX - 1)
			scratch->key.truncated = 1;
		if (is_proc && level == 0 &&
		    (name_is_number(&buf[pos], n) || (named && name_is_self(&buf[pos], n)))) {
			*(__u64 *)&buf[pos] = PS_PID_WORD;
			n = 5;
			under_pid = true;
		} else if (named && is_proc && level == 0 && name_is_thread_self(&buf[pos], n)) {
			*(__u64 *)&buf[pos] = PS_PID_TASK_WORD;
			*(__u64 *)&buf[(pos + 8) & PS_PATH_MASK] = PS_TASK_TID_WORD;
			n = 16;
			under_pid = under_task = true;
			shift = 2;
		} else if (under_pid && level == 1) {
			under_task = name_is_task(&buf[pos], n);
			fd_at = name_is_fd_dir(&buf[pos], n) ? 2 : 0;
		} else if (under_task && level == 2 && name_is_number(&buf[pos], n)) {
			*(__u64 *)&buf[pos] = PS_TID_WORD;
			n = 5;
		} else if (under_task && level == 3) {
			fd_at = name_is_fd_dir(&buf[pos], n) ? 4 : 0;
		} else if (fd_at && level == fd_at && name_is_number(&buf[pos], n)) {
			*(__u64 *)&buf[pos] = PS_FD_WORD;
			n = 4;
		}
		off = pos + n;
	}
}

/*
 * Fills scratch->key.path with the path of @dentry relative to its superblock root ("/1/stat"
 * becomes "/[pid]/stat"), or with @mnt through the mounts above it (path__collect). The key
 * must be zeroed beforehand.
 */
static __always_inline void path__build(struct ps_key_scratch *scratch, struct dentry *dentry,
					struct vfsmount *mnt, bool is_proc)
{
	path__collect(scratch, dentry, mnt);
	path__emit(scratch, is_proc, false);
}

/* Copies @name (the caller's memory when @user) into scratch->name and cuts it at its slashes:
 * the components go to chain[PS_MAX_DEPTH] on. Returns how many (PS_MAX_DEPTH at most: more
 * mark the key truncated). */
static __always_inline __u32 path__split(struct ps_key_scratch *scratch, const char *name,
					 bool user)
{
	char *s = scratch->name;
	__u32 k;

	scratch->split = 0;
	if ((user ? bpf_probe_read_user_str(s, PS_PATH_LEN, name)
		  : bpf_probe_read_kernel_str(s, PS_PATH_LEN, name)) <= 0)
		return 0;
	for (int i = 0; i < PS_PATH_LEN - 1; i++) {
		char c = s[i];

		if (!c)
			break;
		if (c == '/') {
			s[i] = '\0';
			continue;
		}
		if (i && s[i - 1])
			continue; /* inside a component */
		/* from memory, as in path__collect: one unknown count, not one state per count */
		k = *(volatile __u32 *)&scratch->split;
		if (k >= PS_MAX_DEPTH) {
			scratch->key.truncated = 1;
			break;
		}
		scratch->chain[(PS_MAX_DEPTH + k) & PS_CHAIN_MASK] = (__u64)&s[i];
		scratch->split = k + 1;
	}
	return *(volatile __u32 *)&scratch->split;
}

/*
 * Fills scratch->key.path with the normalized path of a name given to a system call: relative
 * to @dir, a directory on the filesystem, or (@dir NULL) absolute, with its first @skip
 * components the filesystem's mount point ("/proc/1/fd/3" with skip 1 becomes "/[pid]/fd/[fd]").
 * The key must be zeroed beforehand. "." and ".." are taken as names.
 */
static __always_inline void path__of_name(struct ps_key_scratch *scratch, const char *name,
					  bool user, struct dentry *dir, __u32 skip, bool is_proc)
{
	__u32 k;

	scratch->first = PS_MAX_DEPTH;
	scratch->count = 0;
	if (dir)
		path__collect(scratch, dir, NULL);
	k = path__split(scratch, name, user);
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
	__builtin_memcpy(ret_exe, scratch->key.path, PS_PATH_LEN);
	return scratch->key.truncated;
}

#endif /* PS_PATH_BPF_H */
