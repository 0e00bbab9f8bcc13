// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target: the web config parser (--web.config.file), then what a parsed config must
 * satisfy. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "daemon/web_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct web_config c;
	char err[512];

	if (!web_config__parse((const char *)data, size, "/etc/procscope/web.yml", &c, err,
			       sizeof(err))) {
		/* TLS means both files; a verifying client_auth_type means a CA; every user has a
		 * bcrypt hash. */
		if (c.tls && (!c.cert_file || !c.key_file))
			abort();
		if (c.client_auth != CLIENT_AUTH_NONE && !c.client_ca_file)
			abort();
		for (size_t i = 0; i < c.nusers; i++)
			if (strncmp(c.users[i].hash, "$2", 2))
				abort();
		web_config__free(&c);
	} else if (!err[0]) {
		abort(); /* every failure says why */
	}
	return 0;
}
