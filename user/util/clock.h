/* SPDX-License-Identifier: GPL-2.0-only */
/* One reading of a clock in nanoseconds, for deadlines and event times. */
#ifndef PS_CLOCK_H
#define PS_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t clock__ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The wall-clock time of @ts_ns (CLOCK_MONOTONIC), from a pair of readings taken together. */
static inline void clock__wall_at(const struct timespec *wall_start, uint64_t mono_start_ns,
				  uint64_t ts_ns, struct timespec *ret_wall)
{
	uint64_t since = ts_ns >= mono_start_ns ? ts_ns - mono_start_ns : 0;

	*ret_wall = *wall_start;
	ret_wall->tv_sec += (time_t)(since / 1000000000u);
	ret_wall->tv_nsec += (long)(since % 1000000000u);
	if (ret_wall->tv_nsec >= 1000000000L) {
		ret_wall->tv_sec++;
		ret_wall->tv_nsec -= 1000000000L;
	}
}

#endif
