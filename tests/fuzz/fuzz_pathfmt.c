// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target: path normalization and display of any bytes as a path. */
#include <stdint.h>
#include <string.h>
#include "core/pathfmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char raw[PS_DISPLAY_PATH_LEN], out[PS_DISPLAY_PATH_LEN], small[8];
	struct ps_file_key key;
	size_t n = size < sizeof(raw) - 1 ? size : sizeof(raw) - 1;

	memcpy(raw, data, n);
	raw[n] = '\0';
	pathfmt__normalize(raw, out, sizeof(out));
	pathfmt__normalize(raw, small, sizeof(small));
	memset(&key, 0, sizeof(key));
	key.fs = size ? data[0] % (PS_FS_COUNT + 1) : 0;
	memcpy(key.path, data, size < sizeof(key.path) ? size : sizeof(key.path));
	pathfmt__display(&key, out, sizeof(out));
	pathfmt__display(&key, small, sizeof(small));
	return 0;
}
