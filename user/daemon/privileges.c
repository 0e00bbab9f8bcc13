// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <seccomp.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "privileges.h"

#ifndef CAP_BPF
#define CAP_BPF 39
#endif
#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif

bool privileges__can_trace(void)
{
	cap_flag_value_t admin = CAP_CLEAR, bpf = CAP_CLEAR, perfmon = CAP_CLEAR;
	cap_t caps = cap_get_proc();

	if (!caps)
		return geteuid() == 0;
	/* A libcap that does not know CAP_BPF leaves its value clear. */
	cap_get_flag(caps, CAP_SYS_ADMIN, CAP_EFFECTIVE, &admin);
	cap_get_flag(caps, CAP_BPF, CAP_EFFECTIVE, &bpf);
	cap_get_flag(caps, CAP_PERFMON, CAP_EFFECTIVE, &perfmon);
	cap_free(caps);
	return admin == CAP_SET || (bpf == CAP_SET && perfmon == CAP_SET);
}

/* Whether @read works with no capability at all: asked in a child, which can drop everything
 * without consequence for this process. */
static int read_needs_capability(privileges_read_fn read, void *ctx, bool *ret_needed)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		cap_t none = cap_init();

		if (!none || cap_set_proc(none))
			_exit(2);
		_exit(read(ctx) == -EPERM ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (!WIFEXITED(status) || WEXITSTATUS(status) > 1)
		return -ECHILD;
	*ret_needed = WEXITSTATUS(status) == 1;
	return 0;
}

/* Empties the bounding set but for @keep (-1: none). That needs CAP_SETPCAP, which root has; a
 * process started with only CAP_BPF and CAP_PERFMON leaves the set as it is (no_new_privs
 * already keeps exec from granting anything). */
static int drop_bounding(int keep)
{
	for (cap_value_t c = 0; c < (cap_value_t)cap_max_bits(); c++) {
		if (c == keep || !cap_drop_bound(c) || errno == EINVAL)
			continue;
		return errno == EPERM ? 0 : -errno;
	}
	return 0;
}

static int set_only(int keep)
{
	cap_t caps = cap_init();
	cap_value_t v = keep;
	int r = 0;

	if (!caps)
		return -errno;
	if (keep >= 0 && (cap_set_flag(caps, CAP_EFFECTIVE, 1, &v, CAP_SET) ||
			  cap_set_flag(caps, CAP_PERMITTED, 1, &v, CAP_SET)))
		r = -errno;
	if (!r && cap_set_proc(caps))
		r = -errno;
	cap_free(caps);
	return r;
}

int privileges__drop(privileges_read_fn read, void *ctx, const char **ret_kept, char *err,
		     size_t errlen)
{
	bool needed = false;
	int keep = -1, r;

	r = read_needs_capability(read, ctx, &needed);
	if (r) {
		snprintf(err, errlen, "cannot learn which capabilities map reads need: %s",
			 strerror(-r));
		return r;
	}
	if (needed)
		keep = CAP_IS_SUPPORTED(CAP_BPF) ? CAP_BPF : CAP_SYS_ADMIN;
	r = drop_bounding(keep);
	if (!r && cap_reset_ambient())
		r = -errno;
	if (!r)
		r = set_only(keep);
	if (!r && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		r = -errno;
	if (r) {
		snprintf(err, errlen, "cannot drop capabilities: %s", strerror(-r));
		return r;
	}
	*ret_kept = keep == CAP_BPF ? "cap_bpf" : keep == CAP_SYS_ADMIN ? "cap_sys_admin" : "none";
	return 0;
}

/* What the daemon calls once running, found with strace over the e2e daemon and audit tests,
 * grouped by what needs it. The C library's own needs are in (thread start, exit, time). */
static const char *const allowed_syscalls[] = {
	/* files: /proc/self for its own metrics, the cgroup walk, the audit log, stdio */
	"read",
	"pread64",
	"readv",
	"write",
	"writev",
	"lseek",
	"close",
	"openat",
	"newfstatat",
	"fstat",
	"statfs",
	"fstatfs",
	"getdents64",
	"fchdir",
	"readlink",
	"readlinkat",
	"access",
	"faccessat",
	"faccessat2",
	"name_to_handle_at",
	"fcntl",
	"ioctl",
	/* memory */
	"mmap",
	"munmap",
	"mremap",
	"mprotect",
	"madvise",
	"brk",
	/* BPF maps, ring buffers and link teardown */
	"bpf",
	"epoll_wait",
	"epoll_pwait",
	"epoll_ctl",
	"epoll_create1",
	"eventfd2",
	"poll",
	"ppoll",
	/* HTTP */
	"accept4",
	"accept",
	"recvfrom",
	"recvmsg",
	"sendto",
	"sendmsg",
	"setsockopt",
	"getsockopt",
	"getsockname",
	"getpeername",
	"shutdown",
	/* signals, threads, time, exit */
	"rt_sigtimedwait",
	"rt_sigprocmask",
	"rt_sigaction",
	"rt_sigreturn",
	"sigaltstack",
	"futex",
	"clone",
	"clone3",
	"set_robust_list",
	"rseq",
	"exit",
	"exit_group",
	"getpid",
	"getuid", /* sd_notify: whether to send credentials */
	"geteuid",
	"getgid",
	"getegid",
	"gettid",
	"tgkill",
	"prctl",
	"prlimit64",
	"getrusage",
	"sysinfo",
	"uname",
	"clock_gettime",
	"clock_nanosleep",
	"nanosleep",
	"gettimeofday",
	"getrandom",
	"sched_yield",
	"sched_getaffinity",
	"restart_syscall",
};

int privileges__restrict_syscalls(char *err, size_t errlen)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	int r = ctx ? 0 : -ENOMEM;

	for (size_t i = 0; !r && i < sizeof(allowed_syscalls) / sizeof(allowed_syscalls[0]); i++) {
		int nr = seccomp_syscall_resolve_name(allowed_syscalls[i]);

		if (nr != __NR_SCMP_ERROR)
			r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
	}
	/* sd_notify (READY=1, STOPPING=1) sends a datagram on a local socket of its own: sockets
	 * of the local family only. */
	if (!r) {
		/* spelled out: SCMP_A0 leaves datum_b to -Wmissing-field-initializers (clang) */
		struct scmp_arg_cmp unix_only = {
			.arg = 0, .op = SCMP_CMP_EQ, .datum_a = AF_UNIX, .datum_b = 0
		};

		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1, unix_only);
	}
	if (!r)
		r = seccomp_load(ctx);
	seccomp_release(ctx);
	if (r) {
		snprintf(err, errlen, "cannot install the seccomp filter: %s", strerror(-r));
		return r;
	}
	return 0;
}
