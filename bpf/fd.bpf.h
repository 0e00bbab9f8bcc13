/* SPDX-License-Identifier: GPL-2.0-only */
/* The struct file behind a descriptor of the current process: for the system calls of the
 * tracepoint mode, and the getdents entry points of every mode. */
#ifndef PS_FD_BPF_H
#define PS_FD_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

/*
 * current->files->fdt->fd[fd], or NULL when fd is out of the table's range. Since 5.11 the task
 * comes typed (bpf_get_current_task_btf) and the walk to the table is plain loads; before, every
 * step is a helper call. The relocation makes the test a constant, so 5.10's verifier never sees
 * the newer helper.
 */
static __always_inline struct file *fd_to_file(unsigned long fd)
{
	struct file *file = NULL;
	unsigned long fds;

	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_current_task_btf)) {
		struct fdtable *fdt = bpf_get_current_task_btf()->files->fdt;

		if (!fdt || fd >= fdt->max_fds)
			return NULL;
		fds = (unsigned long)fdt->fd;
	} else {
		struct task_struct *task = (struct task_struct *)bpf_get_current_task();
		struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);

		if (!fdt || fd >= BPF_CORE_READ(fdt, max_fds))
			return NULL;
		fds = (unsigned long)BPF_CORE_READ(fdt, fd);
	}
	/* A scalar address from here: the verifier allows no index into a typed pointer. */
	barrier_var(fds);
	bpf_probe_read_kernel(&file, sizeof(file), (void *)(fds + fd * sizeof(file)));
	return file;
}

#endif /* PS_FD_BPF_H */
