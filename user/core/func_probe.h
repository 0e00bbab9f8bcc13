/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The probes of one traced kernel function (`procscope trace FUNC`): sole owner of the
 * procscope_func skeleton (bpf/trace_func.bpf.c), one copy per function, writing into the main
 * object's ring buffer and counters.
 */
#ifndef PS_FUNC_PROBE_H
#define PS_FUNC_PROBE_H

#include <stddef.h>
#include <stdint.h>
#include <bpf/btf.h>
#include "probe_config.h"
#include "procscope.h"

struct func_probe;

/* The struct that pointer type @type_id points at (through typedefs and qualifiers), NULL when
 * it is no pointer to a complete struct: what an fentry program may read an argument as. */
const struct btf_type *func_probe__pointed_struct(const struct btf *btf, __u32 type_id);

/*
 * Checks that @name is a kernel function in @btf and fills the fields of @c that describe it
 * (file argument, argument count, return type). Returns 0, or -ENOENT with a line in @err.
 */
int func_probe__describe(const struct btf *btf, const char *name, struct ps_config *c, char *err,
			 size_t errlen);

/*
 * Loads and attaches the entry and return programs of @name in @mode (fentry or kprobe), with
 * the filters of @base; events go to the map @events_fd, losses to @counters_fd. Returns 0 with
 * *ret_probe set, or -errno with a line in @err naming the function and the cause.
 */
int func_probe__open(const char *name, uint32_t index, enum ps_mode mode,
		     const struct ps_config *base, const struct btf *btf, const char *btf_path,
		     int events_fd, int counters_fd, struct func_probe **ret_probe, char *err,
		     size_t errlen);
void func_probe__destroy(struct func_probe *p);

#endif
