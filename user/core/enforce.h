/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How this kernel lets audit --enforce refuse an access (bpf/enforce.bpf.c): BPF LSM programs
 * where bpf is an active LSM and the kernel loads them, fmod_ret programs on the security_
 * functions where it has BPF trampolines, or neither. Found by asking the kernel: its active
 * LSMs (securityfs's lsm file, mounted for the question when it is not), and a two-instruction
 * program of each kind loaded and closed.
 */
#ifndef PS_ENFORCE_H
#define PS_ENFORCE_H

#include <stddef.h>
#include <bpf/btf.h>

enum enforce_kind {
	ENFORCE_NONE,
	ENFORCE_LSM,	  /* lsm/file_permission, lsm/ptrace_access_check */
	ENFORCE_FMOD_RET, /* fmod_ret/security_file_permission, ..._ptrace_access_check */
};

/* The kind to use with the kernel's types @btf; ENFORCE_NONE with what each lacks in @why. */
enum enforce_kind enforce__pick(const struct btf *btf, char *why, size_t whylen);

/* "lsm", "fmod_ret", "none": the prefix of the programs' names too. */
const char *enforce__name(enum enforce_kind kind);

#endif
