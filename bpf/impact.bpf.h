/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * procscope impact: what reading a process's /proc files costs that process. A reader of
 * /proc/PID/smaps (maps, numa_maps, environ, ...) takes PID's mmap_lock; PID's own threads that
 * need that lock meanwhile wait. The mmap_lock tracepoints say who starts to lock, acquires and
 * releases which mm's lock; together with the reader's call in flight (inflight.bpf.h, which
 * file it is reading) they give, per (reader, target, file): reads, how often and how long the
 * reader held the target's lock, and the share of the target's waits that fell while readers
 * held it.
 *
 * Attribution: a wait from s to e is charged the time readers held the lock within [s, e]: per
 * slot of impact_mm (readers by thread id modulo PS_IMPACT_SLOTS), the growth of its hold time
 * between s and e. When readers held it at once, the sum can exceed the wait: the wait is then
 * split in proportion to each one's time. The rest of the wait (the target's own threads, other
 * holders, the scheduler) is charged to no reader. Two readers of one target whose thread ids
 * share a slot share its history: the later one's row gets the slot's growth (documented).
 *
 * The daemon (cfg.impact_by_comm) keys rows by reader name and file only, and sums every
 * target's waits in one entry: its series carry no pids. Whatever finds impact_rows full goes to
 * the [other] row the loader makes, counted by PS_CNT_IMPACT_FULL: nothing is dropped.
 */
#ifndef PS_IMPACT_BPF_H
#define PS_IMPACT_BPF_H

#include "maps.bpf.h"
#include "counters.bpf.h"
#include "fs.bpf.h"
#include "ident.bpf.h"
#include "inflight.bpf.h"
#include "procpid.bpf.h"
#include "trace.bpf.h"

/* Racy between CPUs: at worst a maximum is lost, never a count. */
static __always_inline void epoch_max__add(struct ps_epoch_max *m, __u64 v)
{
	__u32 now = lat_epoch, i = now & 1;

	if (m->epoch[i] != now) {
		m->epoch[i] = now;
		m->max[i] = v;
	} else if (v > m->max[i]) {
		m->max[i] = v;
	}
}

/* In impact_reads: the key's row is the [other] row (impact_rows was full), count reads there. */
#define IMPACT_READS_FOLDED (1ULL << 63)

/* The overflow row, made by the loader: what finds impact_rows full is counted there. */
static __always_inline struct ps_impact_stats *impact_other_row(void)
{
	struct ps_impact_key other = { .file_slot = PS_SLOT_NONE };

	__builtin_memcpy(other.reader_comm, PS_IMPACT_OTHER, sizeof(PS_IMPACT_OTHER));
	return bpf_map_lookup_elem(&impact_rows, &other);
}

/* The row of @key, created with the target's name; when the map is full, the [other] row, and
 * @key becomes its key. NULL only if that is missing too. */
static __always_inline struct ps_impact_stats *impact_row(struct ps_impact_key *key,
							  struct task_struct *target)
{
	struct ps_impact_stats *row = bpf_map_lookup_elem(&impact_rows, key), fresh = {};
	__u64 *earlier, folded = IMPACT_READS_FOLDED;

	if (row)
		return row;
	earlier = bpf_map_lookup_elem(&impact_reads, key);
	if (earlier)
		fresh.reads = *earlier & ~IMPACT_READS_FOLDED;
	if (target)
		BPF_CORE_READ_STR_INTO(&fresh.target_comm, target, comm);
	if (!bpf_map_update_elem(&impact_rows, key, &fresh, BPF_NOEXIST) ||
	    bpf_map_lookup_elem(&impact_rows, key)) {
		if (earlier)
			bpf_map_delete_elem(&impact_reads, key);
		return bpf_map_lookup_elem(&impact_rows, key);
	}
	counter__add(PS_CNT_IMPACT_FULL);
	row = impact_other_row();
	if (!row)
		return NULL;
	__sync_fetch_and_add(&row->reads, fresh.reads);
	/* this key's later reads go to the [other] row too (impact__read) */
	bpf_map_update_elem(&impact_reads, key, &folded, BPF_ANY);
	__builtin_memset(key, 0, sizeof(*key));
	key->file_slot = PS_SLOT_NONE;
	__builtin_memcpy(key->reader_comm, PS_IMPACT_OTHER, sizeof(PS_IMPACT_OTHER));
	return row;
}

/* The process whose /proc/PID file (on filesystem @fs) the current thread reads, when that is
 * another process: its task and the row key; false otherwise. */
static __always_inline bool impact_target(struct file *file, int fs, struct ps_impact_key *key,
					  struct task_struct **ret_task)
{
	struct task_struct *task;
	struct pid *pid;
	__u32 reader = bpf_get_current_pid_tgid() >> 32, target;

	if (fs != PS_FS_PROC)
		return false;
	pid = proc_file_pid(file);
	task = pid ? pid_task_of(pid) : NULL;
	if (!task)
		return false;
	target = BPF_CORE_READ(task, tgid);
	if (target == reader || (cfg.impact_tgid && target != cfg.impact_tgid))
		return false;
	if (!cfg.impact_by_comm) {
		key->reader_tgid = reader;
		key->target_tgid = target;
	}
	key->file_slot = slot__of(file, PS_FS_PROC);
	bpf_get_current_comm(key->reader_comm, sizeof(key->reader_comm));
	*ret_task = task;
	return true;
}

/* The readers' time on a target's lock by @now, of slot @i. */
static __always_inline __u64 impact_busy(const struct impact_mm *st, int i, __u64 now)
{
	__u64 since = st->reader[i].since;

	return st->reader[i].cum_ns + (since && since < now ? now - since : 0);
}

/* A read of a traced file returned: a read of a file of another process. Rows are made by the
 * reader's first hold of the target's lock: reads of files that never take it (stat, status)
 * make none, and wait in impact_reads until a row takes them over. */
static __always_inline void impact__read(struct file *file, int fs)
{
	struct ps_impact_key key = {};
	struct ps_impact_stats *row;
	struct task_struct *target;
	__u64 one = 1, *earlier;

	if (!impact_target(file, fs, &key, &target))
		return;
	row = bpf_map_lookup_elem(&impact_rows, &key);
	if (row) {
		__sync_fetch_and_add(&row->reads, 1);
		return;
	}
	earlier = bpf_map_lookup_elem(&impact_reads, &key);
	if (earlier && (*earlier & IMPACT_READS_FOLDED))
		row = impact_other_row();
	if (row)
		__sync_fetch_and_add(&row->reads, 1);
	else if (earlier)
		__sync_fetch_and_add(earlier, 1);
	else
		bpf_map_update_elem(&impact_reads, &key, &one, BPF_NOEXIST);
}

/* mmap_lock_start_locking: a target's thread starts to take its own lock. */
static __always_inline int impact__start(struct mm_struct *mm)
{
	struct impact_wait w = { .mm = (__u64)mm };
	struct impact_mm *st;
	__u32 tid;

	if (mm != bpf_get_current_task_btf()->mm)
		return 0;
	st = bpf_map_lookup_elem(&impact_mms, &w.mm);
	if (!st)
		return 0; /* nobody has read this process: not a target */
	w.start = bpf_ktime_get_ns();
	for (int i = 0; i < PS_IMPACT_SLOTS; i++)
		w.busy[i] = impact_busy(st, i, w.start);
	tid = (__u32)bpf_get_current_pid_tgid();
	bpf_map_update_elem(&impact_waiting, &tid, &w, BPF_ANY);
	return 0;
}

/* A target's thread got its lock after @w: the wait, and the readers' shares of it. */
static __always_inline void impact_wait_done(void *ctx, struct impact_wait *w, __u64 now)
{
	__u64 wait = now - w->start, delta[PS_IMPACT_SLOTS], total = 0, charged;
	struct impact_mm *st = bpf_map_lookup_elem(&impact_mms, &w->mm);
	struct ps_target_waits *t, fresh = {};
	__u32 tgid, top = 0;

	if (!st)
		return;
	for (int i = 0; i < PS_IMPACT_SLOTS; i++) {
		__u64 busy = impact_busy(st, i, now);

		delta[i] = busy > w->busy[i] ? busy - w->busy[i] : 0;
		total += delta[i];
		if (delta[i] > delta[top])
			top = i;
	}
	charged = total < wait ? total : wait;
	if (cfg.min_stall_ns && charged && wait >= cfg.min_stall_ns)
		trace__emit_stall(ctx, wait, charged, &st->reader[top & (PS_IMPACT_SLOTS - 1)].key);
	for (int i = 0; i < PS_IMPACT_SLOTS && charged; i++) {
		struct ps_impact_stats *row;

		if (!delta[i])
			continue;
		row = bpf_map_lookup_elem(&impact_rows, &st->reader[i].key);
		if (!row)
			continue;
		__sync_fetch_and_add(&row->waits, 1);
		__sync_fetch_and_add(&row->wait_ns, delta[i] * charged / total);
		epoch_max__add(&row->wait_max, wait);
	}
	tgid = st->target_tgid;
	t = bpf_map_lookup_elem(&impact_targets, &tgid);
	if (!t) {
		bpf_get_current_comm(fresh.comm, sizeof(fresh.comm));
		bpf_map_update_elem(&impact_targets, &tgid, &fresh, BPF_NOEXIST);
		t = bpf_map_lookup_elem(&impact_targets, &tgid);
		if (!t) {
			counter__add(PS_CNT_IMPACT_FULL);
			return;
		}
	}
	__sync_fetch_and_add(&t->waits, 1);
	__sync_fetch_and_add(&t->wait_ns, wait);
	__sync_fetch_and_add(&t->charged_ns, charged);
	epoch_max__add(&t->wait_max, wait);
}

/* A reader inside a read of /proc/PID/... took PID's lock: its hold starts. */
static __always_inline void impact_hold_start(struct mm_struct *mm, __u64 now)
{
	struct impact_mm *st, fresh = {};
	struct impact_hold h = { .mm = (__u64)mm, .since = now };
	struct task_struct *target;
	struct ps_impact_stats *row;
	struct ps_inflight in;
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if (!inflight__peek(&in) ||
	    !impact_target((struct file *)in.file, file_traced_fs((struct file *)in.file), &h.key,
			   &target))
		return;
	if ((__u64)BPF_CORE_READ(target, mm) != h.mm)
		return; /* not the lock of the process whose file it reads */
	row = impact_row(&h.key, target);
	if (!row)
		return;
	__sync_fetch_and_add(&row->holds, 1);
	st = bpf_map_lookup_elem(&impact_mms, &h.mm);
	if (!st) {
		bpf_map_update_elem(&impact_mms, &h.mm, &fresh, BPF_NOEXIST);
		st = bpf_map_lookup_elem(&impact_mms, &h.mm);
		if (!st)
			return;
	}
	/* each time: an mm freed and allocated again at this address is another process's */
	st->target_tgid = cfg.impact_by_comm ? 0 : BPF_CORE_READ(target, tgid);
	h.slot = tid % PS_IMPACT_SLOTS;
	st->reader[h.slot & (PS_IMPACT_SLOTS - 1)].key = h.key;
	st->reader[h.slot & (PS_IMPACT_SLOTS - 1)].since = now;
	bpf_map_update_elem(&impact_holding, &tid, &h, BPF_ANY);
}

/* mmap_lock_acquire_returned: a target's wait ends, or a reader's hold starts. */
static __always_inline int impact__acquired(void *ctx, struct mm_struct *mm, bool success)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct impact_wait *w = bpf_map_lookup_elem(&impact_waiting, &tid);
	__u64 now = bpf_ktime_get_ns();

	if (w) {
		if (w->mm == (__u64)mm)
			impact_wait_done(ctx, w, now);
		bpf_map_delete_elem(&impact_waiting, &tid);
		return 0;
	}
	if (!success || mm == bpf_get_current_task_btf()->mm)
		return 0;
	impact_hold_start(mm, now);
	return 0;
}

/* mmap_lock_released: a reader's hold ends. */
static __always_inline int impact__released(struct mm_struct *mm)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct impact_hold *h = bpf_map_lookup_elem(&impact_holding, &tid);
	struct ps_impact_stats *row;
	struct impact_mm *st;
	__u64 held;

	if (!h || h->mm != (__u64)mm)
		return 0;
	held = bpf_ktime_get_ns() - h->since;
	row = bpf_map_lookup_elem(&impact_rows, &h->key);
	if (row)
		__sync_fetch_and_add(&row->hold_ns, held);
	st = bpf_map_lookup_elem(&impact_mms, &h->mm);
	if (st) {
		__u32 slot = h->slot & (PS_IMPACT_SLOTS - 1);

		/* the hold into the total first: a wait reading between the two stores sees the
		 * hold twice for a moment rather than not at all, and its charge is capped */
		__sync_fetch_and_add(&st->reader[slot].cum_ns, held);
		st->reader[slot].since = 0;
	}
	bpf_map_delete_elem(&impact_holding, &tid);
	return 0;
}

#endif /* PS_IMPACT_BPF_H */
