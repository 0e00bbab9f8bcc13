// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "func_probe.h"
#include "kprobe.h"
#include "loader.h"
#include "procscope_func.skel.h"

struct func_probe {
	struct procscope_func_bpf *skel;
	struct bpf_link *ret_link;
	struct bpf_link *entry_link;
};

/* enum ps_file_kind of a parameter type: a pointer to struct file, kiocb or seq_file. */
const struct btf_type *func_probe__pointed_struct(const struct btf *btf, __u32 type_id)
{
	const struct btf_type *t = btf__type_by_id(btf, btf__resolve_type(btf, type_id));

	if (!t || !btf_is_ptr(t))
		return NULL;
	t = btf__type_by_id(btf, btf__resolve_type(btf, t->type));
	return t && btf_is_struct(t) ? t : NULL;
}

static uint8_t file_kind_of(const struct btf *btf, uint32_t type_id)
{
	static const struct {
		const char *name;
		uint8_t kind;
	} kinds[] = {
		{ "file", PS_FILE_FILE },
		{ "kiocb", PS_FILE_KIOCB },
		{ "seq_file", PS_FILE_SEQ_FILE },
	};
	const struct btf_type *t = func_probe__pointed_struct(btf, type_id);
	const char *name;

	if (!t)
		return PS_FILE_NONE;
	name = btf__name_by_offset(btf, t->name_off);
	for (size_t i = 0; name && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(name, kinds[i].name))
			return kinds[i].kind;
	return PS_FILE_NONE;
}

int func_probe__describe(const struct btf *btf, const char *name, struct ps_config *c, char *err,
			 size_t errlen)
{
	const struct btf_type *fn, *proto, *ret;
	const struct btf_param *params;
	int id = btf__find_by_name_kind(btf, name, BTF_KIND_FUNC);
	long size;

	if (id <= 0) {
		snprintf(err, errlen, "unknown kernel function %s (not in the kernel's BTF)", name);
		return -ENOENT;
	}
	fn = btf__type_by_id(btf, id);
	proto = btf__type_by_id(btf, fn->type);
	if (!proto || !btf_is_func_proto(proto)) {
		snprintf(err, errlen, "%s has no prototype in the kernel's BTF", name);
		return -ENOENT;
	}
	c->nargs = btf_vlen(proto);
	c->file_kind = PS_FILE_NONE;
	params = btf_params(proto);
	/* The kprobe mode reads the first five argument registers; fentry could read more, but
	 * one rule for both modes keeps the output the same whichever attaches. */
	for (uint8_t i = 0; i < c->nargs && i < 5; i++) {
		c->file_kind = file_kind_of(btf, params[i].type);
		if (c->file_kind != PS_FILE_NONE) {
			c->file_arg = i;
			break;
		}
	}
	c->ret_size = 0;
	c->ret_signed = 0;
	if (proto->type) {
		ret = btf__type_by_id(btf, btf__resolve_type(btf, proto->type));
		size = btf__resolve_size(btf, proto->type);
		c->ret_size = size > 0 && size <= 8 ? (uint8_t)size : 8;
		if (ret && btf_is_int(ret))
			c->ret_signed = (btf_int_encoding(ret) & BTF_INT_SIGNED) != 0;
		else if (ret && btf_is_enum(ret))
			c->ret_signed = 1;
	}
	return 0;
}

static int attach(struct bpf_program *prog, enum ps_mode mode, bool retprobe, const char *name,
		  struct bpf_link **ret_link)
{
	struct bpf_link *link = mode == MODE_FENTRY ? bpf_program__attach(prog)
						    : kprobe__attach(prog, retprobe, name);

	if (!link)
		return -errno;
	*ret_link = link;
	return 0;
}

int func_probe__open(const char *name, uint32_t index, enum ps_mode mode,
		     const struct ps_config *base, const struct btf *btf, const char *btf_path,
		     int events_fd, int counters_fd, struct func_probe **ret_probe, char *err,
		     size_t errlen)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = btf_path);
	struct bpf_program *entry, *ret, *prog;
	struct ps_config c = *base;
	struct func_probe *p;
	int r;

	r = func_probe__describe(btf, name, &c, err, errlen);
	if (r)
		return r;
	c.func = PS_FUNC_TRACED | index;
	p = calloc(1, sizeof(*p));
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	p->skel = procscope_func_bpf__open_opts(&opts);
	if (!p->skel) {
		r = -errno;
		snprintf(err, errlen, "cannot open the BPF object of %s: %s", name, strerror(-r));
		goto err_free;
	}
	*(struct ps_config *)&p->skel->rodata->cfg = c;
	r = bpf_map__reuse_fd(p->skel->maps.events, events_fd);
	if (!r)
		r = bpf_map__reuse_fd(p->skel->maps.counters, counters_fd);
	if (r) {
		snprintf(err, errlen, "cannot share the ring buffer with %s: %s", name,
			 strerror(-r));
		goto err_destroy;
	}
	/* The per-file maps are the main object's business: minimal ones here. */
	bpf_map__set_max_entries(p->skel->maps.file_slots, 1);
	bpf_map__set_max_entries(p->skel->maps.file_stats, 1);
	bpf_map__set_max_entries(p->skel->maps.idents, 1);
	bpf_map__set_max_entries(p->skel->maps.free_slots, 1);
	bpf_map__set_max_entries(p->skel->maps.key_scratch, loader__scratch_entries());
	/* Calls in flight in the inflight hash map here (ps_config.task_inflight is off). */
	bpf_map__set_autocreate(p->skel->maps.task_inflight, false);
	if (c.entry_kstack)
		bpf_map__set_max_entries(p->skel->maps.entry_stacks, PS_INFLIGHT_MAX);
	bpf_object__for_each_program(prog, p->skel->obj) bpf_program__set_autoload(prog, false);
	entry = mode == MODE_FENTRY ? p->skel->progs.trace_func__fentry
				    : p->skel->progs.trace_func__kprobe;
	ret = mode == MODE_FENTRY ? p->skel->progs.trace_func__fexit
				  : p->skel->progs.trace_func__kretprobe;
	bpf_program__set_autoload(entry, true);
	bpf_program__set_autoload(ret, true);
	if (mode == MODE_FENTRY) {
		bpf_program__set_attach_target(entry, 0, name);
		bpf_program__set_attach_target(ret, 0, name);
	}
	r = procscope_func_bpf__load(p->skel);
	if (r) {
		/* EPERM is the kernel refusing the attach type; anything else, this function
		 * (notrace, or an fentry with too many arguments for this kernel). */
		snprintf(err, errlen, "cannot trace %s: the kernel refused its %s programs (%s)%s",
			 name, mode__name(mode), strerror(-r),
			 r == -EPERM ? "" : "; functions marked notrace cannot be traced");
		goto err_destroy;
	}
	/* The return probe first, so no entry is left without its return. */
	r = attach(ret, mode, true, name, &p->ret_link);
	if (!r)
		r = attach(entry, mode, false, name, &p->entry_link);
	if (r) {
		snprintf(err, errlen, "cannot attach %s to %s: %s", mode__name(mode), name,
			 loader__attach_strerror(r));
		goto err_destroy;
	}
	*ret_probe = p;
	return 0;

err_destroy:
	func_probe__destroy(p);
	return r;
err_free:
	free(p);
	return r;
}

void func_probe__destroy(struct func_probe *p)
{
	if (!p)
		return;
	bpf_link__destroy(p->entry_link);
	bpf_link__destroy(p->ret_link);
	procscope_func_bpf__destroy(p->skel);
	free(p);
}
