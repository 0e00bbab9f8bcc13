// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "audit/audit_rules.h"
#include "core/fsinfo.h"
#include "util/listen_addr.h"
#include "util/numparse.h"
#include "options.h"

enum {
	OPT_FS = 0x100,
	OPT_MODE,
	OPT_MAX_FILES,
	OPT_JSON,
	OPT_PER_PROCESS_FLAG,
	OPT_LISTEN_ADDR,
	OPT_PATH,
	OPT_ERRORS_ONLY,
	OPT_MIN_LAT,
	OPT_RINGBUF,
	OPT_BTF,
	OPT_FOLDED,
	OPT_FLAMEGRAPH,
	OPT_NO_LATENCY,
	OPT_RULES,
	OPT_SEVERITY,
	OPT_LIST_RULES,
	OPT_AUDIT_FLAG,
	OPT_AUDIT_LOG,
	OPT_WEB_CONFIG,
};

static const struct option long_options[] = {
	{ "interval", required_argument, NULL, 'i' },
	{ "count", required_argument, NULL, 'n' },
	{ "duration", required_argument, NULL, 'd' },
	{ "pid", required_argument, NULL, 'p' },
	{ "comm", required_argument, NULL, 'c' },
	{ "fs", required_argument, NULL, OPT_FS },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "max-files", required_argument, NULL, OPT_MAX_FILES },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "btf", required_argument, NULL, OPT_BTF },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "rows", required_argument, NULL, 'r' },
	{ "sort", required_argument, NULL, 's' },
	{ "per-process", no_argument, NULL, OPT_PER_PROCESS_FLAG },
	{ "listen", required_argument, NULL, OPT_LISTEN_ADDR },
	{ "tid", required_argument, NULL, 't' },
	{ "uid", required_argument, NULL, 'u' },
	{ "path", required_argument, NULL, OPT_PATH },
	{ "errors-only", no_argument, NULL, OPT_ERRORS_ONLY },
	{ "min-lat", required_argument, NULL, OPT_MIN_LAT },
	{ "ringbuf-size", required_argument, NULL, OPT_RINGBUF },
	{ "noclear", no_argument, NULL, 'C' },
	{ "kernel-stack", no_argument, NULL, 'K' },
	{ "user-stack", no_argument, NULL, 'U' },
	{ "folded", no_argument, NULL, OPT_FOLDED },
	{ "flamegraph", required_argument, NULL, OPT_FLAMEGRAPH },
	{ "no-latency", no_argument, NULL, OPT_NO_LATENCY },
	{ "rules", required_argument, NULL, OPT_RULES },
	{ "severity", required_argument, NULL, OPT_SEVERITY },
	{ "list-rules", no_argument, NULL, OPT_LIST_RULES },
	{ "audit", no_argument, NULL, OPT_AUDIT_FLAG },
	{ "audit-log", required_argument, NULL, OPT_AUDIT_LOG },
	{ "web.config.file", required_argument, NULL, OPT_WEB_CONFIG },
	{},
};

void options__defaults(struct run_opts *o)
{
	memset(o, 0, sizeof(*o));
	probe_config__defaults(&o->probe);
	o->interval_s = 1.0;
	o->sort = SORT_READS;
	o->min_severity = SEV_DEFAULT;
	snprintf(o->listen_text, sizeof(o->listen_text), "%s", LISTEN_DEFAULT);
	listen_addr__parse(LISTEN_DEFAULT, &o->listen, &o->listen_len, NULL, 0);
}

/* The OPT_* group an option belongs to; 0 for options every command takes. */
static unsigned int option_group(int c)
{
	switch (c) {
	case 'i':
		return OPT_INTERVAL;
	case 'n':
		return OPT_COUNT;
	case 't':
	case 'u':
	case OPT_PATH:
	case OPT_ERRORS_ONLY:
	case OPT_MIN_LAT:
	case 'K':
	case 'U':
	case OPT_FOLDED:
	case OPT_FLAMEGRAPH:
		return OPT_TRACE;
	case 'r':
	case 's':
	case 'C':
		return OPT_TOP;
	case OPT_PER_PROCESS_FLAG:
		return OPT_PER_PROCESS;
	case OPT_LISTEN_ADDR:
	case OPT_WEB_CONFIG:
		return OPT_LISTEN;
	case OPT_NO_LATENCY:
		return OPT_COUNTING;
	case OPT_RINGBUF:
		return OPT_EVENT_BUFFER;
	case OPT_RULES:
	case OPT_SEVERITY:
	case OPT_LIST_RULES:
		return OPT_AUDIT;
	case OPT_AUDIT_FLAG:
	case OPT_AUDIT_LOG:
		return OPT_AUDIT_DAEMON;
	default:
		return 0;
	}
}

/* The option as the user wrote it, for messages. */
static const char *option_name(int c, char *buf, size_t len)
{
	for (const struct option *lo = long_options; lo->name; lo++) {
		if (lo->val == c) {
			if (c < 0x100)
				snprintf(buf, len, "-%c/--%s", c, lo->name);
			else
				snprintf(buf, len, "--%s", lo->name);
			return buf;
		}
	}
	snprintf(buf, len, "-%c", c);
	return buf;
}

static int bad_number(int c, const char *arg, int err, const char *range, char *msg, size_t len)
{
	char name[32];

	snprintf(msg, len, "invalid value '%s' for %s: %s (expected %s)", arg,
		 option_name(c, name, sizeof(name)),
		 err == -ERANGE ? "out of range" : "not a number", range);
	return -EINVAL;
}

/* A text option's value into a fixed buffer: empty or too long is a usage error. */
static int copy_text(int c, const char *arg, char *dst, size_t size, char *err, size_t errlen)
{
	char name[32];

	if (!*arg || strlen(arg) >= size) {
		snprintf(err, errlen, "%s needs a value of 1 to %zu bytes",
			 option_name(c, name, sizeof(name)), size - 1);
		return -EINVAL;
	}
	snprintf(dst, size, "%s", arg);
	return 0;
}

static int parse_one(int c, const char *arg, unsigned int allowed, struct run_opts *o, char *err,
		     size_t errlen)
{
	uint64_t v;
	int r;

	if (option_group(c) & ~allowed) {
		char name[32];

		snprintf(err, errlen, "option %s is not accepted by this command",
			 option_name(c, name, sizeof(name)));
		return -EINVAL;
	}
	switch (c) {
	case 'i':
		r = numparse__seconds(arg, 0.01, 86400, &o->interval_s);
		return r ? bad_number(c, arg, r, "seconds from 0.01 to 86400", err, errlen) : 0;
	case 'd':
		r = numparse__seconds(arg, 0.01, 31536000, &o->duration_s);
		return r ? bad_number(c, arg, r, "seconds from 0.01 to 31536000", err, errlen) : 0;
	case 'n':
		r = numparse__u64(arg, 1, UINT32_MAX, &o->count);
		return r ? bad_number(c, arg, r, "a count from 1", err, errlen) : 0;
	case 'p':
		r = numparse__u64(arg, 1, 4194304, &v); /* PID_MAX_LIMIT */
		if (r)
			return bad_number(c, arg, r, "a pid from 1 to 4194304", err, errlen);
		o->probe.tgid = (uint32_t)v;
		return 0;
	case 'c':
		if (!*arg) {
			snprintf(err, errlen, "empty process name for -c/--comm");
			return -EINVAL;
		}
		/* The kernel keeps 15 bytes of a task's name; a longer NAME matches its prefix. */
		snprintf(o->probe.comm, sizeof(o->probe.comm), "%s", arg);
		o->probe.comm_set = true;
		return 0;
	case OPT_FS: {
		const char *bad;
		int bad_len;

		if (fsinfo__parse_list(arg, &o->probe.fs_mask, &bad, &bad_len)) {
			snprintf(err, errlen,
				 "unknown filesystem '%.*s' in --fs (known: proc, sysfs, cgroup, "
				 "cgroup2, "
				 "debugfs, tracefs, securityfs, all)",
				 bad_len, bad);
			return -EINVAL;
		}
		return 0;
	}
	case OPT_MODE:
		if (mode__parse(arg, &o->probe.mode)) {
			snprintf(err, errlen,
				 "unknown mode '%s' for --mode (known: auto, fentry, kprobe, "
				 "tracepoint)",
				 arg);
			return -EINVAL;
		}
		return 0;
	case OPT_MAX_FILES:
		r = numparse__u64(arg, 1, 1000000, &v);
		if (r)
			return bad_number(c, arg, r, "a count from 1 to 1000000", err, errlen);
		o->probe.max_files = (uint32_t)v;
		return 0;
	case OPT_JSON:
		o->json = true;
		return 0;
	case OPT_BTF:
		return copy_text(c, arg, o->probe.btf_path, sizeof(o->probe.btf_path), err, errlen);
	case 'v':
		o->verbose = true;
		return 0;
	case 'h':
		o->help = true;
		return 0;
	case 'r':
		r = numparse__u64(arg, 1, 100000, &v);
		if (r)
			return bad_number(c, arg, r, "a count from 1 to 100000", err, errlen);
		o->rows = (uint32_t)v;
		return 0;
	case 's':
		if (sort_field__parse(arg, &o->sort)) {
			snprintf(err, errlen,
				 "unknown sort key '%s' for -s/--sort (known: reads, rbytes, "
				 "writes, "
				 "wbytes, lat)",
				 arg);
			return -EINVAL;
		}
		return 0;
	case OPT_PER_PROCESS_FLAG:
		o->probe.per_process = true;
		return 0;
	case 't':
		r = numparse__u64(arg, 1, 4194304, &v);
		if (r)
			return bad_number(c, arg, r, "a thread id from 1 to 4194304", err, errlen);
		o->probe.tid = (uint32_t)v;
		return 0;
	case 'u':
		r = numparse__u64(arg, 0, UINT32_MAX - 1, &v);
		if (r)
			return bad_number(c, arg, r, "a numeric user id", err, errlen);
		o->probe.uid = (uint32_t)v;
		o->probe.uid_set = true;
		return 0;
	case OPT_PATH:
		return copy_text(c, arg, o->path_glob, sizeof(o->path_glob), err, errlen);
	case OPT_ERRORS_ONLY:
		o->probe.errors_only = true;
		return 0;
	case OPT_MIN_LAT:
		r = numparse__duration_ns(arg, &o->probe.min_lat_ns);
		if (r)
			return bad_number(c, arg, r, "a duration such as 500us, 2ms or 1s", err,
					  errlen);
		return 0;
	case OPT_RINGBUF:
		r = numparse__u64(arg, 4, 1048576, &v);
		if (r || (v & (v - 1)))
			return bad_number(c, arg, r ? r : -ERANGE,
					  "KiB, a power of two from 4 to 1048576", err, errlen);
		o->probe.ringbuf_kib = (uint32_t)v;
		return 0;
	case OPT_LISTEN_ADDR: {
		char why[128];

		if (listen_addr__parse(arg, &o->listen, &o->listen_len, why, sizeof(why))) {
			snprintf(err, errlen, "invalid --listen '%s': %s", arg, why);
			return -EINVAL;
		}
		snprintf(o->listen_text, sizeof(o->listen_text), "%s", arg);
		return 0;
	}
	case OPT_WEB_CONFIG:
		return copy_text(c, arg, o->web_config, sizeof(o->web_config), err, errlen);
	case 'C':
		o->no_clear = true;
		return 0;
	case 'K':
		o->probe.stacks |= PS_STACK_KERNEL;
		return 0;
	case 'U':
		o->probe.stacks |= PS_STACK_USER;
		return 0;
	case OPT_FOLDED:
		o->folded = true;
		return 0;
	case OPT_FLAMEGRAPH:
		return copy_text(c, arg, o->flamegraph, sizeof(o->flamegraph), err, errlen);
	case OPT_NO_LATENCY:
		o->probe.no_latency = true;
		return 0;
	case OPT_RULES:
		return copy_text(c, arg, o->rules_path, sizeof(o->rules_path), err, errlen);
	case OPT_SEVERITY: {
		enum audit_severity sev;

		if (audit_severity__parse(arg, &sev)) {
			snprintf(err, errlen,
				 "unknown severity '%s' for --severity (known: info, low, medium, "
				 "high, critical)",
				 arg);
			return -EINVAL;
		}
		o->min_severity = (uint8_t)sev;
		return 0;
	}
	case OPT_LIST_RULES:
		o->list_rules = true;
		return 0;
	case OPT_AUDIT_FLAG:
		o->probe.audit = true;
		return 0;
	case OPT_AUDIT_LOG:
		return copy_text(c, arg, o->audit_log, sizeof(o->audit_log), err, errlen);
	default:
		snprintf(err, errlen, "internal: unhandled option %d", c);
		return -EINVAL;
	}
}

/* A FUNC argument of trace: a C identifier, each at most once. */
static int add_function(const char *name, struct run_opts *o, char *err, size_t errlen)
{
	size_t len =
		strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

	if (!*name || name[len] || (name[0] >= '0' && name[0] <= '9') || len > 127) {
		snprintf(err, errlen, "'%.64s' is not a kernel function name", name);
		return -EINVAL;
	}
	for (int i = 0; i < o->probe.nfuncs; i++) {
		if (!strcmp(o->probe.funcs[i], name)) {
			snprintf(err, errlen, "function %s is given twice", name);
			return -EINVAL;
		}
	}
	if (o->probe.nfuncs >= PS_MAX_TRACED_FUNCS) {
		snprintf(err, errlen, "at most %d functions can be traced at once",
			 PS_MAX_TRACED_FUNCS);
		return -EINVAL;
	}
	o->probe.funcs[o->probe.nfuncs++] = name;
	return 0;
}

int options__parse(int argc, char **argv, unsigned int allowed, struct run_opts *o, char *err,
		   size_t errlen)
{
	int c, r;

	optind = 0; /* GNU getopt: 0 also resets its scan position inside a bundle of short options
		     */
	opterr = 0; /* getopt's own messages would not follow ours */
	while ((c = getopt_long(argc, argv, ":i:n:d:p:c:vhr:s:Ct:u:KU", long_options, NULL)) !=
	       -1) {
		if (c == '?') {
			if (optopt)
				snprintf(err, errlen, "unknown option '-%c'", optopt);
			else
				snprintf(err, errlen, "unknown option '%s'", argv[optind - 1]);
			return -EINVAL;
		}
		if (c == ':') {
			snprintf(err, errlen, "option '%s' needs a value", argv[optind - 1]);
			return -EINVAL;
		}
		r = parse_one(c, optarg, allowed, o, err, errlen);
		if (r)
			return r;
	}
	if (optind < argc && !(allowed & OPT_FUNCS)) {
		snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	for (; optind < argc; optind++) {
		r = add_function(argv[optind], o, err, errlen);
		if (r)
			return r;
	}
	if (o->probe.nfuncs && o->probe.mode == MODE_TRACEPOINT) {
		snprintf(err, errlen,
			 "FUNC arguments need the fentry or kprobe mode: the tracepoint mode sees "
			 "system calls only");
		return -EINVAL;
	}
	if (o->folded && o->json) {
		snprintf(err, errlen, "--folded and --json are two outputs: choose one");
		return -EINVAL;
	}
	if (o->audit_log[0] && !o->probe.audit) {
		snprintf(err, errlen, "--audit-log needs --audit");
		return -EINVAL;
	}
	o->probe.audit_rules = audit_rule__mask((enum audit_severity)o->min_severity);
	/* A flame graph or folded stacks without stacks would be one bar per process. */
	if ((o->folded || o->flamegraph[0]) && !o->probe.stacks)
		o->probe.stacks = PS_STACK_KERNEL | PS_STACK_USER;
	return 0;
}
