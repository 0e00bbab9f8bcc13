// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target: option parsing, the input split at NUL bytes into argv. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cli/help.h"
#include "cli/options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1), *argv[34] = { "trace" };
	/* the first two bytes: which command parses (the second is left for the seeds' sake) */
	enum cli_command cmd = (enum cli_command)(size > 1 ? data[0] % CLI_COUNT : CLI_TRACE);
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
	argv[0] = (char *)cli_commands[cmd].name;
	options__parse(argc, argv, cmd, &o, err, sizeof(err));
	free(copy);
	return 0;
}
