/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one header shared by the BPF programs and user space: map keys and values, enums and
 * constants. Only fixed-width types and char arrays, explicit padding, and a size assertion per
 * struct, so both compilers agree on every byte.
 */
#ifndef PROCSCOPE_H
#define PROCSCOPE_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/*
 * The architecture built for: what the BPF objects are compiled for (clang -target bpf with
 * -D__TARGET_ARCH_x86 or _arm64, which libbpf's bpf_tracing.h reads too) or user space's compiler.
 * The one place that picks. PS_NR(x86_64, arm64) is a system call's number on it (PS_NR_NONE
 * where it has no such call); PS_SYS(name) the kernel's entry point of system call @name.
 */
#if defined(__TARGET_ARCH_arm64) || (!defined(__bpf__) && defined(__aarch64__))
#define PS_ARCH "arm64"
#define PS_NR(x86_64, arm64) (arm64)
#define PS_SYS(name) __arm64_sys_##name
#define PS_ARCH_LEGACY_SYSCALLS 0   /* asm-generic's table: no open, stat, getdents, readlink */
#define PS_ARCH_SHOW_CPUINFO c_show /* show_cpuinfo's name here (one call for every CPU) */
#elif defined(__TARGET_ARCH_x86) || (!defined(__bpf__) && defined(__x86_64__))
#define PS_ARCH "x86_64"
#define PS_NR(x86_64, arm64) (x86_64)
#define PS_SYS(name) __x64_sys_##name
#define PS_ARCH_LEGACY_SYSCALLS 1
#define PS_ARCH_SHOW_CPUINFO /* show_cpuinfo, one call per CPU */
#else
#error "procscope builds for x86-64 and arm64 (make ARCH=x86 or make ARCH=arm64)"
#endif
#define PS_NR_NONE (-1)
#define PS_STR_(x) #x
#define PS_STR(x) PS_STR_(x) /* a macro's expansion as a string: PS_STR(PS_SYS(read)) */

#define PS_PATH_LEN 256 /* bytes of a superblock-relative path, NUL included */
#define PS_COMM_LEN 16
#define PS_LAT_BUCKETS 32 /* log2(ns) buckets: [2^i, 2^(i+1)) ns, the last open-ended */
#define PS_MAX_DEPTH 16	  /* path components walked; deeper paths are marked truncated */
#define PS_DEFAULT_MAX_FILES 1024
#define PS_INFLIGHT_MAX 16384 /* threads inside a traced read or write at once */
#define PS_SCRATCH_PER_CPU 64 /* threads with a key scratch space, per CPU (bpf/maps.bpf.h) */
#define PS_IDENTS_PER_FILE 4  /* identity cache entries (dentries, processes) per file slot */
#define PS_DIRENT_MAX 2048    /* records of one listing counted (a 32 KiB buffer holds 1,365) */

/* Pseudo-filesystems, recognised by superblock magic (see fs_of_magic in bpf/fs.bpf.h). */
enum ps_fs {
	PS_FS_PROC,
	PS_FS_SYSFS,
	PS_FS_CGROUP,
	PS_FS_CGROUP2,
	PS_FS_DEBUGFS,
	PS_FS_TRACEFS,
	PS_FS_SECURITYFS,
	PS_FS_COUNT,
};

#define PS_MAGIC_PROC 0x9fa0
#define PS_MAGIC_SYSFS 0x62656572
#define PS_MAGIC_CGROUP 0x27e0eb
#define PS_MAGIC_CGROUP2 0x63677270
#define PS_MAGIC_DEBUGFS 0x64626720
#define PS_MAGIC_TRACEFS 0x74726163
#define PS_MAGIC_SECURITYFS 0x73636673

/*
 * Kernel functions whose hits are counted (the vfsstat-like view): the one list. The order is
 * the order of the fn_hits array and of every output. X(NAME, function, renamed, accounting,
 * required): renamed, the function's name in kernels that renamed it (7.2 calls do_filp_open
 * do_file_open, arm64 calls show_cpuinfo c_show; the programs keep the first name, the loader
 * attaches to whichever the kernel's BTF has); accounting, what its fexit / kretprobe program
 * counts per file (enum ps_accounting: nothing, the function only counts hits; reads and writes;
 * walks, the opens and listings of bpf/walk.bpf.c, attached only by the commands that show them);
 * required, the attach mode is unusable without it (the others are skipped with a warning).
 * Programs are found by name,
 * "<kind>__<function>" (bpf/vfs.bpf.c, procfs.bpf.c, sysfs.bpf.c, walk.bpf.c). The getdents
 * system calls are hooked at their entry points (PS_SYS): the records a listing returned are
 * counted from the syscall's buffer, which iterate_dir does not know. The system calls arm64
 * never had (getdents, readlink, stat, lstat) are hooks on x86-64 only.
 */
enum ps_accounting {
	PS_ACCT_NONE,
	PS_ACCT_RW,
	PS_ACCT_WALK,
};

#if PS_ARCH_LEGACY_SYSCALLS
#define PS_LEGACY_HOOK(X, NAME, function) X(NAME, function, , PS_ACCT_WALK, 0)
#else
#define PS_LEGACY_HOOK(X, NAME, function)
#endif

#define PS_HOOKS(X)                                                          \
	X(VFS_READ, vfs_read, , PS_ACCT_RW, 1)                               \
	X(VFS_WRITE, vfs_write, , PS_ACCT_RW, 1)                             \
	X(VFS_READV, vfs_readv, , PS_ACCT_RW, 0)                             \
	X(VFS_WRITEV, vfs_writev, , PS_ACCT_RW, 0)                           \
	X(PROC_REG_READ, proc_reg_read, , PS_ACCT_NONE, 0)                   \
	X(PROC_REG_READ_ITER, proc_reg_read_iter, , PS_ACCT_NONE, 0)         \
	X(PROC_REG_WRITE, proc_reg_write, , PS_ACCT_NONE, 0)                 \
	X(SEQ_READ_ITER, seq_read_iter, , PS_ACCT_NONE, 0)                   \
	X(KERNFS_FOP_READ_ITER, kernfs_fop_read_iter, , PS_ACCT_NONE, 0)     \
	X(KERNFS_FOP_WRITE_ITER, kernfs_fop_write_iter, , PS_ACCT_NONE, 0)   \
	X(SHOW_CPUINFO, show_cpuinfo, PS_ARCH_SHOW_CPUINFO, PS_ACCT_NONE, 0) \
	X(PROC_SYS_CALL_HANDLER, proc_sys_call_handler, , PS_ACCT_NONE, 0)   \
	X(DO_FILP_OPEN, do_filp_open, do_file_open, PS_ACCT_WALK, 0)         \
	X(SYS_GETDENTS64, PS_SYS(getdents64), , PS_ACCT_WALK, 0)             \
	PS_LEGACY_HOOK(X, SYS_GETDENTS, PS_SYS(getdents))                    \
	PS_LEGACY_HOOK(X, SYS_READLINK, PS_SYS(readlink))                    \
	X(SYS_READLINKAT, PS_SYS(readlinkat), , PS_ACCT_WALK, 0)             \
	PS_LEGACY_HOOK(X, SYS_NEWSTAT, PS_SYS(newstat))                      \
	PS_LEGACY_HOOK(X, SYS_NEWLSTAT, PS_SYS(newlstat))                    \
	X(SYS_NEWFSTAT, PS_SYS(newfstat), , PS_ACCT_WALK, 0)                 \
	X(SYS_NEWFSTATAT, PS_SYS(newfstatat), , PS_ACCT_WALK, 0)             \
	X(SYS_STATX, PS_SYS(statx), , PS_ACCT_WALK, 0)

#define PS_HOOK_ENUM(NAME, function, renamed, accounting, required) PS_HOOK_##NAME,
enum ps_hook {
	PS_HOOKS(PS_HOOK_ENUM) PS_HOOK_COUNT,
};
#undef PS_HOOK_ENUM

/*
 * The system calls the tracepoint mode follows, with their numbers on x86-64 and arm64: the one
 * list (BPF filters by it, trace names by it; tests/unit/test_syscalls.c checks it against
 * each architecture's <asm/unistd.h>). X(name, x86-64, arm64, enum ps_op); PS_NR picks the
 * column. 32-bit compat system calls use other numbers and are not counted.
 */
#define PS_SYSCALLS(X)                                 \
	X(read, 0, 63, PS_OP_READ)                     \
	X(pread64, 17, 67, PS_OP_READ)                 \
	X(readv, 19, 65, PS_OP_READ)                   \
	X(preadv, 295, 69, PS_OP_READ)                 \
	X(preadv2, 327, 286, PS_OP_READ)               \
	X(write, 1, 64, PS_OP_WRITE)                   \
	X(pwrite64, 18, 68, PS_OP_WRITE)               \
	X(writev, 20, 66, PS_OP_WRITE)                 \
	X(pwritev, 296, 70, PS_OP_WRITE)               \
	X(pwritev2, 328, 287, PS_OP_WRITE)             \
	X(open, 2, PS_NR_NONE, PS_OP_OPEN)             \
	X(creat, 85, PS_NR_NONE, PS_OP_OPEN)           \
	X(openat, 257, 56, PS_OP_OPEN)                 \
	X(openat2, 437, 437, PS_OP_OPEN)               \
	X(getdents, 78, PS_NR_NONE, PS_OP_READDIR)     \
	X(getdents64, 217, 61, PS_OP_READDIR)          \
	X(readlink, 89, PS_NR_NONE, PS_OP_READLINK)    \
	X(readlinkat, 267, 78, PS_OP_READLINK)         \
	X(stat, 4, PS_NR_NONE, PS_OP_STAT)             \
	X(lstat, 6, PS_NR_NONE, PS_OP_STAT)            \
	X(fstat, 5, 80, PS_OP_STAT)                    \
	X(newfstatat, 262, 79, PS_OP_STAT)             \
	X(statx, 332, 291, PS_OP_STAT)                 \
	X(ptrace, 101, 117, PS_OP_ATTACH)              \
	X(process_vm_readv, 310, 270, PS_OP_VM_READ)   \
	X(process_vm_writev, 311, 271, PS_OP_VM_WRITE) \
	X(pidfd_getfd, 438, 438, PS_OP_GETFD)          \
	X(mmap, 9, 222, PS_OP_MAP)

enum ps_op {
	PS_OP_READ,
	PS_OP_WRITE,
	PS_OP_CALL,	/* a traced kernel function (procscope trace FUNC) */
	PS_OP_OPEN,	/* a file opened (procscope audit) */
	PS_OP_STALL,	/* a wait for an mmap_lock a reader held (trace --min-stall) */
	PS_OP_READDIR,	/* a directory listed (getdents64, getdents) */
	PS_OP_READLINK, /* a symbolic link read (readlink, readlinkat) */
	PS_OP_STAT,	/* a file's attributes asked for (stat, lstat, fstat, newfstatat, statx) */
	/* the doors into another process that are not files (procscope audit): */
	PS_OP_ATTACH,	/* ptrace(PTRACE_ATTACH or PTRACE_SEIZE) */
	PS_OP_VM_READ,	/* process_vm_readv */
	PS_OP_VM_WRITE, /* process_vm_writev */
	PS_OP_GETFD,	/* pidfd_getfd: a copy of another process's descriptor */
	/* trace -U with a copy of the stack: a file mapped executable (mmap with PROT_EXEC), a
	 * record for the unwinder (struct ps_map_event follows), not a traced call */
	PS_OP_MAP,
};

/*
 * The calls that walk a pseudo-filesystem rather than read it (bpf/walk.bpf.h): counted per
 * file on success, per filesystem and errno on failure (a failed call has no file).
 */
enum ps_walk {
	PS_WALK_OPEN,
	PS_WALK_READDIR,
	PS_WALK_READLINK,
	PS_WALK_STAT,
	PS_WALK_COUNT,
};

#define PS_ERRNO_SLOTS 136 /* errno values counted one by one; the last slot takes the rest */

/* Event counters kept beside the per-file statistics; every event that is not counted in a file
 * entry of its own is counted here. */
enum ps_counter {
	PS_CNT_FILES_FULL,     /* no slot was left for the file: the call was counted in [other] */
	PS_CNT_UNMATCHED_EXIT, /* a return without its entry (in flight at attach, or inflight full)
				*/
	PS_CNT_INFLIGHT_FULL,  /* an entry could not be remembered: inflight map full */
	PS_CNT_PATH_TRUNCATED, /* deeper than PS_MAX_DEPTH or longer than PS_PATH_LEN */
	PS_CNT_EVENTS_LOST,    /* trace events that found the ring buffer full */
	PS_CNT_AUDIT_LOST,     /* audit events that found their ring buffer full */
	PS_CNT_IMPACT_FULL,    /* impact: a (reader, target, file) found no row: counted in the
				* [other] row; or a target no entry: its wait not counted */
	PS_CNT_NAME_UNREAD,    /* calls by name whose name could be read neither at the entry nor at
				* the return: not counted */
	PS_CNT_DIRENTS_UNCOUNTED, /* listings that returned more records than PS_DIRENT_MAX: the
				   * rest of their records are not in dir_entries */
	PS_CNT_COUNT,
};

/*
 * Key of the file_slots map: one pseudo-file (normalized path), per process with --per-process. The
 * process name is part of the key, so an entry's name never changes under it (a process that
 * renames itself gets a new entry).
 */
struct ps_file_key {
	__u32 tgid; /* 0 unless per-process accounting is on */
	__u8 fs;    /* enum ps_fs */
	__u8 truncated;
	__u16 pad;
	char comm[PS_COMM_LEN]; /* empty unless per-process accounting is on */
	char path[PS_PATH_LEN]; /* relative to the superblock root; NUL-padded */
};
_Static_assert(sizeof(struct ps_file_key) == 8 + PS_COMM_LEN + PS_PATH_LEN, "ps_file_key layout");

/* Value of the file_stats map (per CPU, one per slot) and of the [other] overflow entries. */
struct ps_file_stats {
	__u64 reads;	  /* read calls, failed ones included */
	__u64 read_bytes; /* sum of positive return values */
	__u64 writes;
	__u64 write_bytes;
	__u64 errors;	 /* calls that returned < 0 */
	__u64 lat_count; /* reads with a measured latency */
	__u64 lat_sum_ns;
	__u64 lat_max_ns; /* maximum within epoch lat_max_epoch */
	__u32 lat_max_epoch;
	__u32 pad;
	__u64 lat_hist[PS_LAT_BUCKETS];
	/* enum ps_walk: successful calls, of them those with a measured latency, and its sum */
	struct ps_walk_stats {
		__u64 calls;
		__u64 lat_count;
		__u64 lat_sum_ns;
	} walk[PS_WALK_COUNT];
	__u64 dir_entries; /* records the listings returned */
};
_Static_assert(sizeof(struct ps_file_stats) == 9 * 8 + 8 * PS_LAT_BUCKETS + 24 * PS_WALK_COUNT + 8,
	       "ps_file_stats layout");

/* Failed walks of one filesystem and kind (walk_errors[fs * PS_WALK_COUNT + walk]), by errno. */
struct ps_walk_errors {
	__u64 by_errno[PS_ERRNO_SLOTS];
};

/* A read or write between its entry and its return, keyed by thread id. */
struct ps_inflight {
	__u64 start_ns;
	/* struct file *, as seen at entry; 0 for an open; for a link read, the directory a relative
	 * name starts from: its file, PS_LINK_FROM_CWD for the working directory, 0 for none */
	__u64 file;
	__u64 arg;  /* a listing's buffer (user address); an open's filesystem */
	__u64 name; /* an open's name (the caller's memory for a system call, else the kernel's) */
};
_Static_assert(sizeof(struct ps_inflight) == 32, "ps_inflight layout");

/*
 * The function of a trace event: an enum ps_hook, a system call number with PS_FUNC_SYSCALL, or
 * the index of a FUNC argument of `procscope trace` with PS_FUNC_TRACED.
 */
#define PS_FUNC_SYSCALL 0x10000
#define PS_FUNC_TRACED 0x20000
#define PS_MAX_TRACED_FUNCS 16

/* How a traced function's argument leads to its file (enum ps_config.file_kind). */
enum ps_file_kind {
	PS_FILE_NONE,	  /* no argument carries a file */
	PS_FILE_FILE,	  /* struct file * */
	PS_FILE_KIOCB,	  /* struct kiocb *: ->ki_filp */
	PS_FILE_SEQ_FILE, /* struct seq_file *: ->file */
};

#define PS_STACK_KERNEL (1u << 0) /* ps_config.stacks: capture the kernel stack (-K) */
#define PS_STACK_USER (1u << 1)	  /* and the user stack (-U) */
/* ps_config.ustack: how the user stack is taken (--ustack, docs/stacks.md) */
#define PS_USTACK_WALK (1u << 0) /* the kernel's frame-pointer walk, every frame */
/* the registers and the top of the stack, for unwinding by the binaries' call frame
 * information in user space */
#define PS_USTACK_COPY (1u << 1)

/*
 * The configuration of the BPF programs, one read-only struct set by the loader between open and
 * load: the verifier then knows every field as a constant and drops the code of what is off. The
 * last block only concerns the object of a traced function (bpf/trace_func.bpf.c).
 */
struct ps_config {
	__u32 fs_mask; /* bit (1 << enum ps_fs) per traced filesystem */
	__u32 tgid;    /* 0: every process */
	__u32 tid;     /* 0: every thread */
	__u32 uid;     /* when uid_set */
	__u64 min_lat_ns;
	char comm[PS_COMM_LEN]; /* when comm_set */
	__u8 comm_set;
	__u8 uid_set;
	__u8 per_process;
	__u8 trace;	  /* send an event per call (procscope trace) instead of counting */
	__u8 errors_only; /* trace only calls that failed */
	__u8 stacks;	  /* PS_STACK_* */
	__u16 event_size; /* bytes reserved per event: with or without struct ps_stacks */
	/* a traced function */
	__u32 func;	/* PS_FUNC_TRACED | index */
	__u8 file_arg;	/* the argument that carries the file */
	__u8 file_kind; /* enum ps_file_kind */
	__u8 nargs;	/* where fexit finds the return value */
	__u8 ret_size;	/* bytes of the return value, 0 for void */
	__u8 ret_signed;
	/* take the kernel stack at the entry rather than the return (the kprobe mode: before
	 * 5.14 a kretprobe's stack ends at kretprobe_trampoline) */
	__u8 entry_kstack;
	/* count at the return only (--no-latency): the fentry and tracepoint modes then attach no
	 * entry program, and the return counts the function hit the entry would have */
	__u8 no_latency;
	/* wake the event reader only once this much is waiting: a wakeup per event costs the
	 * traced thread more than the event itself */
	__u32 wakeup_bytes;
	/* procscope audit and daemon --audit: bit (1 << enum ps_rule) per rule to report */
	__u32 audit_rules;
	/* audit alone: nothing reads the file statistics, so leave them alone */
	__u8 skip_count;
	/* calls in flight in task-local storage rather than the inflight hash map (the loader
	 * probes the kernel for it) */
	__u8 task_inflight;
	/* procscope impact: the mmap_lock tracepoints are attached (bpf/impact.bpf.h) */
	__u8 impact;
	/* the mmap_lock tracepoints pass a memcg path before their other arguments (kernels
	 * before 6.?; the loader reads their prototype from the BTF) */
	__u8 mmap_lock_memcg_arg;
	__u32 impact_tgid; /* impact -p: only this target process; 0: any */
	/* daemon --impact: rows by reader name and file alone (no pids: bounded series) and one
	 * total of the targets' waits */
	__u8 impact_by_comm;
	/* count opens and listings (bpf/walk.bpf.h): stat, top and the daemon */
	__u8 walks;
	/* trace: bit (1 << enum ps_op) per kind of call that sends events (--op) */
	__u8 trace_ops;
	/* audit: how the doors that are system calls are seen (enum ps_doors) */
	__u8 doors;
	/* trace --min-stall: an event per wait of a read process's thread for its own mmap_lock
	 * this long or longer that a reader had a share of, instead of the call events */
	__u64 min_stall_ns;
	/* audit --enforce: bit (1 << enum ps_rule) per rule whose accesses are denied
	 * (bpf/enforce.bpf.c); with enforce_dry_run only reported as they would be */
	__u32 enforce_rules;
	__u32 self_tgid; /* procscope's own process: never denied */
	__u8 enforce_dry_run;
	/* -U: how user stacks are taken (PS_USTACK_WALK, PS_USTACK_COPY) and, with a copy, how
	 * many bytes of the user stack each event carries (struct ps_ustack_copy) */
	__u8 ustack;
	__u16 pad_enforce;
	__u32 ustack_bytes;
};
_Static_assert(sizeof(struct ps_config) == 88 + PS_COMM_LEN, "ps_config layout");

/* What audit --enforce did with an access (struct ps_audit_event's action). */
enum ps_action {
	PS_ACTION_NONE,	      /* not enforced */
	PS_ACTION_DENIED,     /* refused with EPERM */
	PS_ACTION_WOULD_DENY, /* --enforce-dry-run: would have been refused */
};

/* An entry of the allowlist as the kernel applies it to --enforce (bpf/enforce.bpf.c): every
 * matcher given must match, as in user/audit/allowlist.h; an exe glob becomes one entry per
 * file it names. */
struct ps_enforce_allow {
	__u32 rules;	 /* bit (1 << enum ps_rule) per rule it allows */
	__u32 uid;	 /* when uid_set */
	__u64 cgroup_id; /* the reader's cgroup or one above it; 0: any */
	__u64 exe_ino;	 /* the reader's executable file; 0: any */
	__u32 exe_dev;	 /* its device, the kernel's encoding (major << 20 | minor) */
	__u8 uid_set;
	__u8 comm_set;
	__u8 pad[2];
	char comm[PS_COMM_LEN]; /* when comm_set */
};
#define PS_ENFORCE_ALLOW_MAX 128

/* The maximum of a value within each interval (lat_epoch, which user space moves at each
 * boundary), in two slots by the epoch's parity: a busy entry written just after user space
 * closed an epoch fills the other slot and leaves the closed one's to be read. */
struct ps_epoch_max {
	__u64 max[2];
	__u32 epoch[2];
};
_Static_assert(sizeof(struct ps_epoch_max) == 24, "ps_epoch_max layout");

#define PS_SLOT_NONE 0xffffffffu /* a file without a statistics slot of its own */

/* procscope impact: what one reader process cost one target process through one file. */
struct ps_impact_key {
	__u32 reader_tgid; /* 0 with impact_by_comm */
	__u32 target_tgid; /* 0 with impact_by_comm */
	__u32 file_slot; /* the file's statistics slot (its path in file_slots), or PS_SLOT_NONE */
	__u32 pad;
	/* a process that execs gets a row per name; PS_IMPACT_OTHER for the overflow row */
	char reader_comm[PS_COMM_LEN];
};
_Static_assert(sizeof(struct ps_impact_key) == 16 + PS_COMM_LEN, "ps_impact_key layout");

/* The reader name of the row that takes what finds impact_rows full: pids 0, no file slot. */
#define PS_IMPACT_OTHER "[other]"

struct ps_impact_stats {
	__u64 reads;   /* reads of the file that returned */
	__u64 holds;   /* times the reader took the target's mmap_lock */
	__u64 hold_ns; /* and held it, in all */
	__u64 waits;   /* waits of the target's threads this reader was charged a share of */
	__u64 wait_ns; /* its share of them */
	struct ps_epoch_max wait_max; /* the longest single wait it had a share of (whole wait) */
	char target_comm[PS_COMM_LEN];
};
_Static_assert(sizeof(struct ps_impact_stats) == 64 + PS_COMM_LEN, "ps_impact_stats layout");

/* procscope impact: every wait of a target's threads for its own mmap_lock, read or not. */
struct ps_target_waits {
	__u64 waits;
	__u64 wait_ns;
	__u64 charged_ns; /* of wait_ns, what readers were charged */
	struct ps_epoch_max wait_max;
	char comm[PS_COMM_LEN];
};
_Static_assert(sizeof(struct ps_target_waits) == 48 + PS_COMM_LEN, "ps_target_waits layout");

/* One traced read or write, sent through the ring buffer by `procscope trace`. */
struct ps_event {
	__u64 ts_ns;  /* bpf_ktime_get_ns() at the return */
	__u64 lat_ns; /* 0 when the entry was not seen */
	__s64 ret;
	__u32 pid; /* thread group */
	__u32 tid;
	__u32 uid;
	__u32 func; /* enum ps_hook, or PS_FUNC_SYSCALL | system call number */
	__u8 fs;    /* enum ps_fs */
	__u8 op;    /* enum ps_op */
	__u8 truncated;
	__u8 has_stacks;   /* a struct ps_stacks follows */
	__u8 path_is_name; /* path is the name the call was given (a failed open: no file) */
	__u8 pad[3];
	char comm[PS_COMM_LEN];
	char path[PS_PATH_LEN]; /* raw (not normalized), relative to the superblock root */
	/*
	 * PS_OP_STALL: the event is the waiting thread's (pid, tid, comm, uid, stacks); lat_ns is
	 * the wait, ret the readers' share of it, path empty; the reader with the largest share
	 * and its file's statistics slot (user space has the slot's path) are these:
	 */
	__u32 reader_pid;
	__u32 reader_slot; /* or PS_SLOT_NONE */
	char reader_comm[PS_COMM_LEN];
};
_Static_assert(sizeof(struct ps_event) ==
		       3 * 8 + 4 * 4 + 8 + PS_COMM_LEN + PS_PATH_LEN + 8 + PS_COMM_LEN,
	       "ps_event layout");

#define PS_STACK_MAX 32 /* frames kept per stack */

/* A kernel stack taken at a call's entry, kept until its return (ps_config.entry_kstack). */
struct ps_kstack {
	__s32 bytes; /* what bpf_get_stack returned */
	__u32 pad;
	__u64 ips[PS_STACK_MAX];
};
_Static_assert(sizeof(struct ps_kstack) == 8 + 8 * PS_STACK_MAX, "ps_kstack layout");

/* A user frame as bpf_get_stack(BPF_F_USER_BUILD_ID) writes it (struct bpf_stack_build_id). */
struct ps_user_frame {
	__s32 status; /* BPF_STACK_BUILD_ID_VALID: build_id and offset; _IP: ip only; _EMPTY */
	__u8 build_id[20];
	__u64 offset_or_ip; /* file offset when valid, else the address */
};
_Static_assert(sizeof(struct ps_user_frame) == 32, "ps_user_frame layout");

/*
 * The stacks of an event, after it in the same record (-K, -U). User frames are captured as
 * build id + file offset, and the executable's path with them, so a process that has exited by
 * the time user space reads the event still symbolizes.
 */
struct ps_stacks {
	__s32 kstack_bytes; /* what bpf_get_stack returned: bytes written, or -errno */
	__s32 ustack_bytes;
	__u64 kstack[PS_STACK_MAX];
	struct ps_user_frame ustack[PS_STACK_MAX];
	__u8 exe_truncated;
	__u8 has_copy; /* a struct ps_ustack_copy follows (PS_USTACK_COPY) */
	__u8 pad[6];
	char exe[PS_PATH_LEN]; /* the executable, relative to its filesystem's root */
};
_Static_assert(sizeof(struct ps_stacks) ==
		       8 + 8 * PS_STACK_MAX + 32 * PS_STACK_MAX + 8 + PS_PATH_LEN,
	       "ps_stacks layout");

/*
 * The user stack as copied for unwinding (--ustack=dwarf|auto), after struct ps_stacks: the
 * user registers as the kernel saved them at the entry (struct pt_regs, the architecture's own
 * layout: user/stacks/uregs.c reads it) and the stack from the stack pointer rounded down to
 * PS_USTACK_CHUNK, as much of ps_config.ustack_bytes as the stack holds. ustack_bytes are
 * reserved whatever was copied.
 */
/*
 * A file a process mapped executable (PS_OP_MAP: after a struct ps_event whose path is the
 * file's): where the unwinder finds a library when the process is gone before its events are
 * read, as perf's mmap records.
 */
struct ps_map_event {
	__u64 start; /* the mapping's address */
	__u64 len;
	__u64 offset;	  /* of the file mapped at start */
	__u64 start_code; /* the process image's (mm->start_code): an exec starts a new list */
};

#define PS_USTACK_CHUNK 512
#define PS_USTACK_MIN PS_USTACK_CHUNK
#define PS_USTACK_RINGBUF_KIB 8192 /* the ring buffer's default for them: ~800 events */
#define PS_USTACK_MAX 32768
#define PS_UREGS_SIZE 272 /* the user part of struct pt_regs (x86-64: 168, arm64: 272) */
struct ps_ustack_copy {
	__u8 regs[PS_UREGS_SIZE];
	__u64 base;	  /* the user address of data[0] */
	__u64 start_code; /* where the executable's code begins (mm->start_code) */
	__u32 bytes;	  /* copied into data */
	__u8 full;	  /* all of ps_config.ustack_bytes copied: the stack may go on above */
	__u8 short_read;  /* the copy ended at a page it could not read, which may not be the
			   * stack's end (bpf/ustack.bpf.h) */
	__u8 pad[2];
	__u8 data[];
};
_Static_assert(sizeof(struct ps_ustack_copy) == PS_UREGS_SIZE + 24, "ps_ustack_copy layout");

/* How the audit sees the doors into another process that are system calls (bpf/audit.bpf.c). */
enum ps_doors {
	PS_DOORS_OFF,	  /* no door rule is on */
	PS_DOORS_SYSCALL, /* the system calls alone: the target looked up by its number (or pidfd)
			   * at the entry, refused by EPERM */
	PS_DOORS_CHECKED, /* and the kernel's access check: the target's task and its verdict */
};

/*
 * The audit rules (procscope audit). The numbers are part of the event format; ids, severities
 * and descriptions live in user/audit/audit_rules.c. Documented one by one in docs/audit.md.
 */
enum ps_rule {
	PS_RULE_NONE,
	PS_RULE_ENVIRON_READ,  /* another process's /proc/PID/environ read */
	PS_RULE_MEM_ACCESS,    /* another process's /proc/PID/mem opened, read or written */
	PS_RULE_MAPS_READ,     /* another process's maps, smaps or pagemap read */
	PS_RULE_CMDLINE_READ,  /* another process's cmdline read */
	PS_RULE_KCORE_READ,    /* /proc/kcore read */
	PS_RULE_KMSG_READ,     /* /proc/kmsg read */
	PS_RULE_KALLSYMS_READ, /* /proc/kallsyms read */
	PS_RULE_SYSCTL_WRITE,  /* a write under /proc/sys */
	PS_RULE_SYSFS_WRITE,   /* a write under /sys */
	PS_RULE_SYSRQ_WRITE,   /* a write to /proc/sysrq-trigger */
	PS_RULE_PIDNS_FOREIGN, /* a process's files read from a pid namespace that cannot see it */
	PS_RULE_PIDNS_DESCENDANT, /* a process's files read from an ancestor pid namespace */
	PS_RULE_SYSCTL_WEAKENED,  /* a tunable set to a value that disarms a defence */
	PS_RULE_PROC_WRITE,	  /* a write to procfs outside /proc/sys and processes' files */
	PS_RULE_PROCESS_TUNABLE_WRITE, /* another process's oom_score_adj, uid_map, attr/... */
	/* the doors that are system calls (bpf/audit.bpf.c), each allowed and refused: */
	PS_RULE_PTRACE_ATTACH, /* ptrace(PTRACE_ATTACH or PTRACE_SEIZE) of another process */
	PS_RULE_PTRACE_ATTACH_DENIED,
	PS_RULE_PROCESS_VM_READ, /* process_vm_readv of another process's memory */
	PS_RULE_PROCESS_VM_READ_DENIED,
	PS_RULE_PROCESS_VM_WRITE, /* process_vm_writev into another process's memory */
	PS_RULE_PROCESS_VM_WRITE_DENIED,
	PS_RULE_PIDFD_GETFD, /* pidfd_getfd: another process's descriptor copied */
	PS_RULE_PIDFD_GETFD_DENIED,
	PS_RULE_RECON_READ, /* system or own-process facts read by a process that serves the
			     * network (the servers map): file inclusion */
	PS_RULE_COUNT,
};

/* Whether rule @r is one of the doors that are system calls (their records have no path). */
#define PS_RULE_IS_DOOR(r) ((r) >= PS_RULE_PTRACE_ATTACH && (r) <= PS_RULE_PIDFD_GETFD_DENIED)

#define PS_SYSCTL_VALUE_LEN 128 /* kernel.core_pattern's limit (CORENAME_MAX_SIZE) */

/* A sysctl write as the cgroup/sysctl program saw it (bpf/sysctl.bpf.c), by thread, until the
 * write's return takes it into its audit event. */
struct ps_sysctl_values {
	char old_value[PS_SYSCTL_VALUE_LEN]; /* NUL-terminated, cut at PS_SYSCTL_VALUE_LEN - 1 */
	char new_value[PS_SYSCTL_VALUE_LEN];
	__u8 weakened; /* the new value disarms a defence: PS_RULE_SYSCTL_WEAKENED */
	__u8 pad[7];
};

/* A process that serves the network, for the recon-read rule (the servers map). */
struct ps_server {
	/* the process's start time in the clock ticks of /proc/PID/stat (its 22nd field), with
	 * which user space seeds the map at start: a reused pid is no server */
	__u64 start;
	__u8 through_exec; /* a server program's: what it executes serves too */
	__u8 pad[7];
};

/* An executable file: its inode number and its filesystem's device (the kernel's encoding,
 * major << 20 | minor). */
struct ps_exe_id {
	__u64 ino;
	__u32 dev;
	__u32 pad;
};

/* What the process a /proc/PID file belongs to is to its reader. */
enum ps_relation {
	PS_REL_NONE,	 /* the file belongs to no process (/proc/kcore, /proc/sys, /sys) */
	PS_REL_SELF,	 /* the reader's own thread group, through /proc/PID */
	PS_REL_THREAD,	 /* another thread of the reader's group, through /proc/PID/task/TID */
	PS_REL_CHILD,	 /* a child of the reader */
	PS_REL_SAME_UID, /* another process of the same (real) user */
	PS_REL_OTHER_UID,
	PS_REL_GONE, /* the process has exited; the file is still open (a door: the number the
		      * caller gave names none by the time it is looked up, in target_tid) */
};

/* The target's pid namespace, seen from the reader's. */
enum ps_pidns_relation {
	PS_PIDNS_NONE, /* no target process */
	PS_PIDNS_SAME,
	PS_PIDNS_DESCENDANT, /* the target lives in a namespace below the reader's (a container) */
	PS_PIDNS_FOREIGN,    /* the reader's namespace cannot see the target at all */
};

/*
 * One access matching an audit rule, sent through the audit ring buffer. Pids are the initial
 * namespace's, uids the real uids in the initial user namespace. Never any of the file's
 * contents: only who, what and how many bytes.
 */
struct ps_audit_event {
	__u64 ts_ns;	 /* bpf_ktime_get_ns() */
	__s64 ret;	 /* bytes read or written, or -errno; 0 for an open */
	__u64 cgroup_id; /* the reader's cgroup (v2 hierarchy) */
	__u32 pid;	 /* the reader's thread group */
	__u32 tid;
	__u32 uid;
	__u32 target_pid; /* the target's thread group; 0 when none or gone */
	__u32 target_tid; /* the pid the file belongs to (a thread, through task/TID) */
	__u32 target_uid;
	__u8 rule;	/* enum ps_rule */
	__u8 op;	/* enum ps_op */
	__u8 fs;	/* enum ps_fs */
	__u8 relation;	/* enum ps_relation */
	__u8 pidns;	/* enum ps_pidns_relation */
	__u8 truncated; /* the path */
	__u8 exe_truncated;
	__u8 pad;
	char comm[PS_COMM_LEN];
	char target_comm[PS_COMM_LEN];
	char path[PS_PATH_LEN]; /* raw, relative to the superblock root */
	char exe[PS_PATH_LEN];	/* the reader's executable, from its mount namespace's root */
	/* what a responder asks next: who started the reader, and where the target lives */
	__u64 target_cgroup_id; /* the target's cgroup (v2 hierarchy); 0 when none */
	__u32 ppid;		/* the reader's parent (thread group), 0 for none */
	__u32 gppid;		/* and its parent */
	char parent_comm[PS_COMM_LEN];
	char grandparent_comm[PS_COMM_LEN];
	char parent_exe[PS_PATH_LEN]; /* as exe; empty for none */
	char grandparent_exe[PS_PATH_LEN];
	__u8 parent_exe_truncated;
	__u8 grandparent_exe_truncated;
	__u8 pad3[6];
	/* sysctl writes: the values, when has_values (the cgroup/sysctl program saw the write) */
	struct ps_sysctl_values values;
	__u8 has_values;
	__u8 action; /* enum ps_action */
	__u8 pad2[6];
};
_Static_assert(sizeof(struct ps_audit_event) == 3 * 8 + 6 * 4 + 8 + 2 * PS_COMM_LEN +
							2 * PS_PATH_LEN + 16 + 2 * PS_COMM_LEN +
							2 * PS_PATH_LEN + 8 +
							2 * PS_SYSCTL_VALUE_LEN + 8 + 8,
	       "ps_audit_event layout");

#endif /* PROCSCOPE_H */
