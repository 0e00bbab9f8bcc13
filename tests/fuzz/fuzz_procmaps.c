// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target: one /proc/PID/maps line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "procmaps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	struct procmap m;

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	if (!procmaps__parse_line(line, &m) && m.path[0] && strlen(m.path) >= sizeof(m.path))
		abort(); /* the path must always fit, NUL included */
	free(line);
	return 0;
}
