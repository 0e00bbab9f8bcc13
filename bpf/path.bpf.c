// SPDX-License-Identifier: GPL-2.0-only
/*
 * The steps of the path walks of bpf/path.bpf.h: global functions, which the verifier checks
 * once per program that calls them, with unknown arguments, rather than once per way into each
 * call site. Inlined, every program that counts or traces a file carried several copies of the
 * walk, each checked in the state of its caller: with opens, listings, link reads and stat calls
 * the programs took 5.10 under TCG 17 to 24 s to load (2 s without them).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "path.bpf.h"

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
 * One component of the normalized path (path__emit): component @j of scratch->chain, written at
 * scratch->off as "/name" and normalized. A global function, checked once whatever @j: inlined
 * in the loop, its many ways through were checked again for each of the PS_MAX_DEPTH steps
 * (30,000 to 60,000 instructions per walk). So the state it leaves for the next component is in
 * the scratch space, not in registers. Returns whether to go on.
 */
__noinline int path__emit_step(__u32 j, int is_proc, int named)
{
	struct ps_key_scratch *scratch = scratch__find();
	__u32 off, pos, level;
	char *buf;
	long n;

	if (!scratch)
		return 0;
	buf = scratch->key.path;
	off = scratch->off;
	if (off >= PS_PATH_LEN - PS_NAME_MAX - 1) {
		scratch->key.truncated = 1;
		return 0;
	}
	/* The compiler knows off is small here and would drop the masks the verifier needs (5.10
	 * and 6.1 then see a pointer of unknown range). */
	barrier_var(off);
	pos = off & PS_PATH_MASK;
	buf[pos] = '/';
	pos = (pos + 1) & PS_PATH_MASK;
	n = bpf_probe_read_kernel_str(
		&buf[pos], PS_NAME_MAX,
		(const void *)scratch->chain[(scratch->first + j) & PS_CHAIN_MASK]);
	if (n <= 0)
		return 0;
	n--; /* the NUL */
	if (n == PS_NAME_MAX - 1)
		scratch->key.truncated = 1;
	level = j + scratch->shift;
	if (is_proc && level == 0 &&
	    (name_is_number(&buf[pos], n) || (named && name_is_self(&buf[pos], n)))) {
		*(__u64 *)&buf[pos] = PS_PID_WORD;
		n = 5;
		scratch->under_pid = 1;
	} else if (named && is_proc && level == 0 && name_is_thread_self(&buf[pos], n)) {
		*(__u64 *)&buf[pos] = PS_PID_TASK_WORD;
		*(__u64 *)&buf[(pos + 8) & PS_PATH_MASK] = PS_TASK_TID_WORD;
		n = 16;
		scratch->under_pid = 1;
		scratch->under_task = 1;
		scratch->shift = 2;
	} else if (scratch->under_pid && level == 1) {
		scratch->under_task = name_is_task(&buf[pos], n);
		scratch->fd_at = name_is_fd_dir(&buf[pos], n) ? 2 : 0;
	} else if (scratch->under_task && level == 2 && name_is_number(&buf[pos], n)) {
		*(__u64 *)&buf[pos] = PS_TID_WORD;
		n = 5;
	} else if (scratch->under_task && level == 3) {
		scratch->fd_at = name_is_fd_dir(&buf[pos], n) ? 4 : 0;
	} else if (scratch->fd_at && level == scratch->fd_at && name_is_number(&buf[pos], n)) {
		*(__u64 *)&buf[pos] = PS_FD_WORD;
		n = 4;
	}
	scratch->off = pos + n;
	return 1;
}

/* Cuts the characters @from to @from + PS_SPLIT_CHUNK of scratch->name at its slashes, adding
 * the components that start there to chain[PS_MAX_DEPTH + scratch->split]. A global function,
 * checked once for every chunk of the name (the name's 255 characters, checked one by one in
 * line, took 60,000 instructions). Returns whether the name goes on. */
__noinline int path__split_chunk(__u32 from)
{
	struct ps_key_scratch *scratch = scratch__find();
	char *s;

	if (!scratch)
		return 0;
	s = scratch->name;
	for (__u32 t = 0; t < PS_SPLIT_CHUNK; t++) {
		__u32 i = (from + t) & PS_PATH_MASK, k;
		char c = s[i];

		if (!c)
			return 0;
		if (c == '/') {
			s[i] = '\0';
			continue;
		}
		if (i && s[(i - 1) & PS_PATH_MASK])
			continue; /* inside a component */
		k = scratch->split;
		if (k >= PS_MAX_DEPTH) {
			scratch->key.truncated = 1;
			return 0;
		}
		scratch->chain[(PS_MAX_DEPTH + k) & PS_CHAIN_MASK] = (__u64)&s[i];
		scratch->split = k + 1;
	}
	return 1;
}

__noinline int path__collect_chain(__u64 dentry, __u64 mnt)
{
	struct ps_key_scratch *scratch = scratch__find();

	if (scratch)
		path__collect(scratch, (struct dentry *)dentry, (struct vfsmount *)mnt);
	return 0;
}
