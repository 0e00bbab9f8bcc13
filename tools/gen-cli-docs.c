// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writes what is generated from procscope's option table (user/cli): the man page, from its
 * template on standard input, or the bash completion script. Run by the Makefile at build time.
 *   gen-cli-docs man < tools/man/procscope.8.in > procscope.8
 *   gen-cli-docs bash-completion > procscope.bash
 */
#include <stdio.h>
#include <string.h>
#include "cli/help.h"

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "man")) {
		help__man(stdout, stdin);
		return ferror(stdout) ? 1 : 0;
	}
	if (argc == 2 && !strcmp(argv[1], "bash-completion")) {
		help__bash_completion(stdout);
		return ferror(stdout) ? 1 : 0;
	}
	fprintf(stderr, "usage: gen-cli-docs man|bash-completion\n");
	return 2;
}
