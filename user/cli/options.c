// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "audit/audit_rules.h"
#include "core/fsinfo.h"
#include "options.h"
#include "util/listen_addr.h"
#include "util/namelist.h"
#include "util/numparse.h"

#define FIELD(f) offsetof(struct run_opts, f), sizeof(((struct run_opts *)0)->f)
#define INTERVALS (CMD(CLI_STAT) | CMD(CLI_TOP) | CMD(CLI_IMPACT))
#define ATTACHING CMD_ALL
/* impact's -p and -c name the process being read; its readers are --reader-pid and -comm */
#define READERS (ATTACHING & ~CMD(CLI_IMPACT))
#define COUNTING (CMD(CLI_STAT) | CMD(CLI_TOP) | CMD(CLI_DAEMON))
#define AUDITING (CMD(CLI_AUDIT) | CMD(CLI_DAEMON))

static int parse_comm(const char *arg, struct run_opts *o, char *err, size_t errlen)
{
	if (!*arg) {
		snprintf(err, errlen, "empty process name for -c/--comm");
		return -EINVAL;
	}
	/* The kernel keeps 15 bytes of a task's name; a longer NAME matches its prefix. */
	snprintf(o->probe.comm, sizeof(o->probe.comm), "%s", arg);
	o->probe.comm_set = true;
	return 0;
}

static int parse_target_comm(const char *arg, struct run_opts *o, char *err, size_t errlen)
{
	if (!*arg) {
		snprintf(err, errlen, "empty process name for -c/--comm");
		return -EINVAL;
	}
	snprintf(o->target_comm, sizeof(o->target_comm), "%s", arg);
	o->target_comm_set = true;
	return 0;
}

static int parse_fs(const char *arg, struct run_opts *o, char *err, size_t errlen)
{
	const char *bad;
	int bad_len;

	if (!fsinfo__parse_list(arg, &o->probe.fs_mask, &bad, &bad_len))
		return 0;
	if (!bad_len) {
		snprintf(err, errlen,
			 "unknown filesystem '' in --fs: entry %d of '%s' is empty (known: proc, "
			 "sysfs, cgroup, cgroup2, debugfs, tracefs, securityfs, all)",
			 namelist__entry(arg, bad), arg);
		return -EINVAL;
	}
	snprintf(err, errlen,
		 "unknown filesystem '%.*s' in --fs (known: proc, sysfs, cgroup, cgroup2, debugfs, "
		 "tracefs, securityfs, all)",
		 bad_len, bad);
	return -EINVAL;
}

static int parse_ops(const char *arg, struct run_opts *o, char *err, size_t errlen)
{
	const char *bad;
	int bad_len;

	if (!namelist__parse(arg, op__traceable_mask, &o->probe.trace_ops, &bad, &bad_len))
		return 0;
	if (!bad_len)
		snprintf(err, errlen,
			 "unknown call '' in --op: entry %d of '%s' is empty (known: read, write, "
			 "open, readdir, readlink, stat, all)",
			 namelist__entry(arg, bad), arg);
	else
		snprintf(
			err, errlen,
			"unknown call '%.*s' in --op (known: read, write, open, readdir, readlink, "
			"stat, all)",
			bad_len, bad);
	return -EINVAL;
}

static int parse_mode(const char *arg, struct run_opts *o, char *err, size_t errlen)
{
	if (!mode__parse(arg, &o->probe.mode))
		return 0;
	snprintf(err, errlen,
		 "unknown mode '%s' for --mode (known: auto, fentry, kprobe, tracepoint)", arg);
	return -EINVAL;
}

static int parse_sort(const char *arg, struct run_opts *o, char *err, size_t errlen)
{
	if (!sort_field__parse(arg, &o->sort))
		return 0;
	snprintf(err, errlen,
		 "unknown sort key '%s' for -s/--sort (known: reads, rbytes, writes, wbytes, lat, "
		 "opens, dirs, links, stats)",
		 arg);
	return -EINVAL;
}

static int parse_uid(const char *arg, struct run_opts *o, char *err, size_t errlen)
{
	uint64_t v;
	int r = numparse__u64(arg, 0, UINT32_MAX - 1, &v);

	(void)err;
	(void)errlen;
	if (r)
		return r; /* the caller says what a valid value is */
	o->probe.uid = (uint32_t)v;
	o->probe.uid_set = true;
	return 0;
}

static int parse_min_lat(const char *arg, struct run_opts *o, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	return numparse__duration_ns(arg, &o->probe.min_lat_ns);
}

/* Unlike --min-lat (microseconds by default, as BCC's tools), a stall is given with its unit:
 * "10" could be 10 ms as well as 10 us. */
static int parse_min_stall(const char *arg, struct run_opts *o, char *err, size_t errlen)
{
	size_t len = strlen(arg);

	if (len && arg[len - 1] >= '0' && arg[len - 1] <= '9') {
		snprintf(err, errlen,
			 "invalid value '%s' for --min-stall: no unit (expected a duration such "
			 "as 500us, 2ms or 1s)",
			 arg);
		return -EINVAL;
	}
	if (numparse__duration_ns(arg, &o->probe.min_stall_ns))
		return -EINVAL;
	if (!o->probe.min_stall_ns) {
		snprintf(err, errlen, "invalid value '%s' for --min-stall: must be above 0", arg);
		return -EINVAL;
	}
	return 0;
}

static int parse_ustack(const char *arg, struct run_opts *o, char *err, size_t errlen)
{
	if (!strcmp(arg, "fp"))
		o->probe.ustack = PS_USTACK_WALK;
	else if (!strcmp(arg, "dwarf"))
		o->probe.ustack = PS_USTACK_COPY;
	else if (!strcmp(arg, "auto"))
		o->probe.ustack = PS_USTACK_WALK | PS_USTACK_COPY;
	else {
		snprintf(err, errlen, "unknown way '%s' for --ustack (known: fp, dwarf, auto)",
			 arg);
		return -EINVAL;
	}
	o->probe.stacks |= PS_STACK_USER; /* asking how implies asking for it, as perf's -g */
	return 0;
}

static int parse_ustack_bytes(const char *arg, struct run_opts *o, char *err, size_t errlen)
{
	uint64_t v;
	int r = numparse__u64(arg, PS_USTACK_MIN, PS_USTACK_MAX, &v);

	(void)err;
	(void)errlen;
	if (r)
		return r;
	o->probe.stacks |= PS_STACK_USER; /* as --ustack */
	/* the copy is taken in pieces of PS_USTACK_CHUNK (bpf/ustack.bpf.h) */
	o->probe.ustack_bytes =
		(uint32_t)((v + PS_USTACK_CHUNK - 1) / PS_USTACK_CHUNK) * PS_USTACK_CHUNK;
	return 0;
}

static int parse_ringbuf(const char *arg, struct run_opts *o, char *err, size_t errlen)
{
	uint64_t v;
	int r = numparse__u64(arg, 4, 1048576, &v);

	(void)err;
	(void)errlen;
	if (r || (v & (v - 1)))
		return r ? r : -ERANGE;
	o->probe.ringbuf_kib = (uint32_t)v;
	o->ringbuf_given = true;
	return 0;
}

static int parse_listen(const char *arg, struct run_opts *o, char *err, size_t errlen)
{
	char why[128];

	if (listen_addr__parse(arg, &o->listen, &o->listen_len, why, sizeof(why))) {
		snprintf(err, errlen, "invalid --listen '%s': %s", arg, why);
		return -EINVAL;
	}
	snprintf(o->listen_text, sizeof(o->listen_text), "%s", arg);
	return 0;
}

static int parse_severity(const char *arg, struct run_opts *o, char *err, size_t errlen)
{
	enum audit_severity sev;

	if (!audit_severity__parse(arg, &sev)) {
		o->min_severity = (uint8_t)sev;
		return 0;
	}
	snprintf(err, errlen,
		 "unknown severity '%s' for --severity (known: info, low, medium, high, critical)",
		 arg);
	return -EINVAL;
}

static int parse_enforce(const char *arg, struct run_opts *o, char *err, size_t errlen)
{
	char list[256], *save = NULL;

	snprintf(list, sizeof(list), "%s", arg);
	for (char *id = strtok_r(list, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
		const char *why;
		unsigned int rule;

		if (audit_rule__parse(id, &rule)) {
			snprintf(err, errlen,
				 "unknown rule '%s' for --enforce (--list-rules lists them)", id);
			return -EINVAL;
		}
		why = audit_rule__unenforceable(rule);
		if (why) {
			snprintf(err, errlen, "--enforce cannot deny '%s': %s", id, why);
			return -EINVAL;
		}
		o->probe.enforce_rules |= 1u << rule;
	}
	if (!o->probe.enforce_rules) {
		snprintf(err, errlen, "--enforce wants a list of rules (--list-rules lists them)");
		return -EINVAL;
	}
	return 0;
}

/* In the order each command's help lists them: its own options first, the common ones last. */
const struct cli_option cli_options[] = {
	{ "interval", 'i', "SECS", INTERVALS, KIND_SECONDS, FIELD(interval_s), 0.01, 86400,
	  "seconds from 0.01 to 86400", NULL, "interval length (default 1)", NULL },
	{ "count", 'n', "N", INTERVALS, KIND_UINT, FIELD(count), 1, UINT32_MAX, "a count from 1",
	  NULL, "stop after N intervals", NULL },
	{ "count", 'n', "N", CMD(CLI_TRACE), KIND_UINT, FIELD(count), 1, UINT32_MAX,
	  "a count from 1", NULL, "stop after N events", NULL },
	{ "count", 'n', "N", CMD(CLI_AUDIT), KIND_UINT, FIELD(count), 1, UINT32_MAX,
	  "a count from 1", NULL, "stop after N reported records", NULL },
	{ "duration", 'd', "SECS", CMD_ALL, KIND_SECONDS, FIELD(duration_s), 0.01, 31536000,
	  "seconds from 0.01 to 31536000", NULL, "stop after SECS seconds", NULL },
	{ "rows", 'r', "N", CMD(CLI_TOP), KIND_UINT, FIELD(rows), 1, 100000,
	  "a count from 1 to 100000", NULL, "rows per interval (default 20; all with --json)",
	  NULL },
	{ "sort", 's', "KEY", CMD(CLI_TOP), KIND_CUSTOM, FIELD(sort), 0, 0, NULL, parse_sort,
	  "reads, rbytes, writes, wbytes, lat, opens, dirs, links or stats (default reads)",
	  "reads rbytes writes wbytes lat opens dirs links stats" },
	{ "per-process", 0, NULL, CMD(CLI_TOP) | CMD(CLI_DAEMON), KIND_FLAG,
	  FIELD(probe.per_process), 0, 0, NULL, NULL,
	  "one row per file and process, with PID and COMM (daemon: a comm label)", NULL },
	{ "noclear", 'C', NULL, CMD(CLI_TOP), KIND_FLAG, FIELD(no_clear), 0, 0, NULL, NULL,
	  "do not clear the screen between intervals", NULL },
	{ "tid", 't', "TID", CMD(CLI_TRACE), KIND_UINT, FIELD(probe.tid), 1, 4194304,
	  "a thread id from 1 to 4194304", NULL, "only this thread", NULL },
	{ "uid", 'u', "UID", CMD(CLI_TRACE), KIND_CUSTOM, FIELD(probe.uid), 0, 0,
	  "a numeric user id", parse_uid, "only this user id", NULL },
	{ "path", 0, "GLOB", CMD(CLI_TRACE), KIND_TEXT, FIELD(path_glob), 0, 0, NULL, NULL,
	  "only paths matching GLOB, raw or normalized ('/proc/*/environ' matches "
	  "/proc/42/environ)",
	  NULL },
	{ "op", 0, "LIST", CMD(CLI_TRACE), KIND_CUSTOM, FIELD(probe.trace_ops), 0, 0, NULL,
	  parse_ops,
	  "the calls to trace: read,write,open,readdir,readlink,stat or all (default "
	  "read,write)",
	  "read write open readdir readlink stat all" },
	{ "errors-only", 0, NULL, CMD(CLI_TRACE), KIND_FLAG, FIELD(probe.errors_only), 0, 0, NULL,
	  NULL, "only calls that failed", NULL },
	{ "min-lat", 0, "DUR", CMD(CLI_TRACE), KIND_CUSTOM, FIELD(probe.min_lat_ns), 0, 0,
	  "a duration such as 500us, 2ms or 1s", parse_min_lat,
	  "only calls that took at least DUR (500us, 2ms, 1s)", NULL },
	{ "min-stall", 0, "DUR", CMD(CLI_TRACE), KIND_CUSTOM, FIELD(probe.min_stall_ns), 0, 0,
	  "a duration above 0 with its unit, such as 500us, 2ms or 1s", parse_min_stall,
	  "instead of calls: each wait of a process's thread for its own mmap_lock of at least DUR "
	  "while a reader of its /proc files held it, naming the reader (see procscope impact)",
	  NULL },
	{ "kernel-stack", 'K', NULL, CMD(CLI_TRACE), KIND_BITS, FIELD(probe.stacks),
	  PS_STACK_KERNEL, 0, NULL, NULL, "the kernel stack of each event", NULL },
	{ "user-stack", 'U', NULL, CMD(CLI_TRACE), KIND_BITS, FIELD(probe.stacks), PS_STACK_USER, 0,
	  NULL, NULL, "the user stack of each event", NULL },
	{ "ustack", 0, "HOW", CMD(CLI_TRACE), KIND_CUSTOM, FIELD(probe.ustack), 0, 0, NULL,
	  parse_ustack,
	  "how -U takes user stacks (implies -U): fp (the frame pointers, in the kernel), dwarf "
	  "(a copy of the stack, unwound by the binaries' call frame information), auto (both; "
	  "the unwound stack, or the frame pointers' where they find more; default)",
	  "fp dwarf auto" },
	{ "ustack-bytes", 0, "BYTES", CMD(CLI_TRACE), KIND_CUSTOM, FIELD(probe.ustack_bytes), 0, 0,
	  "bytes from 512 to 32768", parse_ustack_bytes,
	  "bytes of user stack copied per event for unwinding, from the stack pointer "
	  "(implies -U; default 8192; rounded up to 512)",
	  NULL },
	{ "folded", 0, NULL, CMD(CLI_TRACE), KIND_FLAG, FIELD(folded), 0, 0, NULL, NULL,
	  "print identical stacks counted, in folded form, at the end", NULL },
	{ "flamegraph", 0, "FILE", CMD(CLI_TRACE), KIND_TEXT, FIELD(flamegraph), 0, 0, NULL, NULL,
	  "write an interactive SVG flame graph to FILE at the end (both imply -K -U unless one "
	  "of them is given)",
	  NULL },
	{ "audit", 0, NULL, CMD(CLI_DAEMON), KIND_FLAG, FIELD(probe.audit), 0, 0, NULL, NULL,
	  "also audit sensitive files (see 'procscope audit'): procscope_audit_events_total{rule}",
	  NULL },
	{ "audit-log", 0, "FILE", CMD(CLI_DAEMON), KIND_TEXT, FIELD(audit_log), 0, 0, NULL, NULL,
	  "append each audit record to FILE as JSON ('-': standard output)", NULL },
	{ "rules", 0, "FILE", AUDITING, KIND_TEXT, FIELD(rules_path), 0, 0, NULL, NULL,
	  "the audit allowlist (YAML; default: the built-in one, /dev/null for none)", NULL },
	{ "severity", 0, "LEVEL", AUDITING, KIND_CUSTOM, FIELD(min_severity), 0, 0, NULL,
	  parse_severity,
	  "report rules of at least LEVEL: info, low, medium, high, critical (default low)",
	  "info low medium high critical" },
	{ "list-rules", 0, NULL, CMD(CLI_AUDIT), KIND_FLAG, FIELD(list_rules), 0, 0, NULL, NULL,
	  "print the rules and exit (with --json: as JSON)", NULL },
	{ "enforce", 0, "RULES", CMD(CLI_AUDIT), KIND_CUSTOM, FIELD(probe.enforce_rules), 0, 0,
	  NULL, parse_enforce,
	  "deny the accesses these rules (comma-separated) match with EPERM, unless the "
	  "allowlist allows them; never procscope itself or init (BPF LSM or fmod_ret: see "
	  "docs/audit.md)",
	  NULL },
	{ "enforce-dry-run", 0, NULL, CMD(CLI_AUDIT), KIND_FLAG, FIELD(probe.enforce_dry_run), 0, 0,
	  NULL, NULL, "with --enforce: report what would be denied (\"would-deny\"), deny nothing",
	  NULL },
	{ "listen", 0, "ADDR:PORT", CMD(CLI_DAEMON), KIND_CUSTOM, FIELD(listen), 0, 0, NULL,
	  parse_listen,
	  "address to serve on (default " LISTEN_DEFAULT "; [::1]:PORT for IPv6, :PORT for every "
	  "address)",
	  NULL },
	{ "web.config.file", 0, "FILE", CMD(CLI_DAEMON), KIND_TEXT, FIELD(web_config), 0, 0, NULL,
	  NULL,
	  "TLS and basic authentication, in the Prometheus exporter-toolkit format "
	  "(tls_server_config, basic_auth_users)",
	  NULL },
	{ "no-latency", 0, NULL, COUNTING, KIND_FLAG, FIELD(probe.no_latency), 0, 0, NULL, NULL,
	  "count only: no entry probes where the return has the file", NULL },
	{ "impact", 0, NULL, CMD(CLI_DAEMON), KIND_FLAG, FIELD(probe.impact), 0, 0, NULL, NULL,
	  "what readers of /proc cost the processes they read (their mmap_lock), as series by "
	  "reader name and file: procscope_impact_* (see procscope impact)",
	  NULL },
	{ "self-cost", 0, NULL, CMD(CLI_TOP) | CMD(CLI_DAEMON), KIND_FLAG, FIELD(probe.self_cost),
	  0, 0, NULL, NULL,
	  "what procscope's BPF programs cost, as the kernel measures it (turns on the kernel's "
	  "BPF statistics while running: see procscope(8))",
	  NULL },
	{ "ringbuf-size", 0, "KIB", CMD(CLI_TRACE) | AUDITING, KIND_CUSTOM,
	  FIELD(probe.ringbuf_kib), 0, 0, "KiB, a power of two from 4 to 1048576", parse_ringbuf,
	  "ring buffer KiB, a power of two (default 1024; 8192 for user stacks copied, see "
	  "--ustack)",
	  NULL },
	{ "pid", 'p', "PID", READERS, KIND_UINT, FIELD(probe.tgid), 1, 4194304, /* PID_MAX_LIMIT */
	  "a pid from 1 to 4194304", NULL, "only this process (thread group)", NULL },
	{ "comm", 'c', "NAME", READERS, KIND_CUSTOM, FIELD(probe.comm), 0, 0, NULL, parse_comm,
	  "only processes with this name (first 15 bytes)", NULL },
	{ "pid", 'p', "PID", CMD(CLI_IMPACT), KIND_UINT, FIELD(target_pid), 1, 4194304,
	  "a pid from 1 to 4194304", NULL, "only this process being read (the target)", NULL },
	{ "comm", 'c', "NAME", CMD(CLI_IMPACT), KIND_CUSTOM, FIELD(target_comm), 0, 0, NULL,
	  parse_target_comm, "only targets with this name (first 15 bytes)", NULL },
	{ "reader-pid", 0, "PID", CMD(CLI_IMPACT), KIND_UINT, FIELD(probe.tgid), 1, 4194304,
	  "a pid from 1 to 4194304", NULL, "only this reading process", NULL },
	{ "reader-comm", 0, "NAME", CMD(CLI_IMPACT), KIND_CUSTOM, FIELD(probe.comm), 0, 0, NULL,
	  parse_comm, "only readers with this name (first 15 bytes)", NULL },
	{ "fs", 0, "LIST", READERS, KIND_CUSTOM, FIELD(probe.fs_mask), 0, 0, NULL, parse_fs,
	  "proc,sysfs,cgroup,debugfs,tracefs,securityfs or all (default proc,sysfs)",
	  "proc sysfs cgroup cgroup2 debugfs tracefs securityfs all" },
	{ "mode", 0, "MODE", ATTACHING, KIND_CUSTOM, FIELD(probe.mode), 0, 0, NULL, parse_mode,
	  "auto, fentry, kprobe or tracepoint (default auto)", "auto fentry kprobe tracepoint" },
	/* trace sends events and audit reads no counts: neither has file statistics to size. */
	{ "max-files", 0, "N", INTERVALS | CMD(CLI_DAEMON), KIND_UINT, FIELD(probe.max_files), 1,
	  1000000, "a count from 1 to 1000000", NULL,
	  "distinct files tracked; the rest count as [other] (default 1024)", NULL },
	{ "json", 0, NULL, CMD_ALL & ~CMD(CLI_DAEMON), KIND_FLAG, FIELD(json), 0, 0, NULL, NULL,
	  "JSON output, one object per line (NDJSON)", NULL },
	{ "btf", 0, "FILE", ATTACHING, KIND_TEXT, FIELD(probe.btf_path), 0, 0, NULL, NULL,
	  "the kernel's types from FILE, for kernels without BTF", NULL },
	{ "verbose", 'v', NULL, CMD_ALL, KIND_FLAG, FIELD(verbose), 0, 0, NULL, NULL,
	  "show libbpf's messages", NULL },
	{ "help", 'h', NULL, CMD_ALL, KIND_FLAG, FIELD(help), 0, 0, NULL, NULL, "this help", NULL },
};
const size_t cli_option_count = sizeof(cli_options) / sizeof(cli_options[0]);

const struct cli_option *options__find(const char *name, enum cli_command cmd)
{
	for (size_t i = 0; i < cli_option_count; i++)
		if (!strcmp(cli_options[i].name, name) && (cli_options[i].commands & CMD(cmd)))
			return &cli_options[i];
	return NULL;
}

bool options__named_before(size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (!strcmp(cli_options[j].name, cli_options[i].name))
			return true;
	return false;
}

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

/* The option as the user may write it, for messages: "-i/--interval" or "--max-files". */
static const char *option_label(const struct cli_option *opt, char *buf, size_t len)
{
	if (opt->short_name)
		snprintf(buf, len, "-%c/--%s", opt->short_name, opt->name);
	else
		snprintf(buf, len, "--%s", opt->name);
	return buf;
}

static int bad_value(const char *label, const char *arg, int r, const struct cli_option *opt,
		     char *err, size_t errlen)
{
	const char *why = r == -ERANGE ? "out of range" : "not a number";
	const char *expect = opt->expect;

	/* "-1" is no number to the parsers: say what is wrong with it. */
	if (arg[0] == '-' && arg[1] >= '0' && arg[1] <= '9')
		why = opt->min > 0 ? "must be positive" : "must not be negative";
	snprintf(err, errlen, "invalid value '%s' for %s: %s (expected %s)", arg, label, why,
		 expect);
	return -EINVAL;
}

/* Stores the value of @opt, named @label in messages. */
static int apply(const struct cli_option *opt, const char *label, const char *arg,
		 struct run_opts *o, char *err, size_t errlen)
{
	void *field = (char *)o + opt->offset;
	uint64_t v;
	double d;
	int r;

	switch (opt->kind) {
	case KIND_FLAG:
		*(bool *)field = true;
		return 0;
	case KIND_BITS:
		*(uint8_t *)field |= (uint8_t)opt->min;
		return 0;
	case KIND_SECONDS:
		r = numparse__seconds(arg, opt->min, opt->max, &d);
		if (r)
			return bad_value(label, arg, r, opt, err, errlen);
		*(double *)field = d;
		return 0;
	case KIND_UINT:
		r = numparse__u64(arg, (uint64_t)opt->min, (uint64_t)opt->max, &v);
		if (r)
			return bad_value(label, arg, r, opt, err, errlen);
		if (opt->size == sizeof(uint64_t))
			*(uint64_t *)field = v;
		else
			*(uint32_t *)field = (uint32_t)v;
		return 0;
	case KIND_TEXT:
		if (!*arg || strlen(arg) >= opt->size) {
			snprintf(err, errlen, "%s needs a value of 1 to %zu bytes", label,
				 opt->size - 1);
			return -EINVAL;
		}
		snprintf(field, opt->size, "%s", arg);
		return 0;
	case KIND_CUSTOM:
		err[0] = '\0';
		r = opt->parse(arg, o, err, errlen);
		/* Parsers of numbers leave the message to the table's expect text. */
		if (r && !err[0])
			return bad_value(label, arg, r, opt, err, errlen);
		return r;
	}
	snprintf(err, errlen, "internal: option kind %d", (int)opt->kind);
	return -EINVAL;
}

/* A FUNC argument of trace: a C identifier, each at most once. */
static int add_function(const char *name, struct run_opts *o, char *err, size_t errlen)
{
	size_t len =
		strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
	struct probe_config *pc = &o->probe;

	if (!*name || name[len] || (name[0] >= '0' && name[0] <= '9') || len > 127) {
		snprintf(err, errlen, "'%.64s' is not a kernel function name", name);
		return -EINVAL;
	}
	for (int i = 0; i < pc->nfuncs; i++) {
		if (!strcmp(pc->funcs[i], name)) {
			snprintf(err, errlen, "function %s is given twice", name);
			return -EINVAL;
		}
	}
	if (pc->nfuncs >= PS_MAX_TRACED_FUNCS) {
		snprintf(err, errlen, "at most %d functions can be traced at once",
			 PS_MAX_TRACED_FUNCS);
		return -EINVAL;
	}
	pc->funcs[pc->nfuncs++] = name;
	return 0;
}

/* stat and top: [interval [count]] after the options, like vfsstat and filetop. */
static int positional_numbers(int argc, char **argv, int first, enum cli_command cmd,
			      const bool *given, struct run_opts *o, char *err, size_t errlen)
{
	static const char *const names[] = { "interval", "count" };

	if (argc - first > 2) {
		snprintf(err, errlen, "unexpected argument '%s' (at most an interval and a count)",
			 argv[first + 2]);
		return -EINVAL;
	}
	for (int i = 0; i < 2 && first + i < argc; i++) {
		const struct cli_option *opt = options__find(names[i], cmd);
		char label[48];

		if (given[i]) {
			snprintf(err, errlen, "the %s is given twice: as -%c and as '%s'", names[i],
				 opt->short_name, argv[first + i]);
			return -EINVAL;
		}
		snprintf(label, sizeof(label), "the %s argument", names[i]);
		if (apply(opt, label, argv[first + i], o, err, errlen))
			return -EINVAL;
	}
	return 0;
}

/* The long options that @token ("--p", "--pid=1") may abbreviate, among those @cmd takes (or
 * all with CLI_COUNT). Returns their number; @list names them. */
static int long_candidates(const char *token, enum cli_command cmd, char *list, size_t len)
{
	size_t n = strcspn(token + 2, "="), used = 0;
	int found = 0;

	list[0] = '\0';
	for (size_t i = 0; i < cli_option_count; i++) {
		const struct cli_option *opt = &cli_options[i];

		if (options__named_before(i) || strncmp(opt->name, token + 2, n) != 0 ||
		    (cmd != CLI_COUNT && !(opt->commands & CMD(cmd))))
			continue;
		if (strlen(opt->name) == n) { /* an exact match is no abbreviation */
			snprintf(list, len, "--%s", opt->name);
			return 1;
		}
		found++;
		used += (size_t)snprintf(list + used, used < len ? len - used : 0, "%s--%s",
					 found > 1 ? ", " : "", opt->name);
	}
	return found;
}

/* What getopt could not take: an unknown or ambiguous option, or one of another command. */
static int refuse(const char *token, int short_opt, enum cli_command cmd, char *err, size_t errlen)
{
	char list[512], label[48];

	if (short_opt) {
		for (size_t i = 0; i < cli_option_count; i++) {
			if (cli_options[i].short_name == short_opt) {
				snprintf(err, errlen, "option %s is not accepted by this command",
					 option_label(&cli_options[i], label, sizeof(label)));
				return -EINVAL;
			}
		}
		snprintf(err, errlen, "unknown option '-%c'", short_opt);
		return -EINVAL;
	}
	if (strncmp(token, "--", 2) != 0) {
		snprintf(err, errlen, "unknown option '%s'", token);
		return -EINVAL;
	}
	if (long_candidates(token, cmd, list, sizeof(list)) > 1) {
		snprintf(err, errlen, "ambiguous option '%.*s': %s?", (int)strcspn(token, "="),
			 token, list);
		return -EINVAL;
	}
	switch (long_candidates(token, CLI_COUNT, list, sizeof(list))) {
	case 0:
		snprintf(err, errlen, "unknown option '%.*s'", (int)strcspn(token, "="), token);
		return -EINVAL;
	case 1:
		for (size_t i = 0; i < cli_option_count; i++) {
			if (!strcmp(list + 2, cli_options[i].name)) {
				snprintf(err, errlen, "option %s is not accepted by this command",
					 option_label(&cli_options[i], label, sizeof(label)));
				return -EINVAL;
			}
		}
		break;
	default:
		snprintf(err, errlen, "ambiguous option '%.*s': %s?", (int)strcspn(token, "="),
			 token, list);
		return -EINVAL;
	}
	snprintf(err, errlen, "unknown option '%s'", token);
	return -EINVAL;
}

/* Checks between options, once all are parsed. */
static int check_combinations(struct run_opts *o, char *err, size_t errlen)
{
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
	if (o->probe.trace_ops && o->probe.nfuncs) {
		snprintf(err, errlen,
			 "--op chooses among the pseudo-file calls: with FUNC arguments the events "
			 "are those functions' calls");
		return -EINVAL;
	}
	if (!o->probe.trace_ops)
		o->probe.trace_ops = PS_TRACE_OPS_DEFAULT;
	if (o->probe.min_stall_ns) {
		if (o->probe.nfuncs || o->probe.min_lat_ns || o->probe.errors_only ||
		    o->probe.trace_ops != PS_TRACE_OPS_DEFAULT) {
			snprintf(err, errlen,
				 "--min-stall traces waits, not calls: FUNC arguments, --op, "
				 "--min-lat and --errors-only do not go with it");
			return -EINVAL;
		}
		/* the waits of processes whose /proc files are read: bpf/impact.bpf.h */
		o->probe.impact = true;
		o->probe.fs_mask = 1u << PS_FS_PROC;
	}
	if (o->probe.impact && o->probe.no_latency) {
		snprintf(
			err, errlen,
			"--impact needs each read's entry, which --no-latency leaves out: give one "
			"of them");
		return -EINVAL;
	}
	if (o->probe.impact && !(o->probe.fs_mask & (1u << PS_FS_PROC))) {
		snprintf(err, errlen,
			 "--impact needs proc in --fs (the files that take a process's mmap_lock "
			 "are in /proc)");
		return -EINVAL;
	}
	if (o->probe.enforce_dry_run && !o->probe.enforce_rules) {
		snprintf(err, errlen, "--enforce-dry-run needs --enforce RULES (the rules to try)");
		return -EINVAL;
	}
	o->probe.audit_rules = audit_rule__mask((enum audit_severity)o->min_severity);
	/* an enforced rule is reported whatever --severity says: a refusal is never silent */
	o->probe.audit_rules |= o->probe.enforce_rules;
	/* A flame graph or folded stacks without stacks would be one bar per process. */
	if ((o->folded || o->flamegraph[0]) && !o->probe.stacks)
		o->probe.stacks = PS_STACK_KERNEL | PS_STACK_USER;
	/* Events that carry a copy of the stack are 8 KiB or more: room for as many of them. */
	if ((o->probe.stacks & PS_STACK_USER) && (o->probe.ustack & PS_USTACK_COPY) &&
	    !o->probe.min_stall_ns && !o->ringbuf_given)
		o->probe.ringbuf_kib = PS_USTACK_RINGBUF_KIB;
	return 0;
}

int options__parse(int argc, char **argv, enum cli_command cmd, struct run_opts *o, char *err,
		   size_t errlen)
{
	struct option longs[sizeof(cli_options) / sizeof(cli_options[0]) + 1];
	char shorts[2 * sizeof(cli_options) / sizeof(cli_options[0]) + 2] = ":";
	bool given[2] = { false, false }; /* -i, -n: against the positional arguments */
	size_t nlong = 0, nshort = 1;
	int c;

	/* getopt sees the options of @cmd only: abbreviations are then unique among them. */
	for (size_t i = 0; i < cli_option_count; i++) {
		const struct cli_option *opt = &cli_options[i];

		if (!(opt->commands & CMD(cmd)))
			continue;
		longs[nlong++] =
			(struct option){ opt->name,
					 opt->value_name ? required_argument : no_argument, NULL,
					 opt->short_name ? opt->short_name : 0x100 + (int)i };
		if (opt->short_name) {
			shorts[nshort++] = opt->short_name;
			if (opt->value_name)
				shorts[nshort++] = ':';
		}
	}
	memset(&longs[nlong], 0, sizeof(longs[nlong]));
	shorts[nshort] = '\0';

	optind = 0; /* GNU getopt: 0 also resets its scan position inside a bundle of short options
		     */
	opterr = 0; /* getopt's own messages would not follow ours */
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		const struct cli_option *opt = NULL;
		char label[48];

		if (c == '?')
			return refuse(argv[optind - 1], optopt, cmd, err, errlen);
		if (c == ':') {
			snprintf(err, errlen, "option '%s' needs a value", argv[optind - 1]);
			return -EINVAL;
		}
		for (size_t i = 0; i < nlong && !opt; i++)
			if (longs[i].val == c)
				opt = options__find(longs[i].name, cmd);
		if (!opt) {
			snprintf(err, errlen, "internal: unhandled option %d", c);
			return -EINVAL;
		}
		if (opt->short_name == 'i' || opt->short_name == 'n')
			given[opt->short_name == 'n'] = true;
		if (apply(opt, option_label(opt, label, sizeof(label)), optarg, o, err, errlen))
			return -EINVAL;
	}
	if (cmd == CLI_TRACE) {
		for (; optind < argc; optind++)
			if (add_function(argv[optind], o, err, errlen))
				return -EINVAL;
	} else if (cmd == CLI_STAT || cmd == CLI_TOP || cmd == CLI_IMPACT) {
		if (positional_numbers(argc, argv, optind, cmd, given, o, err, errlen))
			return -EINVAL;
	} else if (optind < argc) {
		snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	return check_combinations(o, err, errlen);
}
