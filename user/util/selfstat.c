// SPDX-License-Identifier: GPL-2.0-only
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "selfstat.h"

static unsigned long long count_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	unsigned long long n = 0;
	struct dirent *de;

	if (!dir)
		return 0;
	while ((de = readdir(dir)))
		n += de->d_name[0] != '.';
	closedir(dir);
	return n > 0 ? n - 1 : 0; /* the directory's own descriptor */
}

void selfstat__read(double start_time, struct self_stats *ret_stats)
{
	unsigned long long size = 0, resident = 0;
	long page = sysconf(_SC_PAGESIZE);
	struct rusage ru;
	struct rlimit rl;
	FILE *f;

	memset(ret_stats, 0, sizeof(*ret_stats));
	ret_stats->start_time_seconds = start_time;
	if (!getrusage(RUSAGE_SELF, &ru))
		ret_stats->cpu_seconds = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
					 (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	f = fopen("/proc/self/statm", "re");
	if (f) {
		if (fscanf(f, "%llu %llu", &size, &resident) == 2 && page > 0) {
			ret_stats->virtual_bytes = size * (unsigned long long)page;
			ret_stats->resident_bytes = resident * (unsigned long long)page;
		}
		fclose(f);
	}
	ret_stats->open_fds = count_fds();
	if (!getrlimit(RLIMIT_NOFILE, &rl))
		ret_stats->max_fds = rl.rlim_cur;
}
