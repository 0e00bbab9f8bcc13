/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one configuration of what is attached and what the BPF programs filter: the option parser
 * fills it, the command says what it uses, the loader attaches by it, and probe_config__rodata
 * turns it into the programs' read-only struct ps_config. Owns the attach modes' names too.
 */
#ifndef PS_PROBE_CONFIG_H
#define PS_PROBE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "procscope.h"

enum ps_mode {
	MODE_AUTO, /* tries fentry, then kprobe, then tracepoint */
	MODE_FENTRY,
	MODE_KPROBE,
	MODE_TRACEPOINT,
};

const char *mode__name(enum ps_mode mode);
int mode__parse(const char *name, enum ps_mode *ret_mode);

/* The calls trace sends events for with --op (read, write, open, readdir, readlink, stat), and
 * by default. */
#define PS_TRACE_OPS_ALL                                                                         \
	((1u << PS_OP_READ) | (1u << PS_OP_WRITE) | (1u << PS_OP_OPEN) | (1u << PS_OP_READDIR) | \
	 (1u << PS_OP_READLINK) | (1u << PS_OP_STAT))
#define PS_TRACE_OPS_DEFAULT ((1u << PS_OP_READ) | (1u << PS_OP_WRITE))

/* The name of an enum ps_op ("read", "open", "stall"...). */
const char *op__name(unsigned int op);
/* The bit of a call kind trace --op takes, of @len bytes ("all": every one); 0 for another. */
uint32_t op__traceable_mask(const char *name, size_t len);

/* What a command needs attached. */
enum probe_use {
	USE_FILES,	       /* per-file statistics only (top) */
	USE_FUNCTION_COUNTERS, /* and the function hit counters (stat, daemon) */
	USE_TRACE,	       /* and trace events (trace) */
	USE_AUDIT,	       /* audit events alone (audit) */
	USE_IMPACT,	       /* what readers cost the processes they read (impact) */
};

struct probe_config {
	enum probe_use use; /* set by the command */
	enum ps_mode mode;  /* --mode */
	uint32_t fs_mask;   /* --fs: bit (1 << enum ps_fs) */
	uint32_t tgid;	    /* -p, 0: any */
	uint32_t tid;	    /* -t, 0: any */
	bool uid_set;
	uint32_t uid; /* -u */
	bool comm_set;
	char comm[PS_COMM_LEN]; /* -c */
	bool per_process;	/* --per-process: files keyed by process too */
	uint32_t max_files;	/* --max-files */
	char btf_path[256];	/* --btf, empty: the kernel's own */
	bool no_latency;	/* --no-latency: count at the return only */
	bool self_cost;		/* --self-cost: the kernel's accounting of the programs, on */
	/* trace */
	bool errors_only;      /* --errors-only */
	uint64_t min_lat_ns;   /* --min-lat */
	uint64_t min_stall_ns; /* --min-stall: stall events (needs impact) instead of calls */
	uint32_t trace_ops;    /* --op: bit (1 << enum ps_op) per kind of call; 0: not given */
	uint32_t ringbuf_kib;  /* --ringbuf-size: each ring buffer (trace, audit), a power of two */
	uint8_t stacks;	       /* -K, -U: PS_STACK_* with each event */
	uint8_t ustack;	       /* --ustack: PS_USTACK_* */
	uint32_t ustack_bytes; /* --ustack-bytes: copied with each user stack (PS_USTACK_COPY) */
	const char *funcs[PS_MAX_TRACED_FUNCS]; /* FUNC arguments: these kernel functions instead of
						   the pseudo-file hooks; point into argv */
	int nfuncs;
	/* audit (the audit command, or daemon --audit) */
	bool audit;
	uint32_t audit_rules; /* bit (1 << enum ps_rule): the rules at or above --severity */
	/* audit --enforce: bit (1 << enum ps_rule) per rule to deny (or, with enforce_dry_run,
	 * to report as denied), and the allowlist as the kernel matches it */
	uint32_t enforce_rules;
	bool enforce_dry_run;
	const struct ps_enforce_allow *enforce_allow;
	uint32_t enforce_allow_n;
	/* impact, daemon --impact: the mmap_lock tracepoints and impact's maps */
	bool impact;
	uint32_t impact_tgid; /* impact -p: only this target; 0: any */
};

void probe_config__defaults(struct probe_config *pc);

/* Whether the use attaches the per-call trace events (and so takes stacks and FUNCs). */
static inline bool probe_config__traces(const struct probe_config *pc)
{
	return pc->use == USE_TRACE;
}

/* Whether the use attaches the opens and listings (bpf/walk.bpf.h): the commands that show
 * per-file counts, and trace --op open or readdir. */
static inline bool probe_config__walks(const struct probe_config *pc)
{
	return pc->use == USE_FILES || pc->use == USE_FUNCTION_COUNTERS ||
	       (pc->use == USE_TRACE && !pc->nfuncs && !pc->min_stall_ns &&
		(pc->trace_ops & ((1u << PS_OP_OPEN) | (1u << PS_OP_READDIR) |
				  (1u << PS_OP_READLINK) | (1u << PS_OP_STAT))));
}

/* The BPF programs' configuration for @pc in attach mode @mode (not MODE_AUTO). */
void probe_config__rodata(const struct probe_config *pc, enum ps_mode mode,
			  struct ps_config *ret_c);

#endif
