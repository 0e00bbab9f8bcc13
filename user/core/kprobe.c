// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include "kprobe.h"
#include "stacks/kallsyms.h"

/* The lowest core-image address of @function in /proc/kallsyms, 0 when unknown or hidden. */
static unsigned long lowest_address(const char *function)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	struct kallsyms *ks;
	uint64_t addr = 0;

	if (!f)
		return 0;
	ks = kallsyms__parse(f);
	fclose(f);
	if (!ks)
		return 0;
	if (kallsyms__hidden(ks) || !kallsyms__kernel_address(ks, function, &addr))
		addr = 0;
	kallsyms__free(ks);
	return (unsigned long)addr;
}

struct bpf_link *kprobe__attach(struct bpf_program *prog, bool retprobe, const char *function)
{
	LIBBPF_OPTS(bpf_kprobe_opts, opts, .retprobe = retprobe);
	struct bpf_link *link = bpf_program__attach_kprobe(prog, retprobe, function);
	int err = errno;

	if (link || err != EADDRNOTAVAIL)
		return link;
	/* libbpf takes the offset as the address when no name is given */
	opts.offset = lowest_address(function);
	if (!opts.offset) {
		errno = err;
		return NULL;
	}
	return bpf_program__attach_kprobe_opts(prog, NULL, &opts);
}
