// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target: option parsing, the input split at NUL bytes into argv. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cli/options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1), *argv[34] = { "trace" };
	/* the first two bytes: which option groups the command takes */
	unsigned int allowed = size > 1 ? data[0] | (unsigned int)data[1] << 8 : 0;
	struct run_opts o;
	char err[256];
	int argc = 1;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (size_t i = 2; i < size && argc < 33; i++) {
		argv[argc++] = &copy[i];
		i += strlen(&copy[i]);
	}
	argv[argc] = NULL;
	options__defaults(&o);
	options__parse(argc, argv, allowed, &o, err, sizeof(err));
	free(copy);
	return 0;
}
