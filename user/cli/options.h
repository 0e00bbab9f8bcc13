/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The command line: the one option table (name, short name, the commands that take it, the kind
 * of value and its range, the help text) and the parser it drives. The help of each command, the
 * man page and the bash completion are written from the same table (help.h). No I/O: errors come
 * back as one line of text for the caller to print.
 */
#ifndef PS_OPTIONS_H
#define PS_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include "core/probe_config.h"
#include "core/snapshot.h"

enum cli_command {
	CLI_STAT,
	CLI_TOP,
	CLI_TRACE,
	CLI_AUDIT,
	CLI_DAEMON,
	CLI_IMPACT,
	CLI_COUNT,
};

/* A set of commands, for the table's "commands" column. */
#define CMD(c) (1u << (c))
#define CMD_ALL ((1u << CLI_COUNT) - 1)

struct run_opts {
	struct probe_config probe; /* what is attached and filtered */
	double interval_s;	   /* -i, or the first positional argument of stat and top */
	uint32_t count;		   /* -n: intervals, events (trace) or records (audit); 0: no end */
	double duration_s;	   /* -d, 0: unlimited */
	bool json;
	bool verbose;
	bool help;
	/* top */
	uint32_t rows;	      /* -r, 0: 20 in tables, all in JSON */
	enum sort_field sort; /* -s */
	bool no_clear;	      /* -C */
	/* trace */
	char path_glob[256]; /* --path, empty: any */
	bool folded;
	bool ringbuf_given; /* --ringbuf-size: else sized for the events (PS_USTACK_RINGBUF_KIB) */
	char flamegraph[256]; /* --flamegraph FILE, empty: none */
	/* audit */
	char rules_path[256]; /* --rules FILE, empty: the built-in allowlist */
	uint8_t min_severity; /* --severity: enum audit_severity */
	bool list_rules;      /* --list-rules */
	char audit_log[256];  /* daemon --audit-log FILE ("-": standard output), empty: none */
	/* impact: the processes being read (-p, -c); the readers are probe.tgid and probe.comm */
	uint32_t target_pid; /* 0: any */
	bool target_comm_set;
	char target_comm[PS_COMM_LEN];
	/* daemon */
	struct sockaddr_storage listen; /* --listen */
	socklen_t listen_len;
	char listen_text[64];
	char web_config[256]; /* --web.config.file FILE, empty: plain HTTP */
};

enum option_kind {
	KIND_FLAG,    /* sets a bool */
	KIND_BITS,    /* ORs .min into a uint8_t */
	KIND_SECONDS, /* a double from .min to .max */
	KIND_UINT,    /* an unsigned integer (of the field's size) from .min to .max */
	KIND_TEXT,    /* copied into a char array of .size bytes */
	KIND_CUSTOM,  /* .parse */
};

struct cli_option {
	const char *name;	/* the long name, without "--" */
	char short_name;	/* 0: none */
	const char *value_name; /* "SECS", "FILE"...; NULL for options without a value */
	unsigned int commands;	/* CMD() bits of the commands that take it */
	enum option_kind kind;
	size_t offset; /* of its field in struct run_opts */
	size_t size;   /* of that field */
	double min, max;
	const char *expect; /* a valid value, for messages: "a count from 1 to 100000" */
	int (*parse)(const char *arg, struct run_opts *o, char *err, size_t errlen);
	const char *help;    /* lines separated by '\n' */
	const char *choices; /* the values there are, space-separated, for completion; or NULL */
};

/*
 * The table. A name may appear more than once, for disjoint sets of commands, when its meaning
 * differs (-n counts intervals, events or records).
 */
extern const struct cli_option cli_options[];
extern const size_t cli_option_count;

/* Whether entry @i's name appears earlier in the table (a second entry of one name). */
bool options__named_before(size_t i);

/* The entry of option @name for @cmd, NULL when @cmd does not take it. */
const struct cli_option *options__find(const char *name, enum cli_command cmd);

void options__defaults(struct run_opts *o);

/*
 * Parses argv (argv[0] is the command name) for @cmd. Returns 0, or -EINVAL with a one-line
 * message in @err (without the "procscope: " prefix).
 */
int options__parse(int argc, char **argv, enum cli_command cmd, struct run_opts *o, char *err,
		   size_t errlen);

#endif
