/* SPDX-License-Identifier: GPL-2.0-only */
/* The exporter's own process_* figures: CPU time, memory, file descriptors. */
#ifndef PS_SELFSTAT_H
#define PS_SELFSTAT_H

#include "render/prom.h"

/* Fills what it can read; a figure it cannot read is left 0. @start_time is when procscope
 * started, since the epoch. Reading /proc/self/statm is itself a procfs read that procscope
 * sees and counts, as it should. */
void selfstat__read(double start_time, struct self_stats *ret_stats);

#endif
