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
#include "options.h"
#include "snapshot.h"

struct loader;

struct loader_config {
	uint32_t fs_mask;
	uint32_t tgid;
	char comm[PS_COMM_LEN];
	bool comm_set;
	bool per_process;
	uint32_t max_files;
	enum ps_mode mode;	/* MODE_AUTO tries each in turn */
	bool function_counters; /* attach the hooks that only count function hits */
	const char *btf_path;	/* --btf: the kernel's types from a file, NULL: the kernel's */
	uint32_t tid;		/* 0: any */
	bool uid_set;
	uint32_t uid;
	/* trace: an event per call, through a ring buffer of ringbuf_kib KiB */
	bool trace;
	bool errors_only;
	uint64_t min_lat_ns;
	uint32_t ringbuf_kib;
	uint8_t stacks;	 /* PS_STACK_*: stacks with each event */
	bool no_latency; /* count at the return only */
	/* audit: bit (1 << enum ps_rule) per rule, through a ring buffer of audit_ringbuf_kib KiB
	 */
	uint32_t audit_rules;
	uint32_t audit_ringbuf_kib;
	bool skip_count; /* audit alone: no per-file statistics */
	/* trace FUNC...: these kernel functions instead of the pseudo-file hooks */
	const char *const *funcs;
	int nfuncs;
};

/*
 * Loads and attaches. Returns 0 with *ret_loader set, or -errno with one line in @err saying what
 * failed and why (the modes tried, for auto).
 */
int loader__open(const struct loader_config *cfg, struct loader **ret_loader, char *err,
		 size_t errlen);
void loader__destroy(struct loader *l);

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

/* Called for each trace event, with its stacks when they were asked for (NULL otherwise); a
 * non-zero return stops the current poll. */
typedef int (*loader_event_fn)(void *ctx, const struct ps_event *e, const struct ps_stacks *st);

/* Starts consuming trace events (config.trace must have been set). Returns 0 or -errno. */
int loader__events_open(struct loader *l, loader_event_fn fn, void *ctx);
/* Waits up to @timeout_ms and handles the events that came. Returns their number or -errno. */
int loader__events_poll(struct loader *l, int timeout_ms);
/* Called for each audit event; a non-zero return stops the current poll. */
typedef int (*loader_audit_fn)(void *ctx, const struct ps_audit_event *e);

/* Starts consuming audit events (config.audit_rules must have been set); loader__events_poll
 * then handles them too. Returns 0 or -errno. */
int loader__audit_open(struct loader *l, loader_audit_fn fn, void *ctx);

/* The sum over CPUs of one enum ps_counter. Returns 0 or -errno. */
int loader__counter(struct loader *l, enum ps_counter c, uint64_t *ret_value);

#endif
