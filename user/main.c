// SPDX-License-Identifier: GPL-2.0-only
/* procscope: who reads and writes /proc and /sys. Dispatches to the commands (cli/help.c names
 * and describes them) and nothing else. */
#include <stdio.h>
#include <string.h>
#include "cli/help.h"
#include "cmd/commands.h"

#ifndef PROCSCOPE_VERSION
#define PROCSCOPE_VERSION "0.0.0"
#endif

static int (*const run[CLI_COUNT])(int argc, char **argv) = {
	[CLI_STAT] = cmd_stat,	 [CLI_TOP] = cmd_top,	    [CLI_TRACE] = cmd_trace,
	[CLI_AUDIT] = cmd_audit, [CLI_DAEMON] = cmd_daemon, [CLI_IMPACT] = cmd_impact,
};

/* procscope help [COMMAND] */
static int help(int argc, char **argv)
{
	enum cli_command cmd;

	if (argc < 3) {
		help__usage(stdout);
		return 0;
	}
	cmd = help__command_of(argv[2]);
	if (cmd == CLI_COUNT || argc > 3) {
		fprintf(stderr, "procscope help: unknown command '%s' (see 'procscope --help')\n",
			argv[cmd == CLI_COUNT ? 2 : 3]);
		return 2;
	}
	help__command(stdout, cmd);
	return 0;
}

int main(int argc, char **argv)
{
	enum cli_command cmd;

	if (argc < 2) {
		fprintf(stderr, "procscope: missing command (see 'procscope --help')\n");
		return 2;
	}
	if (!strcmp(argv[1], "help"))
		return help(argc, argv);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		help__usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("procscope %s\n", PROCSCOPE_VERSION);
		return 0;
	}
	cmd = help__command_of(argv[1]);
	if (cmd == CLI_COUNT) {
		fprintf(stderr, "procscope: unknown command '%s' (see 'procscope --help')\n",
			argv[1]);
		return 2;
	}
	return run[cmd](argc - 1, argv + 1);
}
