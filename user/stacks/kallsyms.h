/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel symbols from /proc/kallsyms, for the kernel frames of `procscope trace -K`. Parsing
 * reads a stream the caller opened, so tests and the fuzzer feed it any text.
 */
#ifndef PS_KALLSYMS_H
#define PS_KALLSYMS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct kallsyms;

/*
 * Reads "ADDRESS TYPE NAME [MODULE]" lines of text symbols; other lines are skipped. Returns
 * NULL with errno set on failure (ENOMEM, or EIO on a read error).
 */
struct kallsyms *kallsyms__parse(FILE *in);
void kallsyms__free(struct kallsyms *ks);

/* Whether every address read was zero: kernel.kptr_restrict hides them from this process. */
bool kallsyms__hidden(const struct kallsyms *ks);
size_t kallsyms__count(const struct kallsyms *ks);

/*
 * The symbol at or below @addr: its name, its module ("kernel" for the core image, "bpf" for BPF
 * programs and trampolines) and @addr's offset into it. Returns false when @addr is below every
 * symbol.
 */
bool kallsyms__lookup(const struct kallsyms *ks, uint64_t addr, const char **ret_name,
		      const char **ret_module, uint64_t *ret_offset);

/* The address of the first symbol named @name (a linear search: call it once per name). */
bool kallsyms__address(const struct kallsyms *ks, const char *name, uint64_t *ret_addr);

/* The lowest address of the core image's symbols named @name (several static functions can share
 * a name: arm64's c_show, /proc/cpuinfo's, and another); false when the core image has none. */
bool kallsyms__kernel_address(const struct kallsyms *ks, const char *name, uint64_t *ret_addr);

#endif
