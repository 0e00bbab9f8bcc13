// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>
#include "help.h"

const struct cli_command_doc cli_commands[CLI_COUNT] = {
	[CLI_STAT] = {
		"stat", "[interval [count]]",
		"per-filesystem and per-function rates, one row per interval",
		"Show reads/s, read KiB/s and writes/s per pseudo-filesystem, and the hit rate of\n"
		"each kernel function on the pseudo-file paths, one row per interval, like vfsstat.\n"
		"interval and count may also be given as -i and -n.",
		"procscope stat\tone row a second until Ctrl-C\n"
		"procscope stat 5 12\ta minute in 5-second rows\n"
		"procscope stat --fs all --json -n 3\tevery pseudo-filesystem, as NDJSON",
	},
	[CLI_TOP] = {
		"top", "[interval [count]]",
		"the busiest pseudo-files of each interval",
		"Show the busiest /proc and /sys files of each interval: reads, KiB read, writes,\n"
		"KiB written, average and maximum latency, like filetop.\n"
		"interval and count may also be given as -i and -n.",
		"procscope top\tthe busiest files, refreshed every second\n"
		"procscope top -s lat --per-process 5\tthe slowest reads and who makes them\n"
		"procscope top --json 10 1\tten seconds of every file, as JSON",
	},
	[CLI_TRACE] = {
		"trace", "[FUNC...]",
		"every read and write of a pseudo-file as one event",
		"Print every read and write of a /proc or /sys file as one event; with FUNC, every\n"
		"call of those kernel functions instead (fentry and kprobe modes). Events the ring\n"
		"buffer could not take are counted and reported at the end.",
		"procscope trace --path '/proc/*/smaps*' -U\twho reads smaps, from which code\n"
		"procscope trace -c node_exporter -n 20\ttwenty reads of one program\n"
		"procscope trace --errors-only --min-lat 1ms\tslow or failed calls only\n"
		"procscope trace --flamegraph reads.svg -d 30\ta flame graph of 30 seconds of reads\n"
		"procscope trace --mode fentry -K show_cpuinfo\teach call of a kernel function",
	},
	[CLI_AUDIT] = {
		"audit", "",
		"reads of other processes' secrets, writes of kernel tunables",
		"Report reads and writes of sensitive /proc and /sys files as they happen: another\n"
		"process's environ, mem, maps or cmdline, /proc/kcore, kmsg and kallsyms, writes\n"
		"under /proc/sys and /sys, reads across pid namespaces, the other doors into a\n"
		"process (ptrace attach, process_vm_readv/writev, pidfd_getfd), and what a file\n"
		"inclusion in a server reads. Never reads the files' contents. Consecutive calls of\n"
		"one thread on one file under one rule are one record with their calls and bytes.",
		"procscope audit\tevery rule of low severity or more, minus the allowlist\n"
		"procscope audit --severity high --json\thigh and critical only, as NDJSON\n"
		"procscope audit --rules /etc/procscope/audit-allow.yaml\tyour own allowlist\n"
		"procscope audit --list-rules\tthe rules, their severity and what they match",
	},
	[CLI_DAEMON] = {
		"daemon", "",
		"serve Prometheus metrics on /metrics",
		"Serve Prometheus metrics of /proc and /sys reads and writes on /metrics, a short\n"
		"page on / and /healthz, until SIGTERM or SIGINT. Under systemd it reports ready\n"
		"(Type=notify) once every probe is attached and the endpoint serves.",
		"procscope daemon --listen :9110\tevery address, IPv4 and IPv6\n"
		"procscope daemon --audit --audit-log /var/log/procscope/audit.json\tand the audit\n"
		"procscope daemon --web.config.file /etc/procscope/web.yml\tTLS and basic auth",
	},
	[CLI_IMPACT] = {
		"impact", "[interval [count]]",
		"what reading /proc costs the processes being read",
		"Show, per interval, who reads which /proc/PID file of which process, how\n"
		"long the reader held that process's mmap_lock, and how long the process's\n"
		"own threads waited for it meanwhile: one row per reader, target and file,\n"
		"most wait caused first, then each target's waits no reader was charged.\n"
		"-p and -c select targets, --reader-pid and --reader-comm readers. Needs the\n"
		"mmap_lock tracepoints (Linux 5.11+), which cost every mmap_lock operation of\n"
		"the host a little while impact runs, and nothing otherwise.",
		"procscope impact\tevery reader of every process, each second\n"
		"procscope impact -p 4242 5\twho stalls process 4242, in 5-second rows\n"
		"procscope impact --reader-comm telegraf --json\twhat one agent costs, as NDJSON",
	},
};

enum cli_command help__command_of(const char *name)
{
	for (int c = 0; c < CLI_COUNT; c++)
		if (!strcmp(cli_commands[c].name, name))
			return (enum cli_command)c;
	return CLI_COUNT;
}

void help__usage(FILE *out)
{
	fprintf(out,
		"Usage: procscope COMMAND [OPTIONS]\n"
		"Shows who reads and writes /proc and /sys, how often, how many bytes and how\n"
		"long the kernel takes.\n\nCommands:\n");
	for (int c = 0; c < CLI_COUNT; c++)
		fprintf(out, "  %-8s %s\n", cli_commands[c].name, cli_commands[c].summary);
	fprintf(out, "\n'procscope help COMMAND' (or 'procscope COMMAND --help') describes a "
		     "command.\n'procscope --version' prints the version.\n");
}

#define HELP_WIDTH 80

/* Writes @text's lines wrapped at HELP_WIDTH columns, each starting at column @indent; the
 * first line continues one that already holds @col columns. */
static void write_lines(FILE *out, const char *text, int col, int indent)
{
	while (*text) {
		size_t len = strcspn(text, "\n"), take = len;
		int pad = indent > col ? indent - col : 0;

		/* The longest run of whole words that fits; a single long word as it is. */
		if (col + pad + (int)len > HELP_WIDTH) {
			take = (size_t)(HELP_WIDTH - col - pad);
			while (take > 0 && text[take] != ' ')
				take--;
			if (!take)
				take = strcspn(text, " \n");
		}
		fprintf(out, "%*s%.*s\n", pad, "", (int)take, text);
		text += take;
		text += *text == ' ' || *text == '\n';
		col = 0;
	}
}

#define HELP_COLUMN 24

void help__command(FILE *out, enum cli_command cmd)
{
	const struct cli_command_doc *d = &cli_commands[cmd];
	const char *ex = d->examples;

	fprintf(out, "Usage: procscope %s [OPTIONS]%s%s\n", d->name, *d->args ? " " : "", d->args);
	write_lines(out, d->description, 0, 0);
	fprintf(out, "\nOptions:\n");
	for (size_t i = 0; i < cli_option_count; i++) {
		const struct cli_option *opt = &cli_options[i];
		char left[64];
		int n;

		if (!(opt->commands & CMD(cmd)))
			continue;
		n = snprintf(left, sizeof(left), "  %c%c%c --%s%s%s", opt->short_name ? '-' : ' ',
			     opt->short_name ? opt->short_name : ' ', opt->short_name ? ',' : ' ',
			     opt->name, opt->value_name ? " " : "",
			     opt->value_name ? opt->value_name : "");
		fputs(left, out);
		if (n + 2 > HELP_COLUMN) { /* too long: the text goes under it */
			fputc('\n', out);
			n = 0;
		}
		write_lines(out, opt->help, n, HELP_COLUMN);
	}
	fprintf(out, "\nExamples:\n");
	while (*ex) {
		size_t len = strcspn(ex, "\n"), cmd_len = strcspn(ex, "\t");

		fprintf(out, "  %.*s\n      %.*s\n", (int)cmd_len, ex, (int)(len - cmd_len - 1),
			ex + cmd_len + 1);
		ex += len + (ex[len] == '\n');
	}
}

/* @text for roff: backslashes and hyphens escaped, no line starting with a dot. */
static void roff(FILE *out, const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '-')
			fputs("\\-", out);
		else if (text[i] == '\\')
			fputs("\\e", out);
		else if (text[i] == '\n')
			fputc(' ', out);
		else if ((text[i] == '.' || text[i] == '\'') && (i == 0 || text[i - 1] == '\n'))
			fputs("\\&.", out);
		else
			fputc(text[i], out);
	}
}

static void man_synopsis(FILE *out)
{
	for (int c = 0; c < CLI_COUNT; c++) {
		fprintf(out, ".B procscope\n.B %s\n.RI [ options ]\n", cli_commands[c].name);
		if (*cli_commands[c].args) {
			fputs(".RI \"", out);
			roff(out, cli_commands[c].args, strlen(cli_commands[c].args));
			fputs("\"\n", out);
		}
		fputs(".br\n", out);
	}
	fputs(".B procscope\n.B help\n.RI [ command ]\n.br\n.B procscope\n.B \\-\\-version\n", out);
}

static void man_option(FILE *out, const struct cli_option *opt)
{
	fputs(".TP\n.B ", out);
	if (opt->short_name)
		fprintf(out, "\\-%c\\fR, \\fB", opt->short_name);
	fputs("\\-\\-", out);
	roff(out, opt->name, strlen(opt->name));
	if (opt->value_name)
		fprintf(out, " \\fI%s\\fR", opt->value_name);
	fputc('\n', out);
	roff(out, opt->help, strlen(opt->help));
	fputs(".\n", out);
}

static void man_commands(FILE *out)
{
	for (int c = 0; c < CLI_COUNT; c++) {
		const struct cli_command_doc *d = &cli_commands[c];
		const char *ex = d->examples;

		fprintf(out, ".SS procscope %s", d->name);
		if (*d->args) {
			fputs(" ", out);
			roff(out, d->args, strlen(d->args));
		}
		fputs("\n", out);
		roff(out, d->description, strlen(d->description));
		fputs("\n.PP\nOptions:\n", out);
		for (size_t i = 0; i < cli_option_count; i++)
			if (cli_options[i].commands & CMD(c))
				man_option(out, &cli_options[i]);
		fputs(".PP\nExamples:\n", out);
		while (*ex) {
			size_t len = strcspn(ex, "\n"), cmd_len = strcspn(ex, "\t");

			fputs(".TP\n.B ", out);
			roff(out, ex, cmd_len);
			fputc('\n', out);
			roff(out, ex + cmd_len + 1, len - cmd_len - 1);
			fputs(".\n", out);
			ex += len + (ex[len] == '\n');
		}
	}
}

void help__man(FILE *out, FILE *template)
{
	char line[1024];

	while (fgets(line, sizeof(line), template)) {
		if (!strcmp(line, "@SYNOPSIS@\n"))
			man_synopsis(out);
		else if (!strcmp(line, "@COMMANDS@\n"))
			man_commands(out);
		else
			fputs(line, out);
	}
}

void help__bash_completion(FILE *out)
{
	fputs("# bash completion for procscope, written from its option table (user/cli).\n"
	      "_procscope()\n{\n"
	      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} opts\n"
	      "\tlocal commands='",
	      out);
	for (int c = 0; c < CLI_COUNT; c++)
		fprintf(out, "%s ", cli_commands[c].name);
	fputs("help'\n"
	      "\tif [ \"$COMP_CWORD\" -eq 1 ]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W \"$commands --help --version\" -- \"$cur\"))\n"
	      "\t\treturn\n\tfi\n"
	      "\tcase \"$prev\" in\n",
	      out);
	/* The values of the options that take one. */
	for (size_t i = 0; i < cli_option_count; i++) {
		const struct cli_option *opt = &cli_options[i];

		if (!opt->value_name || options__named_before(i))
			continue;
		fputs("\t", out);
		if (opt->short_name)
			fprintf(out, "-%c|", opt->short_name);
		fprintf(out, "--%s)\n", opt->name);
		if (opt->choices)
			fprintf(out, "\t\tCOMPREPLY=($(compgen -W '%s' -- \"$cur\"))\n",
				opt->choices);
		else if (!strcmp(opt->value_name, "FILE"))
			fputs("\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n", out);
		else
			fputs("\t\tCOMPREPLY=()\n", out);
		fputs("\t\treturn ;;\n", out);
	}
	fputs("\tesac\n\tcase \"${COMP_WORDS[1]}\" in\n", out);
	for (int c = 0; c < CLI_COUNT; c++) {
		fprintf(out, "\t%s) opts='", cli_commands[c].name);
		for (size_t i = 0; i < cli_option_count; i++) {
			const struct cli_option *opt = &cli_options[i];

			if (!(opt->commands & CMD(c)))
				continue;
			if (opt->short_name)
				fprintf(out, "-%c ", opt->short_name);
			fprintf(out, "--%s ", opt->name);
		}
		fputs("' ;;\n", out);
	}
	fputs("\thelp) [ \"$COMP_CWORD\" -eq 2 ] && COMPREPLY=($(compgen -W \"${commands% help}\" "
	      "-- \"$cur\"))\n\t\treturn ;;\n"
	      "\t*) return ;;\n\tesac\n"
	      "\tCOMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n}\n"
	      "complete -F _procscope procscope\n",
	      out);
}
