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
#define PC_OFFSET DWARF_REG(rip)
#elif defined(__aarch64__)
/* struct user_regs_struct is the kernel's struct user_pt_regs, the head of its struct pt_regs
 * (regs[31], sp, pc, pstate); DWARF numbers x0-x30 0-30 and sp 31. The pc has no DWARF number:
 * it is given to the unwinder apart (the return address is x30's). */
_Static_assert(sizeof(struct user_regs_struct) <= PS_UREGS_SIZE, "user_pt_regs");
#define DWARF_REG(name) offsetof(struct user_regs_struct, name)
#define X(n) DWARF_REG(regs[n])
static const size_t dwarf_order[] = {
	X(0),  X(1),  X(2),  X(3),  X(4),  X(5),  X(6),	 X(7),	X(8),  X(9),	      X(10),
	X(11), X(12), X(13), X(14), X(15), X(16), X(17), X(18), X(19), X(20),	      X(21),
	X(22), X(23), X(24), X(25), X(26), X(27), X(28), X(29), X(30), DWARF_REG(sp),
};
#undef X
#define PC_OFFSET DWARF_REG(pc)
#endif

bool uregs__dwarf(const uint8_t raw[PS_UREGS_SIZE], uint64_t ret_regs[UREGS_DWARF_MAX], int *ret_n,
		  uint64_t *ret_pc)
{
#ifdef PC_OFFSET
	size_t n = sizeof(dwarf_order) / sizeof(dwarf_order[0]);

	for (size_t i = 0; i < n; i++)
		memcpy(&ret_regs[i], raw + dwarf_order[i], sizeof(ret_regs[i]));
	*ret_n = (int)n;
	memcpy(ret_pc, raw + PC_OFFSET, sizeof(*ret_pc));
	return true;
#else
	(void)raw;
	(void)ret_regs;
	*ret_n = 0;
	*ret_pc = 0;
	return false;
#endif
}
