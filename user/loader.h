/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The sole owner of the BPF skeleton: open, set the configuration, choose the attach mode by
 * trying (fentry, then kprobe, then tracepoint), load, attach, read the maps, destroy.
 */
#ifndef PS_LOADER_H
#define PS_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "options.h"
#include "snapshot.h"

struct loader;

struct loader_config {
	uint32_t fs_mask;
	uint32_t tgid;
	char comm[PS_COMM_LEN];
	bool comm_set;
	bool per_process;
	uint32_t max_files;
	enum ps_mode mode; /* MODE_AUTO tries each in turn */
};

/*
 * Loads and attaches. Returns 0 with *ret_loader set, or -errno with one line in @err saying what
 * failed and why (the modes tried, for auto).
 */
int loader__open(const struct loader_config *cfg, struct loader **ret_loader, char *err,
		 size_t errlen);
void loader__destroy(struct loader *l);

enum ps_mode loader__mode(const struct loader *l);
int loader__probe_count(const struct loader *l);

/* Warnings of the mode in use (functions skipped), one line each; NULL past the last. */
const char *loader__warning(const struct loader *l, int i);

/*
 * Reads every map into @ret_snap (which must be initialized and empty) and starts a new latency
 * epoch, so each snapshot's maximum latencies cover the time since the previous one.
 * Returns 0 or -errno.
 */
int loader__snapshot(struct loader *l, struct snapshot *ret_snap);

#endif
