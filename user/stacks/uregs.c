// SPDX-License-Identifier: GPL-2.0-only
#include <stddef.h>
#include <string.h>
#include <sys/user.h>
#include "uregs.h"

#if defined(__x86_64__)
/* struct user_regs_struct begins as the kernel's struct pt_regs (r15 ... ss); DWARF numbers
 * them rax rdx rcx rbx rsi rdi rbp rsp r8-r15, and 16 is the return address (rip). */
_Static_assert(offsetof(struct user_regs_struct, ss) + 8 <= PS_UREGS_SIZE, "pt_regs prefix");
#define DWARF_REG(name) offsetof(struct user_regs_struct, name)
static const size_t dwarf_order[] = {
	DWARF_REG(rax), DWARF_REG(rdx), DWARF_REG(rcx), DWARF_REG(rbx), DWARF_REG(rsi),
	DWARF_REG(rdi), DWARF_REG(rbp), DWARF_REG(rsp), DWARF_REG(r8),	DWARF_REG(r9),
	DWARF_REG(r10), DWARF_REG(r11), DWARF_REG(r12), DWARF_REG(r13), DWARF_REG(r14),
	DWARF_REG(r15), DWARF_REG(rip),
};
#define PC_REG 16
#endif

bool uregs__dwarf(const uint8_t raw[PS_UREGS_SIZE], uint64_t ret_regs[UREGS_DWARF_MAX], int *ret_n,
		  uint64_t *ret_pc)
{
#ifdef PC_REG
	size_t n = sizeof(dwarf_order) / sizeof(dwarf_order[0]);

	for (size_t i = 0; i < n; i++)
		memcpy(&ret_regs[i], raw + dwarf_order[i], sizeof(ret_regs[i]));
	*ret_n = (int)n;
	*ret_pc = ret_regs[PC_REG];
	return true;
#else
	(void)raw;
	(void)ret_regs;
	*ret_n = 0;
	*ret_pc = 0;
	return false;
#endif
}
