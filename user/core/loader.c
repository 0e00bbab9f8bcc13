// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "util/clock.h"
#include "enforce.h"
#include "func_probe.h"
#include "kprobe.h"
#include "loader.h"
#include "pathfmt.h"
#include "procscope.skel.h"

#define MAX_LINKS 64
#define MAX_WARNINGS 32
#define WARNING_LEN 192

/* Which program serves which kernel function in which mode: PS_HOOKS (procscope.h). */
static const struct hook_def {
	const char *function;
	const char *renamed; /* "" or the function's name in kernels that renamed it */
	enum ps_hook hook;
	enum ps_accounting accounting; /* not NONE: its fexit / kretprobe program counts per file */
	bool required;
} hook_defs[] = {
#define HOOK_DEF(NAME, function, renamed, accounting, required) \
	{ PS_STR(function), PS_STR(renamed), PS_HOOK_##NAME, accounting, required },
	PS_HOOKS(HOOK_DEF)
#undef HOOK_DEF
};

/* The system-call programs of the tracepoint mode (bpf/syscalls.bpf.c), and the ones each reaches
 * by tail call for opens and listings (through walk_enter_call, walk_exit_call). */
static const char *const tracepoint_programs[] = { "tp__sys_enter", "tp__sys_exit" };
#define WALK_CALLS 3u
static const char *const walk_call_programs[2][WALK_CALLS] = {
	{ "tp__walk_enter", "tp__name_enter", "tp__fd_enter" }, /* walk_enter_call[0..2] */
	{ "tp__walk_exit", "tp__name_exit", "tp__fd_exit" },	/* walk_exit_call[0..2] */
};

struct loader {
	struct procscope_bpf *skel;
	struct ring_buffer *events; /* trace and audit events, one poll for both */
	loader_event_fn on_event;
	void *event_ctx;
	loader_audit_fn on_audit;
	void *audit_ctx;
	enum ps_mode mode;
	bool impact; /* impact's maps are read into snapshots */
	struct bpf_link *links[MAX_LINKS];
	int nlinks;
	bool fn_available[PS_HOOK_COUNT];
	const char *attach_to[PS_HOOK_COUNT]; /* the hook's function by the kernel's name */
	char warnings[MAX_WARNINGS][WARNING_LEN];
	int nwarnings;
	int ncpus;
	struct ps_file_stats *percpu; /* ncpus values, for map reads */
	/* The counting maps as user space knows them (read_files): the key of each slot of
	 * file_slots, whether BPF published it, and how many publications that copy holds. */
	uint32_t max_files;
	struct ps_file_key *slot_keys;
	uint8_t *slot_live;
	uint32_t slots_seen;
	uint32_t slots_end; /* one past the highest published slot */
	bool no_batch; /* the kernel has no batched lookups for these maps: one key at a time */
	struct ps_file_stats *chunk; /* FILE_CHUNK slots x ncpus: one batched read of file_stats */
	struct func_probe *funcs[PS_MAX_TRACED_FUNCS]; /* trace FUNC: one object per function */
	int nfuncs;
	int stats_fd; /* --self-cost: BPF_ENABLE_STATS, held while the statistics are wanted; -1 */
	/* why sysctl writes' values will not come (bpf/sysctl.bpf.c), "" when they will */
	char sysctl_missing[160];
	enum enforce_kind enforce; /* audit --enforce's programs (user/core/enforce.h) */
};

__attribute__((format(printf, 2, 3))) static void warn(struct loader *l, const char *fmt, ...)
{
	char *slot;
	va_list ap;

	if (l->nwarnings >= MAX_WARNINGS)
		return;
	slot = l->warnings[l->nwarnings++];
	va_start(ap, fmt);
	vsnprintf(slot, WARNING_LEN, fmt, ap);
	va_end(ap);
}

static void detach_all(struct loader *l)
{
	ring_buffer__free(l->events);
	l->events = NULL;
	for (int i = 0; i < l->nlinks; i++)
		bpf_link__destroy(l->links[i]);
	l->nlinks = 0;
	for (int i = 0; i < l->nfuncs; i++)
		func_probe__destroy(l->funcs[i]);
	l->nfuncs = 0;
	procscope_bpf__destroy(l->skel);
	l->skel = NULL;
	memset(l->fn_available, 0, sizeof(l->fn_available));
	l->nwarnings = 0;
}

static struct bpf_program *program_of(struct loader *l, const char *kind, const char *function)
{
	char name[128];

	snprintf(name, sizeof(name), "%s__%s", kind, function);
	return bpf_object__find_program_by_name(l->skel->obj, name);
}

static int attach_program(struct loader *l, struct bpf_program *prog)
{
	struct bpf_link *link;

	if (l->nlinks >= MAX_LINKS)
		return -E2BIG;
	link = bpf_program__attach(prog);
	if (!link)
		return -errno;
	l->links[l->nlinks++] = link;
	return 0;
}

/* --btf's file, NULL for the kernel's own types. */
static const char *btf_file(const struct probe_config *cfg)
{
	return cfg->btf_path[0] ? cfg->btf_path : NULL;
}

/*
 * Whether calls in flight can live in task-local storage: the map type (5.11) and its helper
 * allowed in the tracing program types, which share one helper table (raw tracepoints stand for
 * them all: loading one needs neither kprobes nor tracefs). Probed once per process.
 */
static bool task_storage_usable(void)
{
	static int usable = -1;

	if (usable < 0)
		usable = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_TASK_STORAGE, NULL) == 1 &&
			 libbpf_probe_bpf_helper(BPF_PROG_TYPE_RAW_TRACEPOINT,
						 BPF_FUNC_task_storage_get, NULL) == 1;
	return usable;
}

/* Per-CPU LRU lists share max_entries out evenly (bpf/maps.bpf.h). */
uint32_t loader__scratch_entries(void)
{
	int cpus = libbpf_num_possible_cpus();

	return PS_SCRATCH_PER_CPU * (uint32_t)(cpus > 0 ? cpus : 1);
}

static void configure(struct loader *l, const struct probe_config *cfg, enum ps_mode mode)
{
	struct ps_config *c = (struct ps_config *)&l->skel->rodata->cfg;

	probe_config__rodata(cfg, mode, c);
	c->self_tgid = (uint32_t)getpid();
	/* The inflight hash map keeps its size either way: a thread whose task storage the kernel
	 * would not create falls back to it (bpf/inflight.bpf.h). */
	c->task_inflight = task_storage_usable();
	if (!c->task_inflight)
		bpf_map__set_autocreate(l->skel->maps.task_inflight, false);
	if (c->entry_kstack)
		bpf_map__set_max_entries(l->skel->maps.entry_stacks, PS_INFLIGHT_MAX);
	bpf_map__set_max_entries(l->skel->maps.file_slots, cfg->max_files);
	bpf_map__set_max_entries(l->skel->maps.file_stats, cfg->max_files);
	bpf_map__set_max_entries(l->skel->maps.free_slots, cfg->max_files);
	bpf_map__set_max_entries(l->skel->maps.idents, cfg->max_files * PS_IDENTS_PER_FILE);
	bpf_map__set_max_entries(l->skel->maps.key_scratch, loader__scratch_entries());
	/* A page when not tracing: the map must exist for the programs to load. */
	bpf_map__set_max_entries(l->skel->maps.events, c->trace || c->min_stall_ns
							       ? cfg->ringbuf_kib * 1024u
							       : (uint32_t)getpagesize());
	bpf_map__set_max_entries(l->skel->maps.audit_events, c->audit_rules
								     ? cfg->ringbuf_kib * 1024u
								     : (uint32_t)getpagesize());
}

static const char *entry_kind(enum ps_mode mode)
{
	return mode == MODE_FENTRY ? "fentry" : "kprobe";
}

static const char *return_kind(enum ps_mode mode)
{
	return mode == MODE_FENTRY ? "fexit" : "kretprobe";
}

#define HOOK_COUNT (sizeof(hook_defs) / sizeof(hook_defs[0]))

/* The audit's doors that are system calls: their entry points, and the access check that names
 * their target (bpf/audit.bpf.c). */
static const char *const door_functions[] = { PS_STR(PS_SYS(ptrace)),
					      PS_STR(PS_SYS(process_vm_readv)),
					      PS_STR(PS_SYS(process_vm_writev)),
					      PS_STR(PS_SYS(pidfd_getfd)) };
#define DOOR_FUNCTIONS (sizeof(door_functions) / sizeof(door_functions[0]))
#define DOOR_CHECK "__ptrace_may_access"

/*
 * What the modes need to know of the kernel's BTF, read from it once. The parsed types (some
 * MiB of heap) can then be freed before libbpf parses the same BTF for the load, which reuses
 * their pages: a fresh page is a page fault, and the two parses' faults were half of the start
 * time here (docs/benchmarks.md).
 */
struct kernel_funcs {
	int vfs_read_id;	      /* BTF id of vfs_read's FUNC, <= 0 when it has none */
	bool hook[HOOK_COUNT];	      /* the hook's function is in the BTF ... */
	const char *name[HOOK_COUNT]; /* ... by this name (the table's when it is not) */
	bool fd_install;
	bool ptrace_check; /* __ptrace_may_access, the audit's doors' access check */
	/* the door system calls' entry points (door_functions) that fentry can read: their
	 * argument is a complete struct pt_regs in the BTF (in 5.10's, process_vm_readv/writev's
	 * is only declared, and the verifier refuses an fentry program's access to it) */
	bool door_fentry[DOOR_FUNCTIONS];
	/* arguments of the mmap_lock_start_locking tracepoint (the mm, a memcg path on older
	 * kernels, write); 0: the kernel has no mmap_lock tracepoints (before 5.11) */
	int mmap_lock_args;
};

/* The number of arguments of raw tracepoint @name (its btf_trace_ typedef), 0 when absent. */
static int tracepoint_args(const struct btf *btf, const char *name)
{
	char typedef_name[128];
	const struct btf_type *t;
	int id;

	snprintf(typedef_name, sizeof(typedef_name), "btf_trace_%s", name);
	id = btf__find_by_name_kind(btf, typedef_name, BTF_KIND_TYPEDEF);
	if (id <= 0)
		return 0;
	t = btf__type_by_id(btf, btf__type_by_id(btf, (__u32)id)->type); /* the pointer */
	t = t && btf_is_ptr(t) ? btf__type_by_id(btf, t->type) : NULL;
	/* the first argument is the tracepoint's own data pointer */
	return t && btf_is_func_proto(t) && btf_vlen(t) > 0 ? btf_vlen(t) - 1 : 0;
}

/* Whether the first argument of function @name is a pointer to a complete struct in @btf: what
 * an fentry program may read. */
static bool first_arg_is_struct(const struct btf *btf, const char *name)
{
	int id = btf__find_by_name_kind(btf, name, BTF_KIND_FUNC);
	const struct btf_type *t =
		id > 0 ? btf__type_by_id(btf, btf__type_by_id(btf, id)->type) : NULL;

	return t && btf_is_func_proto(t) && btf_vlen(t) >= 1 &&
	       func_probe__pointed_struct(btf, btf_params(t)[0].type);
}

static void kernel_funcs__read(const struct btf *btf, struct kernel_funcs *ret)
{
	ret->vfs_read_id = btf__find_by_name_kind(btf, "vfs_read", BTF_KIND_FUNC);
	for (size_t i = 0; i < HOOK_COUNT; i++) {
		const struct hook_def *h = &hook_defs[i];

		ret->name[i] = h->function;
		ret->hook[i] = btf__find_by_name_kind(btf, h->function, BTF_KIND_FUNC) > 0;
		if (!ret->hook[i] && h->renamed[0] &&
		    btf__find_by_name_kind(btf, h->renamed, BTF_KIND_FUNC) > 0) {
			ret->name[i] = h->renamed;
			ret->hook[i] = true;
		}
	}
	ret->fd_install = btf__find_by_name_kind(btf, "fd_install", BTF_KIND_FUNC) > 0;
	ret->ptrace_check = btf__find_by_name_kind(btf, DOOR_CHECK, BTF_KIND_FUNC) > 0;
	for (size_t i = 0; i < DOOR_FUNCTIONS; i++)
		ret->door_fentry[i] = first_arg_is_struct(btf, door_functions[i]);
	ret->mmap_lock_args = tracepoint_args(btf, "mmap_lock_start_locking");
}

/* impact's programs on the mmap_lock tracepoints (bpf/impact.bpf.c). */
static const char *const impact_programs[] = { "tp__mmap_start", "tp__mmap_acquired",
					       "tp__mmap_released" };
#define IMPACT_PROGRAMS (sizeof(impact_programs) / sizeof(impact_programs[0]))

/* Sizes of impact's maps when in use (one entry each otherwise). */
#define IMPACT_ROWS 4096
#define IMPACT_TARGETS 4096
#define IMPACT_THREADS 16384 /* readers holding, target threads waiting */

static void configure_impact(struct loader *l, const struct kernel_funcs *kf)
{
	l->skel->rodata->cfg.mmap_lock_memcg_arg = kf->mmap_lock_args > 2;
	bpf_map__set_max_entries(l->skel->maps.impact_rows, IMPACT_ROWS + 1); /* + [other] */
	bpf_map__set_max_entries(l->skel->maps.impact_reads, IMPACT_ROWS * 4);
	bpf_map__set_max_entries(l->skel->maps.impact_targets, IMPACT_TARGETS);
	bpf_map__set_max_entries(l->skel->maps.impact_mms, IMPACT_TARGETS);
	bpf_map__set_max_entries(l->skel->maps.impact_holding, IMPACT_THREADS);
	bpf_map__set_max_entries(l->skel->maps.impact_waiting, IMPACT_THREADS);
	for (size_t i = 0; i < IMPACT_PROGRAMS; i++)
		bpf_program__set_autoload(
			bpf_object__find_program_by_name(l->skel->obj, impact_programs[i]), true);
}

/* The row that takes what finds impact_rows full (bpf/impact.bpf.h): made before anything can
 * fill the map. */
static int make_impact_other_row(struct loader *l, char *err, size_t errlen)
{
	struct ps_impact_key key = { .file_slot = PS_SLOT_NONE };
	struct ps_impact_stats zero = { 0 };

	memcpy(key.reader_comm, PS_IMPACT_OTHER, sizeof(PS_IMPACT_OTHER));
	if (!bpf_map_update_elem(bpf_map__fd(l->skel->maps.impact_rows), &key, &zero, BPF_NOEXIST))
		return 0;
	snprintf(err, errlen, "cannot make impact's [other] row: %s", strerror(errno));
	return -errno;
}

static int attach_impact_programs(struct loader *l, char *err, size_t errlen)
{
	for (size_t i = 0; i < IMPACT_PROGRAMS; i++) {
		struct bpf_program *p =
			bpf_object__find_program_by_name(l->skel->obj, impact_programs[i]);
		int r = attach_program(l, p);

		if (r) {
			snprintf(err, errlen, "cannot attach %s: %s", bpf_program__section_name(p),
				 loader__attach_strerror(r));
			return r;
		}
	}
	return 0;
}

/* Loads @prog, a fentry or fexit program bound to the function by the kernel's @name. */
static void select_hook_program(struct loader *l, struct bpf_program *prog, const char *name)
{
	bpf_program__set_autoload(prog, true);
	if (l->mode == MODE_FENTRY)
		bpf_program__set_attach_target(prog, 0, name);
}

/* Chooses the programs of a function mode: all of a hook's programs, or none of them. */
static int select_function_programs(struct loader *l, const struct probe_config *cfg,
				    enum ps_mode mode, const struct kernel_funcs *kf, char *err,
				    size_t errlen)
{
	for (size_t i = 0; i < HOOK_COUNT; i++) {
		const struct hook_def *h = &hook_defs[i];
		bool has_return = h->accounting != PS_ACCT_NONE;

		/* Hooks that only count hits cost an attach each (a trampoline update in the
		 * fentry mode): commands that show no function counters skip them. */
		if (!has_return && cfg->use != USE_FUNCTION_COUNTERS)
			continue;
		if (h->accounting == PS_ACCT_WALK && !probe_config__walks(cfg))
			continue;
		if (mode == MODE_FENTRY && !kf->hook[i]) {
			if (h->required) {
				snprintf(err, errlen, "%s is not in the kernel's BTF", h->function);
				return -ENOENT;
			}
			warn(l, "%s is not in the kernel's BTF: its counter is unavailable",
			     h->function);
			continue;
		}
		l->attach_to[h->hook] = kf->name[i];
		/* Without latency, a read's or write's return that has the file (fexit) needs no
		 * entry; an open needs its entry for the name, a listing for its buffer. */
		if (!(h->accounting == PS_ACCT_RW && cfg->no_latency && mode == MODE_FENTRY))
			select_hook_program(l, program_of(l, entry_kind(mode), h->function),
					    kf->name[i]);
		if (has_return)
			select_hook_program(l, program_of(l, return_kind(mode), h->function),
					    kf->name[i]);
	}
	return 0;
}

/* The audit's sysctl values (bpf/sysctl.bpf.c), for the sysctl rules, where a cgroup/sysctl
 * program can tell the writing thread (6.1 and later); attached by loader__sysctl_attach. */
static void select_audit_sysctl(struct loader *l, const struct probe_config *cfg)
{
	uint32_t rules = (1u << PS_RULE_SYSCTL_WRITE) | (1u << PS_RULE_SYSCTL_WEAKENED);

	if (!cfg->audit || !(cfg->audit_rules & rules))
		return;
	if (libbpf_probe_bpf_helper(BPF_PROG_TYPE_CGROUP_SYSCTL, BPF_FUNC_get_current_pid_tgid,
				    NULL) <= 0) {
		snprintf(l->sysctl_missing, sizeof(l->sysctl_missing),
			 "this kernel's cgroup/sysctl programs cannot tell the writing thread "
			 "(Linux 6.1 and later can)");
		return;
	}
	bpf_program__set_autoload(l->skel->progs.cgroup__sysctl, true);
}

int loader__sysctl_attach(struct loader *l, const char *cgroup_dir)
{
	struct bpf_program *p = l->skel->progs.cgroup__sysctl;
	struct bpf_link *link;
	int fd, r = 0;

	if (!bpf_program__autoload(p))
		return l->sysctl_missing[0] ? -EOPNOTSUPP : 0;
	if (l->nlinks >= MAX_LINKS)
		return -E2BIG;
	fd = cgroup_dir ? open(cgroup_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	link = fd >= 0 ? bpf_program__attach_cgroup(p, fd) : NULL;
	if (!link)
		r = cgroup_dir ? -errno : -ENOENT;
	if (fd >= 0)
		close(fd);
	if (r) {
		snprintf(l->sysctl_missing, sizeof(l->sysctl_missing),
			 "the cgroup/sysctl program could not attach to %s: %s",
			 cgroup_dir ? cgroup_dir : "a cgroup2 mount (none found)", strerror(-r));
		return r;
	}
	l->links[l->nlinks++] = link;
	return 0;
}

const char *loader__sysctl_missing(const struct loader *l)
{
	return l->sysctl_missing[0] ? l->sysctl_missing : NULL;
}

/* The audit's opens (bpf/audit.bpf.c): only the mem rule needs them. */
static bool audit_opens(const struct probe_config *cfg)
{
	return cfg->audit && (cfg->audit_rules & (1u << PS_RULE_MEM_ACCESS));
}

static void select_audit_open(struct loader *l, const struct probe_config *cfg, enum ps_mode mode,
			      const struct kernel_funcs *kf)
{
	if (!audit_opens(cfg))
		return;
	if (mode == MODE_FENTRY && !kf->fd_install) {
		warn(l, "fd_install is not in the kernel's BTF: opens of /proc/PID/mem are not "
			"audited, only its reads and writes");
		return;
	}
	bpf_program__set_autoload(program_of(l, entry_kind(mode), "fd_install"), true);
}

static void attach_audit_open(struct loader *l, enum ps_mode mode)
{
	struct bpf_program *p = program_of(l, entry_kind(mode), "fd_install");
	int r;

	if (!bpf_program__autoload(p))
		return;
	r = attach_program(l, p);
	if (r)
		warn(l,
		     "cannot attach to fd_install (%s): opens of /proc/PID/mem are not audited, "
		     "only its reads and writes",
		     strerror(-r));
}

/* The recon-read rule's list of the processes that serve the network (bpf/audit.bpf.c):
 * tracepoints with BTF, the same in every mode. */
static const char *const listener_programs[] = { "tp__listen", "tp__listener_fork",
						 "tp__listener_exec" };

static bool audit_recon(const struct probe_config *cfg)
{
	return cfg->audit && (cfg->audit_rules & (1u << PS_RULE_RECON_READ));
}

static void select_audit_recon(struct loader *l, const struct probe_config *cfg)
{
	for (size_t i = 0; i < sizeof(listener_programs) / sizeof(listener_programs[0]); i++)
		bpf_program__set_autoload(
			bpf_object__find_program_by_name(l->skel->obj, listener_programs[i]),
			audit_recon(cfg));
}

/* A rule without its list of servers would fire on nothing: any failure is the run's. */
static int attach_audit_recon(struct loader *l, char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof(listener_programs) / sizeof(listener_programs[0]); i++) {
		struct bpf_program *p =
			bpf_object__find_program_by_name(l->skel->obj, listener_programs[i]);
		int r;

		if (!bpf_program__autoload(p))
			continue;
		r = attach_program(l, p);
		if (r) {
			snprintf(
				err, errlen,
				"cannot attach %s for the recon-read rule: %s (--severity critical "
				"runs without it)",
				bpf_program__section_name(p), strerror(-r));
			return r;
		}
	}
	return 0;
}

/* trace -U's copies of the stack need the libraries' places after their process is gone: the
 * executable mappings, as they are made (bpf/syscalls.bpf.c, tp__ustack_mmap), in every mode. */
static bool ustack_maps(const struct probe_config *cfg)
{
	return probe_config__traces(cfg) && !cfg->min_stall_ns && (cfg->stacks & PS_STACK_USER) &&
	       (cfg->ustack & PS_USTACK_COPY);
}

static int attach_ustack_maps(struct loader *l, char *err, size_t errlen)
{
	struct bpf_program *p = l->skel->progs.tp__ustack_mmap;
	int r;

	if (!bpf_program__autoload(p))
		return 0;
	r = attach_program(l, p);
	if (r)
		snprintf(err, errlen,
			 "cannot attach %s to follow the libraries user stacks are unwound "
			 "through: %s (--ustack=fp needs it not)",
			 bpf_program__section_name(p), strerror(-r));
	return r;
}

bool loader__recon(const struct loader *l)
{
	return bpf_program__autoload(l->skel->progs.tp__listen);
}

int loader__add_server(struct loader *l, uint32_t pid, uint64_t start_ticks, bool through_exec)
{
	struct ps_server s = { .start = start_ticks, .through_exec = through_exec };

	return bpf_map_update_elem(bpf_map__fd(l->skel->maps.servers), &pid, &s, BPF_ANY) ? -errno
											  : 0;
}

int loader__add_server_exe(struct loader *l, uint64_t ino, uint32_t dev)
{
	struct ps_exe_id id = { .ino = ino, .dev = dev };
	uint8_t one = 1;

	return bpf_map_update_elem(bpf_map__fd(l->skel->maps.server_exes), &id, &one, BPF_ANY)
		       ? -errno
		       : 0;
}

/* audit --enforce (bpf/enforce.bpf.c): the hook of files when a file rule is enforced, that of
 * one process inspecting another when a door is, of the kind picked in loader__open. */
static const char *const enforce_hooks[] = { "file_permission", "ptrace_access_check" };

static struct bpf_program *enforce_program(struct loader *l, size_t hook)
{
	char name[96];

	snprintf(name, sizeof(name), "%s__%s%s", enforce__name(l->enforce),
		 l->enforce == ENFORCE_FMOD_RET ? "security_" : "", enforce_hooks[hook]);
	return bpf_object__find_program_by_name(l->skel->obj, name);
}

static void select_enforce(struct loader *l, const struct probe_config *cfg)
{
	uint32_t doors = 0;

	if (!cfg->enforce_rules)
		return;
	for (unsigned int r = PS_RULE_NONE + 1; r < PS_RULE_COUNT; r++)
		if (PS_RULE_IS_DOOR(r))
			doors |= 1u << r;
	bpf_program__set_autoload(enforce_program(l, 0), (cfg->enforce_rules & ~doors) != 0);
	bpf_program__set_autoload(enforce_program(l, 1), (cfg->enforce_rules & doors) != 0);
	if (cfg->enforce_allow_n)
		memcpy(l->skel->bss->enforce_allow, cfg->enforce_allow,
		       cfg->enforce_allow_n * sizeof(*cfg->enforce_allow));
	l->skel->bss->enforce_allow_n = cfg->enforce_allow_n;
}

/* Last, once the returns that report the refused accesses are attached. */
static int attach_enforce(struct loader *l, char *err, size_t errlen)
{
	for (size_t i = 0; l->enforce && i < sizeof(enforce_hooks) / sizeof(enforce_hooks[0]);
	     i++) {
		struct bpf_program *p = enforce_program(l, i);
		int r;

		if (!bpf_program__autoload(p))
			continue;
		r = attach_program(l, p);
		if (r) {
			snprintf(err, errlen, "--enforce: cannot attach %s: %s",
				 bpf_program__section_name(p), loader__attach_strerror(r));
			return r;
		}
	}
	return 0;
}

const char *loader__enforce_kind(const struct loader *l)
{
	return enforce__name(l->enforce);
}

/*
 * The audit's doors that are system calls (bpf/audit.bpf.c): in the function modes the programs
 * at their entry points, and at the access check that names their target and says whether it
 * was refused; in the tracepoint mode, sys_enter and sys_exit (chosen with the mode's programs).
 */

static bool audit_doors(const struct probe_config *cfg)
{
	uint32_t doors = 0;

	for (unsigned int r = 0; r < PS_RULE_COUNT; r++)
		if (PS_RULE_IS_DOOR(r))
			doors |= 1u << r;
	return cfg->audit && (cfg->audit_rules & doors);
}

static void select_audit_doors(struct loader *l, const struct probe_config *cfg, enum ps_mode mode,
			       const struct kernel_funcs *kf)
{
	struct ps_config *c = (struct ps_config *)&l->skel->rodata->cfg;

	c->doors = PS_DOORS_OFF;
	if (!audit_doors(cfg))
		return;
	if (mode == MODE_TRACEPOINT) {
		c->doors = PS_DOORS_SYSCALL;
		return;
	}
	for (size_t i = 0; i < DOOR_FUNCTIONS; i++) {
		/* kprobes where fentry cannot read the entry point's argument */
		enum ps_mode m = mode == MODE_FENTRY && !kf->door_fentry[i] ? MODE_KPROBE : mode;

		bpf_program__set_autoload(program_of(l, entry_kind(m), door_functions[i]), true);
		bpf_program__set_autoload(program_of(l, return_kind(m), door_functions[i]), true);
	}
	if (!kf->ptrace_check) {
		/* as in the tracepoint mode */
		warn(l, DOOR_CHECK
		     " is not in the kernel's BTF: the targets of ptrace, process_vm_readv/writev "
		     "and pidfd_getfd are looked up by the numbers their callers gave, and a "
		     "refusal "
		     "is seen as the call's EPERM");
		c->doors = PS_DOORS_SYSCALL;
		return;
	}
	c->doors = PS_DOORS_CHECKED;
	if (mode == MODE_KPROBE)
		bpf_program__set_autoload(program_of(l, "kprobe", DOOR_CHECK), true);
	bpf_program__set_autoload(program_of(l, return_kind(mode), DOOR_CHECK), true);
}

/* Attaches the doors' programs chosen above: a door missed would be a door unwatched, so any
 * that does not attach is an error. */
static int attach_audit_doors(struct loader *l, char *err, size_t errlen)
{
	static const char *const kinds[] = { "fentry", "fexit", "kprobe", "kretprobe" };
	const char *functions[DOOR_FUNCTIONS + 1] = { DOOR_CHECK };

	memcpy(&functions[1], door_functions, sizeof(door_functions));
	for (size_t f = 0; f <= DOOR_FUNCTIONS; f++) {
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			struct bpf_program *p = program_of(l, kinds[k], functions[f]);
			int r;

			if (!p || !bpf_program__autoload(p))
				continue;
			r = attach_program(l, p);
			if (r) {
				snprintf(err, errlen, "cannot attach %s for the audit: %s",
					 bpf_program__section_name(p), strerror(-r));
				return r;
			}
		}
	}
	return 0;
}

/* Attaches a hook's program to the function by the kernel's @name: a kprobe by that name, not
 * its section's (fentry programs were bound to it before the load). */
static int attach_hook_program(struct loader *l, struct bpf_program *prog, bool retprobe,
			       const char *name)
{
	struct bpf_link *link;

	if (l->mode == MODE_FENTRY)
		return attach_program(l, prog);
	if (l->nlinks >= MAX_LINKS)
		return -E2BIG;
	link = kprobe__attach(prog, retprobe, name);
	if (!link)
		return -errno;
	l->links[l->nlinks++] = link;
	return 0;
}

/* The kernel's own ENOTSUPP (include/linux/errno.h), which user-space headers lack. */
#define KERNEL_ENOTSUPP 524

const char *loader__attach_strerror(int r)
{
	if (r == -KERNEL_ENOTSUPP)
		return "the kernel has no trampolines for its functions (arm64 has them from Linux "
		       "6.4)";
	return strerror(-r);
}

/* Attaches a function mode's programs: return probes first, so no entry is left unmatched. */
static int attach_function_programs(struct loader *l, enum ps_mode mode, char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof(hook_defs) / sizeof(hook_defs[0]); i++) {
		const struct hook_def *h = &hook_defs[i];
		struct bpf_program *entry = program_of(l, entry_kind(mode), h->function);
		struct bpf_program *ret = h->accounting != PS_ACCT_NONE
						  ? program_of(l, return_kind(mode), h->function)
						  : NULL;
		int first = l->nlinks, r = 0;

		if (!bpf_program__autoload(entry) && !(ret && bpf_program__autoload(ret)))
			continue;
		if (ret && bpf_program__autoload(ret))
			r = attach_hook_program(l, ret, true, l->attach_to[h->hook]);
		if (!r && bpf_program__autoload(entry))
			r = attach_hook_program(l, entry, false, l->attach_to[h->hook]);
		if (!r) {
			l->fn_available[h->hook] = true;
			continue;
		}
		if (h->required) {
			snprintf(err, errlen, "cannot attach %s to %s: %s", entry_kind(mode),
				 h->function, loader__attach_strerror(r));
			return r;
		}
		while (l->nlinks > first)
			bpf_link__destroy(l->links[--l->nlinks]);
		warn(l, "cannot attach to %s (%s): its counter is unavailable", h->function,
		     strerror(-r));
	}
	return 0;
}

/* The tail calls' targets into their arrays, before anything attaches: an empty slot would make
 * the call fall through, uncounted. */
static int fill_walk_calls(struct loader *l, char *err, size_t errlen)
{
	struct bpf_map *arrays[] = { l->skel->maps.walk_enter_call, l->skel->maps.walk_exit_call };

	for (__u32 i = 0; i < 2 * WALK_CALLS; i++) {
		struct bpf_program *p = bpf_object__find_program_by_name(
			l->skel->obj, walk_call_programs[i / WALK_CALLS][i % WALK_CALLS]);
		int fd = bpf_program__fd(p);
		__u32 idx = i % WALK_CALLS;

		if (fd < 0)
			continue; /* not loaded: opens and listings are not counted */
		if (bpf_map_update_elem(bpf_map__fd(arrays[i / WALK_CALLS]), &idx, &fd, BPF_ANY)) {
			snprintf(err, errlen,
				 "cannot fill the tail calls of opens and listings: %s",
				 strerror(errno));
			return -errno;
		}
	}
	return 0;
}

static int attach_tracepoint_programs(struct loader *l, char *err, size_t errlen)
{
	int r = fill_walk_calls(l, err, errlen);

	if (r)
		return r;
	for (size_t i = 0; i < 2; i++) {
		struct bpf_program *p =
			bpf_object__find_program_by_name(l->skel->obj, tracepoint_programs[i]);

		if (!bpf_program__autoload(p))
			continue;
		r = attach_program(l, p);
		if (r) {
			snprintf(err, errlen, "cannot attach %s: %s", bpf_program__section_name(p),
				 loader__attach_strerror(r));
			return r;
		}
	}
	return 0;
}

/* trace FUNC...: one probe object per function, writing into this object's ring buffer. */
static int open_traced_functions(struct loader *l, const struct probe_config *cfg,
				 enum ps_mode mode, const struct btf *vmlinux_btf, char *err,
				 size_t errlen)
{
	struct ps_config base;

	probe_config__rodata(cfg, mode, &base);
	for (int i = 0; i < cfg->nfuncs; i++) {
		int r = func_probe__open(cfg->funcs[i], (uint32_t)i, mode, &base, vmlinux_btf,
					 btf_file(cfg), bpf_map__fd(l->skel->maps.events),
					 bpf_map__fd(l->skel->maps.counters), &l->funcs[i], err,
					 errlen);

		if (r)
			return r;
		l->nfuncs = i + 1;
	}
	return 0;
}

/*
 * Whether the kernel loads an fentry program at all: a two-instruction program for vfs_read.
 * Learning the same from the whole object costs a CO-RE pass over it, which parses the kernel's
 * BTF once more (tens of milliseconds of startup) only to be refused.
 */
static int probe_fentry(const struct probe_config *cfg, const struct kernel_funcs *kf)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd;

	if (cfg->btf_path[0])
		return -EOPNOTSUPP; /* a type id from a file means nothing to the kernel */
	if (kf->vfs_read_id <= 0)
		return -ENOENT;
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY,
		    .attach_btf_id = (__u32)kf->vfs_read_id);
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, NULL, "GPL", insns, 2, &opts);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static bool kprobes_supported(void)
{
	/* The kprobe PMU (4.17+) is what libbpf attaches through; without it there is only the
	 * legacy tracefs interface, which exists only where CONFIG_KPROBES does too. */
	return access("/sys/bus/event_source/devices/kprobe/type", F_OK) == 0 ||
	       access("/sys/kernel/tracing/kprobe_events", F_OK) == 0 ||
	       access("/sys/kernel/debug/tracing/kprobe_events", F_OK) == 0;
}

/* Every file slot free, lowest first, before any program runs. */
static int fill_free_slots(struct loader *l, uint32_t max_files)
{
	int fd = bpf_map__fd(l->skel->maps.free_slots);

	for (__u32 slot = 0; slot < max_files; slot++)
		if (bpf_map_update_elem(fd, NULL, &slot, BPF_ANY))
			return -errno;
	return 0;
}

/* @func_btf: the kernel's BTF, kept only for trace FUNC (NULL otherwise). */
static int try_mode(struct loader *l, const struct probe_config *cfg, enum ps_mode mode,
		    const struct kernel_funcs *kf, const struct btf *func_btf, char *err,
		    size_t errlen)
{
	struct bpf_program *prog;
	int r;

	if (mode == MODE_TRACEPOINT && cfg->nfuncs) {
		snprintf(err, errlen,
			 "kernel functions can only be traced with fentry (a kernel with BTF and "
			 "BPF trampolines) or kprobes (CONFIG_KPROBES); the tracepoint mode sees "
			 "system calls only");
		return -EOPNOTSUPP;
	}
	if (mode == MODE_FENTRY) {
		r = probe_fentry(cfg, kf);
		if (r == -EOPNOTSUPP) {
			snprintf(err, errlen, "fentry needs the kernel's own BTF, not --btf");
			return r;
		}
		if (r) {
			snprintf(err, errlen, "the kernel refused to load the fentry programs: %s",
				 strerror(-r));
			return r;
		}
	}
	if (mode == MODE_KPROBE && !kprobes_supported()) {
		snprintf(err, errlen, "the kernel has no kprobes (CONFIG_KPROBES)");
		return -EOPNOTSUPP;
	}
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = btf_file(cfg));

	l->skel = procscope_bpf__open_opts(&opts);
	if (!l->skel) {
		r = -errno;
		snprintf(err, errlen, "cannot open the BPF object: %s", strerror(-r));
		return r;
	}
	l->mode = mode; /* the programs chosen below attach by it */
	configure(l, cfg, mode);
	bpf_object__for_each_program(prog, l->skel->obj) bpf_program__set_autoload(prog, false);
	if (cfg->nfuncs) {
		/* Only the maps: the traced functions have objects of their own. */
	} else if (mode == MODE_TRACEPOINT) {
		/* The entry serves latency, and opens and listings (an open's name, a listing's
		 * buffer). */
		bool walks = probe_config__walks(cfg),
		     wanted[2] = { !cfg->no_latency || walks || audit_doors(cfg), true };

		for (size_t i = 0; i < 2; i++)
			bpf_program__set_autoload(bpf_object__find_program_by_name(
							  l->skel->obj, tracepoint_programs[i]),
						  wanted[i]);
		for (unsigned int i = 0; i < 2 * WALK_CALLS; i++)
			bpf_program__set_autoload(
				bpf_object__find_program_by_name(
					l->skel->obj,
					walk_call_programs[i / WALK_CALLS][i % WALK_CALLS]),
				walks);
	} else {
		r = select_function_programs(l, cfg, mode, kf, err, errlen);
		if (r)
			goto err_destroy;
		select_audit_open(l, cfg, mode, kf);
	}
	select_audit_doors(l, cfg, mode, kf);
	if (cfg->impact)
		configure_impact(l, kf);
	select_audit_sysctl(l, cfg);
	select_audit_recon(l, cfg);
	bpf_program__set_autoload(l->skel->progs.tp__ustack_mmap, ustack_maps(cfg));
	select_enforce(l, cfg);
	r = procscope_bpf__load(l->skel);
	if (r) {
		snprintf(err, errlen, "the kernel refused to load the %s programs: %s",
			 mode__name(mode), strerror(-r));
		goto err_destroy;
	}
	r = fill_free_slots(l, cfg->max_files);
	if (r) {
		snprintf(err, errlen, "cannot fill the free slots map: %s", strerror(-r));
		goto err_destroy;
	}
	if (cfg->nfuncs)
		r = open_traced_functions(l, cfg, mode, func_btf, err, errlen);
	else if (mode == MODE_TRACEPOINT)
		r = attach_tracepoint_programs(l, err, errlen);
	else
		r = attach_function_programs(l, mode, err, errlen);
	if (!r && cfg->impact) {
		r = make_impact_other_row(l, err, errlen);
		if (!r)
			r = attach_impact_programs(l, err, errlen);
	}
	if (!r)
		r = attach_audit_recon(l, err, errlen);
	if (!r)
		r = attach_ustack_maps(l, err, errlen);
	if (r)
		goto err_destroy;
	if (mode != MODE_TRACEPOINT) {
		r = attach_audit_doors(l, err, errlen);
		if (r)
			goto err_destroy;
		attach_audit_open(l, mode);
	}
	r = attach_enforce(l, err, errlen);
	if (r)
		goto err_destroy;
	l->impact = cfg->impact;
	return 0;

err_destroy:
	detach_all(l);
	return r;
}

static int read_btf_file(const char *path, struct btf **ret_btf, char *err, size_t errlen)
{
	char cause[128];
	int r;

	*ret_btf = btf__parse(path, NULL);
	if (*ret_btf)
		return 0;
	r = -errno;
	/* libbpf's own codes (not an ELF, no BTF in it) have texts of their own. */
	libbpf_strerror(r, cause, sizeof(cause));
	snprintf(err, errlen,
		 "cannot read BTF from %s: %s (--btf wants a vmlinux or a raw BTF file of the "
		 "running kernel)",
		 path, cause);
	return r;
}

int loader__check_btf(const char *path, char *err, size_t errlen)
{
	struct btf *btf;
	int r = read_btf_file(path, &btf, err, errlen);

	btf__free(btf);
	return r;
}

static void free_buffers(struct loader *l)
{
	free(l->percpu);
	free(l->slot_keys);
	free(l->slot_live);
	free(l->chunk);
}

/* The BPF object built into the binary (most of its read-only data) was parsed and copied by
 * libbpf when the skeleton was opened and is not read again: its pages need not stay resident.
 * Clean pages of the file, so nothing is lost: a later read would fault them back in. */
static void release_object_image(void)
{
	size_t size, page = (size_t)sysconf(_SC_PAGESIZE);
	uintptr_t start = (uintptr_t)procscope_bpf__elf_bytes(&size);
	uintptr_t first = (start + page - 1) & ~(page - 1), end = (start + size) & ~(page - 1);

	if (end > first)
		madvise((void *)first, end - first, MADV_DONTNEED);
}

int loader__open(const struct probe_config *cfg, struct loader **ret_loader, char *err,
		 size_t errlen)
{
	static const enum ps_mode auto_order[] = { MODE_FENTRY, MODE_KPROBE, MODE_TRACEPOINT };
	char tried[512] = "", why[384];
	enum enforce_kind enforce = ENFORCE_NONE;
	struct kernel_funcs kf;
	struct btf *vmlinux_btf;
	struct loader *l;
	int r = -ENOENT;

	if (cfg->btf_path[0]) {
		/* The kernel's types from a file (a vmlinux ELF or raw BTF), for kernels that do
		 * not expose their own: enough for the kprobe mode's CO-RE relocations. */
		r = read_btf_file(cfg->btf_path, &vmlinux_btf, err, errlen);
		if (r)
			return r;
	} else {
		if (access("/sys/kernel/btf/vmlinux", R_OK)) {
			snprintf(
				err, errlen,
				"the kernel has no BTF (/sys/kernel/btf/vmlinux missing): it needs "
				"CONFIG_DEBUG_INFO_BTF=y, or --btf FILE with its types");
			return -ENOENT;
		}
		vmlinux_btf = btf__load_vmlinux_btf();
		if (!vmlinux_btf) {
			r = -errno;
			snprintf(err, errlen, "cannot read the kernel's BTF: %s", strerror(-r));
			return r;
		}
	}
	/* An unknown function is the same error in every mode: say so before trying any. */
	for (int i = 0; i < cfg->nfuncs; i++) {
		struct ps_config c;

		r = func_probe__describe(vmlinux_btf, cfg->funcs[i], &c, err, errlen);
		if (r)
			goto out_btf;
	}
	kernel_funcs__read(vmlinux_btf, &kf);
	if (cfg->enforce_rules) {
		enum enforce_kind kind = cfg->btf_path[0]
						 ? ENFORCE_NONE
						 : enforce__pick(vmlinux_btf, why, sizeof(why));

		if (kind == ENFORCE_NONE) {
			snprintf(err, errlen,
				 "--enforce: this kernel lets no BPF program refuse an "
				 "access: %s",
				 cfg->btf_path[0] ? "--btf gives types the kernel does not know"
						  : why);
			r = -EOPNOTSUPP;
			goto out_btf;
		}
		enforce = kind;
	}
	if (cfg->impact && !kf.mmap_lock_args) {
		snprintf(
			err, errlen,
			"the kernel has no mmap_lock tracepoints (Linux 5.11 and later have them): "
			"impact cannot see who takes a process's mmap_lock");
		r = -EOPNOTSUPP;
		goto out_btf;
	}
	if (!cfg->nfuncs) {
		btf__free(vmlinux_btf); /* its pages go to libbpf's parse of the same */
		vmlinux_btf = NULL;
	}
	l = calloc(1, sizeof(*l));
	if (!l) {
		r = -ENOMEM;
		snprintf(err, errlen, "out of memory");
		goto out_btf;
	}
	l->stats_fd = -1;
	l->enforce = enforce;
	l->max_files = cfg->max_files;
	l->ncpus = libbpf_num_possible_cpus();
	l->percpu = l->ncpus > 0 ? calloc(l->ncpus, sizeof(*l->percpu)) : NULL;
	if (!l->percpu) {
		r = l->ncpus < 0 ? l->ncpus : -ENOMEM;
		snprintf(err, errlen, "cannot size per-CPU buffers: %s", strerror(-r));
		goto out_free;
	}

	if (cfg->mode != MODE_AUTO) {
		r = try_mode(l, cfg, cfg->mode, &kf, vmlinux_btf, why, sizeof(why));
		if (r)
			snprintf(err, errlen,
				 "%s mode unavailable: %s (--mode auto picks one that works)",
				 mode__name(cfg->mode), why);
	} else {
		for (size_t i = 0; i < sizeof(auto_order) / sizeof(auto_order[0]); i++) {
			size_t used = strlen(tried);

			r = try_mode(l, cfg, auto_order[i], &kf, vmlinux_btf, why, sizeof(why));
			if (!r)
				break;
			snprintf(tried + used, sizeof(tried) - used, "%s%s: %s", used ? "; " : "",
				 mode__name(auto_order[i]), why);
		}
		if (r)
			snprintf(err, errlen, "no attach mode works on this kernel (%s)", tried);
	}
	if (!r && cfg->self_cost) {
		/* The kernel then times every BPF program, ours and others', until the fd closes.
		 */
		l->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (l->stats_fd < 0) {
			r = -errno;
			snprintf(err, errlen,
				 "--self-cost: the kernel refused to turn on BPF run-time "
				 "statistics: %s "
				 "(it needs Linux 5.8 and CAP_SYS_ADMIN)",
				 strerror(-r));
			detach_all(l);
		}
	}
	if (r)
		goto out_free;
	btf__free(vmlinux_btf);
	release_object_image();
	/* Parsing the kernel's BTF (several MiB, once per mode tried) is over: give the freed
	 * heap back, so a long-running daemon does not keep it resident. */
	malloc_trim(0);
	*ret_loader = l;
	return 0;

out_free:
	free_buffers(l);
	free(l);
out_btf:
	btf__free(vmlinux_btf);
	return r;
}

void loader__destroy(struct loader *l)
{
	if (!l)
		return;
	detach_all(l);
	if (l->stats_fd >= 0)
		close(l->stats_fd);
	free_buffers(l);
	free(l);
}

enum ps_mode loader__mode(const struct loader *l)
{
	return l->mode;
}

int loader__probe_count(const struct loader *l)
{
	return l->nlinks + 2 * l->nfuncs;
}

const char *loader__warning(const struct loader *l, int i)
{
	return i >= 0 && i < l->nwarnings ? l->warnings[i] : NULL;
}

static int sum_percpu_u64(int fd, uint32_t idx, int ncpus, uint64_t *ret_sum)
{
	uint64_t *vals = calloc(ncpus, sizeof(*vals));
	uint64_t sum = 0;

	if (!vals)
		return -ENOMEM;
	if (bpf_map_lookup_elem(fd, &idx, vals)) {
		int r = -errno;

		free(vals);
		return r;
	}
	for (int c = 0; c < ncpus; c++)
		sum += vals[c];
	free(vals);
	*ret_sum = sum;
	return 0;
}

/* One file's statistics summed over its @ncpus per-CPU values. */
static void sum_stats(const struct ps_file_stats *percpu, int ncpus, uint32_t epoch,
		      struct ps_file_stats *ret_sum)
{
	memset(ret_sum, 0, sizeof(*ret_sum));
	for (int c = 0; c < ncpus; c++)
		stats__accumulate(ret_sum, &percpu[c], epoch);
}

/* Slots per batched read of file_stats and file_slots: few system calls, a bounded buffer. */
#define FILE_CHUNK 128

/* Some kernels have no batched lookups on some map types (5.10 on the per-CPU array answers
 * ENOTSUPP): the maps are then read one key at a time. */
static bool batch_unsupported(int r)
{
	return r == -KERNEL_ENOTSUPP || r == -EOPNOTSUPP;
}

static void note_slot(struct loader *l, const struct ps_file_key *key, __u32 slot)
{
	if (slot >= l->max_files)
		return;
	l->slot_keys[slot] = *key;
	l->slot_live[slot] = 1;
	if (slot >= l->slots_end)
		l->slots_end = slot + 1;
}

static void slot_keys_one_by_one(struct loader *l, int fd)
{
	struct ps_file_key key, next;
	void *prev = NULL;
	__u32 slot;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (!bpf_map_lookup_elem(fd, &key, &slot))
			note_slot(l, &key, slot);
	}
}

/* The keys of file_slots by slot number. Entries are never deleted, so the copy is read again
 * only when BPF has published more since; a slot taken but not yet published is skipped until
 * it is. */
static int refresh_slot_keys(struct loader *l)
{
	uint32_t published = __atomic_load_n(&l->skel->bss->slots_published, __ATOMIC_ACQUIRE);
	int fd = bpf_map__fd(l->skel->maps.file_slots);
	struct ps_file_key keys[FILE_CHUNK];
	__u32 slots[FILE_CHUNK], token;
	void *from = NULL; /* the batch position: NULL for the first */
	int r;

	if (published == l->slots_seen)
		return 0;
	if (!l->slot_keys) {
		l->slot_keys = calloc(l->max_files, sizeof(*l->slot_keys));
		l->slot_live = calloc(l->max_files, 1);
		if (!l->slot_keys || !l->slot_live)
			return -ENOMEM;
	}
	do {
		__u32 n = FILE_CHUNK;

		r = l->no_batch ? -EOPNOTSUPP
				: bpf_map_lookup_batch(fd, from, &token, keys, slots, &n, NULL);
		if (batch_unsupported(r)) {
			l->no_batch = true;
			slot_keys_one_by_one(l, fd);
			break;
		}
		if (r < 0 && r != -ENOENT)
			return r;
		for (__u32 i = 0; i < n; i++)
			note_slot(l, &keys[i], slots[i]);
		from = &token;
	} while (!r); /* -ENOENT: the last batch */
	l->slots_seen = published;
	return 0;
}

/* The statistics of @n slots from @start into l->chunk, their numbers into @slots; fewer in @n
 * at the end of the map. @last is the batch position between calls. */
static int read_stats_chunk(struct loader *l, int fd, __u32 start, __u32 *n, __u32 *slots,
			    __u32 *last)
{
	int r = -EOPNOTSUPP;

	if (!l->no_batch) {
		/* An array's batch position is the last key read. */
		r = bpf_map_lookup_batch(fd, start ? last : NULL, last, slots, l->chunk, n, NULL);
		if (!batch_unsupported(r))
			return r == -ENOENT ? 0 : r;
		l->no_batch = true;
	}
	for (__u32 i = 0; i < *n; i++) {
		slots[i] = start + i;
		if (bpf_map_lookup_elem(fd, &slots[i], &l->chunk[(size_t)i * l->ncpus]))
			return -errno;
	}
	return 0;
}

/* Every published slot's statistics, FILE_CHUNK slots (on every CPU) per system call. */
static int read_files(struct loader *l, uint32_t epoch, struct snapshot *snap)
{
	int fd = bpf_map__fd(l->skel->maps.file_stats);
	__u32 slots[FILE_CHUNK], last = 0;
	uint32_t used;
	int r;

	r = refresh_slot_keys(l);
	if (r)
		return r;
	used = l->slots_end;
	r = snapshot__reserve(snap, snap->nrows + used + PS_FS_COUNT); /* [other] rows follow */
	if (r)
		return r;
	if (!l->chunk) {
		l->chunk = calloc((size_t)FILE_CHUNK * l->ncpus, sizeof(*l->chunk));
		if (!l->chunk)
			return -ENOMEM;
	}
	for (uint32_t start = 0; start < used;) {
		__u32 n = used - start < FILE_CHUNK ? used - start : FILE_CHUNK;

		r = read_stats_chunk(l, fd, start, &n, slots, &last);
		if (r)
			return r;
		if (!n)
			break;
		for (__u32 i = 0; i < n; i++) {
			struct ps_file_stats sum;

			if (slots[i] >= l->max_files || !l->slot_live[slots[i]])
				continue;
			sum_stats(&l->chunk[(size_t)i * l->ncpus], l->ncpus, epoch, &sum);
			r = snapshot__add(snap, &l->slot_keys[slots[i]], &sum);
			if (r)
				return r;
		}
		start += n;
	}
	return 0;
}

/* impact's rows and targets (hash maps of a few thousand entries at most: one key at a time).
 * A maximum counts only within the epoch just closed. */
static int read_impact(struct loader *l, uint32_t epoch, struct snapshot *snap)
{
	int rows = bpf_map__fd(l->skel->maps.impact_rows);
	int targets = bpf_map__fd(l->skel->maps.impact_targets);
	struct ps_impact_key key, last;
	__u32 tgid, last_tgid;
	bool first = true;

	/* Entries are never deleted while procscope runs: the walk sees each one once. */
	while (!bpf_map_get_next_key(rows, first ? NULL : &last, &key)) {
		struct impact_row row = { .key = key };

		first = false;
		last = key;
		if (bpf_map_lookup_elem(rows, &key, &row.st))
			continue;
		row.wait_max_ns = epoch_max__value(&row.st.wait_max, epoch);
		if (key.file_slot < l->max_files && l->slot_keys && l->slot_live[key.file_slot])
			row.file = l->slot_keys[key.file_slot];
		if (impact_set__add_row(&snap->impact, &row))
			return -ENOMEM;
	}
	for (first = true; !bpf_map_get_next_key(targets, first ? NULL : &last_tgid, &tgid);) {
		struct impact_target t = { .tgid = tgid };

		first = false;
		last_tgid = tgid;
		if (bpf_map_lookup_elem(targets, &tgid, &t.w))
			continue;
		t.wait_max_ns = epoch_max__value(&t.w.wait_max, epoch);
		if (impact_set__add_target(&snap->impact, &t))
			return -ENOMEM;
	}
	return 0;
}

int loader__slot_key(struct loader *l, uint32_t slot, struct ps_file_key *ret_key)
{
	int r = refresh_slot_keys(l);

	if (r)
		return r;
	if (slot >= l->max_files || !l->slot_keys || !l->slot_live[slot])
		return -ENOENT;
	*ret_key = l->slot_keys[slot];
	return 0;
}

static int read_other(struct loader *l, uint32_t epoch, struct snapshot *snap)
{
	int fd = bpf_map__fd(l->skel->maps.other_files);

	for (uint32_t fs = 0; fs < PS_FS_COUNT; fs++) {
		struct ps_file_key key = { .fs = (uint8_t)fs };
		struct ps_file_stats sum;
		int r;

		if (bpf_map_lookup_elem(fd, &fs, l->percpu))
			return -errno;
		sum_stats(l->percpu, l->ncpus, epoch, &sum);
		if (!sum.reads && !sum.writes && !sum.errors)
			continue;
		snprintf(key.path, sizeof(key.path), "%s", PS_OTHER_PATH);
		r = snapshot__add(snap, &key, &sum);
		if (r)
			return r;
	}
	return 0;
}

/* What the kernel counts of each loaded program: the runs it skipped (recursion_misses, 0 before
 * 5.12), always; with --self-cost, each one's run time and runs. */
static int read_program_info(struct loader *l, struct snapshot *s)
{
	struct bpf_program *prog;

	s->prog_misses = 0;
	s->nprograms = 0;
	bpf_object__for_each_program(prog, l->skel->obj)
	{
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		struct program_cost *c;
		int fd = bpf_program__fd(prog);

		if (fd < 0)
			continue; /* not loaded in this mode */
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(fd, &info, &len))
			return -errno;
		s->prog_misses += info.recursion_misses;
		if (l->stats_fd < 0)
			continue;
		if (s->nprograms >= PS_MAX_PROGRAMS)
			return -E2BIG; /* more programs than PS_MAX_PROGRAMS: none left out unseen
					*/
		c = &s->programs[s->nprograms++];
		snprintf(c->name, sizeof(c->name), "%s", bpf_program__name(prog));
		c->run_ns = info.run_time_ns;
		c->runs = info.run_cnt;
	}
	s->cost_enabled = l->stats_fd >= 0;
	return 0;
}

/* Failed opens and listings by filesystem, kind and errno (bpf/walk.bpf.h). */
static int read_walk_errors(struct loader *l, struct snapshot *s)
{
	struct ps_walk_errors *v = calloc((size_t)l->ncpus, sizeof(*v));
	int fd = bpf_map__fd(l->skel->maps.walk_errors);

	if (!v)
		return -ENOMEM;
	for (uint32_t i = 0; i < PS_FS_COUNT * PS_WALK_COUNT; i++) {
		uint64_t *into = s->walk_errors[i / PS_WALK_COUNT][i % PS_WALK_COUNT];

		if (bpf_map_lookup_elem(fd, &i, v)) {
			free(v);
			return -errno;
		}
		memset(into, 0, sizeof(v->by_errno));
		for (int cpu = 0; cpu < l->ncpus; cpu++)
			for (int e = 0; e < PS_ERRNO_SLOTS; e++)
				into[e] += v[cpu].by_errno[e];
	}
	free(v);
	return 0;
}

int loader__snapshot(struct loader *l, struct snapshot *ret_snap)
{
	uint32_t epoch;
	int r;

	/* Close the epoch first: what BPF records from here on belongs to the next snapshot. */
	epoch = l->skel->bss->lat_epoch;
	__atomic_store_n(&l->skel->bss->lat_epoch, epoch + 1, __ATOMIC_SEQ_CST);

	ret_snap->time_ns = clock__ns(CLOCK_MONOTONIC);
	for (uint32_t h = 0; h < PS_HOOK_COUNT; h++) {
		ret_snap->fn_available[h] = l->fn_available[h];
		r = sum_percpu_u64(bpf_map__fd(l->skel->maps.fn_hits), h, l->ncpus,
				   &ret_snap->fn_hits[h]);
		if (r)
			return r;
	}
	for (uint32_t c = 0; c < PS_CNT_COUNT; c++) {
		r = sum_percpu_u64(bpf_map__fd(l->skel->maps.counters), c, l->ncpus,
				   &ret_snap->counters[c]);
		if (r)
			return r;
	}
	r = read_files(l, epoch, ret_snap);
	if (!r)
		r = read_other(l, epoch, ret_snap);
	if (!r)
		r = read_walk_errors(l, ret_snap);
	if (!r && l->impact)
		r = read_impact(l, epoch, ret_snap);
	if (!r)
		r = read_program_info(l, ret_snap);
	if (!r)
		snapshot__sort(ret_snap);
	return r;
}

static int dispatch_event(void *ctx, void *data, size_t size)
{
	struct loader *l = ctx;
	const struct ps_event *e = data;
	const struct ps_ustack_copy *copy;
	const struct ps_stacks *st;
	bool stacks;

	if (size < sizeof(*e))
		return 0;	/* not ours: the ring buffer only carries struct ps_event */
	if (e->op == PS_OP_MAP) /* its struct ps_map_event follows */
		return size < sizeof(*e) + sizeof(struct ps_map_event)
			       ? 0
			       : l->on_event(l->event_ctx, e, NULL, NULL);
	stacks = e->has_stacks && size >= sizeof(*e) + sizeof(struct ps_stacks);
	if (!stacks)
		return l->on_event(l->event_ctx, e, NULL, NULL);
	st = (const struct ps_stacks *)(e + 1);
	copy = (const struct ps_ustack_copy *)(st + 1);
	if (!st->has_copy || size < sizeof(*e) + sizeof(*st) + sizeof(*copy) ||
	    copy->bytes > size - sizeof(*e) - sizeof(*st) - sizeof(*copy))
		copy = NULL;
	return l->on_event(l->event_ctx, e, st, copy);
}

/* Adds @map to the one ring buffer reader, creating it with the first. */
static int add_ring(struct loader *l, struct bpf_map *map, ring_buffer_sample_fn fn)
{
	if (l->events)
		return ring_buffer__add(l->events, bpf_map__fd(map), fn, l);
	l->events = ring_buffer__new(bpf_map__fd(map), fn, l, NULL);
	return l->events ? 0 : -errno;
}

int loader__events_open(struct loader *l, loader_event_fn fn, void *ctx)
{
	l->on_event = fn;
	l->event_ctx = ctx;
	return add_ring(l, l->skel->maps.events, dispatch_event);
}

static int dispatch_audit(void *ctx, void *data, size_t size)
{
	struct loader *l = ctx;

	if (size < sizeof(struct ps_audit_event))
		return 0;
	return l->on_audit(l->audit_ctx, data);
}

int loader__audit_open(struct loader *l, loader_audit_fn fn, void *ctx)
{
	l->on_audit = fn;
	l->audit_ctx = ctx;
	return add_ring(l, l->skel->maps.audit_events, dispatch_audit);
}

int loader__events_poll(struct loader *l, int timeout_ms)
{
	int n = ring_buffer__poll(l->events, timeout_ms), more;

	if (n < 0)
		return n;
	/* BPF wakes the reader only once ps_config.wakeup_bytes are waiting: what is there after
	 * the timeout is read now, without a wakeup. */
	more = ring_buffer__consume(l->events);
	return more < 0 ? more : n + more;
}

int loader__counter(struct loader *l, enum ps_counter c, uint64_t *ret_value)
{
	return sum_percpu_u64(bpf_map__fd(l->skel->maps.counters), c, l->ncpus, ret_value);
}
