// SPDX-License-Identifier: GPL-2.0-only
/*
 * A C++ program with inlined functions, built -O2 -g without frame pointers, for the user-stack
 * tests: main -> psunwind::Reader::run -> (inlined) psunwind::Reader::read_once ->
 * (inlined) psunwind::read_at -> pread. Its stacks must show the inlined functions, by their
 * C++ names.
 *
 *   unwind_inline PATH N     prints {"pid": P, "calls": C, "bytes": B, "errors": E}
 */
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>

namespace psunwind {

__attribute__((always_inline)) inline long read_at(int fd, char *buf, size_t len)
{
	return pread(fd, buf, len, 0);
}

class Reader {
public:
	explicit Reader(int fd) : fd_(fd) {}
	__attribute__((noinline)) void run(long n);
	long calls = 0, bytes = 0, errors = 0;

private:
	__attribute__((always_inline)) inline void read_once()
	{
		long r = read_at(fd_, buf_, sizeof(buf_));

		if (r < 0) {
			errors++;
		} else {
			calls++;
			bytes += r;
		}
	}
	int fd_;
	char buf_[4096];
};

void Reader::run(long n)
{
	for (long i = 0; i < n; i++) {
		read_once();
		__asm__ volatile("" ::: "memory");
	}
}

} // namespace psunwind

int main(int argc, char **argv)
{
	if (argc < 3) {
		std::fprintf(stderr, "usage: %s PATH N\n", argv[0]);
		return 2;
	}
	int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	psunwind::Reader r(fd);

	if (fd >= 0)
		r.run(std::atol(argv[2]));
	else
		r.errors++;
	std::printf("{\"pid\": %d, \"calls\": %ld, \"bytes\": %ld, \"errors\": %ld}\n", (int)getpid(),
		    r.calls, r.bytes, r.errors);
	return r.errors ? 1 : 0;
}
