/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The sole owner of the BPF skeleton: open, set the configuration, choose the attach mode by
 * trying (fentry, then kprobe, then tracepoint), load, attach, read the maps, destroy.
 */
#ifndef PS_LOADER_H
#define PS_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "probe_config.h"
#include "snapshot.h"

struct loader;

/*
 * Loads and attaches. Returns 0 with *ret_loader set, or -errno with one line in @err saying what
 * failed and why (the modes tried, for auto).
 */
int loader__open(const struct probe_config *cfg, struct loader **ret_loader, char *err,
		 size_t errlen);
void loader__destroy(struct loader *l);

/* Whether @path (--btf) holds BTF libbpf can read. Returns 0, or -errno with one line in @err. */
int loader__check_btf(const char *path, char *err, size_t errlen);

/* Entries of the key_scratch map (every object that has it, func_probe's too). */
uint32_t loader__scratch_entries(void);

enum ps_mode loader__mode(const struct loader *l);
int loader__probe_count(const struct loader *l);

/* Warnings of the mode in use (functions skipped), one line each; NULL past the last. */
const char *loader__warning(const struct loader *l, int i);

/*
 * Reads every map into @ret_snap (which must be initialized and empty) and starts a new latency
 * epoch, so each snapshot's maximum latencies cover the time since the previous one.
 * Returns 0 or -errno.
 */
int loader__snapshot(struct loader *l, struct snapshot *ret_snap);

/* Called for each trace event, with its stacks when they were asked for (NULL otherwise) and
 * the user stack's copy when it has one (--ustack=dwarf|auto; NULL otherwise); a non-zero
 * return stops the current poll. An event of op PS_OP_MAP is a mapping's record, its struct
 * ps_map_event after it (checked to be there). */
typedef int (*loader_event_fn)(void *ctx, const struct ps_event *e, const struct ps_stacks *st,
			       const struct ps_ustack_copy *copy);

/* Starts consuming trace events (config.trace must have been set). Returns 0 or -errno. */
int loader__events_open(struct loader *l, loader_event_fn fn, void *ctx);
/* Waits up to @timeout_ms and handles the events that came. Returns their number or -errno. */
int loader__events_poll(struct loader *l, int timeout_ms);
/* Called for each audit event; a non-zero return stops the current poll. */
typedef int (*loader_audit_fn)(void *ctx, const struct ps_audit_event *e);

/* Starts consuming audit events (config.audit_rules must have been set); loader__events_poll
 * then handles them too. Returns 0 or -errno. */
int loader__audit_open(struct loader *l, loader_audit_fn fn, void *ctx);

/* The normalized path of file statistics slot @slot (of a trace --min-stall event). Returns 0,
 * -ENOENT for a slot that has none (yet), or -errno. */
int loader__slot_key(struct loader *l, uint32_t slot, struct ps_file_key *ret_key);

/* Attaches the audit's cgroup/sysctl program (the sysctl rules' values) to the cgroup v2
 * directory @cgroup_dir (NULL: none found). Returns 0 (also when the rules need none), or
 * -errno; loader__sysctl_missing then says why the values will not come. */
int loader__sysctl_attach(struct loader *l, const char *cgroup_dir);
const char *loader__sysctl_missing(const struct loader *l);

/* Whether the recon-read rule is on, with its list of the processes that serve the network
 * (bpf/audit.bpf.c), which the kernel keeps from the start on: loader__add_server_exe gives it
 * the server programs (by inode number and kernel device number), loader__add_server the
 * processes that served before (user/audit/listeners.h). Return 0 or -errno. */
bool loader__recon(const struct loader *l);
int loader__add_server_exe(struct loader *l, uint64_t ino, uint32_t dev);
int loader__add_server(struct loader *l, uint32_t pid, uint64_t start_ticks, bool through_exec);

/* audit --enforce's programs: "lsm", "fmod_ret", or "none" (user/core/enforce.h). */
const char *loader__enforce_kind(const struct loader *l);

/* An attach's -errno in words: strerror's, or for the kernel's ENOTSUPP (no words in user
 * space's headers) what it means there: no trampolines on kernel functions (arm64 before 6.4). */
const char *loader__attach_strerror(int r);

/* The sum over CPUs of one enum ps_counter. Returns 0 or -errno. */
int loader__counter(struct loader *l, enum ps_counter c, uint64_t *ret_value);

#endif
