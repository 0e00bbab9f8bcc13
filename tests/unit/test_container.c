// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "audit/container.h"

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define UID "1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718"
#define UID_ "1f2e3d4c_5b6a_7980_a1b2_c3d4e5f60718"

static void expect(const char *path, const char *runtime, const char *id, const char *pod)
{
	struct container_ref c;
	bool found = container__from_cgroup(path, &c);

	if (!runtime) {
		assert_false(found);
		assert_null(c.runtime);
		assert_string_equal(c.id, "");
		return;
	}
	assert_true(found);
	assert_string_equal(c.runtime, runtime);
	assert_string_equal(c.id, id);
	assert_string_equal(c.pod_uid, pod);
}

/* The layouts of each manager, under the systemd and the cgroupfs drivers. */
static void test_layouts(void **state)
{
	(void)state;
	expect("/system.slice/docker-" ID ".scope", "docker", ID, "");
	expect("/docker/" ID, "docker", ID, "");
	expect("/machine.slice/libpod-" ID ".scope", "podman", ID, "");
	expect("/machine.slice/libpod-" ID ".scope/container", "podman", ID, "");
	expect("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID ".scope",
	       "podman", ID, "");
	expect("/libpod_parent/libpod-" ID, "podman", ID, "");
	expect("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_
	       ".slice/cri-containerd-" ID ".scope",
	       "containerd", ID, UID);
	expect("/kubepods.slice/kubepods-pod" UID_ ".slice/crio-" ID ".scope", "cri-o", ID, UID);
	expect("/kubepods/besteffort/pod" UID "/" ID, "cri", ID, UID);
	expect("/kubepods/burstable/pod" UID "/crio-" ID, "cri-o", ID, UID);
	expect("/machine.slice/systemd-nspawn@web1.service/payload", "systemd-nspawn", "web1", "");
}

/* Hosts' own cgroups, the managers' helpers, and near misses name no container. */
static void test_not_containers(void **state)
{
	(void)state;
	expect("/", NULL, NULL, NULL);
	expect("", NULL, NULL, NULL);
	expect(NULL, NULL, NULL, NULL);
	expect("/system.slice/cron.service", NULL, NULL, NULL);
	expect("/user.slice/user-0.slice/session-3.scope", NULL, NULL, NULL);
	expect("/machine.slice/libpod-conmon-" ID ".scope", NULL, NULL, NULL);
	expect("/kubepods.slice/kubepods-pod" UID_ ".slice/crio-conmon-" ID ".scope", NULL, NULL,
	       NULL);
	expect("/system.slice/docker-" ID "0.scope", NULL, NULL, NULL);		 /* 65 digits */
	expect("/system.slice/docker-0123456789ABCDEF.scope", NULL, NULL, NULL); /* short */
	expect("/" ID, NULL, NULL, NULL); /* a bare id, no manager above it */
	expect("/machine.slice/systemd-nspawn@.service", NULL, NULL, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layouts),
		cmocka_unit_test(test_not_containers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
