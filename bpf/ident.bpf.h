/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The slot of a file's statistics: from its dentry through the identity cache (idents) on the
 * calls after the first, from its path only on a miss.
 *
 * A dentry's address alone would not do: once the file is gone (a process exits, a sysfs
 * attribute is removed), the slab may hand the same address to another file's dentry. So a
 * cached slot is used only while everything the path was built from is still there: the
 * dentry's inode (address and number), its parent dentry and its name (hash and length), and
 * with --per-process the process name; and only for PS_IDENT_TTL_JIFFIES after it was built. For
 * another file to pass, within that second its dentry and inode would both have to be freed and
 * reallocated at the same addresses, under the same parent, with the same name hash and length,
 * and the new inode given the same number. Inode numbers are not reused that fast: kernfs
 * (sysfs, cgroup) numbers its nodes with 64-bit ids that are never reused, procfs, debugfs and
 * tracefs take theirs from get_next_ino(), a 32-bit counter that would have to wrap within the
 * second; the one reused quickly, a procfs entry's IDA number, comes with a name, and a same-name
 * entry under the same parent has the same path, hence the same slot. An ancestor further up
 * cannot change without every dentry below it (which pins it) being freed first. Whatever fails
 * the check is resolved again from its path, so an evicted or outdated entry costs one walk.
 */
#ifndef PS_IDENT_BPF_H
#define PS_IDENT_BPF_H

#include "maps.bpf.h"
#include "counters.bpf.h"
#include "path.bpf.h"

/* A cached identity is used for this long after its path was built: 1 s at Debian's HZ=250, 0.25
 * to 2.5 s at other rates. Jiffies, because on some virtual machines a fine clock read costs as
 * much as everything else a counted call does (250 ns with kvm-clock here). */
#define PS_IDENT_TTL_JIFFIES 250

/* The slot of the path in the scratch key: its own, or a new one, or PS_SLOT_NONE when every
 * slot is taken. */
static __always_inline __u32 slot__of_key(struct ps_key_scratch *scratch)
{
	__u32 *known, slot;

	known = bpf_map_lookup_elem(&file_slots, &scratch->key);
	if (known)
		return *known;
	if (bpf_map_pop_elem(&free_slots, &slot))
		return PS_SLOT_NONE;
	if (bpf_map_update_elem(&file_slots, &scratch->key, &slot, BPF_NOEXIST)) {
		/* Another CPU published this path first: its slot it is, and ours goes back. */
		bpf_map_push_elem(&free_slots, &slot, 0);
		known = bpf_map_lookup_elem(&file_slots, &scratch->key);
		return known ? *known : PS_SLOT_NONE;
	}
	__sync_fetch_and_add(&slots_published, 1);
	return slot;
}

/* The thread's scratch space with its key zeroed but for the filesystem and, with
 * --per-process, the process (@tgid, @comm); the path is the caller's to build. */
static __always_inline struct ps_key_scratch *slot__key_begin(int fs, __u32 tgid, const char *comm)
{
	struct ps_key_scratch *scratch = scratch__get();

	if (!scratch)
		return NULL;
	__builtin_memset(&scratch->key, 0, sizeof(scratch->key));
	scratch->key.fs = fs;
	if (cfg.per_process) {
		scratch->key.tgid = tgid;
		__builtin_memcpy(scratch->key.comm, comm, PS_COMM_LEN);
	}
	return scratch;
}

/* Builds the normalized path of @dentry and finds its slot; fills @id's slot and truncated. */
static __always_inline void slot__resolve(struct dentry *dentry, int fs, __u32 tgid,
					  struct ps_ident *id)
{
	struct ps_key_scratch *scratch;

	id->slot = PS_SLOT_NONE;
	scratch = slot__key_begin(fs, tgid, id->comm);
	if (!scratch)
		return;
	path__build(scratch, dentry, NULL, fs == PS_FS_PROC);
	id->truncated = scratch->key.truncated;
	id->slot = slot__of_key(scratch);
}

static __always_inline bool ident__same(const struct ps_ident *a, const struct ps_ident *b)
{
	if (a->inode != b->inode || a->ino != b->ino || a->parent != b->parent ||
	    a->name != b->name || b->built - a->built >= PS_IDENT_TTL_JIFFIES)
		return false;
	if (!cfg.per_process)
		return true;
	return *(__u64 *)&a->comm[0] == *(__u64 *)&b->comm[0] &&
	       *(__u64 *)&a->comm[8] == *(__u64 *)&b->comm[8];
}

/* The slot of @file's statistics (PS_SLOT_NONE: [other]), counting a truncated path. */
static __always_inline __u32 slot__of(struct file *file, int fs)
{
	struct dentry *dentry = BPF_CORE_READ(file, f_path.dentry);
	struct ps_ident_key key = { .dentry = (__u64)dentry };
	struct inode *inode = BPF_CORE_READ(file, f_inode);
	struct ps_ident now = {}, *cached;

	now.inode = (__u64)inode;
	now.ino = BPF_CORE_READ(inode, i_ino);
	now.parent = (__u64)BPF_CORE_READ(dentry, d_parent);
	now.name = BPF_CORE_READ(dentry, d_name.hash_len);
	now.built = bpf_jiffies64();
	if (cfg.per_process) {
		key.tgid = bpf_get_current_pid_tgid() >> 32;
		bpf_get_current_comm(now.comm, sizeof(now.comm));
	}
	cached = bpf_map_lookup_elem(&idents, &key);
	if (cached && ident__same(cached, &now)) {
		now.slot = cached->slot;
		now.truncated = cached->truncated;
	} else {
		slot__resolve(dentry, fs, key.tgid, &now);
		bpf_map_update_elem(&idents, &key, &now, BPF_ANY);
	}
	if (now.truncated)
		counter__add(PS_CNT_PATH_TRUNCATED);
	return now.slot;
}

#endif /* PS_IDENT_BPF_H */
