/* SPDX-License-Identifier: GPL-2.0-only */
/* The one checked parser for numbers from outside: options, pids, files. */
#ifndef PS_NUMPARSE_H
#define PS_NUMPARSE_H

#include <stdint.h>

/* Parses a decimal integer in [min, max]. Returns 0, -EINVAL (not a number) or -ERANGE. */
int numparse__u64(const char *s, uint64_t min, uint64_t max, uint64_t *ret_value);

/* Parses seconds as a decimal ("2", "0.5") in [min, max]. Returns 0, -EINVAL or -ERANGE. */
int numparse__seconds(const char *s, double min, double max, double *ret_seconds);

/* Parses a duration with a unit: "500ns", "500us", "2ms", "1.5s" (no unit: microseconds, as
 * BCC's tools take them). Returns 0, -EINVAL or -ERANGE (more than a day). */
int numparse__duration_ns(const char *s, uint64_t *ret_ns);

#endif
