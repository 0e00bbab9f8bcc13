/* SPDX-License-Identifier: GPL-2.0-only */
/* Output helpers shared by the renderers: interval headers, times, units, safe text. */
#ifndef PS_RENDER_H
#define PS_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include "json_writer.h"
#include "procscope.h"

#define PS_HOOK_NAME_MAX 24

/* What every interval record carries besides its rows. */
struct interval_info {
	struct timespec wall; /* CLOCK_REALTIME at the end of the interval */
	double interval_s;    /* measured length */
	const char *mode;     /* attach mode in use */
};

/* The kernel function of a hook: "vfs_read", ... */
const char *hook__name(unsigned int hook);

/* ISO-8601 UTC with milliseconds: 2026-11-22T18:43:01.123Z */
void render__iso_time(const struct timespec *wall, char *buf, size_t len);
/* Local wall-clock time for tables: 18:43:01 */
void render__clock_time(const struct timespec *wall, char *buf, size_t len);
/* A latency for humans: "850ns", "3.1us", "12.0ms", "1.20s"; "-" for 0. */
void render__latency(uint64_t ns, char *buf, size_t len);

/* Writes at most @len bytes of @s for a terminal: control characters and backslashes become
 * \xNN, so no name from outside can move the cursor or forge a line. */
void render__text(FILE *out, const char *s, size_t len);
/* Like render__text, padded with spaces to @width columns. */
void render__text_padded(FILE *out, const char *s, size_t len, int width);

/* The "pid", "tid", "comm" and "uid" members of a process in an event. */
void render__json_process(struct json_writer *w, uint32_t pid, uint32_t tid,
			  const char comm[PS_COMM_LEN], uint32_t uid);

/* One JSON record of counts, {"KEY":N,...}: the closing summary of an event stream. */
void render__json_counts(FILE *out, const char *const *keys, const uint64_t *values, int n);

/* The "time", "interval_s" and "mode" members of a JSON record. */
void render__json_interval(struct json_writer *w, const struct interval_info *info);

#endif
