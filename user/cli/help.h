/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the user reads about the command line, written from the option table (options.h) and the
 * commands' own descriptions here: `procscope --help`, each command's --help, the man page's
 * synopsis and commands, and the bash completion script.
 */
#ifndef PS_HELP_H
#define PS_HELP_H

#include <stdio.h>
#include "options.h"

struct cli_command_doc {
	const char *name;
	const char *args;	 /* after [OPTIONS]: "[interval [count]]", or "" */
	const char *summary;	 /* one line */
	const char *description; /* lines separated by '\n' */
	const char *examples;	 /* "COMMAND LINE\tWHAT IT DOES" lines */
};

extern const struct cli_command_doc cli_commands[CLI_COUNT];

/* The command named @name, or CLI_COUNT. */
enum cli_command help__command_of(const char *name);

/* procscope --help */
void help__usage(FILE *out);
/* procscope CMD --help */
void help__command(FILE *out, enum cli_command cmd);
/*
 * The man page: @template (the page with the lines "@SYNOPSIS@" and "@COMMANDS@" where those
 * go) with them written from the tables.
 */
void help__man(FILE *out, FILE *template);
/* A bash completion script for procscope. */
void help__bash_completion(FILE *out);

#endif
