/* SPDX-License-Identifier: GPL-2.0-only */
/* Where a part of an ELF file lands in memory: its loadable segments (PT_LOAD). */
#ifndef PS_ELFSEG_H
#define PS_ELFSEG_H

#include <gelf.h>
#include <stdbool.h>
#include <stdint.h>

/* The address (before relocation) of file offset @offset; false when no segment loads it. */
bool elfseg__vaddr_of_offset(Elf *elf, uint64_t offset, uint64_t *ret_vaddr);

/* The lowest address of an executable segment: where the kernel's mm->start_code points, less
 * the load bias. False when there is none. */
bool elfseg__code_vaddr(Elf *elf, uint64_t *ret_vaddr);

#endif
