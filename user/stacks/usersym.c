// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dwarf.h>
#include <elfutils/libdwelf.h>
#include <elfutils/libdwfl.h>
#include <linux/bpf.h>
#include "elfseg.h"
#include "procmaps.h"
#include "usersym.h"
#include "util/growarray.h"

#define BUILD_ID_LEN 20

struct elf_file {
	char path[512];
	uint8_t build_id[BUILD_ID_LEN];
	bool has_build_id;
	bool opened; /* dwfl tried: mod is NULL when that failed */
	Dwfl *dwfl;
	Dwfl_Module *mod;
};

/* The file mappings of a process, as last read from /proc/PID/maps: an address is looked up
 * here first, and the maps read again only when it is not found (a process with thousands of
 * mappings takes milliseconds per read, and every frame of every event would read it). A pid
 * reused since by another process with another file at that address would be misnamed: perf
 * keeps the same kind of table, with the same limit. */
struct maps_cache {
	uint32_t pid; /* 0: free */
	struct file_mapping {
		uint64_t start, end, pgoff;
		size_t file; /* index into usersym.files (which moves as it grows); NO_FILE */
	} * v;
	size_t n, cap;
};

#define MAPS_CACHED 8	 /* processes */
#define NO_FILE SIZE_MAX /* anonymous (JIT code, say): known, so no reason to read again */

/* Places symbolized, kept: the same return addresses come in event after event, and each costs
 * searches of the symbol table, the line table and the debug information (dwarf_getscopes
 * walks a compile unit). Direct-mapped: a place takes its slot from the one there. */
#define PLACES_BITS 12
#define PLACES_CACHED (1u << PLACES_BITS)

struct place {
	size_t file; /* index into usersym.files; SIZE_MAX: a free slot */
	uint64_t vaddr;
	bool is_return;
	int n;
	struct stack_frame *frames;
};

struct usersym {
	struct place *places; /* PLACES_CACHED */
	struct elf_file *files;
	size_t nfiles, cap;
	struct maps_cache maps[MAPS_CACHED];
	unsigned int maps_next;		  /* the entry a new process takes */
	uint8_t (*missing)[BUILD_ID_LEN]; /* build ids searched for in vain: not searched again */
	size_t nmissing, missing_cap;
	bool self_scanned;
};

static char *debuginfo_path;
static const Dwfl_Callbacks offline_callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
	.debuginfo_path = &debuginfo_path,
};

struct usersym *usersym__new(void)
{
	struct usersym *u = calloc(1, sizeof(struct usersym));

	elf_version(EV_CURRENT);
	if (u)
		u->places = calloc(PLACES_CACHED, sizeof(*u->places));
	if (!u || !u->places) {
		free(u);
		return NULL;
	}
	for (size_t i = 0; i < PLACES_CACHED; i++)
		u->places[i].file = SIZE_MAX;
	return u;
}

void usersym__free(struct usersym *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->nfiles; i++)
		dwfl_end(u->files[i].dwfl);
	for (size_t i = 0; i < PLACES_CACHED; i++)
		free(u->places[i].frames);
	free(u->places);
	free(u->files);
	free(u->missing);
	for (size_t i = 0; i < MAPS_CACHED; i++)
		free(u->maps[i].v);
	free(u);
}

/* The GNU build id of an ELF file; false when it has none or is not ELF. */
static bool read_build_id(const char *path, uint8_t ret_id[BUILD_ID_LEN])
{
	const void *id = NULL;
	bool ok = false;
	ssize_t len;
	Elf *elf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf) {
		len = dwelf_elf_gnu_build_id(elf, &id);
		if (len > 0) {
			memset(ret_id, 0, BUILD_ID_LEN);
			memcpy(ret_id, id, len < BUILD_ID_LEN ? (size_t)len : BUILD_ID_LEN);
			ok = true;
		}
		elf_end(elf);
	}
	close(fd);
	return ok;
}

static struct elf_file *file_by_path(struct usersym *u, const char *path)
{
	for (size_t i = 0; i < u->nfiles; i++)
		if (!strcmp(u->files[i].path, path))
			return &u->files[i];
	return NULL;
}

/* Adds a file to the index (once), reading its build id. */
static struct elf_file *add_file(struct usersym *u, const char *path)
{
	struct elf_file *f = file_by_path(u, path);

	if (f || strlen(path) >= sizeof(f->path))
		return f;
	if (growarray__reserve((void **)&u->files, u->nfiles, &u->cap, sizeof(*u->files), 16))
		return NULL;
	f = &u->files[u->nfiles++];
	memset(f, 0, sizeof(*f));
	snprintf(f->path, sizeof(f->path), "%s", path);
	f->has_build_id = read_build_id(path, f->build_id);
	return f;
}

static struct elf_file *file_by_build_id(struct usersym *u, const uint8_t id[BUILD_ID_LEN])
{
	for (size_t i = 0; i < u->nfiles; i++)
		if (u->files[i].has_build_id && !memcmp(u->files[i].build_id, id, BUILD_ID_LEN))
			return &u->files[i];
	return NULL;
}

/* Calls @fn for each mapping of a process ("self" or a pid) until it returns true. */
static void each_mapping(const char *pid, bool (*fn)(const struct procmap *m, void *arg), void *arg)
{
	char path[64], *line = NULL;
	struct procmap m;
	size_t cap = 0;
	FILE *in;

	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	in = fopen(path, "re");
	if (!in)
		return;
	while (getline(&line, &cap, in) > 0)
		if (!procmaps__parse_line(line, &m) && fn(&m, arg))
			break;
	free(line);
	fclose(in);
}

static bool index_mapping(const struct procmap *m, void *arg)
{
	if (m->path[0])
		add_file(arg, m->path);
	return false;
}

/* Indexes the files mapped by a process ("self" or a pid). */
static void learn_maps(struct usersym *u, const char *pid)
{
	each_mapping(pid, index_mapping, u);
}

struct cache_fill {
	struct usersym *u;
	struct maps_cache *c;
};

static bool cache_mapping(const struct procmap *m, void *arg)
{
	struct cache_fill *fill = arg;
	struct maps_cache *c = fill->c;
	struct elf_file *f = NULL;

	if (growarray__reserve((void **)&c->v, c->n, &c->cap, sizeof(*c->v), 32))
		return true;
	if (m->path[0]) {
		f = add_file(fill->u, m->path);
		if (!f)
			return true;
	}
	c->v[c->n++] = (struct file_mapping){ m->start, m->end, m->pgoff,
					      f ? (size_t)(f - fill->u->files) : NO_FILE };
	return false;
}

static const struct file_mapping *cached_mapping(const struct maps_cache *c, uint64_t ip)
{
	for (size_t i = 0; i < c->n; i++)
		if (ip >= c->v[i].start && ip < c->v[i].end)
			return &c->v[i];
	return NULL;
}

/* The mapping of @ip in a running process, as a file and an offset into it. */
static struct elf_file *file_of_address(struct usersym *u, uint32_t pid, uint64_t ip,
					uint64_t *ret_offset)
{
	const struct file_mapping *m = NULL;
	struct maps_cache *c = NULL;
	struct cache_fill fill = { .u = u };
	char pid_text[16];

	for (size_t i = 0; i < MAPS_CACHED && !c; i++)
		if (u->maps[i].pid == pid)
			c = &u->maps[i];
	if (c) {
		m = cached_mapping(c, ip);
	} else {
		c = &u->maps[u->maps_next++ % MAPS_CACHED];
		c->pid = pid;
	}
	if (!m) { /* not there, or a new process: read its maps again */
		c->n = 0;
		fill.c = c;
		snprintf(pid_text, sizeof(pid_text), "%u", pid);
		each_mapping(pid_text, cache_mapping, &fill);
		m = cached_mapping(c, ip);
	}
	if (!m || m->file == NO_FILE)
		return NULL;
	*ret_offset = ip - m->start + m->pgoff;
	return &u->files[m->file];
}

static bool known_missing(const struct usersym *u, const uint8_t id[BUILD_ID_LEN])
{
	for (size_t i = 0; i < u->nmissing; i++)
		if (!memcmp(u->missing[i], id, BUILD_ID_LEN))
			return true;
	return false;
}

static void remember_missing(struct usersym *u, const uint8_t id[BUILD_ID_LEN])
{
	if (growarray__reserve((void **)&u->missing, u->nmissing, &u->missing_cap, BUILD_ID_LEN,
			       16))
		return;
	memcpy(u->missing[u->nmissing++], id, BUILD_ID_LEN);
}

/* The file with build id @id, searched in widening circles (see usersym.h). */
static struct elf_file *find_build_id(struct usersym *u, uint32_t pid, const char *exe,
				      const uint8_t id[BUILD_ID_LEN])
{
	struct elf_file *f = file_by_build_id(u, id);
	char link[32], path[PS_PATH_LEN + 64], pid_text[16];
	ssize_t n;

	if (f || known_missing(u, id))
		return f;
	snprintf(link, sizeof(link), "/proc/%u/exe", pid);
	n = readlink(link, path, sizeof(path) - 1);
	if (n > 0) {
		path[n] = '\0';
		add_file(u, path);
	}
	if (exe[0]) {
		snprintf(path, sizeof(path), "%s", exe);
		add_file(u, path);
	}
	f = file_by_build_id(u, id);
	if (!f) {
		snprintf(pid_text, sizeof(pid_text), "%u", pid);
		learn_maps(u, pid_text);
		f = file_by_build_id(u, id);
	}
	if (!f && !u->self_scanned) {
		u->self_scanned = true;
		learn_maps(u, "self");
		f = file_by_build_id(u, id);
	}
	if (!f)
		remember_missing(u, id);
	return f;
}

static bool open_dwfl(struct elf_file *f)
{
	const char *base = strrchr(f->path, '/');

	if (f->opened)
		return f->mod != NULL;
	f->opened = true;
	f->dwfl = dwfl_begin(&offline_callbacks);
	if (!f->dwfl)
		return false;
	f->mod = dwfl_report_offline(f->dwfl, base ? base + 1 : f->path, f->path, -1);
	dwfl_report_end(f->dwfl, NULL, NULL);
	return f->mod != NULL;
}

/* A file offset to the module's address: through the loadable segment that holds it. */
static bool offset_to_address(Dwfl_Module *mod, uint64_t offset, uint64_t *ret_addr,
			      uint64_t *ret_vaddr)
{
	GElf_Addr bias;
	Elf *elf = dwfl_module_getelf(mod, &bias);

	if (!elfseg__vaddr_of_offset(elf, offset, ret_vaddr))
		return false;
	*ret_addr = *ret_vaddr + bias;
	return true;
}

char *__cxa_demangle(const char *mangled, char *buf, size_t *len, int *status); /* libstdc++ */

/* C++ names as the program's authors wrote them (perf and gdb show them so). */
static void set_symbol(struct stack_frame *f, const char *name)
{
	char *plain = NULL;
	int status;

	if (name[0] == '_' && name[1] == 'Z')
		plain = __cxa_demangle(name, NULL, NULL, &status);
	snprintf(f->symbol, sizeof(f->symbol), "%s", plain ? plain : name);
	free(plain);
	f->resolved = true;
}

static void set_source(struct stack_frame *f, const char *src, int line)
{
	if (!src || line <= 0)
		return;
	snprintf(f->source, sizeof(f->source), "%s", src);
	f->line = (uint32_t)line;
}

/* The name of a function's debug entry, through its abstract origin (an inlined copy). */
static const char *die_function_name(Dwarf_Die *die)
{
	static const int names[] = { DW_AT_linkage_name, DW_AT_MIPS_linkage_name, DW_AT_name };
	Dwarf_Attribute attr;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (dwarf_attr_integrate(die, names[i], &attr))
			return dwarf_formstring(&attr);
	return NULL;
}

/* Where an inlined function was called from: its call site's file and line. */
static void call_site(Dwarf_Die *cudie, Dwarf_Die *inlined, const char **ret_file, int *ret_line)
{
	Dwarf_Attribute attr;
	Dwarf_Files *files;
	Dwarf_Word v;
	size_t n;

	*ret_file = NULL;
	*ret_line = 0;
	if (dwarf_formudata(dwarf_attr(inlined, DW_AT_call_line, &attr), &v) == 0)
		*ret_line = (int)v;
	if (dwarf_formudata(dwarf_attr(inlined, DW_AT_call_file, &attr), &v) == 0 &&
	    dwarf_getsrcfiles(cudie, &files, &n) == 0 && v < n)
		*ret_file = dwarf_filesrc(files, v, NULL, NULL);
}

/*
 * The frames at module address @lookup: the functions the compiler inlined there, innermost
 * first, each with the line it was at, then the function the code belongs to, at the line of
 * the outermost inlined call (as eu-addr2line -i and perf's inline frames show them). Each
 * frame is @proto with its name and line filled in. Returns how many, at most @max.
 */
static int inline_frames(Dwfl_Module *mod, uint64_t lookup, const struct stack_frame *frame,
			 struct stack_frame *ret, int max)
{
	const struct stack_frame proto = *frame; /* @frame may be ret[0] */
	Dwarf_Addr bias;
	Dwarf_Die *cudie = dwfl_module_addrdie(mod, lookup, &bias), *scopes = NULL;
	Dwfl_Line *line = dwfl_module_getsrc(mod, lookup);
	const char *src = line ? dwfl_lineinfo(line, NULL, NULL, NULL, NULL, NULL) : NULL;
	int lineno = 0, nscopes, n = 0;

	if (line)
		dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL);
	/* The innermost scope, then the scopes that hold it where the code is (dwarf_getscopes
	 * goes on in an inlined function's abstract definition instead). */
	nscopes = cudie ? dwarf_getscopes(cudie, lookup - bias, &scopes) : 0;
	if (nscopes > 0) {
		Dwarf_Die innermost = scopes[0];

		free(scopes);
		scopes = NULL;
		nscopes = dwarf_getscopes_die(&innermost, &scopes);
	}
	for (int i = 0; i < nscopes && n < max - 1; i++) {
		const char *name;

		if (dwarf_tag(&scopes[i]) != DW_TAG_inlined_subroutine)
			continue;
		name = die_function_name(&scopes[i]);
		ret[n] = proto;
		ret[n].offset = 0;
		ret[n].inlined = true;
		if (name)
			set_symbol(&ret[n], name);
		set_source(&ret[n], src, lineno);
		n++;
		call_site(cudie, &scopes[i], &src, &lineno);
	}
	free(scopes);
	ret[n] = proto;
	set_source(&ret[n], src, lineno);
	return n + 1;
}

static int symbolize_place(struct elf_file *f, uint64_t vaddr, bool is_return,
			   struct stack_frame *ret, int max);

/* Symbolizes module address @vaddr of file @f (see usersym__resolve), through the cache. */
static int symbolize_vaddr(struct usersym *u, struct elf_file *f, uint64_t vaddr, bool is_return,
			   struct stack_frame *ret, int max)
{
	size_t file = (size_t)(f - u->files);
	/* Fibonacci hashing: the top bits of the product */
	struct place *p = &u->places[((vaddr * 2 + is_return) * 0x9e3779b97f4a7c15ull + file) >>
				     (64 - PLACES_BITS)];
	struct stack_frame *copy;
	int n;

	if (p->file == file && p->vaddr == vaddr && p->is_return == is_return && p->n <= max) {
		memcpy(ret, p->frames, (size_t)p->n * sizeof(*ret));
		return p->n;
	}
	n = symbolize_place(f, vaddr, is_return, ret, max);
	copy = malloc((size_t)n * sizeof(*copy));
	if (!copy)
		return n;
	memcpy(copy, ret, (size_t)n * sizeof(*copy));
	free(p->frames);
	p->frames = copy;
	p->file = file;
	p->vaddr = vaddr;
	p->is_return = is_return;
	p->n = n;
	return n;
}

static int symbolize_place(struct elf_file *f, uint64_t vaddr, bool is_return,
			   struct stack_frame *ret, int max)
{
	GElf_Addr bias;
	uint64_t addr, lookup;
	GElf_Off sym_off;
	GElf_Sym sym;
	const char *name;

	ret->addr = vaddr;
	if (!dwfl_module_getelf(f->mod, &bias))
		return 1;
	addr = vaddr + bias;
	/* A return address is just past its call, which may be the function's last byte. */
	lookup = is_return && addr ? addr - 1 : addr;
	name = dwfl_module_addrinfo(f->mod, lookup, &sym_off, &sym, NULL, NULL, NULL);
	if (name) {
		set_symbol(ret, name);
		ret->offset = sym_off + (addr - lookup);
	}
	return inline_frames(f->mod, lookup, ret, ret, max);
}

static int symbolize(struct usersym *u, struct elf_file *f, uint64_t offset, bool is_return,
		     struct stack_frame *ret, int max)
{
	uint64_t addr, vaddr;

	snprintf(ret->object, sizeof(ret->object), "%.*s", (int)sizeof(ret->object) - 1, f->path);
	ret->addr = offset;
	if (!open_dwfl(f))
		return 1;
	if (!offset_to_address(f->mod, offset, &addr, &vaddr)) {
		/* Not in the file: the kernel names the first mapping that ends above an
		 * address (find_vma), so a stray address below it (a frame-pointer walk through
		 * code built without them) comes with that file's build id and an offset that
		 * wrapped around. */
		ret->object[0] = '\0';
		return 1;
	}
	return symbolize_vaddr(u, f, vaddr, is_return, ret, max);
}

static void unknown_frame(uint64_t addr, struct stack_frame *ret_frame)
{
	memset(ret_frame, 0, sizeof(*ret_frame));
	snprintf(ret_frame->symbol, sizeof(ret_frame->symbol), "[unknown]");
	ret_frame->addr = addr;
}

int usersym__resolve(struct usersym *u, uint32_t pid, const char *exe,
		     const struct ps_user_frame *f, bool is_return, struct stack_frame *ret_frames,
		     int max)
{
	struct elf_file *file = NULL;
	uint64_t offset = 0;

	unknown_frame(f->offset_or_ip, ret_frames);
	if (f->status == BPF_STACK_BUILD_ID_VALID) {
		file = find_build_id(u, pid, exe, f->build_id);
		offset = f->offset_or_ip;
	} else if (f->status == BPF_STACK_BUILD_ID_IP) {
		/* The kernel could not read the build id (no note, or the page not in memory):
		 * only a process that still runs can tell where the address belongs. */
		file = file_of_address(u, pid, f->offset_or_ip, &offset);
	}
	return file ? symbolize(u, file, offset, is_return, ret_frames, max) : 1;
}

int usersym__resolve_vaddr(struct usersym *u, const char *path, uint64_t vaddr, bool is_return,
			   struct stack_frame *ret_frames, int max)
{
	struct elf_file *file = path ? add_file(u, path) : NULL;

	unknown_frame(vaddr, ret_frames);
	if (!file)
		return 1;
	snprintf(ret_frames->object, sizeof(ret_frames->object), "%.*s",
		 (int)sizeof(ret_frames->object) - 1, file->path);
	if (!open_dwfl(file))
		return 1;
	return symbolize_vaddr(u, file, vaddr, is_return, ret_frames, max);
}

const char *usersym__file_of_build_id(struct usersym *u, uint32_t pid, const char *exe,
				      const uint8_t build_id[20])
{
	struct elf_file *file = find_build_id(u, pid, exe, build_id);

	return file ? file->path : NULL;
}
