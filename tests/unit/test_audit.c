// SPDX-License-Identifier: GPL-2.0-only
/* The audit's pure modules: rule ids and severities, the allowlist parser and matcher, and the
 * rendering of events. */
#define _GNU_SOURCE /* open_memstream */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/allowlist.h"
#include "audit/audit_rules.h"
#include "render/render_audit.h"

static int parse(const char *text, struct allowlist *l, char *err)
{
	err[0] = '\0';
	return allowlist__parse(text, strlen(text), "rules.yaml", l, err, 256);
}

static void test_rules(void **state)
{
	unsigned int r;
	enum audit_severity s;

	(void)state;
	for (r = PS_RULE_NONE + 1; r < PS_RULE_COUNT; r++) {
		unsigned int back;

		assert_non_null(audit_rule__info(r));
		assert_int_equal(audit_rule__parse(audit_rule__info(r)->id, &back), 0);
		assert_int_equal(back, r);
	}
	assert_null(audit_rule__info(PS_RULE_NONE));
	assert_null(audit_rule__info(PS_RULE_COUNT));
	assert_int_equal(audit_rule__parse("environ", &r), -ENOENT);
	assert_int_equal(audit_severity__parse("high", &s), 0);
	assert_int_equal(s, SEV_HIGH);
	assert_int_equal(audit_severity__parse("urgent", &s), -EINVAL);
	/* info rules are opt-in; critical-only keeps just mem, kcore and process_vm_writev */
	assert_false(audit_rule__mask(SEV_LOW) & (1u << PS_RULE_PIDNS_DESCENDANT));
	assert_true(audit_rule__mask(SEV_INFO) & (1u << PS_RULE_PIDNS_DESCENDANT));
	assert_int_equal(audit_rule__mask(SEV_CRITICAL), (1u << PS_RULE_MEM_ACCESS) |
								 (1u << PS_RULE_KCORE_READ) |
								 (1u << PS_RULE_PROCESS_VM_WRITE));
	assert_string_equal(audit_relation__name(PS_REL_OTHER_UID), "other-uid");
	assert_string_equal(audit_pidns__name(PS_PIDNS_FOREIGN), "foreign");
	/* the doors that are system calls, and nothing else, have no path */
	assert_true(audit_rule__is_door(PS_RULE_PTRACE_ATTACH));
	assert_true(audit_rule__is_door(PS_RULE_PIDFD_GETFD_DENIED));
	assert_false(audit_rule__is_door(PS_RULE_PROCESS_TUNABLE_WRITE));
	assert_false(audit_rule__is_door(PS_RULE_COUNT));
	assert_string_equal(audit_relation__name(200), "?");
}

static void test_parse_and_match(void **state)
{
	const char *text = "# comment\n"
			   "allow:\n"
			   "  - rules: [cmdline-read, maps-read]\n"
			   "    exe: /usr/bin/ps\n"
			   "  - rules: environ-read\n"
			   "    uid: 1000\n"
			   "    comm: agent\n"
			   "  - rules: [sysfs-write]\n"
			   "    cgroup: /system.slice/udev.service/\n"
			   "  - rules: [kallsyms-read]\n"
			   "    exe: /opt/*/bin/perf\n";
	struct allow_subject s = { .rule = PS_RULE_CMDLINE_READ,
				   .exe = "/usr/bin/ps",
				   .comm = "ps" };
	struct allowlist l;
	char err[256];

	(void)state;
	assert_int_equal(parse(text, &l, err), 0);
	assert_int_equal(l.n, 4);
	assert_int_equal(l.entries[1].line, 5);
	assert_ptr_equal(allowlist__match(&l, &s), &l.entries[0]);
	s.rule = PS_RULE_ENVIRON_READ; /* ps is not allowed environ */
	assert_null(allowlist__match(&l, &s));
	s.exe = "/usr/bin/psx";
	s.rule = PS_RULE_CMDLINE_READ;
	assert_null(allowlist__match(&l, &s));
	/* all matchers of an entry must match */
	s = (struct allow_subject){
		.rule = PS_RULE_ENVIRON_READ, .exe = "", .comm = "agent", .uid = 1000
	};
	assert_ptr_equal(allowlist__match(&l, &s), &l.entries[1]);
	s.uid = 0;
	assert_null(allowlist__match(&l, &s));
	/* cgroup prefixes are whole components; an unknown cgroup matches nothing */
	s = (struct allow_subject){ .rule = PS_RULE_SYSFS_WRITE,
				    .exe = "",
				    .comm = "x",
				    .cgroup = "/system.slice/udev.service" };
	assert_non_null(allowlist__match(&l, &s));
	s.cgroup = "/system.slice/udev.service/child";
	assert_non_null(allowlist__match(&l, &s));
	s.cgroup = "/system.slice/udev.services";
	assert_null(allowlist__match(&l, &s));
	s.cgroup = NULL;
	assert_null(allowlist__match(&l, &s));
	/* exe globs; an unknown executable matches no exe matcher */
	s = (struct allow_subject){ .rule = PS_RULE_KALLSYMS_READ,
				    .exe = "/opt/linux-6/bin/perf",
				    .comm = "perf" };
	assert_non_null(allowlist__match(&l, &s));
	s.exe = "";
	assert_null(allowlist__match(&l, &s));
	allowlist__free(&l);
	allowlist__free(&l); /* twice, and NULL: destructors accept both */
	allowlist__free(NULL);
}

static void test_empty(void **state)
{
	struct allowlist l;
	char err[256];

	(void)state;
	assert_int_equal(parse("", &l, err), 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(parse("# nothing\n", &l, err), 0);
	assert_int_equal(parse("allow:\n", &l, err), 0);
	assert_int_equal(parse("allow: []\n", &l, err), 0);
	assert_int_equal(l.n, 0);
	allowlist__free(&l);
}

/* servers: the programs that serve the network, beside or without allow entries. */
static void test_servers(void **state)
{
	struct allowlist l;
	char err[256];

	(void)state;
	assert_int_equal(parse("servers:\n  - /usr/sbin/nginx\n  - /usr/sbin/php-fpm*\n", &l, err),
			 0);
	assert_int_equal(l.n, 0);
	assert_int_equal(l.nservers, 2);
	assert_string_equal(l.servers[0], "/usr/sbin/nginx");
	assert_string_equal(l.servers[1], "/usr/sbin/php-fpm*");
	allowlist__free(&l);
	assert_int_equal(l.nservers, 0);
	assert_int_equal(parse("allow: []\nservers:\n", &l, err), 0);
	assert_int_equal(l.nservers, 0);
	allowlist__free(&l);
}

/* Each bad file fails with the file's name, the line of the problem and what it is. */
static void test_errors(void **state)
{
	static const struct {
		const char *text, *message;
	} cases[] = {
		{ "allow:\n  - rules: [nope]\n    exe: /x\n",
		  "rules.yaml:2: unknown rule 'nope' (see 'procscope audit --list-rules')" },
		{ "allow:\n  - rules: [cmdline-read]\n",
		  "rules.yaml:2: an allow entry needs at least one of exe, uid, cgroup, comm" },
		{ "allow:\n  - exe: /x\n", "rules.yaml:2: an allow entry needs 'rules'" },
		{ "allow:\n  - rules: cmdline-read\n    exe: /x\n    colour: red\n",
		  "rules.yaml:4: unknown key 'colour' (known: rules, exe, uid, cgroup, comm)" },
		{ "allow:\n  - rules: cmdline-read\n    uid: root\n",
		  "rules.yaml:3: 'uid' wants a numeric user id" },
		{ "allow:\n  - rules: cmdline-read\n    uid: -1\n",
		  "rules.yaml:3: 'uid' wants a numeric user id" },
		{ "allow:\n  - rules: cmdline-read\n    exe: /x\n    exe: /y\n",
		  "rules.yaml:4: 'exe' is given twice" },
		{ "allow:\n  - rules: cmdline-read\n    cgroup: system.slice\n",
		  "rules.yaml:3: 'cgroup' is a path from the cgroup root: it starts with /" },
		{ "allow:\n  - rules: cmdline-read\n    comm: a-name-far-too-long\n",
		  "rules.yaml:3: 'comm' is longer than 15 bytes" },
		{ "allow:\n  - rules: []\n    exe: /x\n",
		  "rules.yaml:2: 'rules' is an empty list" },
		{ "deny:\n  - rules: [cmdline-read]\n",
		  "rules.yaml:1: unknown top-level key 'deny' (known: allow, servers)" },
		{ "servers: /usr/sbin/nginx\n",
		  "rules.yaml:1: 'servers' must be a list of executables' paths (globs)" },
		{ "servers: [nginx]\n", "rules.yaml:1: a server is an absolute path (a glob)" },
		{ "servers: [/a]\nservers: [/b]\n", "rules.yaml:2: 'servers' is given twice" },
		{ "- a\n- b\n",
		  "rules.yaml:1: the top level must be a mapping with the key 'allow'" },
		{ "allow: yes\n", "rules.yaml:1: 'allow' must be a list of entries" },
		{ "allow:\n  - [a, b\n", "rules.yaml:3: " }, /* libyaml's own message follows */
		{ "allow:\n  - rules: [cmdline-read]\n    exe: \"unterminated\n",
		  "rules.yaml:4: found unexpected end of stream, while scanning a quoted scalar "
		  "started on line 3" },
	};
	struct allowlist l;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(parse(cases[i].text, &l, err), -EINVAL);
		if (strncmp(err, cases[i].message, strlen(cases[i].message))) {
			print_error("case %zu: got '%s'\n", i, err);
			fail();
		}
		assert_null(l.entries);
	}
}

static struct ps_audit_event sample_event(void)
{
	struct ps_audit_event e = {
		.ts_ns = 5000000000ull,
		.ret = 1370,
		.cgroup_id = 77,
		.pid = 4242,
		.tid = 4243,
		.uid = 1000,
		.target_pid = 17,
		.target_tid = 17,
		.target_uid = 0,
		.rule = PS_RULE_ENVIRON_READ,
		.op = PS_OP_READ,
		.fs = PS_FS_PROC,
		.relation = PS_REL_OTHER_UID,
		.pidns = PS_PIDNS_SAME,
	};

	snprintf(e.comm, sizeof(e.comm), "evil\x1b[2J");
	snprintf(e.target_comm, sizeof(e.target_comm), "sshd");
	snprintf(e.path, sizeof(e.path), "/17/environ");
	snprintf(e.exe, sizeof(e.exe), "/tmp/x\"y");
	e.ppid = 4000;
	snprintf(e.parent_comm, sizeof(e.parent_comm), "bash");
	snprintf(e.parent_exe, sizeof(e.parent_exe), "/usr/bin/bash");
	e.gppid = 1;
	snprintf(e.grandparent_comm, sizeof(e.grandparent_comm), "systemd");
	e.target_cgroup_id = 88;
	return e;
}

#define CONTAINER_ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static char *render(const struct audit_view *v, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	assert_non_null(out);
	if (json)
		render_audit__json(out, v);
	else
		render_audit__table(out, v);
	fclose(out);
	return buf;
}

static void test_render(void **state)
{
	struct ps_audit_event e = sample_event();
	struct audit_view v = {
		.e = &e,
		.calls = 2,
		.bytes = 2740,
		.cgroup = "/machine.slice/libpod-" CONTAINER_ID ".scope/container",
		.target_cgroup = "/system.slice/ssh.service",
	};
	char *text;

	(void)state;
	audit_view__paths(&v);
	assert_string_equal(v.path, "/proc/17/environ");
	assert_string_equal(v.sysctl, "");
	text = render(&v, true);
	assert_non_null(
		strstr(text, "\"rule\":\"environ-read\",\"severity\":\"high\",\"mitre\":\"T1552\","
			     "\"op\":\"read\","
			     "\"path\":\"/proc/17/environ\",\"sysctl\":null,\"calls\":2,"
			     "\"bytes\":2740,\"error\":null"));
	assert_non_null(strstr(text, "\"comm\":\"evil\\u001b[2J\""));
	assert_non_null(strstr(text, "\"exe\":\"/tmp/x\\\"y\",\"cgroup\":\"/machine.slice/"));
	assert_non_null(strstr(text,
			       "\"container\":{\"runtime\":\"podman\",\"id\":\"" CONTAINER_ID
			       "\",\"pod_uid\":null},\"parent\":{\"pid\":4000,\"comm\":\"bash\","
			       "\"exe\":\"/usr/bin/bash\"},\"grandparent\":{\"pid\":1,"
			       "\"comm\":\"systemd\",\"exe\":null}}"));
	assert_non_null(strstr(text,
			       "\"target\":{\"pid\":17,\"tid\":17,\"comm\":\"sshd\",\"uid\":0,"
			       "\"relation\":\"other-uid\",\"pidns\":\"same\","
			       "\"cgroup\":\"/system.slice/ssh.service\",\"container\":null}"));
	free(text);
	text = render(&v, false);
	assert_null(strchr(text, '\x1b')); /* no escape sequence reaches a terminal */
	assert_non_null(strstr(text, "evil\\x1b[2J"));
	assert_non_null(strstr(text, "environ-read"));
	assert_non_null(strstr(text, " parent=4000(bash) container=podman:0123456789ab\n"));
	free(text);

	/* a sysctl write: the name, and no target */
	e.rule = PS_RULE_SYSCTL_WRITE;
	e.op = PS_OP_WRITE;
	e.ret = -13;
	e.relation = PS_REL_NONE;
	snprintf(e.path, sizeof(e.path), "/sys/vm/stat_interval");
	v.cgroup = NULL;
	v.target_cgroup = NULL;
	e.ppid = e.gppid = 0;
	audit_view__paths(&v);
	assert_string_equal(v.sysctl, "vm.stat_interval");
	text = render(&v, true);
	assert_non_null(strstr(text, "\"sysctl\":\"vm.stat_interval\""));
	assert_non_null(strstr(text, "\"error\":\"EACCES\""));
	assert_non_null(strstr(text, "\"cgroup\":null,\"cgroup_id\":77,\"container\":null,"
				     "\"parent\":null,\"grandparent\":null}"));
	assert_non_null(strstr(text, "\"target\":null"));
	free(text);
	text = render(&v, false);
	assert_non_null(strstr(text, "EACCES"));
	assert_non_null(strstr(text, "cgroup:77"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),	cmocka_unit_test(test_parse_and_match),
		cmocka_unit_test(test_empty),	cmocka_unit_test(test_errors),
		cmocka_unit_test(test_servers), cmocka_unit_test(test_render),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
