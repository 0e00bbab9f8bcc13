/* SPDX-License-Identifier: GPL-2.0-only */
/* --listen ADDR:PORT: an IPv4 literal, an IPv6 literal in brackets, or nothing (every
 * address), and a port. */
#ifndef PS_LISTEN_ADDR_H
#define PS_LISTEN_ADDR_H

#include <stddef.h>
#include <sys/socket.h>

/*
 * Loopback only by default: exposing what every process reads is a choice to make explicitly.
 * 9110 sits in the exporter range of Prometheus' default port allocations, where it was last
 * listed for the Blackbox prober, deprecated since (that range has no unlisted port left).
 */
#define LISTEN_DEFAULT "127.0.0.1:9110"

/* Parses @text ("127.0.0.1:9110", "[::1]:9110", "0.0.0.0:9110", "[::]:9110", or ":9110" for
 * every address, which is "[::]:9110"). Returns 0, or -EINVAL with a reason in @err. */
int listen_addr__parse(const char *text, struct sockaddr_storage *ret_addr, socklen_t *ret_len,
		       char *err, size_t errlen);

#endif
