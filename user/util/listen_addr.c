// SPDX-License-Identifier: GPL-2.0-only
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "listen_addr.h"
#include "numparse.h"

int listen_addr__parse(const char *text, struct sockaddr_storage *ret_addr, socklen_t *ret_len,
		       char *err, size_t errlen)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon, *port_text;
	uint64_t port;
	size_t host_len;
	bool v6 = text[0] == '[';

	memset(ret_addr, 0, sizeof(*ret_addr));
	if (text[0] == ':' && !strchr(text + 1, ':')) {
		/* ":PORT": every address, as Go's exporters read it: [::], which listens on IPv4
		 * too (see http_server__open) */
		colon = text;
		host_len = 2;
		text = "::";
		v6 = true;
	} else if (v6) {
		const char *close = strchr(text, ']');

		if (!close || close[1] != ':') {
			snprintf(err, errlen, "expected [IPV6]:PORT");
			return -EINVAL;
		}
		host_len = (size_t)(close - text - 1);
		colon = close + 1;
		text++;
	} else {
		colon = strrchr(text, ':');
		if (!colon) {
			snprintf(err, errlen, "expected ADDR:PORT");
			return -EINVAL;
		}
		host_len = (size_t)(colon - text);
	}
	if (host_len >= sizeof(host)) {
		snprintf(err, errlen, "address too long");
		return -EINVAL;
	}
	memcpy(host, text, host_len);
	host[host_len] = '\0';
	port_text = colon + 1;
	if (numparse__u64(port_text, 1, 65535, &port)) {
		snprintf(err, errlen, "port '%s' is not a number from 1 to 65535", port_text);
		return -EINVAL;
	}
	if (v6) {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ret_addr;

		if (inet_pton(AF_INET6, host, &a6->sin6_addr) != 1) {
			snprintf(err, errlen, "'%s' is not an IPv6 address", host);
			return -EINVAL;
		}
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		*ret_len = sizeof(*a6);
	} else {
		struct sockaddr_in *a4 = (struct sockaddr_in *)ret_addr;

		if (inet_pton(AF_INET, host, &a4->sin_addr) != 1) {
			snprintf(err, errlen, "'%s' is not an IPv4 address (IPv6 goes in brackets)",
				 host);
			return -EINVAL;
		}
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)port);
		*ret_len = sizeof(*a4);
	}
	return 0;
}
