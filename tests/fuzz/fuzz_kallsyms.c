// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target: the /proc/kallsyms parser, and lookups in what it parsed. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include "stacks/kallsyms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *in = fmemopen((void *)data, size, "r");
	struct kallsyms *ks;
	const char *name, *module;
	uint64_t off, addr;

	if (!in)
		return 0;
	ks = kallsyms__parse(in);
	fclose(in);
	if (!ks)
		return 0;
	for (uint64_t a = 0; a < 4; a++)
		kallsyms__lookup(ks, a * 0x4000000000000000ull + (size > 8 ? data[8] : 0), &name,
				 &module, &off);
	kallsyms__address(ks, "vfs_read", &addr);
	kallsyms__hidden(ks);
	kallsyms__free(ks);
	return 0;
}
