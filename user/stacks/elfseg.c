// SPDX-License-Identifier: GPL-2.0-only
#include "elfseg.h"

/* Calls @fn with each loadable segment until it returns true; false when none did. */
static bool each_load(Elf *elf, bool (*fn)(const GElf_Phdr *ph, void *arg), void *arg)
{
	size_t n;

	if (!elf || elf_getphdrnum(elf, &n))
		return false;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD && fn(&ph, arg))
			return true;
	}
	return false;
}

struct offset_query {
	uint64_t offset, vaddr;
};

static bool holds_offset(const GElf_Phdr *ph, void *arg)
{
	struct offset_query *q = arg;

	if (q->offset < ph->p_offset || q->offset >= ph->p_offset + ph->p_filesz)
		return false;
	q->vaddr = q->offset - ph->p_offset + ph->p_vaddr;
	return true;
}

bool elfseg__vaddr_of_offset(Elf *elf, uint64_t offset, uint64_t *ret_vaddr)
{
	struct offset_query q = { .offset = offset };

	if (!each_load(elf, holds_offset, &q))
		return false;
	*ret_vaddr = q.vaddr;
	return true;
}

static bool lowest_code(const GElf_Phdr *ph, void *arg)
{
	uint64_t *lowest = arg;

	if ((ph->p_flags & PF_X) && ph->p_vaddr < *lowest)
		*lowest = ph->p_vaddr;
	return false; /* every segment is looked at */
}

bool elfseg__code_vaddr(Elf *elf, uint64_t *ret_vaddr)
{
	uint64_t lowest = UINT64_MAX;

	each_load(elf, lowest_code, &lowest);
	if (lowest == UINT64_MAX)
		return false;
	*ret_vaddr = lowest;
	return true;
}
