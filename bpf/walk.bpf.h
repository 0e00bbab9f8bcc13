/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The calls that walk a pseudo-filesystem rather than read it: opens and directory listings,
 * shared by every attach mode (bpf/walk.bpf.c for the function modes, bpf/syscalls.bpf.c for
 * the tracepoint mode). A successful call is counted on its file's slot, with its latency when
 * its entry was seen; a failed one has no file, and is counted by filesystem and errno.
 *
 * Every open on the host passes here, so its entry decides from the name alone, before the
 * kernel resolved it, whether the open is worth timing: an absolute name under /proc or /sys, or
 * a relative one from a directory on a traced filesystem. Its return counts what it opened by
 * the file's own superblock, so an open reached through another name (a symlink into /proc,
 * procfs mounted elsewhere) is counted all the same, without a latency. A failure is charged to
 * the filesystem its name points at (the mount points' usual places, below).
 */
#ifndef PS_WALK_BPF_H
#define PS_WALK_BPF_H

#include "account.bpf.h"
#include "fd.bpf.h"

#define PS_NAME_PEEK 24 /* bytes of a name read at an open: "/sys/kernel/security/" fits */
#define PS_AT_FDCWD -100

static __always_inline bool name_in_dir(const char *name, const char *dir, int len)
{
	for (int i = 0; i < len; i++)
		if (name[i] != dir[i])
			return false;
	return name[len] == '/' || name[len] == '\0';
}

/* The filesystem an absolute name points at where the mounts are where distributions put them. */
static __always_inline int absolute_name_fs(const char *name)
{
	if (name_in_dir(name, "/proc", 5))
		return PS_FS_PROC;
	if (!name_in_dir(name, "/sys", 4))
		return -1;
	if (name_in_dir(name, "/sys/fs/cgroup", 14))
		return PS_FS_CGROUP2;
	if (name_in_dir(name, "/sys/kernel/debug", 17))
		return PS_FS_DEBUGFS;
	if (name_in_dir(name, "/sys/kernel/tracing", 19))
		return PS_FS_TRACEFS;
	if (name_in_dir(name, "/sys/kernel/security", 20))
		return PS_FS_SECURITYFS;
	return PS_FS_SYSFS;
}

/* The components of @fs's usual mount point (above), which an absolute name starts with. */
static __always_inline __u32 mount_depth(int fs)
{
	return fs == PS_FS_PROC || fs == PS_FS_SYSFS ? 1 : 3;
}

/* The traced filesystem an open of @name relative to @dfd points at, -1 for any other. */
static __always_inline int name_fs(const char name[PS_NAME_PEEK], int dfd)
{
	struct task_struct *task;

	if (name[0] == '/') {
		int fs = absolute_name_fs(name);

		return fs >= 0 && (cfg.fs_mask & (1u << fs)) ? fs : -1;
	}
	if (dfd != PS_AT_FDCWD)
		return file_traced_fs(fd_to_file(dfd));
	task = (struct task_struct *)bpf_get_current_task();
	return fs_selected(BPF_CORE_READ(task, fs, pwd.dentry, d_sb, s_magic));
}

/*
 * A name the entry could not read: its page not faulted in yet (a probe cannot fault it in; the
 * kernel does, reading the name during the call, so the return can read it). The entry is kept
 * all the same, with PS_NAME_UNREAD for its filesystem and the directory descriptor above it
 * (struct ps_inflight.arg); the return reads the name and decides (name_reread). Without this,
 * a program's first stat of a string in a page it had not touched went uncounted.
 */
#define PS_NAME_UNREAD 0xffffu

static __always_inline __u64 unread_arg(int dfd)
{
	return (__u64)(__u32)dfd << 32 | PS_NAME_UNREAD;
}

static __always_inline bool arg_unread(__u64 arg)
{
	return (__u32)arg == PS_NAME_UNREAD;
}

/* The first PS_NAME_PEEK - 1 bytes of @name (kernel memory unless @user) into @peek; false
 * when the name could not be read. */
static __always_inline bool peek_name(char peek[PS_NAME_PEEK], const char *name, bool user)
{
	return (user ? bpf_probe_read_user(peek, PS_NAME_PEEK - 1, name)
		     : bpf_probe_read_kernel(peek, PS_NAME_PEEK - 1, name)) >= 0;
}

/* The filesystem of the name of @in, whose entry could not read it (PS_NAME_UNREAD), read now
 * into in->arg, its first character into *@ret_first; false when it is no traced one, or still
 * cannot be read (counted). */
static __always_inline bool name_reread(struct ps_inflight *in, bool user, char *ret_first)
{
	char peek[PS_NAME_PEEK] = {};
	int fs;

	if (!peek_name(peek, (const char *)in->name, user)) {
		counter__add(PS_CNT_NAME_UNREAD);
		return false;
	}
	fs = name_fs(peek, (int)(in->arg >> 32));
	if (fs < 0)
		return false;
	in->arg = (__u64)fs;
	*ret_first = peek[0];
	return true;
}

static __always_inline void walk__error(int fs, enum ps_walk walk, long err)
{
	__u32 idx = (__u32)fs * PS_WALK_COUNT + walk;
	struct ps_walk_errors *e = bpf_map_lookup_elem(&walk_errors, &idx);
	__u32 n = (__u32)-err;

	if (n >= PS_ERRNO_SLOTS)
		n = PS_ERRNO_SLOTS - 1;
	barrier_var(n); /* or the compiler folds the clamp into the index, unchecked */
	if (e && n < PS_ERRNO_SLOTS)
		__sync_fetch_and_add(&e->by_errno[n], 1);
}

/* The records of a listing in the caller's @buf, @bytes long (bpf/walk.bpf.c). */
__u64 dirents_count(__u64 buf, long bytes);

/* A successful walk of @file: counted on its slot, or an event with trace. A listing's records
 * are counted in @buf (@ret bytes) once the slot is known: the verifier would otherwise check
 * the path walk once per count the loop can end with. */
static __always_inline void walk__record(void *ctx, struct file *file, int fs, __u32 op,
					 enum ps_walk walk, __u32 func, long ret, __u64 lat_ns,
					 __u64 buf)
{
	struct ps_file_stats *st;

	if (cfg.trace) {
		if (cfg.trace_ops & (1u << op))
			trace__emit(ctx, file, fs, op, func, ret, lat_ns);
		return;
	}
	st = stats__slot(file, fs);
	if (!st)
		return;
	__sync_fetch_and_add(&st->walk[walk].calls, 1);
	if (lat_ns) {
		__sync_fetch_and_add(&st->walk[walk].lat_count, 1);
		__sync_fetch_and_add(&st->walk[walk].lat_sum_ns, lat_ns);
	}
	if (walk == PS_WALK_READDIR && ret > 0)
		__sync_fetch_and_add(&st->dir_entries, dirents_count(buf, ret));
}

/* The filesystem of @name (the caller's memory when @user) relative to @dfd at a call's entry,
 * its first character in *@ret_first; -1 for a call the entry leaves: on no traced filesystem,
 * not selected, or a name not readable yet (its entry begun for the return to decide,
 * PS_NAME_UNREAD). */
static __always_inline int entry_name_fs(const char *name, int dfd, bool user, char *ret_first)
{
	char peek[PS_NAME_PEEK] = {};
	int fs;

	if (!peek_name(peek, name, user)) {
		if (current_selected() && !inflight__begin(0, unread_arg(dfd), (__u64)name))
			counter__add(PS_CNT_INFLIGHT_FULL);
		return -1;
	}
	fs = name_fs(peek, dfd);
	if (fs < 0 || !current_selected())
		return -1;
	*ret_first = peek[0];
	return fs;
}

/* The start of an open of @name (kernel memory in the function modes, the caller's in the
 * tracepoint mode) relative to @dfd: timed when the name points at a traced filesystem, which
 * the entry keeps for a failure. @hook: the function hit, -1 for a system call. */
static __always_inline int walk__open_enter(void *ctx, const char *name, int dfd, bool user,
					    int hook)
{
	char first;
	int fs = entry_name_fs(name, dfd, user, &first);

	if (fs < 0)
		return 0;
	return call__begin(ctx, hook, 0, fs, (__u64)name);
}

/* The return of an open: @file what it opened, NULL when it failed with @err. The thread's
 * entry is taken whatever the outcome, so none is left behind. */
static __always_inline int walk__open_exit(void *ctx, struct file *file, long err, __u32 func)
{
	struct ps_inflight in = {};
	bool entered = inflight__end(&in) && !in.file;
	int fs;

	if (!file) {
		if (!entered) /* not selected at the entry */
			return 0;
		char first;

		if (arg_unread(in.arg) && !name_reread(&in, func & PS_FUNC_SYSCALL, &first))
			return 0;
		if (!cfg.trace)
			walk__error((int)in.arg, PS_WALK_OPEN, err);
		else if (cfg.trace_ops & (1u << PS_OP_OPEN))
			trace__emit_named(ctx, NULL, (const char *)in.name, func & PS_FUNC_SYSCALL,
					  (int)in.arg, PS_OP_OPEN, func, err,
					  bpf_ktime_get_ns() - in.start_ns);
		return 0;
	}
	fs = file_traced_fs(file);
	if (fs < 0)
		return 0;
	if (!entered) {
		/* Reached through a name the entry did not recognise: counted, not timed. */
		if (!current_selected())
			return 0;
		if (!(func & PS_FUNC_SYSCALL))
			hook__hit(func);
	}
	walk__record(ctx, file, fs, PS_OP_OPEN, PS_WALK_OPEN, func, 0,
		     entered ? bpf_ktime_get_ns() - in.start_ns : 0, 0);
	return 0;
}

/* The start of a listing of @file into the caller's @buf. */
static __always_inline int walk__dir_enter(void *ctx, struct file *file, __u64 buf, int hook)
{
	if (file_traced_fs(file) < 0 || !current_selected())
		return 0;
	return call__begin(ctx, hook, (__u64)file, buf, 0);
}

/* The return of a listing: @ret bytes of records, or -errno. Its file and buffer come from the
 * entry (a listing that was under way at attach is not seen). */
static __always_inline int walk__dir_exit(void *ctx, long ret, __u32 func)
{
	struct ps_inflight in = {};
	struct file *file;
	int fs;

	if (!inflight__end(&in))
		return 0;
	file = (struct file *)in.file;
	fs = file_traced_fs(file);
	if (fs < 0)
		return 0;
	if (ret < 0) {
		walk__error(fs, PS_WALK_READDIR, ret);
		return 0;
	}
	walk__record(ctx, file, fs, PS_OP_READDIR, PS_WALK_READDIR, func, ret,
		     bpf_ktime_get_ns() - in.start_ns, in.arg);
	return 0;
}

/*
 * Calls by name that are counted per file without opening it: link reads and the stat family.
 * The file is the name given, normalized as a path is (the file's own dentry is not known at
 * the system call), a relative name appended to its directory: the descriptor's, or the working
 * directory's (struct ps_inflight.file: the directory's file, PS_NAME_FROM_CWD, or 0 for an
 * absolute name). fstat has a descriptor and no name: its file is the descriptor's (name 0).
 */
#define PS_NAME_FROM_CWD 1

/* Where the components of a name starting with @first (relative to @dfd) start: in->file the
 * directory (0 for an absolute name), and with no name and a descriptor (AT_EMPTY_PATH) the
 * descriptor's file itself, as fstat's (in->name 0). */
static __always_inline void name_origin(struct ps_inflight *in, char first, int dfd)
{
	in->file = 0;
	if (first != '/')
		in->file = dfd == PS_AT_FDCWD ? PS_NAME_FROM_CWD : (__u64)fd_to_file(dfd);
	if (!first && dfd != PS_AT_FDCWD)
		in->name = 0;
}

/* The start of a call on @name (the caller's memory) relative to @dfd: timed when the name
 * points at a traced filesystem, which the entry keeps with where a relative name starts. An
 * empty name with a descriptor (AT_EMPTY_PATH: glibc's fstat) is that descriptor's file. */
static __always_inline int walk__name_enter(void *ctx, const char *name, int dfd, int hook)
{
	struct ps_inflight in = { .name = (__u64)name };
	char first;
	int fs = entry_name_fs(name, dfd, true, &first);

	if (fs < 0)
		return 0;
	name_origin(&in, first, dfd);
	return call__begin(ctx, hook, in.file, fs, in.name);
}

/* The start of a call on descriptor @fd's file (fstat). */
static __always_inline int walk__fd_enter(void *ctx, int fd, int hook)
{
	struct file *file = fd_to_file(fd);
	int fs = file_traced_fs(file);

	if (fs < 0 || !current_selected())
		return 0;
	return call__begin(ctx, hook, (__u64)file, fs, 0);
}

/* The statistics of the file the call @in was on. */
static __always_inline struct ps_file_stats *name_stats(const struct ps_inflight *in, int fs)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct file *from = (struct file *)in->file; /* a local: BPF_CORE_READ takes no cast */
	struct ps_key_scratch *scratch;
	struct dentry *dir = NULL;
	char comm[PS_COMM_LEN] = {};
	__u32 slot;

	if (cfg.per_process)
		bpf_get_current_comm(comm, sizeof(comm));
	scratch = slot__key_begin(fs, bpf_get_current_pid_tgid() >> 32, comm);
	if (!scratch)
		return NULL;
	if (in->file == PS_NAME_FROM_CWD)
		dir = BPF_CORE_READ(task, fs, pwd.dentry);
	else if (in->file)
		dir = BPF_CORE_READ(from, f_path.dentry);
	path__of_name(scratch, (const char *)in->name, dir, mount_depth(fs), fs == PS_FS_PROC);
	if (scratch->key.truncated)
		counter__add(PS_CNT_PATH_TRUNCATED);
	slot = slot__of_key(scratch);
	return stats__of_slot(slot, fs);
}

/* The return of a call (@walk, trace's @op) by name, or with @by_fd by descriptor: @ret, or
 * -errno. @by_fd is a constant at each call: a program has one way to its file's statistics, not
 * both (together, with the path walks inlined, they took 5.10's verifier past its million
 * instructions). */
static __always_inline int walk__name_exit(void *ctx, long ret, __u32 func, enum ps_walk walk,
					   __u32 op, bool by_fd)
{
	struct ps_inflight in = {};
	struct ps_file_stats *st;
	__u64 lat_ns;
	int fs;

	if (!inflight__end(&in))
		return 0;
	if (arg_unread(in.arg)) {
		int dfd = (int)(in.arg >> 32);
		char first;

		if (!name_reread(&in, true, &first))
			return 0;
		if (!(func & PS_FUNC_SYSCALL))
			hook__hit(func);
		name_origin(&in, first, dfd);
	}
	fs = (int)in.arg;
	lat_ns = bpf_ktime_get_ns() - in.start_ns;
	if (cfg.trace) {
		if (cfg.trace_ops & (1u << op))
			trace__emit_named(ctx, in.name ? NULL : (struct file *)in.file,
					  (const char *)in.name, true, fs, op, func, ret, lat_ns);
		return 0;
	}
	if (ret < 0) {
		walk__error(fs, walk, ret);
		return 0;
	}
	st = by_fd ? stats__slot((struct file *)in.file, fs) : name_stats(&in, fs);
	if (!st)
		return 0;
	__sync_fetch_and_add(&st->walk[walk].calls, 1);
	__sync_fetch_and_add(&st->walk[walk].lat_count, 1);
	__sync_fetch_and_add(&st->walk[walk].lat_sum_ns, lat_ns);
	return 0;
}

#endif /* PS_WALK_BPF_H */
