/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The user registers of an event (struct ps_ustack_copy.regs: the kernel's struct pt_regs, in
 * the architecture's own layout) in the order of the DWARF register numbers, which is what the
 * unwinder takes. The one place that knows an architecture's registers.
 */
#ifndef PS_UREGS_H
#define PS_UREGS_H

#include <stdbool.h>
#include <stdint.h>
#include "procscope.h"

#define UREGS_DWARF_MAX 33 /* arm64: x0-x30, sp (32) */

/*
 * Fills @ret_regs with the registers from DWARF number 0 on; *ret_n is how many, *ret_pc the
 * instruction pointer. False on an architecture the unwinder does not know.
 */
bool uregs__dwarf(const uint8_t raw[PS_UREGS_SIZE], uint64_t ret_regs[UREGS_DWARF_MAX], int *ret_n,
		  uint64_t *ret_pc);

#endif
