/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The daemon's HTTP endpoint, served by libmicrohttpd: /metrics, / and /healthz, GET and HEAD
 * only, with a connection limit, a per-connection timeout and a cap on request size; over TLS
 * (GnuTLS, optionally verifying client certificates) and with basic authentication when the
 * web config asks for them.
 */
#ifndef PS_HTTP_SERVER_H
#define PS_HTTP_SERVER_H

#include <stddef.h>
#include <sys/socket.h>
#include "render/prom.h"
#include "web_config.h"

#define HTTP_METRICS_CONTENT_TYPE PROM_CONTENT_TYPE

struct http_server;

/* Produces a /metrics body in a malloc'd buffer the server frees. Returns 0 or -errno. */
typedef int (*http_metrics_fn)(void *ctx, char **ret_body, size_t *ret_len);

/*
 * Checks that @web's certificate, key and client CA load (GnuTLS), then binds @addr (a port
 * under 1024 needs privileges: bind before dropping them). An unspecified IPv6 address ([::])
 * listens on IPv4 too, as Go's servers do. @web (NULL: plain HTTP, no authentication) must
 * outlive the server. Returns 0; -EINVAL with the reason in @err for TLS material that does
 * not load; or -errno of the socket (-EADDRINUSE for a port in use).
 */
int http_server__open(const struct sockaddr_storage *addr, socklen_t len,
		      const struct web_config *web, http_metrics_fn fn, void *ctx,
		      struct http_server **ret_server, char *err, size_t errlen);
/* Starts serving, on a thread of its own. Returns 0 or -EIO. */
int http_server__run(struct http_server *s);
/* Stops serving (when running) and closes. Accepts NULL. */
void http_server__stop(struct http_server *s);

#endif
