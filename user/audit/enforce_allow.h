/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The allowlist as the kernel applies it to audit --enforce (bpf/enforce.bpf.c), so that an
 * allowed reader is never refused: the entries that allow an enforced rule, each matcher made
 * something a BPF program can compare. An exe glob becomes one entry per file it names now
 * (glob(3): '*' does not cross '/', where the allowlist's own fnmatch does); a cgroup path the
 * id of that cgroup's directory, which covers the cgroups below it as the path prefix does.
 */
#ifndef PS_ENFORCE_ALLOW_H
#define PS_ENFORCE_ALLOW_H

#include <stddef.h>
#include <stdint.h>
#include "allowlist.h"
#include "procscope.h"

/*
 * The entries of @l that allow any of @rules (bit 1 << enum ps_rule), into a malloc'd array;
 * @cgroup_root: the cgroup2 mount (NULL: none, cgroup entries can match nothing). An entry whose
 * exe names no file or whose cgroup does not exist can match no process now: left out, with a
 * note in @note. Returns the number of entries, or -errno with one line in @err (-E2BIG: more
 * than PS_ENFORCE_ALLOW_MAX).
 */
int enforce_allow__build(const struct allowlist *l, uint32_t rules, const char *cgroup_root,
			 struct ps_enforce_allow **ret_entries, char *note, size_t notelen,
			 char *err, size_t errlen);

#endif
