// SPDX-License-Identifier: GPL-2.0-only
/*
 * floor MODE: attaches the empty programs of MODE (fentry, kprobe or tracepoint) at procscope's
 * hooks, prints "floor: ready", and waits for SIGINT or SIGTERM.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "floor.skel.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const prefix[] = { "fentry",	    "floor_fentry_", "floor_fexit_",
					      "kprobe",	    "floor_kprobe_", "floor_kretprobe_",
					      "tracepoint", "floor_sys_",    "floor_sys_" };
	struct bpf_program *prog;
	struct floor_bpf *skel;
	sigset_t set;
	int mode = -1, sig;

	for (int i = 0; argc == 2 && i < 9; i += 3)
		if (!strcmp(argv[1], prefix[i]))
			mode = i;
	if (mode < 0) {
		fprintf(stderr, "usage: floor fentry|kprobe|tracepoint\n");
		return 2;
	}
	libbpf_set_print(quiet);
	skel = floor_bpf__open();
	if (!skel) {
		fprintf(stderr, "floor: cannot open: %s\n", strerror(errno));
		return 1;
	}
	bpf_object__for_each_program(prog, skel->obj)
	{
		const char *name = bpf_program__name(prog);

		bpf_program__set_autoload(
			prog, !strncmp(name, prefix[mode + 1], strlen(prefix[mode + 1])) ||
				      !strncmp(name, prefix[mode + 2], strlen(prefix[mode + 2])));
	}
	if (floor_bpf__load(skel) || floor_bpf__attach(skel)) {
		fprintf(stderr, "floor: cannot load or attach the %s programs: %s\n", argv[1],
			strerror(errno));
		floor_bpf__destroy(skel);
		return 1;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	fprintf(stderr, "floor: ready mode=%s\n", argv[1]);
	sigwait(&set, &sig);
	floor_bpf__destroy(skel);
	return 0;
}
