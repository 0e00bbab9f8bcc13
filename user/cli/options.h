/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Option parsing shared by the interval commands (stat, top): one table, one parser, each command
 * saying which of the command-specific options it takes. No I/O: errors come back as text for the
 * caller to print.
 */
#ifndef PS_OPTIONS_H
#define PS_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include "core/probe_config.h"
#include "core/snapshot.h"

/* Options that only some commands take. */
#define OPT_INTERVAL (1u << 0) /* -i */
#define OPT_COUNT (1u << 4)    /* -n */
#define OPT_TRACE                                                                                \
	(1u << 5)		    /* -t -u -K -U --path --errors-only --min-lat --ringbuf-size \
				     --folded --flamegraph */
#define OPT_TOP (1u << 1)	    /* -r, -s, -C */
#define OPT_PER_PROCESS (1u << 2)   /* --per-process */
#define OPT_LISTEN (1u << 3)	    /* --listen */
#define OPT_FUNCS (1u << 6)	    /* FUNC... arguments after the options (trace) */
#define OPT_COUNTING (1u << 7)	    /* --no-latency (stat, top, daemon) */
#define OPT_EVENT_BUFFER (1u << 8)  /* --ringbuf-size (trace, audit, daemon) */
#define OPT_AUDIT (1u << 9)	    /* --rules --severity --list-rules (audit, daemon) */
#define OPT_AUDIT_DAEMON (1u << 10) /* --audit --audit-log (daemon) */

struct run_opts {
	struct probe_config probe; /* what is attached and filtered */
	double interval_s;	   /* -i */
	uint64_t count;		   /* -n: intervals, or events for trace; 0: unlimited */
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
	char flamegraph[256]; /* --flamegraph FILE, empty: none */
	/* audit */
	char rules_path[256]; /* --rules FILE, empty: the built-in allowlist */
	uint8_t min_severity; /* --severity: enum audit_severity */
	bool list_rules;      /* --list-rules */
	char audit_log[256];  /* daemon --audit-log FILE ("-": standard output), empty: none */
	/* daemon */
	struct sockaddr_storage listen; /* --listen */
	socklen_t listen_len;
	char listen_text[64];
	char web_config[256]; /* --web.config.file FILE, empty: plain HTTP */
};

void options__defaults(struct run_opts *o);

/*
 * Parses argv (argv[0] is the command name). Returns 0, or -EINVAL with a one-line message in
 * @err (without the "procscope: " prefix).
 */
int options__parse(int argc, char **argv, unsigned int allowed, struct run_opts *o, char *err,
		   size_t errlen);

#endif
