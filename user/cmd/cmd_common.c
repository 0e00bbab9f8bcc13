// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "audit/audit_stream.h"
#include "audit/listeners.h"
#include "util/clock.h"
#include "cmd_common.h"
#include "cli/help.h"
#include "core/loader.h"
#include "daemon/privileges.h"

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/* libbpf's messages are printf formats: the attribute lets -Wformat-nonliteral (clang) see that. */
__attribute__((format(printf, 2, 0))) static int libbpf_verbose(enum libbpf_print_level level,
								const char *fmt, va_list ap)
{
	(void)level;
	return vfprintf(stderr, fmt, ap);
}

/* False, after saying so, when @pid (0: none given) names no process. */
static bool process_exists(uint32_t pid, const char *cmd, const char *option)
{
	if (!pid || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
		return true;
	fprintf(stderr, "procscope %s: no process with pid %u (check %s)\n", cmd, pid, option);
	return false;
}

int cmd__parse(int argc, char **argv, enum cli_command cmd, struct run_opts *ret_opts)
{
	char err[512];

	options__defaults(ret_opts);
	if (options__parse(argc, argv, cmd, ret_opts, err, sizeof(err))) {
		fprintf(stderr, "procscope %s: %s (see 'procscope %s --help')\n", argv[0], err,
			argv[0]);
		return EXIT_USAGE;
	}
	if (ret_opts->help) {
		help__command(stdout, cmd);
		return 0;
	}
	libbpf_set_print(ret_opts->verbose ? libbpf_verbose : libbpf_quiet);
	/* impact's -p names the process read; its readers' pid is --reader-pid */
	if (!process_exists(ret_opts->probe.tgid, argv[0],
			    cmd == CLI_IMPACT ? "--reader-pid" : "-p/--pid") ||
	    !process_exists(ret_opts->target_pid, argv[0], "-p/--pid"))
		return EXIT_USAGE;
	/* A file named on the command line that cannot be used is a usage error, whichever
	 * option named it, found before anything is attached. */
	if (ret_opts->probe.btf_path[0] &&
	    loader__check_btf(ret_opts->probe.btf_path, err, sizeof(err))) {
		fprintf(stderr, "procscope: %s\n", err);
		return EXIT_USAGE;
	}
	return -1;
}

int cmd__open_loader(struct run_opts *o, enum probe_use use, struct loader **ret_loader)
{
	char err[1024];

	if (!privileges__can_trace()) {
		fprintf(stderr, "procscope: permission denied: run as root, or with CAP_BPF and "
				"CAP_PERFMON (CAP_SYS_ADMIN before Linux 5.8)\n");
		return 1;
	}
	o->probe.use = use;
	if (loader__open(&o->probe, ret_loader, err, sizeof(err))) {
		fprintf(stderr, "procscope: %s\n", err);
		return 1;
	}
	for (int i = 0; loader__warning(*ret_loader, i); i++)
		fprintf(stderr, "procscope: warning: %s\n", loader__warning(*ret_loader, i));
	return 0;
}

/* Loads --rules and finds the cgroup mount. Returns 0, or the exit status after saying why. */
int cmd__audit_prepare(const struct run_opts *o, struct allowlist *ret_allow,
		       struct cgroup_paths **ret_cgroups)
{
	char err[512];

	if (audit_stream__load_allowlist(o->rules_path, ret_allow, err, sizeof(err))) {
		fprintf(stderr, "procscope: %s\n", err);
		return EXIT_USAGE;
	}
	*ret_cgroups = cgroup_paths__new();
	if (!*ret_cgroups)
		fprintf(stderr,
			"procscope: warning: no cgroup2 mount found (%s): readers' cgroups are "
			"shown by id, and cgroup matchers of the allowlist match nothing\n",
			strerror(errno));
	return 0;
}

static int add_server(void *ctx, uint32_t pid, uint64_t start_ticks, bool through_exec)
{
	return loader__add_server(ctx, pid, start_ticks, through_exec);
}

/* The recon-read rule's servers: the programs of the rules file, then the processes that
 * serve now (the kernel's list started before: a process that listens from now on is in it). */
static int seed_servers(struct loader *l, const struct allowlist *allow)
{
	struct exe_id *exes = NULL;
	int n = exe_id__resolve(allow->servers, allow->nservers, &exes), r = n < 0 ? n : 0;

	for (int i = 0; !r && i < n; i++)
		r = loader__add_server_exe(l, exes[i].ino, exes[i].dev);
	if (!r)
		r = listeners__scan("/proc", exes, n, add_server, l);
	free(exes);
	if (r < 0)
		fprintf(stderr, "procscope: cannot list the processes that serve the network: %s\n",
			strerror(-r));
	return r < 0;
}

int cmd__audit_open(struct loader *l, struct audit_stream *s)
{
	int r = loader__audit_open(l, audit_stream__event, s);

	if (r) {
		fprintf(stderr, "procscope: cannot open the audit ring buffer: %s\n", strerror(-r));
		return 1;
	}
	loader__sysctl_attach(l, s->cgroups ? cgroup_paths__mount_point(s->cgroups) : NULL);
	s->values_missing = loader__sysctl_missing(l);
	if (s->values_missing)
		fprintf(stderr,
			"procscope: warning: sysctl writes are reported without their old and new "
			"values: %s\n",
			s->values_missing);
	return loader__recon(l) ? seed_servers(l, s->allow) : 0;
}

/* A map read, as scrapes and the end of a run do. */
static int read_check(void *ctx)
{
	uint64_t v;

	return loader__counter(ctx, PS_CNT_FILES_FULL, &v);
}

int cmd__lock_down(struct loader *l, const char **ret_kept)
{
	char err[256];

	if (privileges__drop(read_check, l, ret_kept, err, sizeof(err)) ||
	    privileges__restrict_syscalls(err, sizeof(err))) {
		fprintf(stderr, "procscope: %s\n", err);
		return 1;
	}
	return 0;
}
