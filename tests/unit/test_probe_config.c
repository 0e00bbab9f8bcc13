// SPDX-License-Identifier: GPL-2.0-only
/* The one conversion from the parsed configuration to the BPF programs' rodata. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "core/fsinfo.h"
#include "core/probe_config.h"

static void test_filters_pass_through(void **state)
{
	struct probe_config pc;
	struct ps_config c;

	(void)state;
	probe_config__defaults(&pc);
	pc.use = USE_FILES;
	pc.tgid = 42;
	pc.tid = 43;
	pc.uid_set = true;
	pc.uid = 1000;
	pc.comm_set = true;
	strcpy(pc.comm, "cat");
	pc.per_process = true;
	pc.fs_mask = 1u << PS_FS_SYSFS;
	probe_config__rodata(&pc, MODE_FENTRY, &c);
	assert_int_equal(c.tgid, 42);
	assert_int_equal(c.tid, 43);
	assert_true(c.uid_set);
	assert_int_equal(c.uid, 1000);
	assert_true(c.comm_set);
	assert_string_equal(c.comm, "cat");
	assert_true(c.per_process);
	assert_int_equal(c.fs_mask, 1u << PS_FS_SYSFS);
	assert_false(c.trace);
	assert_false(c.skip_count);
	assert_int_equal(c.audit_rules, 0);
	assert_int_equal(c.event_size, sizeof(struct ps_event));
}

/* Stacks and the wakeup threshold belong to trace; the kprobe mode takes the kernel stack at
 * the entry. */
static void test_trace(void **state)
{
	struct probe_config pc;
	struct ps_config c;

	(void)state;
	probe_config__defaults(&pc);
	pc.stacks = PS_STACK_KERNEL | PS_STACK_USER;
	pc.use = USE_FILES;
	probe_config__rodata(&pc, MODE_KPROBE, &c);
	assert_int_equal(c.stacks, 0); /* not tracing: no stacks */
	assert_false(c.entry_kstack);

	pc.use = USE_TRACE;
	pc.errors_only = true;
	pc.min_lat_ns = 2000000;
	pc.ringbuf_kib = 64;
	probe_config__rodata(&pc, MODE_KPROBE, &c);
	assert_true(c.trace);
	assert_true(c.errors_only);
	assert_int_equal(c.min_lat_ns, 2000000);
	assert_int_equal(c.stacks, PS_STACK_KERNEL | PS_STACK_USER);
	assert_true(c.entry_kstack);
	/* the user stack copied for unwinding (--ustack=auto) comes after the stacks */
	assert_int_equal(c.ustack, PS_USTACK_WALK | PS_USTACK_COPY);
	assert_int_equal(c.ustack_bytes, 8192);
	assert_int_equal(c.event_size, sizeof(struct ps_event) + sizeof(struct ps_stacks) +
					       sizeof(struct ps_ustack_copy) + 8192);
	assert_int_equal(c.wakeup_bytes, 64 * 1024 / 8);
	pc.ustack = PS_USTACK_WALK; /* --ustack=fp: no copy */
	probe_config__rodata(&pc, MODE_KPROBE, &c);
	assert_int_equal(c.ustack_bytes, 0);
	assert_int_equal(c.event_size, sizeof(struct ps_event) + sizeof(struct ps_stacks));
	pc.stacks = PS_STACK_KERNEL; /* -K alone: no user stack at all */
	pc.ustack = PS_USTACK_COPY;
	probe_config__rodata(&pc, MODE_KPROBE, &c);
	assert_int_equal(c.ustack, 0);
	assert_int_equal(c.event_size, sizeof(struct ps_event) + sizeof(struct ps_stacks));
	pc.stacks = PS_STACK_KERNEL | PS_STACK_USER;

	probe_config__rodata(&pc, MODE_FENTRY, &c);
	assert_false(c.entry_kstack);

	/* --min-stall: stall events with their stacks, no call events, no counting */
	pc.errors_only = false;
	pc.min_lat_ns = 0;
	pc.min_stall_ns = 1000000;
	pc.impact = true;
	probe_config__rodata(&pc, MODE_FENTRY, &c);
	assert_false(c.trace);
	assert_true(c.skip_count);
	assert_true(c.impact);
	assert_false(c.impact_by_comm);
	assert_int_equal(c.min_stall_ns, 1000000);
	assert_int_equal(c.stacks, PS_STACK_KERNEL | PS_STACK_USER);
	assert_int_equal(c.ustack, PS_USTACK_WALK); /* a stall's user stack: walked */
	assert_int_equal(c.event_size, sizeof(struct ps_event) + sizeof(struct ps_stacks));
}

/* impact and daemon --impact: the entry of each read kept; the daemon's rows by name. */
static void test_impact(void **state)
{
	struct probe_config pc;
	struct ps_config c;

	(void)state;
	probe_config__defaults(&pc);
	pc.impact = true;
	pc.no_latency = true;
	pc.use = USE_IMPACT;
	pc.impact_tgid = 42;
	probe_config__rodata(&pc, MODE_TRACEPOINT, &c);
	assert_true(c.impact);
	assert_false(c.no_latency);
	assert_true(c.skip_count);
	assert_false(c.impact_by_comm);
	assert_int_equal(c.impact_tgid, 42);

	pc.use = USE_FUNCTION_COUNTERS;
	pc.impact_tgid = 0;
	probe_config__rodata(&pc, MODE_TRACEPOINT, &c);
	assert_true(c.impact_by_comm);
	assert_false(c.skip_count);
}

/* The rules reach the programs only when auditing; audit alone leaves the file statistics alone. */
static void test_audit(void **state)
{
	struct probe_config pc;
	struct ps_config c;

	(void)state;
	probe_config__defaults(&pc);
	pc.audit_rules = 0x6;
	pc.use = USE_FUNCTION_COUNTERS;
	probe_config__rodata(&pc, MODE_TRACEPOINT, &c);
	assert_int_equal(c.audit_rules, 0);

	pc.audit = true;
	probe_config__rodata(&pc, MODE_TRACEPOINT, &c);
	assert_int_equal(c.audit_rules, 0x6);
	assert_false(c.skip_count);

	pc.use = USE_AUDIT;
	pc.no_latency = true;
	probe_config__rodata(&pc, MODE_TRACEPOINT, &c);
	assert_true(c.skip_count);
	assert_true(c.no_latency);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filters_pass_through),
		cmocka_unit_test(test_trace),
		cmocka_unit_test(test_audit),
		cmocka_unit_test(test_impact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
