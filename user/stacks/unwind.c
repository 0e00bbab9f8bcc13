// SPDX-License-Identifier: GPL-2.0-only
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <elfutils/libdwfl.h>
#include <linux/bpf.h>
#include "elfseg.h"
#include "unwind.h"
#include "uregs.h"
#include "util/growarray.h"

/* What the unwinder's callbacks read: the event at hand. */
struct unwind_event {
	const struct ps_ustack_copy *copy;
	pid_t tid;
	uint64_t regs[UREGS_DWARF_MAX];
	int nregs;
	uint64_t pc;
	bool read_above; /* memory above the copy was asked for */
};

/* A process's binaries as placed for unwinding, kept across its events. */
struct unwind_proc {
	uint32_t pid;	     /* 0: free */
	uint64_t start_code; /* with pid: an exec, or a pid reused, is another process */
	bool from_maps;	     /* placed from /proc/PID/maps (else from an event alone) */
	Dwfl *dwfl;
};

#define PROCS_CACHED 16

/* The files a process image mapped executable, from the kernel's PS_OP_MAP records. */
struct proc_mapped {
	uint32_t pid; /* 0: free */
	uint64_t start_code;
	struct mapped_file {
		uint64_t start, offset;
		char path[PS_PATH_LEN];
	} * v;
	size_t n, cap;
};

/* Processes whose mappings are kept (the oldest makes room), and files per process. */
#define MAPPED_PROCS 256
#define MAPPED_FILES_MAX 512

struct unwinder {
	struct unwind_proc procs[PROCS_CACHED];
	unsigned int next; /* the entry a new process takes */
	struct proc_mapped mapped[MAPPED_PROCS];
	unsigned int mapped_next;
	struct unwind_event ev;
};

static char *debuginfo_path;
static const Dwfl_Callbacks proc_callbacks = {
	.find_elf = dwfl_linux_proc_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.debuginfo_path = &debuginfo_path,
};

static pid_t next_thread(Dwfl *dwfl, void *arg, void **thread_arg)
{
	struct unwind_event *ev = arg;

	(void)dwfl;
	if (*thread_arg)
		return 0;
	*thread_arg = ev;
	return ev->tid;
}

static bool get_thread(Dwfl *dwfl, pid_t tid, void *arg, void **thread_arg)
{
	struct unwind_event *ev = arg;

	(void)dwfl;
	*thread_arg = ev;
	return tid == ev->tid;
}

/* Words of the copied stack; nothing else of the process's memory is known. */
static bool memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
	struct unwind_event *ev = arg;
	const struct ps_ustack_copy *c = ev->copy;

	(void)dwfl;
	if (addr >= c->base && addr - c->base <= (uint64_t)c->bytes - sizeof(*result) &&
	    c->bytes >= sizeof(*result)) {
		memcpy(result, c->data + (addr - c->base), sizeof(*result));
		return true;
	}
	if (addr >= c->base)
		ev->read_above = true;
	return false;
}

static bool set_initial_registers(Dwfl_Thread *thread, void *thread_arg)
{
	struct unwind_event *ev = thread_arg;

	if (!dwfl_thread_state_registers(thread, 0, (unsigned int)ev->nregs, ev->regs))
		return false;
	dwfl_thread_state_register_pc(thread, ev->pc);
	return true;
}

static const Dwfl_Thread_Callbacks thread_callbacks = {
	.next_thread = next_thread,
	.get_thread = get_thread,
	.memory_read = memory_read,
	.set_initial_registers = set_initial_registers,
};

struct unwinder *unwinder__new(void)
{
	elf_version(EV_CURRENT);
	return calloc(1, sizeof(struct unwinder));
}

static void proc_clear(struct unwind_proc *p)
{
	dwfl_end(p->dwfl);
	memset(p, 0, sizeof(*p));
}

void unwinder__free(struct unwinder *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < PROCS_CACHED; i++)
		proc_clear(&w->procs[i]);
	for (size_t i = 0; i < MAPPED_PROCS; i++)
		free(w->mapped[i].v);
	free(w);
}

/*
 * Reports binary @path loaded so that its address @vaddr is at @addr in the process (the load
 * bias is their difference); @vaddr_of picks the address from the file: the one of a file
 * offset, or the start of its code.
 */
static void report_at(Dwfl *dwfl, const char *path, uint64_t addr, uint64_t offset,
		      bool (*vaddr_of)(Elf *elf, uint64_t offset, uint64_t *ret_vaddr))
{
	const char *base = strrchr(path, '/');
	uint64_t vaddr;
	bool placed;
	Elf *elf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	placed = elf && vaddr_of(elf, offset, &vaddr);
	elf_end(elf);
	close(fd);
	if (placed)
		dwfl_report_elf(dwfl, base ? base + 1 : path, path, -1, addr - vaddr, true);
}

static bool code_vaddr(Elf *elf, uint64_t offset, uint64_t *ret_vaddr)
{
	(void)offset;
	return elfseg__code_vaddr(elf, ret_vaddr);
}

static struct proc_mapped *mapped_of(struct unwinder *w, uint32_t pid, uint64_t start_code)
{
	for (size_t i = 0; i < MAPPED_PROCS; i++)
		if (w->mapped[i].pid == pid && w->mapped[i].start_code == start_code)
			return &w->mapped[i];
	return NULL;
}

void unwinder__mapped(struct unwinder *w, uint32_t pid, const struct ps_map_event *m,
		      const char *path)
{
	struct proc_mapped *p = mapped_of(w, pid, m->start_code);
	struct mapped_file *f = NULL;

	if (!p) {
		p = &w->mapped[w->mapped_next++ % MAPPED_PROCS];
		p->pid = pid;
		p->start_code = m->start_code;
		p->n = 0;
	}
	for (size_t i = 0; i < p->n && !f; i++)
		if (!strcmp(p->v[i].path, path))
			f = &p->v[i]; /* mapped again (dlopen after dlclose): the latest place */
	if (!f) {
		if (p->n == MAPPED_FILES_MAX ||
		    growarray__reserve((void **)&p->v, p->n, &p->cap, sizeof(*p->v), 16))
			return;
		f = &p->v[p->n++];
	}
	f->start = m->start;
	f->offset = m->offset;
	snprintf(f->path, sizeof(f->path), "%s", path);
	/* A process placed without this file is placed again at its next event. */
	for (size_t i = 0; i < PROCS_CACHED; i++)
		if (w->procs[i].pid == pid && w->procs[i].start_code == m->start_code &&
		    !w->procs[i].from_maps)
			proc_clear(&w->procs[i]);
}

/* A process that is gone: its executable, the libraries it mapped, and the file of the
 * instruction pointer. */
static void report_from_event(Dwfl *dwfl, struct unwinder *w, struct usersym *u, uint32_t pid,
			      const struct ps_ustack_copy *copy, const struct ps_user_frame *top,
			      const char *exe, uint64_t pc)
{
	const struct proc_mapped *mapped = mapped_of(w, pid, copy->start_code);
	const char *file = NULL;

	if (exe[0] && copy->start_code)
		report_at(dwfl, exe, copy->start_code, 0, code_vaddr);
	if (top && top->status == BPF_STACK_BUILD_ID_VALID)
		file = usersym__file_of_build_id(u, pid, exe, top->build_id);
	/* each file once: a second report of it fails, and leaves the first unusable */
	if (file && !strcmp(file, exe))
		file = NULL;
	for (size_t i = 0; mapped && i < mapped->n; i++) {
		if (!strcmp(mapped->v[i].path, exe))
			continue;
		if (file && !strcmp(mapped->v[i].path, file))
			file = NULL;
		report_at(dwfl, mapped->v[i].path, mapped->v[i].start, mapped->v[i].offset,
			  elfseg__vaddr_of_offset);
	}
	if (file)
		report_at(dwfl, file, pc, top->offset_or_ip, elfseg__vaddr_of_offset);
}

/* The process's binaries placed, and the unwinder attached; false when neither works. */
static bool proc_open(struct unwind_proc *p, struct unwinder *w, struct usersym *u, uint32_t pid,
		      const struct ps_ustack_copy *copy, const struct ps_user_frame *top,
		      const char *exe)
{
	p->pid = pid;
	p->start_code = copy->start_code;
	p->dwfl = dwfl_begin(&proc_callbacks);
	if (!p->dwfl)
		return false;
	dwfl_report_begin(p->dwfl);
	p->from_maps = dwfl_linux_proc_report(p->dwfl, (pid_t)pid) == 0;
	dwfl_report_end(p->dwfl, NULL, NULL);
	/* A process on its way out has its maps read empty, or half: as one that is gone. */
	if (p->from_maps && !dwfl_addrmodule(p->dwfl, w->ev.pc))
		p->from_maps = false;
	if (!p->from_maps) {
		dwfl_report_begin(p->dwfl); /* drops what the maps file gave */
		report_from_event(p->dwfl, w, u, pid, copy, top, exe, w->ev.pc);
		dwfl_report_end(p->dwfl, NULL, NULL);
	}
	return dwfl_attach_state(p->dwfl, NULL, (pid_t)pid, &thread_callbacks, &w->ev);
}

/* The entry of @pid, opened if need be; NULL when the process's binaries cannot be placed. */
static struct unwind_proc *proc_of(struct unwinder *w, struct usersym *u, uint32_t pid,
				   const struct ps_ustack_copy *copy,
				   const struct ps_user_frame *top, const char *exe)
{
	struct unwind_proc *p = NULL;

	for (size_t i = 0; i < PROCS_CACHED && !p; i++)
		if (w->procs[i].pid == pid && w->procs[i].start_code == copy->start_code)
			p = &w->procs[i];
	/* A library loaded since the maps were read, or the process gone since: again. */
	if (p && p->from_maps && !dwfl_addrmodule(p->dwfl, w->ev.pc))
		proc_clear(p);
	if (p && p->pid)
		return p;
	if (!p)
		p = &w->procs[w->next++ % PROCS_CACHED];
	proc_clear(p);
	if (!proc_open(p, w, u, pid, copy, top, exe)) {
		proc_clear(p);
		return NULL;
	}
	return p;
}

struct frames_out {
	Dwfl *dwfl;
	struct unwound_frame *v;
	int n, max;
	bool full; /* max reached with frames left */
};

static int on_frame(Dwfl_Frame *state, void *arg)
{
	struct frames_out *out = arg;
	struct unwound_frame *f;
	Dwfl_Module *mod;
	Dwarf_Addr pc, bias;
	bool activation;

	if (!dwfl_frame_pc(state, &pc, &activation))
		return DWARF_CB_ABORT;
	if (out->n == out->max) {
		out->full = true;
		return DWARF_CB_ABORT;
	}
	f = &out->v[out->n++];
	memset(f, 0, sizeof(*f));
	f->pc = pc;
	f->is_return = !activation;
	mod = dwfl_addrmodule(out->dwfl, pc);
	if (mod && dwfl_module_getelf(mod, &bias)) {
		dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, &f->file, NULL);
		f->vaddr = pc - bias;
	}
	return DWARF_CB_OK;
}

int unwinder__unwind(struct unwinder *w, struct usersym *u, uint32_t pid, uint32_t tid,
		     const struct ps_ustack_copy *copy, const struct ps_user_frame *top,
		     const char *exe, struct unwound_frame *ret_frames, int max,
		     bool *ret_truncated)
{
	struct frames_out out = { .v = ret_frames, .max = max };
	struct unwind_proc *p;

	*ret_truncated = false;
	memset(&w->ev, 0, sizeof(w->ev));
	w->ev.copy = copy;
	w->ev.tid = (pid_t)tid;
	if (!uregs__dwarf(copy->regs, w->ev.regs, &w->ev.nregs, &w->ev.pc))
		return 0;
	p = proc_of(w, u, pid, copy, top, exe);
	if (!p)
		return 0;
	out.dwfl = p->dwfl;
	/* A read outside the copy ends the unwind as the stack's end would (0 returned): a copy
	 * that stopped short of the stack's end (full, or at a page it could not read) tells
	 * them apart. */
	dwfl_getthread_frames(p->dwfl, (pid_t)tid, on_frame, &out);
	*ret_truncated = out.full || ((copy->full || copy->short_read) && w->ev.read_above);
	return out.n;
}
