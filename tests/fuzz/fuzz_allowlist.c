// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target: the audit allowlist parser (--rules FILE), then a match against its result. */
#include <stdint.h>
#include <stdlib.h>
#include "audit/allowlist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct allow_subject s = {
		.rule = size ? data[0] % PS_RULE_COUNT : 1,
		.exe = "/usr/bin/ps",
		.cgroup = "/system.slice/a.service",
		.comm = "ps",
		.uid = 0,
	};
	struct allowlist l;
	char err[256];

	if (!allowlist__parse((const char *)data, size, "fuzz", &l, err, sizeof(err)))
		allowlist__match(&l, &s);
	allowlist__free(&l);
	return 0;
}
