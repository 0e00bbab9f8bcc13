// SPDX-License-Identifier: GPL-2.0-only
/* procscope: who reads and writes /proc and /sys. The command table and nothing else. */
#include <stdio.h>
#include <string.h>
#include "cmd/commands.h"

#ifndef PROCSCOPE_VERSION
#define PROCSCOPE_VERSION "0.0.0"
#endif

struct cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct cmd commands[] = {
	{ "stat", cmd_stat, "per-filesystem and per-function rates, one row per interval" },
	{ "top", cmd_top, "the busiest pseudo-files of each interval" },
	{ "trace", cmd_trace, "every read and write of a pseudo-file as one event" },
	{ "audit", cmd_audit, "reads of other processes' secrets, writes of kernel tunables" },
	{ "daemon", cmd_daemon, "serve Prometheus metrics on /metrics" },
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: procscope COMMAND [OPTIONS]\n"
		"Shows who reads and writes /proc and /sys, how often, how many bytes and how\n"
		"long the kernel takes.\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'procscope COMMAND --help' describes a command's options.\n"
		     "'procscope --version' prints the version.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "procscope: missing command (see 'procscope --help')\n");
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("procscope %s\n", PROCSCOPE_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "procscope: unknown command '%s' (see 'procscope --help')\n", argv[1]);
	return 2;
}
