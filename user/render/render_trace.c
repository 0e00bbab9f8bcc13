// SPDX-License-Identifier: GPL-2.0-only
#include <fnmatch.h>
#include <string.h>
#include "core/fsinfo.h"
#include "core/probe_config.h"
#include "json_writer.h"
#include "render.h"
#include "render_trace.h"
#include "util/clock.h"

#define SYSCALL_NAME(name, x86_64, arm64, op) { PS_NR(x86_64, arm64), #name },
static const struct {
	int32_t nr; /* PS_NR_NONE: not a system call of this architecture */
	const char *name;
} syscall_names[] = { PS_SYSCALLS(SYSCALL_NAME) };
#undef SYSCALL_NAME

const char *trace__func_name(const struct trace_view *v, uint32_t func)
{
	if (func & PS_FUNC_TRACED) {
		uint32_t i = func & ~PS_FUNC_TRACED;

		return (int)i < v->nfuncs ? v->funcs[i] : "?";
	}
	if (!(func & PS_FUNC_SYSCALL))
		return hook__name(func);
	for (size_t i = 0; i < sizeof(syscall_names) / sizeof(syscall_names[0]); i++)
		if (syscall_names[i].nr != PS_NR_NONE &&
		    (uint32_t)syscall_names[i].nr == (func & ~PS_FUNC_SYSCALL))
			return syscall_names[i].name;
	return "?";
}

const char *trace__event_func(const struct trace_view *v, const struct ps_event *e)
{
	return e->op == PS_OP_STALL ? "mmap_lock" : trace__func_name(v, e->func);
}

const char *trace__stack_func(const struct trace_view *v, const struct ps_event *e)
{
	return e->op == PS_OP_STALL || (e->func & PS_FUNC_SYSCALL) ? NULL
								   : trace__func_name(v, e->func);
}

void trace__paths(const struct ps_event *e, struct trace_paths *ret_paths)
{
	struct ps_file_key key;

	if (e->fs >= PS_FS_COUNT) { /* a traced function that carries no file */
		ret_paths->raw[0] = '\0';
		ret_paths->normalized[0] = '\0';
		return;
	}
	if (e->path_is_name) { /* the name as the call was given it (a failed open) */
		snprintf(ret_paths->raw, sizeof(ret_paths->raw), "%.*s%s",
			 (int)strnlen(e->path, sizeof(e->path)), e->path,
			 e->truncated ? "..." : "");
		if (e->path[0] != '/' || pathfmt__normalize(ret_paths->raw, ret_paths->normalized,
							    sizeof(ret_paths->normalized)))
			memcpy(ret_paths->normalized, ret_paths->raw,
			       sizeof(ret_paths->normalized));
		return;
	}
	memset(&key, 0, sizeof(key));
	key.fs = e->fs;
	key.truncated = e->truncated;
	memcpy(key.path, e->path, sizeof(key.path));
	pathfmt__display(&key, ret_paths->raw, sizeof(ret_paths->raw));
	if (pathfmt__normalize(ret_paths->raw, ret_paths->normalized,
			       sizeof(ret_paths->normalized)))
		memcpy(ret_paths->normalized, ret_paths->raw, sizeof(ret_paths->normalized));
}

bool trace__path_matches(const struct trace_paths *p, const char *glob)
{
	return !fnmatch(glob, p->raw, 0) || !fnmatch(glob, p->normalized, 0);
}

void render_trace__header(FILE *out)
{
	fprintf(out, "%-12s %7s %7s %-16s %6s %-10s %8s %9s %s\n", "TIME(s)", "PID", "TID", "COMM",
		"UID", "FUNC", "RET", "LAT", "PATH");
}

static double seconds_since_start(const struct ps_event *e, const struct trace_view *v)
{
	return e->ts_ns >= v->mono_start_ns ? (double)(e->ts_ns - v->mono_start_ns) / 1e9 : 0.0;
}

/* "        show_cpuinfo+0x5 [kernel]", "        main+0x1f [/usr/bin/x] x.c:12" */
static void table_frames(FILE *out, const struct stack_frame *frames, int n)
{
	for (int i = 0; i < n; i++) {
		const struct stack_frame *f = &frames[i];

		fputs("        ", out);
		if (f->resolved) {
			render__text(out, f->symbol, sizeof(f->symbol));
			if (f->inlined) /* no code of its own: the offset is the caller's */
				fputs(" (inlined)", out);
			else
				fprintf(out, "+0x%llx", (unsigned long long)f->offset);
		} else {
			fprintf(out, "[unknown] 0x%llx", (unsigned long long)f->addr);
		}
		if (f->object[0]) {
			fputs(" [", out);
			render__text(out, f->object, sizeof(f->object));
			fputc(']', out);
		}
		if (f->line) {
			fputc(' ', out);
			render__text(out, f->source, sizeof(f->source));
			fprintf(out, ":%u", f->line);
		}
		fputc('\n', out);
	}
}

void render_trace__table(FILE *out, const struct ps_event *e, const struct trace_paths *p,
			 const struct event_stacks *stacks, const struct trace_view *v)
{
	char lat[16];

	render__latency(e->lat_ns, lat, sizeof(lat));
	fprintf(out, "%-12.6f %7u %7u ", seconds_since_start(e, v), e->pid, e->tid);
	render__text_padded(out, e->comm, sizeof(e->comm), 16);
	if (e->op == PS_OP_STALL)
		fprintf(out, " %6u %-10s %8s %9s ", e->uid, trace__event_func(v, e), "-", lat);
	else
		fprintf(out, " %6u %-10s %8lld %9s ", e->uid, trace__event_func(v, e),
			(long long)e->ret, lat);
	if (p->raw[0])
		render__text(out, p->raw, sizeof(p->raw));
	else
		fputc('-', out);
	if (e->op == PS_OP_STALL) {
		char share[16];

		render__latency((uint64_t)e->ret, share, sizeof(share));
		fprintf(out, " held by %u ", e->reader_pid);
		render__text(out, e->reader_comm, sizeof(e->reader_comm));
		fprintf(out, " (readers' share %s)", share);
	}
	fputc('\n', out);
	if (stacks) {
		table_frames(out, stacks->kernel, stacks->nkernel);
		table_frames(out, stacks->user, stacks->nuser);
		if (stacks->user_truncated)
			fputs("        [truncated: the stack goes on above these frames]\n", out);
	}
}

static void json_frames(struct json_writer *w, const char *key, const struct stack_frame *frames,
			int n)
{
	char addr[24];

	json__key(w, key);
	json__begin_array(w);
	for (int i = 0; i < n; i++) {
		const struct stack_frame *f = &frames[i];

		json__begin_object(w);
		/* A string: kernel addresses do not fit the 53 bits JSON numbers keep exactly. */
		snprintf(addr, sizeof(addr), "0x%llx", (unsigned long long)f->addr);
		json__key(w, "addr");
		json__string(w, addr);
		json__key(w, "symbol");
		json__string_n(w, f->symbol, sizeof(f->symbol));
		json__key(w, "offset");
		if (f->resolved && !f->inlined)
			json__u64(w, f->offset);
		else
			json__null(w);
		json__key(w, f->kernel ? "module" : "binary");
		if (f->object[0])
			json__string_n(w, f->object, sizeof(f->object));
		else
			json__null(w);
		if (f->inlined) {
			json__key(w, "inlined");
			json__bool(w, true);
		}
		if (!f->kernel) {
			json__key(w, "file");
			if (f->line)
				json__string_n(w, f->source, sizeof(f->source));
			else
				json__null(w);
			json__key(w, "line");
			if (f->line)
				json__u64(w, f->line);
			else
				json__null(w);
		}
		json__end_object(w);
	}
	json__end_array(w);
}

void render_trace__json(FILE *out, const struct ps_event *e, const struct trace_paths *p,
			const struct event_stacks *stacks, const struct trace_view *v)
{
	struct timespec wall;
	struct json_writer w;
	char time[48];

	clock__wall_at(&v->wall_start, v->mono_start_ns, e->ts_ns, &wall);
	render__iso_time(&wall, time, sizeof(time));
	json__init(&w, out);
	json__begin_object(&w);
	json__key(&w, "time");
	json__string(&w, time);
	json__key(&w, "ts_ns");
	json__u64(&w, e->ts_ns);
	render__json_process(&w, e->pid, e->tid, e->comm, e->uid);
	json__key(&w, "func");
	json__string(&w, trace__event_func(v, e));
	json__key(&w, "op");
	json__string(&w, op__name(e->op));
	json__key(&w, "fs");
	if (e->fs < PS_FS_COUNT)
		json__string(&w, fsinfo__name(e->fs));
	else
		json__null(&w);
	json__key(&w, "path");
	if (p->raw[0])
		json__string(&w, p->normalized);
	else
		json__null(&w);
	json__key(&w, "raw_path");
	if (p->raw[0])
		json__string(&w, p->raw);
	else
		json__null(&w);
	json__key(&w, "ret");
	if (e->op == PS_OP_STALL)
		json__null(&w);
	else
		json__s64(&w, e->ret);
	json__key(&w, "lat_ns");
	if (e->lat_ns)
		json__u64(&w, e->lat_ns);
	else
		json__null(&w);
	if (e->op == PS_OP_STALL) {
		/* the wait is lat_ns; the readers' share of it, and the one with the largest */
		json__key(&w, "readers_wait_ns");
		json__u64(&w, (uint64_t)e->ret);
		json__key(&w, "reader");
		json__begin_object(&w);
		json__key(&w, "pid");
		json__u64(&w, e->reader_pid);
		json__key(&w, "comm");
		json__string_n(&w, e->reader_comm, sizeof(e->reader_comm));
		json__end_object(&w);
	}
	if (stacks && stacks->has_kernel)
		json_frames(&w, "kstack", stacks->kernel, stacks->nkernel);
	if (stacks && stacks->has_user) {
		json_frames(&w, "ustack", stacks->user, stacks->nuser);
		json__key(&w, "ustack_truncated");
		json__bool(&w, stacks->user_truncated);
	}
	json__end_object(&w);
	json__end_record(&w);
}

void render_trace__json_summary(FILE *out, uint64_t received, uint64_t lost,
				uint64_t ustacks_truncated)
{
	static const char *const keys[] = { "received", "lost", "ustacks_truncated" };
	const uint64_t values[] = { received, lost, ustacks_truncated };

	render__json_counts(out, keys, values, 3);
}
