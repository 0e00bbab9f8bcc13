/* SPDX-License-Identifier: GPL-2.0-only */
/* The exporter's own process_* figures: CPU time, memory, file descriptors. */
#ifndef PS_SELFSTAT_H
#define PS_SELFSTAT_H

#include <stdint.h>

/* The process_* metrics of the exporter itself. */
struct self_stats {
	double cpu_seconds;
	uint64_t resident_bytes;
	uint64_t virtual_bytes;
	uint64_t open_fds;
	uint64_t max_fds;
	double start_time_seconds; /* since the epoch */
};

/* Fills what it can read; a figure it cannot read is left 0. @start_time is when procscope
 * started, since the epoch. Reading /proc/self/statm is itself a procfs read that procscope
 * sees and counts, as it should. */
void selfstat__read(double start_time, struct self_stats *ret_stats);

#endif
