// SPDX-License-Identifier: GPL-2.0-only
/*
 * The benchmark's load: threads pinned one per CPU that repeat one read as fast as they can and
 * report the time per read.
 *
 *   benchload OP THREADS ITERATIONS
 *
 * OP: stat (pread /proc/self/stat), sysfs (pread a small sysfs attribute), cpuinfo (pread
 * /proc/cpuinfo), zero (pread 4 KiB of /dev/zero), tmpfs (pread a 4 KiB file in /dev/shm, or
 * /tmp where there is no /dev/shm), mmap (mmap and munmap of a page: two mmap_lock writes, what
 * procscope impact's tracepoints cost every process), open (open and close of that tmpfs file:
 * what counting opens costs every open of a file that is not a pseudo-file). Pseudo-files are
 * read whole (a 64 KiB buffer), the controls 4 KiB at a time. Each thread opens its own file,
 * warms up, then times ITERATIONS reads (or mmap+munmap pairs, or open+close pairs). Prints one
 * JSON object:
 * {"op", "threads", "iterations", "ns_per_op"} where ns_per_op is the median over threads of
 * (elapsed / ITERATIONS): the cost of one read as one thread sees it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 256
#define SYSFS_ATTR "/sys/kernel/mm/transparent_hugepage/enabled"

struct worker {
	pthread_t thread;
	int cpu;
	const char *path; /* the file read, or opened with @open; NULL: mmap and munmap */
	bool open;	  /* open and close @path instead of reading it */
	size_t size;	  /* bytes per read */
	long iterations;
	double ns_per_op;
	int error;
};

static pthread_barrier_t start_line;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* One operation of the load: a read of @fd, or an mmap and munmap of a page. */
static int one_op(const struct worker *w, int fd, char *buf)
{
	void *p;

	if (w->open) {
		fd = open(w->path, O_RDONLY | O_CLOEXEC);
		return fd < 0 ? errno : close(fd) ? errno : 0;
	}
	if (w->path)
		return pread(fd, buf, w->size, 0) < 0 ? errno : 0;
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return errno;
	return munmap(p, 4096) ? errno : 0;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	char buf[65536];
	cpu_set_t set;
	uint64_t t0;
	int fd;

	CPU_ZERO(&set);
	CPU_SET(w->cpu, &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set))
		w->error = EINVAL;
	fd = w->path ? open(w->path, O_RDONLY | O_CLOEXEC) : -1;
	if (w->path && fd < 0)
		w->error = errno;
	pthread_barrier_wait(&start_line);
	if (w->error)
		return NULL;
	for (long i = 0; i < w->iterations / 10 + 1 && !w->error; i++) /* warm caches */
		w->error = one_op(w, fd, buf);
	t0 = now_ns();
	for (long i = 0; i < w->iterations && !w->error; i++)
		w->error = one_op(w, fd, buf);
	w->ns_per_op = (double)(now_ns() - t0) / (double)w->iterations;
	if (fd >= 0)
		close(fd);
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* A 4 KiB file in tmpfs, the control a tracer must not slow down more than the floor does. */
static const char *tmpfs_file(void)
{
	static char path[64];
	char data[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/procscope-bench-%d",
		 access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm", getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return NULL;
	memset(data, 'x', sizeof(data));
	if (write(fd, data, sizeof(data)) != (ssize_t)sizeof(data)) {
		close(fd);
		return NULL;
	}
	close(fd);
	return path;
}

int main(int argc, char **argv)
{
	static struct worker workers[MAX_THREADS];
	double ns[MAX_THREADS];
	const char *op, *path = NULL;
	size_t size = 65536;
	long threads, iterations;
	int ncpus = (int)sysconf(_SC_NPROCESSORS_ONLN);

	if (argc != 4) {
		fprintf(stderr, "usage: benchload OP THREADS ITERATIONS\n");
		return 2;
	}
	op = argv[1];
	threads = strtol(argv[2], NULL, 10);
	iterations = strtol(argv[3], NULL, 10);
	if (threads < 1 || threads > MAX_THREADS || iterations < 1) {
		fprintf(stderr, "benchload: bad THREADS or ITERATIONS\n");
		return 2;
	}
	if (!strcmp(op, "stat"))
		path = "/proc/self/stat";
	else if (!strcmp(op, "sysfs"))
		path = SYSFS_ATTR;
	else if (!strcmp(op, "cpuinfo"))
		path = "/proc/cpuinfo";
	else if (!strcmp(op, "zero"))
		path = "/dev/zero";
	else if (!strcmp(op, "tmpfs") || !strcmp(op, "open"))
		path = tmpfs_file();
	if (!strcmp(op, "zero") || !strcmp(op, "tmpfs"))
		size = 4096;
	if (!path && strcmp(op, "mmap")) {
		fprintf(stderr, "benchload: unknown OP %s (or no tmpfs to write to)\n", op);
		return 2;
	}
	pthread_barrier_init(&start_line, NULL, (unsigned int)threads);
	for (long i = 0; i < threads; i++) {
		workers[i] = (struct worker){ .cpu = (int)(i % ncpus),
					      .path = path,
					      .open = !strcmp(op, "open"),
					      .size = size,
					      .iterations = iterations };
		pthread_create(&workers[i].thread, NULL, work, &workers[i]);
	}
	for (long i = 0; i < threads; i++) {
		pthread_join(workers[i].thread, NULL);
		if (workers[i].error) {
			fprintf(stderr, "benchload: %s: %s\n", path ? path : op,
				strerror(workers[i].error));
			return 1;
		}
		ns[i] = workers[i].ns_per_op;
	}
	if (!strcmp(op, "tmpfs") || !strcmp(op, "open"))
		unlink(path);
	qsort(ns, (size_t)threads, sizeof(ns[0]), cmp_double);
	printf("{\"op\": \"%s\", \"threads\": %ld, \"iterations\": %ld, \"ns_per_op\": %.1f}\n", op,
	       threads, iterations, ns[threads / 2]);
	return 0;
}
