// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/fsinfo.h"
#include "cli/help.h"
#include "cli/options.h"

static int parse(struct run_opts *o, enum cli_command cmd, char *err, int argc, ...)
{
	char *argv[32];
	va_list ap;

	va_start(ap, argc);
	for (int i = 0; i < argc; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	argv[argc] = NULL;
	options__defaults(o);
	err[0] = '\0';
	return options__parse(argc, argv, cmd, o, err, 256);
}

static void test_defaults(void **state)
{
	struct run_opts o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, CLI_TOP, err, 1, "top"), 0);
	assert_true(o.interval_s == 1.0);
	assert_int_equal(o.count, 0);
	assert_int_equal(o.probe.fs_mask, PS_FS_DEFAULT_MASK);
	assert_int_equal(o.probe.mode, MODE_AUTO);
	assert_int_equal(o.probe.max_files, PS_DEFAULT_MAX_FILES);
	assert_int_equal(o.sort, SORT_READS);
	assert_false(o.json);
}

static void test_all_options(void **state)
{
	struct run_opts o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, CLI_TOP, err, 21, "top", "-i", "0.5", "-n", "3", "-d", "10",
			       "-p", "1", "-c", "a-very-long-process-name", "--fs", "sysfs,cgroup",
			       "--mode", "kprobe", "--max-files", "7", "--json", "-s", "lat",
			       "--per-process"),
			 0);
	assert_true(o.interval_s == 0.5);
	assert_int_equal(o.count, 3);
	assert_true(o.duration_s == 10);
	assert_int_equal(o.probe.tgid, 1);
	assert_true(o.probe.comm_set);
	assert_string_equal(o.probe.comm, "a-very-long-pro"); /* the kernel's 15 bytes */
	assert_int_equal(o.probe.fs_mask,
			 (1u << PS_FS_SYSFS) | (1u << PS_FS_CGROUP) | (1u << PS_FS_CGROUP2));
	assert_int_equal(o.probe.mode, MODE_KPROBE);
	assert_int_equal(o.probe.max_files, 7);
	assert_true(o.json);
	assert_int_equal(o.sort, SORT_LAT);
	assert_true(o.probe.per_process);
}

static void test_errors(void **state)
{
	struct run_opts o;
	char err[256];

	(void)state;
	assert_int_not_equal(parse(&o, CLI_TOP, err, 3, "top", "-i", "x"), 0);
	assert_string_equal(err, "invalid value 'x' for -i/--interval: not a number (expected "
				 "seconds from 0.01 to 86400)");
	assert_int_not_equal(parse(&o, CLI_TOP, err, 3, "top", "--max-files", "0"), 0);
	assert_string_equal(err, "invalid value '0' for --max-files: out of range (expected a "
				 "count from 1 to 1000000)");
	assert_int_not_equal(parse(&o, CLI_TOP, err, 3, "top", "--fs", "proc,,sysfs"), 0);
	assert_non_null(strstr(err, "unknown filesystem '' in --fs"));
	assert_int_not_equal(parse(&o, CLI_TOP, err, 2, "top", "-x"), 0);
	assert_string_equal(err, "unknown option '-x'");
	assert_int_not_equal(parse(&o, CLI_TOP, err, 2, "top", "-i"), 0);
	assert_string_equal(err, "option '-i' needs a value");
	assert_int_not_equal(parse(&o, CLI_STAT, err, 2, "stat", "--per-process"), 0);
	assert_string_equal(err, "option --per-process is not accepted by this command");
	assert_int_not_equal(parse(&o, CLI_AUDIT, err, 2, "audit", "extra"), 0);
	assert_string_equal(err, "unexpected argument 'extra'");
	assert_int_not_equal(parse(&o, CLI_TOP, err, 3, "top", "-c", ""), 0);
	assert_int_not_equal(parse(&o, CLI_TOP, err, 3, "top", "-p", "0"), 0);
}

static void test_trace_options(void **state)
{
	enum cli_command trace = CLI_TRACE;
	struct run_opts o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, trace, err, 5, "trace", "-K", "vfs_read", "show_cpuinfo", "-U"),
			 0);
	assert_int_equal(o.probe.stacks, PS_STACK_KERNEL | PS_STACK_USER);
	assert_int_equal(o.probe.nfuncs, 2);
	assert_string_equal(o.probe.funcs[0], "vfs_read");
	assert_string_equal(o.probe.funcs[1], "show_cpuinfo");
	/* --folded and --flamegraph imply both stacks, unless one is asked for. */
	assert_int_equal(parse(&o, trace, err, 2, "trace", "--folded"), 0);
	assert_int_equal(o.probe.stacks, PS_STACK_KERNEL | PS_STACK_USER);
	assert_int_equal(parse(&o, trace, err, 4, "trace", "-U", "--flamegraph", "f.svg"), 0);
	assert_int_equal(o.probe.stacks, PS_STACK_USER);
	assert_string_equal(o.flamegraph, "f.svg");
	assert_int_not_equal(parse(&o, trace, err, 3, "trace", "--folded", "--json"), 0);
	assert_string_equal(err, "--folded and --json are two outputs: choose one");
	/* -U unwinds a copy of the stack and walks it (auto) unless told; --ustack and
	 * --ustack-bytes imply -U; the size is rounded up to the copy's pieces. */
	assert_int_equal(parse(&o, trace, err, 2, "trace", "-U"), 0);
	assert_int_equal(o.probe.ustack, PS_USTACK_WALK | PS_USTACK_COPY);
	assert_int_equal(o.probe.ustack_bytes, 8192);
	assert_int_equal(o.probe.ringbuf_kib, PS_USTACK_RINGBUF_KIB); /* room for the copies */
	assert_int_equal(parse(&o, trace, err, 4, "trace", "-U", "--ringbuf-size", "64"), 0);
	assert_int_equal(o.probe.ringbuf_kib, 64);
	assert_int_equal(parse(&o, trace, err, 2, "trace", "--ustack=fp"), 0);
	assert_int_equal(o.probe.ringbuf_kib, 1024);
	assert_int_equal(o.probe.stacks, PS_STACK_USER);
	assert_int_equal(o.probe.ustack, PS_USTACK_WALK);
	assert_int_equal(parse(&o, trace, err, 3, "trace", "--ustack", "dwarf"), 0);
	assert_int_equal(o.probe.ustack, PS_USTACK_COPY);
	assert_int_equal(parse(&o, trace, err, 3, "trace", "--ustack-bytes", "1000"), 0);
	assert_int_equal(o.probe.stacks, PS_STACK_USER);
	assert_int_equal(o.probe.ustack_bytes, 1024);
	assert_int_not_equal(parse(&o, trace, err, 3, "trace", "--ustack", "lbr"), 0);
	assert_string_equal(err, "unknown way 'lbr' for --ustack (known: fp, dwarf, auto)");
	assert_int_not_equal(parse(&o, trace, err, 3, "trace", "--ustack-bytes", "511"), 0);
	assert_int_not_equal(parse(&o, trace, err, 3, "trace", "--ustack-bytes", "32769"), 0);
	assert_int_not_equal(parse(&o, CLI_TOP, err, 2, "top", "--ustack=fp"), 0);
	assert_int_not_equal(parse(&o, trace, err, 3, "trace", "vfs_read", "vfs_read"), 0);
	assert_string_equal(err, "function vfs_read is given twice");
	assert_int_not_equal(parse(&o, trace, err, 2, "trace", "vfs-read"), 0);
	assert_string_equal(err, "'vfs-read' is not a kernel function name");
	assert_int_not_equal(parse(&o, trace, err, 2, "trace", "9lives"), 0);
	assert_int_not_equal(parse(&o, trace, err, 4, "trace", "--mode", "tracepoint", "vfs_read"),
			     0);
	assert_non_null(strstr(err, "FUNC arguments need the fentry or kprobe mode"));
	/* --min-stall: a unit, and waits rather than calls (impact's programs, on proc) */
	assert_int_not_equal(parse(&o, trace, err, 3, "trace", "--min-stall", "5"), 0);
	assert_string_equal(err, "invalid value '5' for --min-stall: no unit (expected a duration "
				 "such as 500us, 2ms or 1s)");
	assert_int_not_equal(parse(&o, trace, err, 3, "trace", "--min-stall", "0ms"), 0);
	assert_string_equal(err, "invalid value '0ms' for --min-stall: must be above 0");
	assert_int_equal(parse(&o, trace, err, 5, "trace", "--min-stall", "2ms", "--fs", "sysfs"),
			 0);
	assert_int_equal(o.probe.min_stall_ns, 2000000);
	assert_true(o.probe.impact);
	assert_int_equal(o.probe.fs_mask, 1u << PS_FS_PROC);
	assert_int_not_equal(
		parse(&o, trace, err, 5, "trace", "--min-stall", "2ms", "--min-lat", "1ms"), 0);
	assert_non_null(strstr(err, "--min-stall traces waits, not calls"));
	assert_int_not_equal(parse(&o, CLI_DAEMON, err, 3, "daemon", "--impact", "--no-latency"),
			     0);
	assert_non_null(strstr(err, "--impact needs each read's entry"));
	assert_int_not_equal(parse(&o, CLI_DAEMON, err, 4, "daemon", "--impact", "--fs", "sysfs"),
			     0);
	assert_non_null(strstr(err, "--impact needs proc in --fs"));
	/* Commands without FUNC arguments still refuse extra words. */
	assert_int_not_equal(parse(&o, CLI_AUDIT, err, 2, "audit", "vfs_read"), 0);
	assert_int_not_equal(parse(&o, CLI_STAT, err, 2, "stat", "-K"), 0);
}

static void test_too_many_functions(void **state)
{
	static char names[PS_MAX_TRACED_FUNCS + 1][8];
	char *argv[PS_MAX_TRACED_FUNCS + 3] = { "trace" };
	struct run_opts o;
	char err[256];
	int i;

	(void)state;
	for (i = 0; i <= PS_MAX_TRACED_FUNCS; i++) {
		snprintf(names[i], sizeof(names[i]), "f%d", i);
		argv[i + 1] = names[i];
	}
	options__defaults(&o);
	assert_int_not_equal(
		options__parse(PS_MAX_TRACED_FUNCS + 2, argv, CLI_TRACE, &o, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "at most 16 functions"));
	options__defaults(&o);
	argv[PS_MAX_TRACED_FUNCS + 1] = NULL;
	assert_int_equal(
		options__parse(PS_MAX_TRACED_FUNCS + 1, argv, CLI_TRACE, &o, err, sizeof(err)), 0);
}

static void test_fs_list(void **state)
{
	uint32_t mask;
	const char *bad;
	int len;

	(void)state;
	assert_int_equal(fsinfo__parse_list("all", &mask, &bad, &len), 0);
	assert_int_equal(mask, PS_FS_ALL_MASK);
	assert_int_equal(fsinfo__parse_list("debugfs,tracefs,securityfs", &mask, &bad, &len), 0);
	assert_int_equal(mask,
			 (1u << PS_FS_DEBUGFS) | (1u << PS_FS_TRACEFS) | (1u << PS_FS_SECURITYFS));
	assert_int_equal(fsinfo__parse_list("proc,nope", &mask, &bad, &len), -EINVAL);
	assert_int_equal(len, 4);
	assert_memory_equal(bad, "nope", 4);
	assert_string_equal(fsinfo__name(PS_FS_CGROUP2), "cgroup2");
	assert_string_equal(fsinfo__prefix(PS_FS_DEBUGFS), "/sys/kernel/debug");
	assert_string_equal(fsinfo__name(99), "?");
}

static void test_trace_ops(void **state)
{
	struct run_opts o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, CLI_TRACE, err, 1, "trace"), 0);
	assert_int_equal(o.probe.trace_ops, PS_TRACE_OPS_DEFAULT);
	assert_int_equal(parse(&o, CLI_TRACE, err, 3, "trace", "--op", "open,readdir"), 0);
	assert_int_equal(o.probe.trace_ops, (1u << PS_OP_OPEN) | (1u << PS_OP_READDIR));
	o.probe.use = USE_TRACE;
	assert_true(probe_config__walks(&o.probe));
	assert_int_equal(parse(&o, CLI_TRACE, err, 3, "trace", "--op", "all"), 0);
	assert_int_equal(o.probe.trace_ops, PS_TRACE_OPS_ALL);
	assert_int_equal(parse(&o, CLI_TRACE, err, 3, "trace", "--op", "read"), 0);
	o.probe.use = USE_TRACE;
	assert_false(probe_config__walks(&o.probe));
	/* stall and call are events, not calls --op chooses */
	assert_int_equal(parse(&o, CLI_TRACE, err, 3, "trace", "--op", "read,stall"), -EINVAL);
	assert_string_equal(err, "unknown call 'stall' in --op (known: read, write, open, readdir, "
				 "readlink, stat, all)");
	assert_int_equal(parse(&o, CLI_TRACE, err, 3, "trace", "--op", "read,,open"), -EINVAL);
	assert_string_equal(err, "unknown call '' in --op: entry 2 of 'read,,open' is empty "
				 "(known: read, write, open, readdir, readlink, stat, all)");
	assert_int_equal(parse(&o, CLI_TRACE, err, 4, "trace", "--op", "open", "vfs_read"),
			 -EINVAL);
	assert_int_equal(
		parse(&o, CLI_TRACE, err, 5, "trace", "--op", "open", "--min-stall", "1ms"),
		-EINVAL);
	assert_int_equal(parse(&o, CLI_TOP, err, 3, "top", "--op", "open"), -EINVAL);
	assert_string_equal(op__name(PS_OP_READDIR), "readdir");
	assert_string_equal(op__name(99), "?");
}

static void test_modes(void **state)
{
	enum ps_mode m;

	(void)state;
	assert_int_equal(mode__parse("tracepoint", &m), 0);
	assert_int_equal(m, MODE_TRACEPOINT);
	assert_string_equal(mode__name(MODE_FENTRY), "fentry");
	assert_int_equal(mode__parse("fexit", &m), -EINVAL);
}

/* The table decides which command takes which option: nothing else does. */
static void test_table_decides(void **state)
{
	struct run_opts o;
	char err[256];

	(void)state;
	for (int c = 0; c < CLI_COUNT; c++) {
		for (size_t i = 0; i < cli_option_count; i++) {
			const struct cli_option *opt = &cli_options[i];
			char name[64];
			bool refused;

			snprintf(name, sizeof(name), "--%s", opt->name);
			parse(&o, (enum cli_command)c, err, opt->value_name ? 3 : 2,
			      cli_commands[c].name, name, "1");
			refused = strstr(err, "is not accepted by this command") != NULL;
			if (refused != !options__find(opt->name, (enum cli_command)c))
				fail_msg("%s %s: '%s'", cli_commands[c].name, name, err);
		}
	}
}

/* Entries of one name agree on everything but the commands, which do not overlap. */
static void test_table_consistent(void **state)
{
	(void)state;
	for (size_t i = 0; i < cli_option_count; i++) {
		const struct cli_option *a = &cli_options[i];

		assert_non_null(a->help);
		assert_true(a->commands && !(a->commands & ~CMD_ALL));
		for (size_t j = i + 1; j < cli_option_count; j++) {
			const struct cli_option *b = &cli_options[j];

			if (strcmp(a->name, b->name)) {
				if (a->short_name && a->short_name == b->short_name)
					fail_msg("-%c is both --%s and --%s", a->short_name,
						 a->name, b->name);
				continue;
			}
			assert_int_equal(a->short_name, b->short_name);
			assert_int_equal(!a->value_name, !b->value_name);
			assert_int_equal(a->commands & b->commands, 0);
		}
	}
}

/* Each command's --help lists exactly its options, in lines of at most 80 columns. */
static void test_help_follows_table(void **state)
{
	(void)state;
	for (int c = 0; c < CLI_COUNT; c++) {
		char *text = NULL, *line;
		size_t len = 0;
		FILE *out = open_memstream(&text, &len);

		help__command(out, (enum cli_command)c);
		fclose(out);
		for (size_t i = 0; i < cli_option_count; i++) {
			char needle[64];
			bool listed;

			snprintf(needle, sizeof(needle), " --%s%s", cli_options[i].name,
				 cli_options[i].value_name ? " " : "");
			listed = strstr(text, needle) != NULL;
			if (listed != !!options__find(cli_options[i].name, (enum cli_command)c))
				fail_msg("%s --help and the table disagree on --%s",
					 cli_commands[c].name, cli_options[i].name);
		}
		assert_non_null(strstr(text, "\nExamples:\n  procscope "));
		for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
			if (strlen(line) > 80)
				fail_msg("%s --help: a line of %zu columns: %s",
					 cli_commands[c].name, strlen(line), line);
		free(text);
	}
}

/* The BCC tools' conventions and messages that say what is wrong. */
static void test_conventions(void **state)
{
	struct run_opts o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, CLI_TOP, err, 3, "top", "2", "5"), 0);
	assert_true(o.interval_s == 2.0);
	assert_int_equal(o.count, 5);
	assert_int_equal(parse(&o, CLI_STAT, err, 3, "stat", "0.5", "-n"), -EINVAL);
	assert_int_equal(parse(&o, CLI_STAT, err, 5, "stat", "0.5", "10", "-n", "3"), -EINVAL);
	assert_string_equal(err, "the count is given twice: as -n and as '10'");
	assert_int_equal(parse(&o, CLI_STAT, err, 4, "stat", "1", "2", "3"), -EINVAL);
	assert_string_equal(err, "unexpected argument '3' (at most an interval and a count)");
	assert_int_equal(parse(&o, CLI_STAT, err, 3, "stat", "-i", "-1"), -EINVAL);
	assert_string_equal(err, "invalid value '-1' for -i/--interval: must be positive (expected "
				 "seconds from 0.01 to 86400)");
	assert_int_equal(parse(&o, CLI_STAT, err, 2, "stat", "-5"), -EINVAL);
	assert_string_equal(err, "unknown option '-5'");
	assert_int_equal(parse(&o, CLI_TOP, err, 3, "top", "--fs", "proc,,sysfs"), -EINVAL);
	assert_non_null(strstr(err, "entry 2 of 'proc,,sysfs' is empty"));
	assert_int_equal(parse(&o, CLI_TOP, err, 2, "top", "--p"), -EINVAL);
	assert_string_equal(err, "ambiguous option '--p': --per-process, --pid?");
	assert_int_equal(parse(&o, CLI_STAT, err, 3, "stat", "--p", "1"), 0); /* only --pid */
	assert_int_equal(o.probe.tgid, 1);
	assert_int_equal(parse(&o, CLI_STAT, err, 2, "stat", "--per"), -EINVAL);
	assert_string_equal(err, "option --per-process is not accepted by this command");
	assert_int_equal(parse(&o, CLI_DAEMON, err, 2, "daemon", "--json"), -EINVAL);
	assert_string_equal(err, "option --json is not accepted by this command");
	assert_int_equal(parse(&o, CLI_AUDIT, err, 3, "audit", "--max-files", "2"), -EINVAL);
	assert_string_equal(err, "option --max-files is not accepted by this command");
	assert_int_equal(parse(&o, CLI_AUDIT, err, 3, "audit", "--list-rules", "--json"), 0);
	assert_true(o.list_rules && o.json);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_all_options),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_fs_list),
		cmocka_unit_test(test_trace_ops),
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_trace_options),
		cmocka_unit_test(test_too_many_functions),
		cmocka_unit_test(test_table_decides),
		cmocka_unit_test(test_table_consistent),
		cmocka_unit_test(test_help_follows_table),
		cmocka_unit_test(test_conventions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
