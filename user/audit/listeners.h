/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The processes that serve the network when the audit starts, for the recon-read rule: those
 * holding a listening TCP socket (IPv4 or IPv6), found as ss -ltp finds them, through
 * /proc/PID/net/tcp{,6} of each network namespace and the sockets in /proc/PID/fd; and those
 * running a server program (the rules file's servers:) or descending from one. From then on the
 * kernel keeps the list itself (bpf/audit.bpf.c).
 */
#ifndef PS_LISTENERS_H
#define PS_LISTENERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "exe_id.h"

/* Called with each listening socket's inode number. */
typedef void (*listeners_inode_fn)(void *ctx, uint64_t inode);
/* Called with each process found serving: its pid, its start time in clock ticks
 * (/proc/PID/stat's 22nd field), and whether it runs a server program or descends from one
 * (what it executes serves too). Returns 0, or -errno to stop the scan. */
typedef int (*listeners_add_fn)(void *ctx, uint32_t pid, uint64_t start_ticks, bool through_exec);

/* The listening sockets (state 0A) in @f, text as /proc/net/tcp and tcp6 give it. Returns 0,
 * or -EINVAL at a line it cannot read. */
int listeners__parse_net(FILE *f, listeners_inode_fn fn, void *ctx);

/* The parent and the start time of a process from the text of its /proc/PID/stat. Returns 0
 * or -EINVAL. */
int listeners__parse_stat(const char *stat, uint32_t *ret_ppid, uint64_t *ret_ticks);

/*
 * Every process under @proc (a procfs mount, "/proc") holding a listening TCP socket, running
 * one of the @nservers programs @servers or descending from one, given to @add; not pid 1.
 * Processes that exit during the scan are skipped. Needs the capabilities to read other
 * processes' fd directories and exe links (CAP_SYS_PTRACE, or root's DAC override). Returns the
 * number of processes found, or -errno.
 */
int listeners__scan(const char *proc, const struct exe_id *servers, size_t nservers,
		    listeners_add_fn add, void *ctx);

#endif
