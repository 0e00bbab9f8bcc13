// SPDX-License-Identifier: GPL-2.0-only
/* The pure parts of trace's stacks: kallsyms and /proc/PID/maps parsing, folded stacks and the
 * flame graph (its XML is parsed for real by the end-to-end tests). */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "render/flamegraph.h"
#include "render/folded.h"
#include "stacks/kallsyms.h"
#include "stacks/procmaps.h"
#include "stacks/uregs.h"

static struct kallsyms *parse_text(const char *text)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	struct kallsyms *ks;

	assert_non_null(in);
	ks = kallsyms__parse(in);
	fclose(in);
	assert_non_null(ks);
	return ks;
}

static void test_kallsyms_lookup(void **state)
{
	static const char text[] = "ffffffff81000000 T _text\n"
				   "ffffffff81001000 t show_cpuinfo\n"
				   "ffffffff81002000 D some_data\n" /* data: skipped */
				   "ffffffff81003000 T seq_read_iter\n"
				   "garbage line\n"
				   "ffffffffc0001000 t nf_hook\t[nf_tables]\n"
				   "ffffffffc0002000 t bpf_prog_abc_fentry__vfs_read\t[bpf]\n";
	struct kallsyms *ks = parse_text(text);
	const char *name, *module;
	uint64_t off, addr;

	(void)state;
	assert_int_equal(kallsyms__count(ks), 5);
	assert_false(kallsyms__hidden(ks));
	assert_true(kallsyms__lookup(ks, 0xffffffff81002010ull, &name, &module, &off));
	assert_string_equal(name, "show_cpuinfo"); /* the data symbol does not steal it */
	assert_string_equal(module, "kernel");
	assert_int_equal(off, 0x1010);
	assert_true(kallsyms__lookup(ks, 0xffffffffc0001004ull, &name, &module, &off));
	assert_string_equal(name, "nf_hook");
	assert_string_equal(module, "nf_tables");
	assert_true(kallsyms__lookup(ks, 0xffffffffc0002000ull, &name, &module, &off));
	assert_string_equal(module, "bpf");
	assert_int_equal(off, 0);
	assert_false(kallsyms__lookup(ks, 0x1000, &name, &module, &off));
	assert_true(kallsyms__address(ks, "seq_read_iter", &addr));
	assert_int_equal(addr, 0xffffffff81003000ull);
	assert_false(kallsyms__address(ks, "vfs_read", &addr));
	kallsyms__free(ks);
}

static void test_kallsyms_hidden(void **state)
{
	struct kallsyms *ks = parse_text("0000000000000000 T _text\n"
					 "0000000000000000 t show_cpuinfo\n");
	const char *name, *module;
	uint64_t off;

	(void)state;
	assert_true(kallsyms__hidden(ks));
	assert_false(kallsyms__lookup(ks, 0x10, &name, &module, &off));
	kallsyms__free(ks);
	ks = parse_text("");
	assert_false(kallsyms__hidden(ks)); /* nothing read is not "hidden" */
	kallsyms__free(ks);
}

static void test_procmaps(void **state)
{
	struct procmap m;

	(void)state;
	assert_int_equal(procmaps__parse_line("55d0c0a00000-55d0c0a02000 r-xp 00001000 fe:01 1234 "
					      "   /usr/bin/cat\n",
					      &m),
			 0);
	assert_int_equal(m.start, 0x55d0c0a00000ull);
	assert_int_equal(m.end, 0x55d0c0a02000ull);
	assert_int_equal(m.pgoff, 0x1000);
	assert_string_equal(m.path, "/usr/bin/cat");
	assert_int_equal(
		procmaps__parse_line("7ffd1000-7ffd3000 rw-p 00000000 00:00 0 [stack]", &m), 0);
	assert_string_equal(m.path, "");
	assert_int_equal(procmaps__parse_line("1000-2000 r-xp 00000000 00:00 0", &m), 0);
	assert_string_equal(m.path, "");
	assert_int_equal(procmaps__parse_line("1000-2000 r-xp 0 08:01 7 /tmp/a b (deleted)", &m),
			 0);
	assert_string_equal(m.path, "/tmp/a b");
	assert_int_equal(procmaps__parse_line("2000-1000 r-xp 0 08:01 7 /x", &m), -EINVAL);
	assert_int_equal(procmaps__parse_line("not a map", &m), -EINVAL);
	assert_int_equal(procmaps__parse_line("", &m), -EINVAL);
	/* Each field's shape: a 103:05 device (NVMe majors have three digits), shared mappings,
	 * and lines cut or bent at every field. */
	assert_int_equal(procmaps__parse_line("1000-2000 rw-s 0 103:05 9 /dev/shm/x\n", &m), 0);
	assert_string_equal(m.path, "/dev/shm/x");
	assert_int_equal(procmaps__parse_line("1000-2000 rwxq 0 08:01 7 /x", &m), -EINVAL);
	assert_int_equal(procmaps__parse_line("1000-2000 r-x 0 08:01 7 /x", &m), -EINVAL);
	assert_int_equal(procmaps__parse_line("1000 2000 r-xp 0 08:01 7 /x", &m), -EINVAL);
	assert_int_equal(procmaps__parse_line("1000-2000 r-xp 0 0801 7 /x", &m), -EINVAL);
	assert_int_equal(procmaps__parse_line("1000-2000 r-xp 0 08:01 7x /x", &m), -EINVAL);
	assert_int_equal(procmaps__parse_line("1000-2000 r-xp 0 08:01", &m), -EINVAL);
	assert_int_equal(procmaps__parse_line("-1000-2000 r-xp 0 08:01 7 /x", &m), -EINVAL);
	assert_int_equal(procmaps__parse_line("10000000000000000-2 r-xp 0 08:01 7 /x", &m),
			 -EINVAL);
}

static void frame(struct stack_frame *f, const char *symbol, bool kernel)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->symbol, sizeof(f->symbol), "%s", symbol);
	f->kernel = kernel;
	f->resolved = true;
}

static char *folded_text(struct folded *f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	folded__print(f, out);
	fclose(out);
	return buf;
}

static void test_folded(void **state)
{
	struct event_stacks st = { .has_kernel = true, .has_user = true };
	struct folded *f = folded__new();
	char *text;

	(void)state;
	/* Innermost first, as captured: the folded line is outermost first. */
	frame(&st.kernel[0], "show_cpuinfo", true);
	frame(&st.kernel[1], "vfs_read", true);
	frame(&st.user[0], "read_it", false);
	frame(&st.user[1], "main", false);
	st.nkernel = 2;
	st.nuser = 2;
	for (int i = 0; i < 3; i++)
		assert_int_equal(folded__add_event(f, "cat", 16, &st), 0);
	st.nkernel = 1;
	assert_int_equal(folded__add_event(f, "a;b c\n", 16, &st), 0);
	assert_int_equal(folded__total(f), 4);
	text = folded_text(f);
	/* Sorted; ';' in a name becomes ':', control characters '?'; the count after a space. */
	assert_string_equal(text, "a:b c?;main;read_it;show_cpuinfo_[k] 1\n"
				  "cat;main;read_it;vfs_read_[k];show_cpuinfo_[k] 3\n");
	free(text);
	assert_int_equal(folded__add(f, "cat;main;read_it;vfs_read_[k];show_cpuinfo_[k]", 2), 0);
	assert_int_equal(folded__size(f), 2);
	assert_int_equal(folded__total(f), 6);
	folded__free(f);
}

/* A cut user stack hangs under [truncated]; an inlined function is suffixed _[i]. */
static void test_folded_truncated_inlined(void **state)
{
	struct event_stacks st = { .has_user = true, .user_truncated = true };
	struct folded *f = folded__new();
	char *text;

	(void)state;
	frame(&st.user[0], "read_at", false);
	st.user[0].inlined = true;
	frame(&st.user[1], "run", false);
	st.nuser = 2;
	assert_int_equal(folded__add_event(f, "app", 16, &st), 0);
	text = folded_text(f);
	assert_string_equal(text, "app;[truncated];run;read_at_[i] 1\n");
	free(text);
	folded__free(f);
}

/* The kernel's struct pt_regs (the architecture's order) to DWARF's register numbers. */
static void test_uregs(void **state)
{
	uint8_t raw[PS_UREGS_SIZE] = { 0 };
	uint64_t regs[UREGS_DWARF_MAX], pc, v;
	int n;

	(void)state;
	/* eight bytes each, numbered from 100 in the kernel's order */
	for (int i = 0; i < PS_UREGS_SIZE / 8; i++) {
		v = 100 + (uint64_t)i;
		memcpy(raw + 8 * i, &v, sizeof(v));
	}
	assert_true(uregs__dwarf(raw, regs, &n, &pc));
#if defined(__x86_64__)
	/* pt_regs: r15 r14 r13 r12 bp bx r11 r10 r9 r8 ax cx dx si di orig_ax ip cs flags sp ss;
	 * DWARF: rax rdx rcx rbx rsi rdi rbp rsp r8-r15, then the return address (rip) */
	const uint64_t want[] = { 110, 112, 111, 105, 113, 114, 104, 119, 109,
				  108, 107, 106, 103, 102, 101, 100, 116 };
	assert_int_equal(pc, 116);
#elif defined(__aarch64__)
	/* user_pt_regs: x0-x30 sp pc pstate; DWARF: x0-x30 sp, the pc apart */
	uint64_t want[32];
	for (int i = 0; i < 32; i++)
		want[i] = 100 + (uint64_t)i;
	assert_int_equal(pc, 132);
#endif
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (int i = 0; i < n; i++)
		assert_int_equal(regs[i], want[i]);
}

static void test_folded_many(void **state)
{
	struct folded *f = folded__new();
	char stack[32];

	(void)state;
	/* Enough distinct stacks to grow the table several times. */
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 5000; i++) {
			snprintf(stack, sizeof(stack), "p;f%d", i);
			assert_int_equal(folded__add(f, stack, 1), 0);
		}
	}
	assert_int_equal(folded__size(f), 5000);
	assert_int_equal(folded__total(f), 10000);
	folded__sort(f);
	for (size_t i = 0; i < folded__size(f); i++)
		assert_int_equal(folded__count(f, i), 2);
	assert_string_equal(folded__stack(f, 0), "p;f0");
	folded__free(f);
}

static void test_flamegraph(void **state)
{
	struct folded *f = folded__new();
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(out);
	assert_int_equal(folded__add(f, "cat;main;read_<x>;vfs_read_[k]", 3), 0);
	assert_int_equal(folded__add(f, "cat;main;other&co", 1), 0);
	assert_int_equal(flamegraph__write(f, "t\"itle", out), 0);
	fclose(out);
	assert_non_null(strstr(buf, "<?xml version=\"1.0\""));
	assert_non_null(strstr(buf, "<title>all (4, 100.00%)</title>"));
	assert_non_null(strstr(buf, "<title>main (4, 100.00%)</title>"));
	assert_non_null(strstr(buf, "<title>read_&lt;x&gt; (3, 75.00%)</title>"));
	assert_non_null(strstr(buf, "<title>other&amp;co (1, 25.00%)</title>"));
	assert_non_null(strstr(buf, ">t&quot;itle</text>"));
	/* Siblings in name order: "other&co" left of "read_<x>", at x = 0 and 1/4. */
	assert_non_null(strstr(buf, "data-x=\"0.250000000\" data-w=\"0.750000000\" data-d=\"3\""));
	assert_non_null(strstr(buf, "</svg>\n"));
	free(buf);
	folded__free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kallsyms_lookup),
		cmocka_unit_test(test_kallsyms_hidden),
		cmocka_unit_test(test_procmaps),
		cmocka_unit_test(test_folded),
		cmocka_unit_test(test_folded_many),
		cmocka_unit_test(test_flamegraph),
		cmocka_unit_test(test_folded_truncated_inlined),
		cmocka_unit_test(test_uregs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
