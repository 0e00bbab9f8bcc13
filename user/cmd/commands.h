/* SPDX-License-Identifier: GPL-2.0-only */
/* The commands main.c dispatches to; each returns the process exit status. */
#ifndef PS_COMMANDS_H
#define PS_COMMANDS_H

#define COMMON_OPTIONS_HELP                                                                   \
	"  -p, --pid PID         only this process (thread group)\n"                          \
	"  -c, --comm NAME       only processes with this name (first 15 bytes)\n"            \
	"      --fs LIST         proc,sysfs,cgroup,debugfs,tracefs,securityfs or all\n"       \
	"                        (default proc,sysfs)\n"                                      \
	"      --mode MODE       auto, fentry, kprobe or tracepoint (default auto)\n"         \
	"      --max-files N     distinct files tracked; the rest count as [other] (default " \
	"1024)\n"                                                                             \
	"      --json            one JSON object per interval (NDJSON)\n"                     \
	"      --btf FILE        the kernel's types from FILE, for kernels without BTF\n"     \
	"  -v, --verbose         show libbpf's messages\n"                                    \
	"  -h, --help            this help\n"

int cmd_audit(int argc, char **argv);
int cmd_daemon(int argc, char **argv);
int cmd_stat(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_trace(int argc, char **argv);

#endif
