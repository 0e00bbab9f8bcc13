// SPDX-License-Identifier: GPL-2.0-only
/*
 * The test workload: reads and writes pseudo-files a known number of times and reports exactly
 * what the kernel returned, so tests can compare procscope's counts with the truth.
 *
 *   workload [--comm NAME] [--threads N] [--uid UID] OP...
 *
 * OPs, each run by every thread:
 *   pread:PATH:N        open once, N x pread(64 KiB at offset 0)
 *   read:PATH:N         N x (open, read(4 KiB) until end of file, close); every read call counts
 *   readv:PATH:N        open once, N x preadv(one 64 KiB iovec at offset 0)
 *   stackread:PATH:N    like pread, through the named functions workload_read_named and
 *                       workload_pread_leaf, for the user-stack tests
 *   write:PATH:VALUE:N  N x (open O_WRONLY, write VALUE, close)
 *   files:DIR:N         read every regular file of DIR once, up to N files (distinct paths)
 *   opens:PATH:N        N x open and close; calls: the opens that worked, errors: those that failed
 *   list:DIR:N          N x open DIR and getdents64 to its end; calls: getdents64 calls, bytes:
 *                       the records they returned
 *   readlink:PATH:N     N x readlink(PATH); calls: those that worked, errors: those that failed
 *   readlinkat:PATH:N   the same through readlinkat, relative to PATH's directory opened once
 *   stat:PATH:N         N x stat(PATH) (glibc: newfstatat); calls: those that worked, errors:
 *                       those that failed; lstat, statx likewise; fstat:PATH:N opens PATH once
 *                       and calls the fstat system call N times, fstatat:PATH:N glibc's fstat
 *                       (newfstatat with AT_EMPTY_PATH); coldstat:PATH:N stats with PATH in a
 *                       file mapped afresh for each call, its page not yet in this process's
 *                       page tables: a probe at the call's entry cannot read the name
 *   sleep:MS            pause
 *   signal:PID:0        send SIGUSR1 to PID (a workload started with --wait-signal)
 *   waitfile:PATH:MS    wait until PATH exists, at most MS milliseconds
 *   paced:PATH:MS       pread(64 KiB at offset 0) every millisecond for MS milliseconds
 *   capless:MAP:1       create a BPF array map, drop every capability of this process, and
 *                       look the map up once: calls 1, errors 1 when the kernel refused (the
 *                       truth the daemon's privilege tests compare with); must come last
 *   peek:WHO:NAME:N     N x (open /proc/PID/NAME, read 4 KiB until end of file, close), for
 *                       the audit tests; WHO says whose file, read by whom:
 *                         self     this process, /proc/self/NAME
 *                         thread   this process, another thread's /proc/self/task/TID/NAME
 *                         child    this process, a child's file
 *                         sibling  a child reads another child's file (both named wl_target
 *                                  and the workload's name, reader first)
 *                         link     the same through a symlink in /tmp to the file
 *                       NAME mem reads 8 bytes at an address of this program instead (the same
 *                       in every fork). Reported with reader, target and target_tid (the pids),
 *                       read_path, data_calls (calls that moved bytes) and reader_cgroup.
 *   door:WHO:CALL:N     N x a door into another process that is a system call, for the audit
 *                       tests: CALL attach (ptrace PTRACE_ATTACH, wait for the stop, detach),
 *                       vm_read (process_vm_readv of 8 bytes at an address of this program),
 *                       vm_write (process_vm_writev of them back), getfd (pidfd_open, then
 *                       pidfd_getfd of descriptor 0, closed); WHO child (a child that waits),
 *                       self (this process), thread (another thread of it), init (pid 1).
 *                       Reported with target (the pid), calls (those that worked) and errors
 *                       (those refused or failed).
 *   listen:FAMILY:1     make a TCP socket (FAMILY tcp4 or tcp6) listen on the loopback address,
 *                       any port, and hold it until the end: this process serves the network
 *   forkread:PATH:N     a child (a fork, as a prefork server's worker) does read:PATH:N;
 *                       its calls, bytes and errors are reported, its pid as reader
 *   execread:PATH:N     a child executes this program anew (same name; --exec PROGRAM: that
 *                       copy of it instead) to do read:PATH:N;
 *                       calls: N when it succeeded, errors: 1 when not; its pid as reader
 *   impact:NAME:R:N     for procscope impact: this process maps IMPACT_MAPS pages one by one
 *                       and becomes the target; R children (named wl_reader) each read its
 *                       /proc/PID/NAME whole N times (4 KiB reads), while this process loops
 *                       on mmap+munmap of a page until they are done (R = 0: for 300 ms),
 *                       timing each, and lives 500 ms more (a tracer that reads its maps to
 *                       name the frames of its stalls finds it, as it would a long-lived
 *                       target). Reported with target, reader (and reader2: the pids),
 *                       calls and bytes (the readers' read calls), worker_ops, op_ns (the
 *                       worker's time inside mmap and munmap) and worst_ns (its slowest op).
 *
 * --uid drops to that user (and group, no supplementary groups) before the OPs, for the tests of
 * what the kernel refuses an unprivileged process; dumpable, as a process that user started.
 * --wait-signal blocks until SIGUSR1 before running the OPs (so a test can start it, learn its
 * pid, and let it go once procscope is ready);
 * --out FILE writes the report there instead of stdout, atomically.
 * --exec PROGRAM: the program execread executes (a copy of this one elsewhere).
 *
 * Prints one JSON object: {"pid": P, "comm": C, "ops": [{"op","path","calls","bytes","errors"}]}
 * where calls counts the read or write system calls made, bytes the sum of positive returns and
 * errors the calls that failed. Exits 1 when an OP can't even start (bad path to open).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_OPS 32
#define MAX_THREADS 64

struct op {
	char kind[16];
	char path[512];
	char value[256];
	long n;
	/* Totals over all threads. */
	unsigned long long calls, bytes, errors;
	pthread_mutex_t lock;
	/* peek, impact */
	unsigned long long data_calls;
	int reader, target, target_tid;
	/* impact */
	int reader2;
	unsigned long long worker_ops, op_ns, worst_ns;
	char read_path[600];
	char reader_cgroup[512];
};

/* What a peek at /proc/PID/mem reads: its address is the same in every fork of this program. */
static volatile unsigned long long peek_marker = 0x706f6373636f7270ull;

static struct op ops[MAX_OPS];
static const char *exec_program = "/proc/self/exe";
static int nops;

static void account(ssize_t r, unsigned long long *calls, unsigned long long *bytes,
		    unsigned long long *errors)
{
	(*calls)++;
	if (r > 0)
		*bytes += (unsigned long long)r;
	else if (r < 0)
		(*errors)++;
}

static int open_or_die(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "workload: cannot open %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fd;
}

/*
 * The stack tests' call chain: workload_read_named -> workload_pread_leaf -> pread. The binary is
 * built with frame pointers; the C library is not, so a frame-pointer walk from inside pread
 * skips workload_pread_leaf (its caller's frame is the first it finds) and shows
 * workload_read_named: that is the name the tests look for.
 */
__attribute__((noinline)) static ssize_t workload_pread_leaf(int fd, char *buf, size_t len)
{
	ssize_t r = pread(fd, buf, len, 0);

	__asm__ volatile("" ::: "memory"); /* not a tail call: keep this frame */
	return r;
}

__attribute__((noinline)) static void workload_read_named(struct op *op, char *buf, size_t len,
							  unsigned long long *calls,
							  unsigned long long *bytes,
							  unsigned long long *errors)
{
	int fd = open_or_die(op->path, O_RDONLY);

	for (long i = 0; i < op->n; i++)
		account(workload_pread_leaf(fd, buf, len), calls, bytes, errors);
	close(fd);
	__asm__ volatile("" ::: "memory");
}

/* The results of a peek, passed from a reader child through a pipe. */
struct peek_result {
	unsigned long long calls, bytes, errors, data_calls;
	char read_path[600];
	char cgroup[512];
};

/* This process's cgroup v2 path, from /proc/self/cgroup's "0::" line. */
static void own_cgroup(char *buf, size_t len)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	char line[600];

	snprintf(buf, len, "?");
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(buf, len, "%.500s", line + 3);
	}
	if (f)
		fclose(f);
}

static void peek_file(const char *path, int mem, long n, struct peek_result *r)
{
	static char buf[4096];

	snprintf(r->read_path, sizeof(r->read_path), "%s", path);
	own_cgroup(r->cgroup, sizeof(r->cgroup));
	for (long i = 0; i < n; i++) {
		int fd = open_or_die(path, O_RDONLY);
		ssize_t got;

		do {
			got = mem ? pread(fd, buf, 8, (off_t)(uintptr_t)&peek_marker)
				  : read(fd, buf, sizeof(buf));
			account(got, &r->calls, &r->bytes, &r->errors);
			r->data_calls += got > 0;
		} while (got > 0 && !mem);
		close(fd);
	}
}

/* A child named wl_target that waits to be killed; returns once it has its name. */
static pid_t spawn_target(void)
{
	int ready[2];
	pid_t pid;
	char c;

	if (pipe(ready))
		exit(1);
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_NAME, "wl_target");
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	if (read(ready[0], &c, 1) != 1)
		exit(1);
	close(ready[0]);
	close(ready[1]);
	return pid;
}

/* Another thread of this process, blocked until other_thread_end. */
struct other_thread {
	int to_main[2], to_thread[2];
	pthread_t thread;
	pid_t tid;
};

static void *blocked_thread(void *arg)
{
	struct other_thread *o = arg;
	char c;
	pid_t tid = gettid();

	if (write(o->to_main[1], &tid, sizeof(tid)) != sizeof(tid) ||
	    read(o->to_thread[0], &c, 1) < 0)
		return NULL;
	return NULL;
}

static void other_thread_start(struct other_thread *o)
{
	if (pipe(o->to_main) || pipe(o->to_thread))
		exit(1);
	pthread_create(&o->thread, NULL, blocked_thread, o);
	if (read(o->to_main[0], &o->tid, sizeof(o->tid)) != sizeof(o->tid))
		exit(1);
}

static void other_thread_end(struct other_thread *o)
{
	if (write(o->to_thread[1], "x", 1) != 1)
		exit(1);
	pthread_join(o->thread, NULL);
	for (int i = 0; i < 2; i++) {
		close(o->to_main[i]);
		close(o->to_thread[i]);
	}
}

#define IMPACT_MAPS 2000
#define IMPACT_READERS 2

static unsigned long long mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (unsigned long long)t.tv_sec * 1000000000ull + (unsigned long long)t.tv_nsec;
}

/* A reader child of impact: N whole reads of /proc/TARGET/NAME; "calls bytes" into @fd. */
static void impact_reader(pid_t target, const char *name, long n, int fd)
{
	char path[600], buf[4096], line[64];
	unsigned long long calls = 0, bytes = 0, errors = 0;

	prctl(PR_SET_NAME, "wl_reader");
	snprintf(path, sizeof(path), "/proc/%d/%s", target, name);
	for (long i = 0; i < n; i++) {
		int f = open_or_die(path, O_RDONLY);
		ssize_t r;

		do {
			r = read(f, buf, sizeof(buf));
			account(r, &calls, &bytes, &errors);
		} while (r > 0);
		close(f);
	}
	snprintf(line, sizeof(line), "%llu %llu\n", calls, bytes);
	if (write(fd, line, strlen(line)) < 0)
		_exit(1);
	_exit(0);
}

static void run_impact(struct op *op)
{
	long readers = atol(op->value);
	pid_t pids[IMPACT_READERS] = { 0 };
	unsigned long long end = 0;
	int fds[2], alive;

	for (int i = 0; i < IMPACT_MAPS; i++) {
		/* alternate protections, so that neighbours do not merge into one mapping */
		if (mmap(NULL, 4096, i & 1 ? PROT_READ : PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED) {
			fprintf(stderr, "workload: impact: mmap: %s\n", strerror(errno));
			exit(1);
		}
	}
	if (readers < 0 || readers > IMPACT_READERS || pipe(fds)) {
		fprintf(stderr, "workload: impact: bad reader count '%s'\n", op->value);
		exit(1);
	}
	for (long i = 0; i < readers; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			impact_reader(getppid(), op->path, op->n, fds[1]);
	}
	close(fds[1]);
	if (!readers)
		end = mono_ns() + 300000000ull;
	for (alive = (int)readers; readers ? alive > 0 : mono_ns() < end;) {
		unsigned long long t0 = mono_ns(), d;
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
			       0);

		munmap(p, 4096);
		d = mono_ns() - t0;
		op->worker_ops++;
		op->op_ns += d;
		if (d > op->worst_ns)
			op->worst_ns = d;
		if (readers && (op->worker_ops & 63) == 0)
			while (waitpid(-1, NULL, WNOHANG) > 0)
				alive--;
	}
	for (;;) { /* each reader's "calls bytes" */
		unsigned long long c, b;
		char line[64];
		ssize_t got = read(fds[0], line, sizeof(line) - 1);

		if (got <= 0)
			break;
		line[got] = 0;
		for (char *l = line, *save = NULL; (l = strtok_r(l, "\n", &save)); l = NULL)
			if (sscanf(l, "%llu %llu", &c, &b) == 2) {
				op->calls += c;
				op->bytes += b;
			}
	}
	close(fds[0]);
	if (readers)
		usleep(500000);
	op->target = op->target_tid = getpid();
	op->reader = pids[0];
	op->reader2 = pids[1];
}

/* One door call of @op->path on @pid: 0, or -errno. */
static int door_call(const char *call, pid_t pid)
{
	unsigned long long word = 0;
	struct iovec local = { &word, sizeof(word) };
	struct iovec remote = { (void *)&peek_marker, sizeof(word) };
	int r = 0, pidfd, fd;

	if (!strcmp(call, "attach")) {
		if (ptrace(PTRACE_ATTACH, pid, 0, 0))
			return -errno;
		waitpid(pid, NULL, __WALL);
		ptrace(PTRACE_DETACH, pid, 0, 0);
	} else if (!strcmp(call, "vm_read")) {
		r = process_vm_readv(pid, &local, 1, &remote, 1, 0) < 0 ? -errno : 0;
	} else if (!strcmp(call, "vm_write")) {
		word = peek_marker;
		r = process_vm_writev(pid, &local, 1, &remote, 1, 0) < 0 ? -errno : 0;
	} else if (!strcmp(call, "getfd")) {
		pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (pidfd < 0)
			return -errno;
		fd = (int)syscall(SYS_pidfd_getfd, pidfd, 0, 0);
		r = fd < 0 ? -errno : 0;
		if (fd >= 0)
			close(fd);
		close(pidfd);
	} else {
		fprintf(stderr, "workload: unknown door call '%s'\n", call);
		exit(2);
	}
	return r;
}

static void run_door(struct op *op)
{
	const char *who = op->value;
	struct other_thread o;
	pid_t target;

	if (!strcmp(who, "child")) {
		target = spawn_target();
	} else if (!strcmp(who, "self")) {
		target = getpid();
	} else if (!strcmp(who, "thread")) {
		other_thread_start(&o);
		target = o.tid;
	} else if (!strcmp(who, "init")) {
		target = 1;
	} else {
		fprintf(stderr, "workload: unknown door target '%s'\n", who);
		exit(2);
	}
	for (long i = 0; i < op->n; i++) {
		if (door_call(op->path, target))
			op->errors++;
		else
			op->calls++;
	}
	if (!strcmp(who, "child")) {
		kill(target, SIGKILL);
		waitpid(target, NULL, 0);
	} else if (!strcmp(who, "thread")) {
		other_thread_end(&o);
	}
	op->target = op->target_tid = target;
}

/* N x (open, read 4 KiB until end of file, close) */
static void read_whole(const char *path, long n, unsigned long long *calls,
		       unsigned long long *bytes, unsigned long long *errors)
{
	static __thread char buf[4096];

	for (long i = 0; i < n; i++) {
		int fd = open_or_die(path, O_RDONLY);
		ssize_t r;

		do {
			r = read(fd, buf, sizeof(buf));
			account(r, calls, bytes, errors);
		} while (r > 0);
		close(fd);
	}
}

static void run_listen(struct op *op)
{
	int v6 = !strcmp(op->path, "tcp6");
	struct sockaddr_in a4 = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	int fd;

	if (!v6 && strcmp(op->path, "tcp4")) {
		fprintf(stderr, "workload: unknown listen family '%s'\n", op->path);
		exit(2);
	}
	fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
	if (fd < 0 ||
	    bind(fd, v6 ? (struct sockaddr *)&a6 : (struct sockaddr *)&a4,
		 v6 ? sizeof(a6) : sizeof(a4)) ||
	    listen(fd, 1))
		op->errors++;
	else
		op->calls++; /* the socket stays open until the process ends */
}

/* forkread and execread: a child reads, the parent waits. */
static void run_child_read(struct op *op)
{
	unsigned long long totals[3] = {};
	int pipefd[2], status;
	pid_t child;

	if (pipe(pipefd)) {
		perror("workload: pipe");
		exit(1);
	}
	child = fork();
	if (child == 0) {
		close(pipefd[0]);
		if (!strcmp(op->kind, "execread")) {
			char comm[17] = "", spec[600];

			prctl(PR_GET_NAME, comm);
			snprintf(spec, sizeof(spec), "read:%s:%ld", op->path, op->n);
			if (!freopen("/dev/null", "w", stdout))
				_exit(1);
			execl(exec_program, "workload", "--comm", comm, spec, (char *)NULL);
			_exit(1);
		}
		read_whole(op->path, op->n, &totals[0], &totals[1], &totals[2]);
		if (write(pipefd[1], totals, sizeof(totals)) != sizeof(totals))
			_exit(1);
		_exit(0);
	}
	close(pipefd[1]);
	if (child < 0 || waitpid(child, &status, 0) < 0) {
		perror("workload: fork");
		exit(1);
	}
	if (!strcmp(op->kind, "execread")) {
		totals[0] =
			WIFEXITED(status) && !WEXITSTATUS(status) ? (unsigned long long)op->n : 0;
		totals[2] = !totals[0];
	} else if (read(pipefd[0], totals, sizeof(totals)) != sizeof(totals)) {
		totals[2] = 1;
	}
	close(pipefd[0]);
	op->calls += totals[0];
	op->bytes += totals[1];
	op->errors += totals[2];
	op->reader = child;
}

/* @path as a string at the start of a page of a file of its own, mapped but not touched. */
static void *cold_name(const char *path)
{
	char name[] = "/tmp/wl-cold-XXXXXX";
	int fd = mkstemp(name);
	void *map;

	if (fd < 0 || write(fd, path, strlen(path) + 1) != (ssize_t)strlen(path) + 1) {
		fprintf(stderr, "workload: coldstat: %s\n", strerror(errno));
		exit(1);
	}
	unlink(name);
	map = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		fprintf(stderr, "workload: coldstat: %s\n", strerror(errno));
		exit(1);
	}
	return map;
}

static void run_peek(struct op *op)
{
	const char *who = op->value;
	int mem = !strcmp(op->path, "mem");
	struct peek_result r = { 0 };
	char path[600];

	op->reader = getpid();
	if (!strcmp(who, "self")) {
		op->target = op->target_tid = getpid();
		snprintf(path, sizeof(path), "/proc/self/%s", op->path);
		peek_file(path, mem, op->n, &r);
	} else if (!strcmp(who, "thread")) {
		struct other_thread o;

		other_thread_start(&o);
		op->target = getpid();
		op->target_tid = o.tid;
		snprintf(path, sizeof(path), "/proc/self/task/%d/%s", o.tid, op->path);
		peek_file(path, mem, op->n, &r);
		other_thread_end(&o);
	} else if (!strcmp(who, "child")) {
		pid_t target = spawn_target();

		op->target = op->target_tid = target;
		snprintf(path, sizeof(path), "/proc/%d/%s", target, op->path);
		peek_file(path, mem, op->n, &r);
		kill(target, SIGKILL);
		waitpid(target, NULL, 0);
	} else if (!strcmp(who, "sibling") || !strcmp(who, "link")) {
		int link = !strcmp(who, "link"), fds[2];
		pid_t target = spawn_target(), reader;

		if (pipe(fds))
			exit(1);
		reader = fork();
		if (reader == 0) {
			snprintf(path, sizeof(path), "/proc/%d/%s", target, op->path);
			if (link) {
				char lnk[64];

				snprintf(lnk, sizeof(lnk), "/tmp/wl-link-%d", getpid());
				unlink(lnk);
				if (symlink(path, lnk))
					_exit(1);
				peek_file(lnk, mem, op->n, &r);
				unlink(lnk);
			} else {
				peek_file(path, mem, op->n, &r);
			}
			_exit(write(fds[1], &r, sizeof(r)) == sizeof(r) ? 0 : 1);
		}
		close(fds[1]);
		if (read(fds[0], &r, sizeof(r)) != sizeof(r))
			exit(1);
		waitpid(reader, NULL, 0);
		kill(target, SIGKILL);
		waitpid(target, NULL, 0);
		op->reader = reader;
		op->target = op->target_tid = target;
	} else {
		fprintf(stderr, "workload: unknown peek '%s'\n", who);
		exit(1);
	}
	op->data_calls = r.data_calls;
	snprintf(op->read_path, sizeof(op->read_path), "%s", r.read_path);
	snprintf(op->reader_cgroup, sizeof(op->reader_cgroup), "%s", r.cgroup);
	op->calls = r.calls;
	op->bytes = r.bytes;
	op->errors = r.errors;
}

static void run_op(struct op *op)
{
	static __thread char buf[65536];
	unsigned long long calls = 0, bytes = 0, errors = 0;
	int fd;

	if (!strcmp(op->kind, "pread") || !strcmp(op->kind, "readv")) {
		struct iovec iov = { buf, sizeof(buf) };

		fd = open_or_die(op->path, O_RDONLY);
		for (long i = 0; i < op->n; i++)
			account(op->kind[0] == 'p' ? pread(fd, buf, sizeof(buf), 0)
						   : preadv(fd, &iov, 1, 0),
				&calls, &bytes, &errors);
		close(fd);
	} else if (!strcmp(op->kind, "stackread")) {
		workload_read_named(op, buf, sizeof(buf), &calls, &bytes, &errors);
	} else if (!strcmp(op->kind, "read")) {
		read_whole(op->path, op->n, &calls, &bytes, &errors);
	} else if (!strcmp(op->kind, "listen")) {
		run_listen(op); /* one socket, whatever --threads says */
		return;
	} else if (!strcmp(op->kind, "forkread") || !strcmp(op->kind, "execread")) {
		run_child_read(op); /* the same */
		return;
	} else if (!strcmp(op->kind, "write")) {
		for (long i = 0; i < op->n; i++) {
			fd = open_or_die(op->path, O_WRONLY);
			account(write(fd, op->value, strlen(op->value)), &calls, &bytes, &errors);
			close(fd);
		}
	} else if (!strcmp(op->kind, "files")) {
		DIR *dir = opendir(op->path);
		struct dirent *de;
		long done = 0;

		if (!dir) {
			fprintf(stderr, "workload: cannot open %s: %s\n", op->path,
				strerror(errno));
			exit(1);
		}
		while (done < op->n && (de = readdir(dir))) {
			char p[1024];

			if (de->d_type != DT_REG)
				continue;
			snprintf(p, sizeof(p), "%s/%s", op->path, de->d_name);
			fd = open(p, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
			if (fd < 0)
				continue;
			account(pread(fd, buf, 4096, 0), &calls, &bytes, &errors);
			close(fd);
			done++;
		}
		closedir(dir);
	} else if (!strcmp(op->kind, "opens")) {
		/* calls: opens that worked; errors: those that failed */
		for (long i = 0; i < op->n; i++) {
			fd = open(op->path, O_RDONLY | O_CLOEXEC);
			if (fd < 0) {
				errors++;
				continue;
			}
			calls++;
			close(fd);
		}
	} else if (!strcmp(op->kind, "readlink") || !strcmp(op->kind, "readlinkat")) {
		const char *name = op->path;
		int dirfd = AT_FDCWD;

		if (op->kind[8]) { /* readlinkat: from the directory, by the last component */
			char dir[PATH_MAX];
			const char *slash = strrchr(op->path, '/');

			snprintf(dir, sizeof(dir), "%.*s", (int)(slash - op->path), op->path);
			dirfd = open_or_die(dir, O_RDONLY | O_DIRECTORY);
			name = slash + 1;
		}
		for (long i = 0; i < op->n; i++) {
			long got = dirfd == AT_FDCWD ? readlink(name, buf, sizeof(buf))
						     : readlinkat(dirfd, name, buf, sizeof(buf));

			if (got < 0)
				errors++;
			else
				calls++;
		}
		if (dirfd != AT_FDCWD)
			close(dirfd);
	} else if (!strcmp(op->kind, "coldstat")) {
		struct stat st;

		for (long i = 0; i < op->n; i++) {
			void *cold = cold_name(op->path);

			if (stat(cold, &st) < 0)
				errors++;
			else
				calls++;
			munmap(cold, 4096);
		}
	} else if (!strcmp(op->kind, "stat") || !strcmp(op->kind, "lstat") ||
		   !strcmp(op->kind, "statx") || !strcmp(op->kind, "fstat") ||
		   !strcmp(op->kind, "fstatat")) {
		int by_fd = op->kind[0] == 'f';
		struct statx stx;
		struct stat st;

		fd = by_fd ? open_or_die(op->path, O_RDONLY) : -1;
		for (long i = 0; i < op->n; i++) {
			int r;

			if (!strcmp(op->kind, "stat"))
				r = stat(op->path, &st);
			else if (!strcmp(op->kind, "lstat"))
				r = lstat(op->path, &st);
			else if (!strcmp(op->kind, "statx"))
				r = statx(AT_FDCWD, op->path, 0, STATX_BASIC_STATS, &stx);
			else if (!strcmp(op->kind, "fstat"))
				r = (int)syscall(SYS_fstat, fd, &st);
			else
				r = fstat(fd, &st);
			if (r < 0)
				errors++;
			else
				calls++;
		}
		if (by_fd)
			close(fd);
	} else if (!strcmp(op->kind, "list")) {
		/* calls: getdents64 calls (the last returns 0), bytes: the records returned */
		for (long i = 0; i < op->n; i++) {
			long got;

			fd = open_or_die(op->path, O_RDONLY | O_DIRECTORY);
			do {
				got = syscall(SYS_getdents64, fd, buf, sizeof(buf));
				if (got < 0) {
					errors++;
					break;
				}
				calls++;
				for (long off = 0; off < got; bytes++)
					off += ((struct dirent64 *)(buf + off))->d_reclen;
			} while (got > 0);
			close(fd);
		}
	} else if (!strcmp(op->kind, "sleep")) {
		usleep((useconds_t)op->n * 1000);
	} else if (!strcmp(op->kind, "signal")) {
		kill((pid_t)atol(op->path), SIGUSR1);
	} else if (!strcmp(op->kind, "capless")) {
		union bpf_attr attr = { .map_type = BPF_MAP_TYPE_ARRAY,
					.key_size = 4,
					.value_size = 8,
					.max_entries = 1 };
		struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
		struct __user_cap_data_struct none[2] = { { 0 } };
		uint32_t key = 0;
		struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
		uint64_t value;
		int map;

		/* before 5.11, maps are charged to RLIMIT_MEMLOCK, and a small one refuses them */
		setrlimit(RLIMIT_MEMLOCK, &unlimited);
		map = (int)syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof(attr));

		if (map < 0 || syscall(SYS_capset, &hdr, none)) {
			fprintf(stderr, "workload: capless: %s\n", strerror(errno));
			exit(1);
		}
		memset(&attr, 0, sizeof(attr));
		attr.map_fd = (uint32_t)map;
		attr.key = (uint64_t)(uintptr_t)&key;
		attr.value = (uint64_t)(uintptr_t)&value;
		account(syscall(SYS_bpf, BPF_MAP_LOOKUP_ELEM, &attr, sizeof(attr)) ? -1 : 0, &calls,
			&bytes, &errors);
		close(map);
	} else if (!strcmp(op->kind, "paced")) {
		struct timespec start, now;

		fd = open_or_die(op->path, O_RDONLY);
		clock_gettime(CLOCK_MONOTONIC, &start);
		do {
			account(pread(fd, buf, sizeof(buf), 0), &calls, &bytes, &errors);
			usleep(1000);
			clock_gettime(CLOCK_MONOTONIC, &now);
		} while ((now.tv_sec - start.tv_sec) * 1000 +
				 (now.tv_nsec - start.tv_nsec) / 1000000 <
			 op->n);
		close(fd);
	} else if (!strcmp(op->kind, "peek")) {
		run_peek(op); /* its own totals: one run, whatever --threads says */
		return;
	} else if (!strcmp(op->kind, "impact")) {
		run_impact(op); /* the same */
		return;
	} else if (!strcmp(op->kind, "door")) {
		run_door(op); /* the same */
		return;
	} else if (!strcmp(op->kind, "waitfile")) {
		for (long ms = 0; ms < op->n && access(op->path, F_OK); ms += 10)
			usleep(10000);
	} else { /* a test that names an op this workload lacks must not pass on zeros */
		fprintf(stderr, "workload: unknown op '%s'\n", op->kind);
		exit(2);
	}
	pthread_mutex_lock(&op->lock);
	op->calls += calls;
	op->bytes += bytes;
	op->errors += errors;
	pthread_mutex_unlock(&op->lock);
}

/* The process name may hold anything a process chose: escape it for JSON. */
static void print_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void *thread_main(void *arg)
{
	(void)arg;
	for (int i = 0; i < nops; i++)
		run_op(&ops[i]);
	return NULL;
}

static int parse_op(const char *spec, struct op *op)
{
	char tmp[1024], *fields[4];
	int nf = 0;

	snprintf(tmp, sizeof(tmp), "%s", spec);
	/* kind:path[:value]:n; kind:path:n's path may contain ':' (arm64's /proc/bus/pci/0000:00)
	 */
	for (char *save = NULL, *f = strtok_r(tmp, ":", &save); f && nf < 4;
	     f = strtok_r(NULL, ":", &save))
		fields[nf++] = f;
	memset(op, 0, sizeof(*op));
	pthread_mutex_init(&op->lock, NULL);
	if (nf < 2)
		return -1;
	snprintf(op->kind, sizeof(op->kind), "%s", fields[0]);
	if (!strcmp(op->kind, "sleep") && nf == 2) {
		op->n = atol(fields[1]);
		return 0;
	}
	if (!strcmp(op->kind, "impact") && nf == 4) { /* impact:NAME:R:N */
		snprintf(op->path, sizeof(op->path), "%s", fields[1]);
		snprintf(op->value, sizeof(op->value), "%s", fields[2]);
		op->n = atol(fields[3]);
		return 0;
	}
	/* peek:WHO:NAME:N and door:WHO:CALL:N, NAME or CALL in path */
	if ((!strcmp(op->kind, "peek") || !strcmp(op->kind, "door")) && nf == 4) {
		snprintf(op->value, sizeof(op->value), "%s", fields[1]);
		snprintf(op->path, sizeof(op->path), "%s", fields[2]);
		op->n = atol(fields[3]);
		return 0;
	}
	if (!strcmp(op->kind, "write") && nf == 4) {
		snprintf(op->path, sizeof(op->path), "%s", fields[1]);
		snprintf(op->value, sizeof(op->value), "%s", fields[2]);
		op->n = atol(fields[3]);
		return 0;
	}
	if (nf < 3)
		return -1;
	/* the path: from the first ':' to the last */
	const char *first = strchr(spec, ':') + 1, *last = strrchr(spec, ':');
	snprintf(op->path, sizeof(op->path), "%.*s", (int)(last - first), first);
	op->n = atol(last + 1);
	return 0;
}

int main(int argc, char **argv)
{
	pthread_t threads[MAX_THREADS];
	int nthreads = 1, wait_signal = 0;
	char comm[17] = "", tmp_path[600];
	const char *out_path = NULL;
	FILE *out = stdout;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--comm") && i + 1 < argc) {
			prctl(PR_SET_NAME, argv[++i]);
		} else if (!strcmp(argv[i], "--uid") && i + 1 < argc) {
			uid_t uid = (uid_t)atoi(argv[++i]);

			if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
			    setresuid(uid, uid, uid)) {
				fprintf(stderr, "workload: cannot become uid %u: %s\n", uid,
					strerror(errno));
				return 1;
			}
			/* a change of uid leaves the process undumpable: its own user could not
			 * read its files, where one started by that user could */
			prctl(PR_SET_DUMPABLE, 1);
		} else if (!strcmp(argv[i], "--wait-signal")) {
			wait_signal = 1;
		} else if (!strcmp(argv[i], "--out") && i + 1 < argc) {
			out_path = argv[++i];
		} else if (!strcmp(argv[i], "--exec") && i + 1 < argc) {
			exec_program = argv[++i];
		} else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
			nthreads = atoi(argv[++i]);
			if (nthreads < 1 || nthreads > MAX_THREADS)
				nthreads = 1;
		} else if (nops < MAX_OPS && !parse_op(argv[i], &ops[nops])) {
			nops++;
		} else {
			fprintf(stderr, "workload: bad argument '%s'\n", argv[i]);
			return 2;
		}
	}
	if (wait_signal) {
		sigset_t set;
		int sig;

		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		sigprocmask(SIG_BLOCK, &set, NULL);
		printf("%d\n", getpid());
		fflush(stdout);
		sigwait(&set, &sig);
	}
	if (out_path) {
		snprintf(tmp_path, sizeof(tmp_path), "%s.tmp", out_path);
		out = fopen(tmp_path, "w");
		if (!out)
			return 1;
	}
	if (nthreads == 1) {
		thread_main(NULL);
	} else {
		for (int t = 0; t < nthreads; t++)
			pthread_create(&threads[t], NULL, thread_main, NULL);
		for (int t = 0; t < nthreads; t++)
			pthread_join(threads[t], NULL);
	}
	prctl(PR_GET_NAME, comm);
	fprintf(out, "{\"pid\": %d, \"comm\": ", getpid());
	print_json_string(out, comm);
	fprintf(out, ", \"threads\": %d, \"ops\": [", nthreads);
	for (int i = 0; i < nops; i++) {
		fprintf(out,
			"%s{\"op\": \"%s\", \"path\": \"%s\", \"calls\": %llu, \"bytes\": %llu, "
			"\"errors\": %llu, \"iterations\": %ld, \"data_calls\": %llu, \"reader\": "
			"%d, "
			"\"target\": %d, \"target_tid\": %d, \"read_path\": ",
			i ? ", " : "", ops[i].kind, ops[i].path, ops[i].calls, ops[i].bytes,
			ops[i].errors, ops[i].n * nthreads, ops[i].data_calls, ops[i].reader,
			ops[i].target, ops[i].target_tid);
		print_json_string(out, ops[i].read_path);
		fputs(", \"reader_cgroup\": ", out);
		print_json_string(out, ops[i].reader_cgroup);
		fprintf(out,
			", \"reader2\": %d, \"worker_ops\": %llu, \"op_ns\": %llu, \"worst_ns\": "
			"%llu}",
			ops[i].reader2, ops[i].worker_ops, ops[i].op_ns, ops[i].worst_ns);
	}
	fprintf(out, "]}\n");
	if (out_path) {
		fclose(out);
		rename(tmp_path, out_path);
	}
	return 0;
}
