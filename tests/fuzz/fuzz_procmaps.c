// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target: one /proc/PID/maps line. What a parsed line must satisfy, whatever it held. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "stacks/procmaps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	struct procmap m;

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	memset(&m, 0x55, sizeof(m));
	if (!procmaps__parse_line(line, &m)) {
		size_t len = strnlen(m.path, sizeof(m.path));

		/* A range is never inverted; the path is terminated, absolute or empty, and one
		 * line of the input. */
		if (m.start > m.end || len == sizeof(m.path))
			abort();
		if (len && (m.path[0] != '/' || strchr(m.path, '\n') || !strstr(line, m.path)))
			abort();
	}
	free(line);
	return 0;
}
