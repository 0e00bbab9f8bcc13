/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every map and configuration variable, declared once. maps.bpf.c defines PS_MAPS_DEFINE and
 * includes this file to define them; every other BPF file includes it to reach them as externs,
 * and `bpftool gen object` links the files into one object, hence one skeleton.
 */
#ifndef PS_MAPS_BPF_H
#define PS_MAPS_BPF_H

#include "procscope.h"

#ifdef PS_MAPS_DEFINE
#define PS_MAP
#else
#define PS_MAP extern
#endif

/* Set by loader.c between open and load (rodata); zero until then. */
PS_MAP const volatile struct ps_config cfg;

/* Written by user space through the mmaped bss at each interval boundary: a new epoch restarts
 * the per-interval maximum latency of every file. */
PS_MAP volatile __u32 lat_epoch;

/*
 * Per-file statistics, in three parts so that a call of a known file costs one small lookup and
 * an array slot rather than a path walk and a 280-byte key hash (ident.bpf.h):
 * - file_slots: the normalized path (struct ps_file_key) of each file seen, to its slot number;
 *   written on the first call of a file, never deleted; read by loader.c when slots_published
 *   moves;
 * - file_stats: the per-CPU statistics of each slot, read by loader.c at each interval or scrape;
 * - idents: which slot a dentry was last resolved to, with what proves it is still that file.
 * file_slots and file_stats are sized by --max-files; idents by the loader (a few per file).
 */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PS_DEFAULT_MAX_FILES);
	__type(key, struct ps_file_key);
	__type(value, __u32);
} file_slots SEC(".maps");

PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PS_DEFAULT_MAX_FILES);
	__type(key, __u32);
	__type(value, struct ps_file_stats);
} file_stats SEC(".maps");

/* The slots not yet taken, filled by the loader with 0 .. max_files - 1 before attaching: a
 * queue's pop is atomic on every kernel, where an atomic add that returns its value needs 5.12.
 * A slot popped by a CPU whose path another CPU published first goes back. */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, PS_DEFAULT_MAX_FILES);
	__type(value, __u32);
} free_slots SEC(".maps");

/* Slots whose key is in file_slots: loader.c reads file_slots again when this moves. */
PS_MAP volatile __u32 slots_published;

/* A dentry (and process, with --per-process) as the identity cache knows it. */
struct ps_ident_key {
	__u64 dentry;
	__u32 tgid; /* 0 unless per-process accounting is on */
	__u32 pad;
};

/* What the path of a dentry was resolved to, and what must still hold for that to be true. */
struct ps_ident {
	__u64 inode;  /* the file's inode */
	__u64 ino;    /* its number */
	__u64 parent; /* the dentry's parent */
	__u64 name;   /* the dentry name's hash and length (qstr.hash_len) */
	__u64 built;  /* when the path was built, in jiffies */
	__u32 slot;   /* PS_SLOT_NONE: counted in [other] */
	__u32 truncated;
	char comm[PS_COMM_LEN]; /* with --per-process: the process name the slot's key holds */
};

PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PS_DEFAULT_MAX_FILES);
	__type(key, struct ps_ident_key);
	__type(value, struct ps_ident);
} idents SEC(".maps");

/* The [other] entry of each filesystem: calls whose file found no room in file_slots. */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PS_FS_COUNT);
	__type(key, __u32);
	__type(value, struct ps_file_stats);
} other_files SEC(".maps");

/* The tracepoint mode's opens and listings (bpf/syscalls.bpf.c), reached from the system-call
 * programs by tail call: one array per tracepoint, as the kernel wants the programs sharing an
 * array to share a hook (6.18 refused to load sys_exit's program with one array for both).
 * Filled by the loader when they are counted: [0] opens and listings, [1] the calls by name
 * (link reads, the stat family), [2] fstat (together in one program, before the path walks were
 * global functions, they went past the verifier's million instructions). */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __u32);
} walk_enter_call SEC(".maps");

PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __u32);
} walk_exit_call SEC(".maps");

/* Failed opens and listings (bpf/walk.bpf.h), by filesystem and kind: fs * PS_WALK_COUNT + walk. */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PS_FS_COUNT *PS_WALK_COUNT);
	__type(key, __u32);
	__type(value, struct ps_walk_errors);
} walk_errors SEC(".maps");

/* Hits of the kernel functions of enum ps_hook, after the filesystem and process filters. */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PS_HOOK_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} fn_hits SEC(".maps");

/* enum ps_counter: drops, truncations and unmatched returns, never silent. */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PS_CNT_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* Entry time and file of each thread inside a traced call: written at entry, consumed at return.
 * LRU, so entries whose return was never seen (a kretprobe missed for lack of instances, a
 * thread gone) age out instead of filling the map. */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PS_INFLIGHT_MAX);
	__type(key, __u32);
	__type(value, struct ps_inflight);
} inflight SEC(".maps");

/* The same in task-local storage, where the kernel has it for these programs (inflight.bpf.h);
 * not created elsewhere (the loader turns it off, and the code that reaches it is dead). */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct ps_inflight);
} task_inflight SEC(".maps");

/* Set once the kernel would not create a thread's task storage (inflight.bpf.h): only from then
 * on do returns that find no storage look in the inflight hash map too. */
PS_MAP volatile __u32 task_storage_refused;

/* Trace events for `procscope trace`: written at each traced return, read by loader.c's ring
 * buffer consumer; sized by the loader (the minimum when not tracing). A full buffer drops the
 * event and counts it in PS_CNT_EVENTS_LOST. */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

/* Audit events (procscope audit, daemon --audit): written where an access matches an enabled
 * rule (audit.bpf.h), read by loader.c's ring buffer consumer; sized by the loader (the minimum
 * when not auditing). A full buffer drops the event and counts it in PS_CNT_AUDIT_LOST. */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} audit_events SEC(".maps");

/* Sysctl writes between the cgroup/sysctl program and the write's return, by thread id. */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct ps_sysctl_values);
} sysctl_writes SEC(".maps");

/* A door system call (ptrace attach, process_vm_readv/writev, pidfd_getfd) between its entry and
 * its return, with what the kernel's access check said of it (bpf/audit.bpf.c). */
struct ps_door_call {
	__u64 target_task; /* struct task_struct *, 0 until known */
	__s32 target_nr;   /* the pid the caller gave (a pidfd for pidfd_getfd) */
	__s32 check_ret;   /* the access check's verdict: 0 allowed, -errno refused */
	__u8 op;	   /* enum ps_op */
	__u8 checked;	   /* check_ret is set */
	__u8 pad[6];
};

/* The door calls in flight, by thread id: LRU, so that a call whose return was never seen
 * (procscope attached in its middle) cannot keep its entry. */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct ps_door_call);
} door_calls SEC(".maps");

/*
 * The processes that serve the network, for the recon-read rule (bpf/audit.bpf.c), by tgid:
 * thread groups that made a socket listen, and the processes they fork (prefork workers hold
 * the socket too), until they execute another program; and the processes running a server
 * program (server_exes) with everything they start, executed programs too (CGI scripts, the
 * interpreters and shells under a web server). LRU: an exited server's entry makes room.
 * The value: struct ps_server (procscope.h).
 */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct ps_server);
} servers SEC(".maps");

/* The server programs of the audit's rules file (servers:), filled by user space at start
 * (struct ps_exe_id: procscope.h). */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct ps_exe_id);
	__type(value, __u8);
} server_exes SEC(".maps");

/* audit --enforce's decisions, by thread, from its hook (bpf/enforce.bpf.c) to the access's
 * audit event (bpf/audit.bpf.h). */
struct ps_enforced {
	__u64 dentry; /* the file's; 0 for a door */
	__u32 rule;
	__u32 action; /* enum ps_action */
};

PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct ps_enforced);
} enforcing SEC(".maps");

/* Kernel stacks taken at entry, by thread, when ps_config.entry_kstack: written at the entry of a
 * traced call, moved into its event at the return. Sized by the loader (one entry when unused). */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ps_kstack);
} entry_stacks SEC(".maps");

/* procscope impact (impact.bpf.h): sized by the loader, one entry each when not in use. */
#define PS_IMPACT_SLOTS 4 /* readers of one target tracked at once, by thread id modulo */

/* One row per (reader process, target process, file). Full: PS_CNT_IMPACT_FULL. */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, struct ps_impact_key);
	__type(value, struct ps_impact_stats);
} impact_rows SEC(".maps");

/* Reads of another process's /proc files that have no row yet (the reader has not taken the
 * target's lock): a row made later starts from them, so that its reads are all of them. */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1);
	__type(key, struct ps_impact_key);
	__type(value, __u64);
} impact_reads SEC(".maps");

/* Every wait of each target's threads for the target's own mmap_lock, by target tgid. */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ps_target_waits);
} impact_targets SEC(".maps");

/* A target's mmap_lock as readers hold it: per slot, the time the slot's readers held it so far
 * (cum_ns, completed holds) and since when its reader holds it now (since, 0: not held). A
 * wait's share of reader time is the growth of these between its start and its end. */
struct impact_mm {
	struct {
		__u64 cum_ns;
		__u64 since;
		struct ps_impact_key key; /* the row of the slot's latest reader */
	} reader[PS_IMPACT_SLOTS];
	__u32 target_tgid;
	__u32 pad;
};

PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1);
	__type(key, __u64); /* struct mm_struct * */
	__type(value, struct impact_mm);
} impact_mms SEC(".maps");

/* A reader thread holding a target's mmap_lock, by thread id. */
struct impact_hold {
	__u64 mm;
	__u64 since;
	struct ps_impact_key key;
	__u32 slot;
	__u32 pad;
};

PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct impact_hold);
} impact_holding SEC(".maps");

/* A target thread waiting for its own mmap_lock, by thread id: when it started and the readers'
 * time on that lock then. */
struct impact_wait {
	__u64 mm;
	__u64 start;
	__u64 busy[PS_IMPACT_SLOTS];
};

PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct impact_wait);
} impact_waiting SEC(".maps");

/* What the audit learns about the process a /proc/PID file belongs to (bpf/audit.bpf.h). */
struct audit_target {
	__u32 tgid, tid, uid;
	__u8 relation; /* enum ps_relation */
	__u8 pidns;    /* enum ps_pidns_relation */
	struct task_struct *task;
};

/* Scratch space for building a key: the path is written at a variable offset, so the verifier
 * needs room for a whole PS_PATH_LEN past the key's last byte. */
struct ps_key_scratch {
	struct ps_file_key key;
	char spill[PS_PATH_LEN];
	/* A path's component names, root first from chain[first], count of them: a directory's
	 * (bpf/path.bpf.h, path__collect) end at PS_MAX_DEPTH, a given name's (path__split) start
	 * there. Addresses of NUL-terminated names: the kernel's, or in name below. */
	__u64 chain[2 * PS_MAX_DEPTH];
	__u32 first;
	__u32 count;
	__u32 split; /* components of name */
	/* path__emit's state from one component to the next (bpf/path.bpf.c) */
	__u32 off;
	__u8 under_pid, under_task, fd_at, shift;
	__u32 pad;
	char name[PS_PATH_LEN];	    /* a name given to a system call, cut at its slashes */
	struct ps_kstack kstack;    /* an entry stack on its way into entry_stacks */
	struct audit_target target; /* the target of audit__emit (bpf/audit.bpf.c) */
};

/*
 * One scratch space per thread, not per CPU: trampoline (fentry) programs, and on 7.x tracepoint
 * programs too, run with migration disabled but preemption enabled, so on a kernel that preempts
 * (preempt=full or lazy, 7.x's default) another task's program on the same CPU could rewrite a
 * per-CPU buffer in the middle of a path walk (it did: "/[pid/smaps_rollup"). Sized by the loader
 * (PS_SCRATCH_PER_CPU per CPU, per-CPU LRU lists): a thread's space is evicted only after that many
 * other threads took one on the same CPU, never in the microseconds it is in use.
 */
PS_MAP struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(map_flags, BPF_F_NO_COMMON_LRU);
	__uint(max_entries, 1);
	__type(key, __u32); /* thread id */
	__type(value, struct ps_key_scratch);
} key_scratch SEC(".maps");

/* Where a thread's first scratch space is copied from: contents never matter (every user writes
 * what it reads), only the size. Never written. A global, not a map: no lookup to check. */
PS_MAP char key_scratch_seed[sizeof(struct ps_key_scratch)];

/* The current thread's scratch space; NULL only when none could be made. One way through, no
 * branch for the first call: the verifier checks each way through each caller (when the path
 * walks were inlined, 5.10 went past its million instructions with two). */
static __always_inline struct ps_key_scratch *scratch__get(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	bpf_map_update_elem(&key_scratch, &tid, key_scratch_seed, BPF_NOEXIST);
	return bpf_map_lookup_elem(&key_scratch, &tid);
}

/* The current thread's scratch space, made by scratch__get earlier in the same program (NULL if
 * none was): for the global functions it calls, which cannot be given the pointer (5.10). */
static __always_inline struct ps_key_scratch *scratch__find(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	return bpf_map_lookup_elem(&key_scratch, &tid);
}

#endif /* PS_MAPS_BPF_H */
