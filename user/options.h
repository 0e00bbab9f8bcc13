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
#include "procscope.h"
#include "snapshot.h"

enum ps_mode {
	MODE_AUTO,
	MODE_FENTRY,
	MODE_KPROBE,
	MODE_TRACEPOINT,
};

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
	double interval_s;	/* -i */
	uint64_t count;		/* -n: intervals, or events for trace; 0: unlimited */
	double duration_s;	/* -d, 0: unlimited */
	uint32_t tgid;		/* -p, 0: any */
	char comm[PS_COMM_LEN]; /* -c */
	bool comm_set;
	uint32_t fs_mask;   /* --fs */
	enum ps_mode mode;  /* --mode */
	uint32_t max_files; /* --max-files */
	bool json;
	char btf_path[256]; /* --btf, empty: /sys/kernel/btf/vmlinux */
	bool verbose;
	bool help;
	/* top */
	uint32_t rows;	      /* -r, 0: 20 in tables, all in JSON */
	enum sort_field sort; /* -s */
	bool per_process;
	bool no_clear; /* -C */
	/* trace */
	uint32_t tid; /* -t, 0: any */
	bool uid_set;
	uint32_t uid;	     /* -u */
	char path_glob[256]; /* --path, empty: any */
	bool errors_only;
	uint64_t min_lat_ns;
	uint32_t ringbuf_kib; /* --ringbuf-size, power of two */
	uint8_t stacks;	      /* -K, -U: PS_STACK_* */
	bool folded;
	bool no_latency;			/* --no-latency */
	char flamegraph[256];			/* --flamegraph FILE, empty: none */
	const char *funcs[PS_MAX_TRACED_FUNCS]; /* FUNC arguments, pointing into argv */
	int nfuncs;
	/* audit */
	char rules_path[256]; /* --rules FILE, empty: the built-in allowlist */
	uint8_t min_severity; /* --severity: enum audit_severity */
	uint32_t audit_rules; /* the rules at or above it: bit (1 << enum ps_rule) */
	bool list_rules;      /* --list-rules */
	bool audit;	      /* the audit command, or daemon --audit */
	char audit_log[256];  /* daemon --audit-log FILE ("-": standard output), empty: none */
	/* daemon */
	struct sockaddr_storage listen; /* --listen */
	socklen_t listen_len;
	char listen_text[64];
	char web_config[256]; /* --web.config.file FILE, empty: plain HTTP */
};

const char *mode__name(enum ps_mode mode);
int mode__parse(const char *name, enum ps_mode *ret_mode);

void options__defaults(struct run_opts *o);

/*
 * Parses argv (argv[0] is the command name). Returns 0, or -EINVAL with a one-line message in
 * @err (without the "procscope: " prefix).
 */
int options__parse(int argc, char **argv, unsigned int allowed, struct run_opts *o, char *err,
		   size_t errlen);

#endif
