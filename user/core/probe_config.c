// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>
#include "fsinfo.h"
#include "probe_config.h"

static const char *const mode_names[] = {
	[MODE_AUTO] = "auto",
	[MODE_FENTRY] = "fentry",
	[MODE_KPROBE] = "kprobe",
	[MODE_TRACEPOINT] = "tracepoint",
};

const char *mode__name(enum ps_mode mode)
{
	return (unsigned int)mode <= MODE_TRACEPOINT ? mode_names[mode] : "?";
}

int mode__parse(const char *name, enum ps_mode *ret_mode)
{
	for (unsigned int m = 0; m <= MODE_TRACEPOINT; m++) {
		if (!strcmp(name, mode_names[m])) {
			*ret_mode = (enum ps_mode)m;
			return 0;
		}
	}
	return -EINVAL;
}

/* enum ps_op by name: trace's "op" field and its --op list. */
static const char *const op_names[] = {
	[PS_OP_READ] = "read",	       [PS_OP_WRITE] = "write",	      [PS_OP_CALL] = "call",
	[PS_OP_OPEN] = "open",	       [PS_OP_STALL] = "stall",	      [PS_OP_READDIR] = "readdir",
	[PS_OP_READLINK] = "readlink", [PS_OP_STAT] = "stat",	      [PS_OP_ATTACH] = "attach",
	[PS_OP_VM_READ] = "vm_read",   [PS_OP_VM_WRITE] = "vm_write", [PS_OP_GETFD] = "getfd",
	[PS_OP_MAP] = "map",
};

const char *op__name(unsigned int op)
{
	return op < sizeof(op_names) / sizeof(op_names[0]) && op_names[op] ? op_names[op] : "?";
}

uint32_t op__traceable_mask(const char *name, size_t len)
{
	if (len == 3 && !strncmp(name, "all", 3))
		return PS_TRACE_OPS_ALL;
	for (unsigned int op = 0; op < sizeof(op_names) / sizeof(op_names[0]); op++)
		if ((PS_TRACE_OPS_ALL & (1u << op)) && strlen(op_names[op]) == len &&
		    !strncmp(name, op_names[op], len))
			return 1u << op;
	return 0;
}

void probe_config__defaults(struct probe_config *pc)
{
	memset(pc, 0, sizeof(*pc));
	pc->mode = MODE_AUTO;
	pc->fs_mask = PS_FS_DEFAULT_MASK;
	pc->max_files = PS_DEFAULT_MAX_FILES;
	pc->ringbuf_kib = 1024;
	pc->ustack = PS_USTACK_WALK | PS_USTACK_COPY;
	pc->ustack_bytes = 8192; /* perf's --call-graph dwarf default */
}

void probe_config__rodata(const struct probe_config *pc, enum ps_mode mode, struct ps_config *ret_c)
{
	/* trace --min-stall sends stall events instead of the calls' */
	bool trace = probe_config__traces(pc) && !pc->min_stall_ns;

	memset(ret_c, 0, sizeof(*ret_c));
	ret_c->fs_mask = pc->fs_mask;
	ret_c->tgid = pc->tgid;
	ret_c->tid = pc->tid;
	ret_c->uid = pc->uid;
	ret_c->uid_set = pc->uid_set;
	memcpy(ret_c->comm, pc->comm, sizeof(ret_c->comm));
	ret_c->comm_set = pc->comm_set;
	ret_c->per_process = pc->per_process;
	ret_c->trace = trace;
	ret_c->errors_only = pc->errors_only;
	ret_c->min_lat_ns = pc->min_lat_ns;
	ret_c->stacks = probe_config__traces(pc) ? pc->stacks : 0;
	/* A stall's user stack is walked, not copied (bpf/trace.bpf.h, trace__stacks). */
	if (ret_c->stacks & PS_STACK_USER) {
		ret_c->ustack = pc->min_stall_ns ? PS_USTACK_WALK : pc->ustack;
		if (ret_c->ustack & PS_USTACK_COPY)
			ret_c->ustack_bytes = pc->ustack_bytes;
	}
	ret_c->event_size =
		sizeof(struct ps_event) + (ret_c->stacks ? sizeof(struct ps_stacks) : 0) +
		(ret_c->ustack_bytes ? sizeof(struct ps_ustack_copy) + ret_c->ustack_bytes : 0);
	/* Before 5.14 a kretprobe's stack stops at kretprobe_trampoline: take it at entry. */
	ret_c->entry_kstack = mode == MODE_KPROBE && (ret_c->stacks & PS_STACK_KERNEL);
	/* The reader is woken once an eighth of the ring buffer waits (see loader.c). */
	ret_c->wakeup_bytes = pc->ringbuf_kib * 1024u / 8;
	/* impact needs each read's entry: the reader's file while it holds the target's lock */
	ret_c->no_latency = pc->no_latency && !pc->impact;
	ret_c->audit_rules = pc->audit ? pc->audit_rules : 0;
	ret_c->enforce_rules = pc->audit ? pc->enforce_rules : 0;
	ret_c->enforce_dry_run = pc->enforce_dry_run;
	/* Audit and impact alone: nothing reads the file statistics, so leave them alone. */
	ret_c->skip_count = pc->use == USE_AUDIT || pc->use == USE_IMPACT || pc->min_stall_ns;
	ret_c->walks = probe_config__walks(pc);
	ret_c->trace_ops = (uint8_t)pc->trace_ops;
	ret_c->impact = pc->impact;
	ret_c->impact_tgid = pc->impact_tgid;
	ret_c->min_stall_ns = pc->min_stall_ns;
	/* the daemon's rows become series: no pids in them */
	ret_c->impact_by_comm = pc->impact && pc->use == USE_FUNCTION_COUNTERS;
}
