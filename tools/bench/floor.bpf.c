// SPDX-License-Identifier: GPL-2.0-only
/*
 * The benchmark's floor: empty programs at the hooks procscope uses, in each attach mode. What a
 * read costs with these attached is the least any tracer of that mode can cost; procscope's
 * overhead is compared with it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sys_enter")
int BPF_PROG(floor_sys_enter)
{
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(floor_sys_exit)
{
	return 0;
}

SEC("fentry/vfs_read")
int BPF_PROG(floor_fentry_read)
{
	return 0;
}

SEC("fexit/vfs_read")
int BPF_PROG(floor_fexit_read)
{
	return 0;
}

SEC("fentry/vfs_write")
int BPF_PROG(floor_fentry_write)
{
	return 0;
}

SEC("fexit/vfs_write")
int BPF_PROG(floor_fexit_write)
{
	return 0;
}

SEC("kprobe/vfs_read")
int BPF_KPROBE(floor_kprobe_read)
{
	return 0;
}

SEC("kretprobe/vfs_read")
int BPF_KRETPROBE(floor_kretprobe_read)
{
	return 0;
}

SEC("kprobe/vfs_write")
int BPF_KPROBE(floor_kprobe_write)
{
	return 0;
}

SEC("kretprobe/vfs_write")
int BPF_KRETPROBE(floor_kretprobe_write)
{
	return 0;
}
