// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "audit/audit_rules.h"
#include "audit/enforce_allow.h"

#define RULE(r) (1u << (r))

/* The entries for the enforced rules only, each matcher made comparable in the kernel; a
 * symlink is no program (a process's exe is the file it leads to). */
static void test_build(void **state)
{
	static const char text[] = "allow:\n"
				   "  - rules: [environ-read, cmdline-read]\n"
				   "    exe: /tmp/procscope-test-agent*\n"
				   "  - rules: [cmdline-read]\n"
				   "    uid: 0\n"
				   "  - rules: [environ-read]\n"
				   "    uid: 65534\n"
				   "    comm: nobody-agent\n"
				   "  - rules: [environ-read]\n"
				   "    exe: /tmp/procscope-test-link\n"
				   "  - rules: [environ-read]\n"
				   "    cgroup: /\n";
	struct ps_enforce_allow *e = NULL;
	struct allowlist l;
	char err[256], note[160];
	char agent[] = "/tmp/procscope-test-agentXXXXXX";
	struct stat exe, root;
	int n;

	(void)state;
	assert_int_equal(allowlist__parse(text, strlen(text), "rules.yaml", &l, err, sizeof(err)),
			 0);
	unlink("/tmp/procscope-test-link");
	assert_int_equal(close(mkstemp(agent)), 0);
	assert_int_equal(symlink(agent, "/tmp/procscope-test-link"), 0);
	assert_int_equal(stat(agent, &exe), 0);
	assert_int_equal(stat("/tmp", &root), 0);
	n = enforce_allow__build(&l, RULE(PS_RULE_ENVIRON_READ), "/tmp", &e, note, sizeof(note),
				 err, sizeof(err));
	assert_int_equal(n, 3);
	/* the exe entry: the file, the enforced rule only */
	assert_int_equal(e[0].rules, RULE(PS_RULE_ENVIRON_READ));
	assert_true(e[0].exe_ino == exe.st_ino);
	assert_int_equal(e[0].exe_dev, major(exe.st_dev) << 20 | minor(exe.st_dev));
	assert_false(e[0].uid_set);
	/* uid and comm together */
	assert_true(e[1].uid_set && e[1].uid == 65534 && e[1].comm_set);
	assert_string_equal(e[1].comm, "nobody-agent");
	assert_true(e[1].exe_ino == 0 && e[1].cgroup_id == 0);
	/* a cgroup path: its directory's inode under the mount */
	assert_true(e[2].cgroup_id == root.st_ino);
	assert_string_equal(note, "1 allowlist entry for the enforced rules matches no program or "
				  "cgroup that exists now: not applied in the kernel");
	free(e);
	allowlist__free(&l);
	unlink(agent);
	unlink("/tmp/procscope-test-link");
}

static void test_unenforceable(void **state)
{
	(void)state;
	assert_null(audit_rule__unenforceable(PS_RULE_ENVIRON_READ));
	assert_null(audit_rule__unenforceable(PS_RULE_PTRACE_ATTACH));
	assert_null(audit_rule__unenforceable(PS_RULE_PIDFD_GETFD));
	assert_null(audit_rule__unenforceable(PS_RULE_RECON_READ));
	assert_non_null(audit_rule__unenforceable(PS_RULE_PTRACE_ATTACH_DENIED));
	assert_non_null(audit_rule__unenforceable(PS_RULE_PIDFD_GETFD_DENIED));
	assert_non_null(audit_rule__unenforceable(PS_RULE_SYSCTL_WEAKENED));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_unenforceable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
