// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <gnutls/gnutls.h>
#include <microhttpd.h>
#include "http_server.h"

#define CONNECTION_LIMIT 256 /* each holds at most REQUEST_MEMORY_LIMIT: 8 MiB in all */
#define CONNECTION_TIMEOUT_S 10
#define REQUEST_MEMORY_LIMIT (32 * 1024) /* request line, headers and body of one connection */
#define DRAIN_TIMEOUT_MS 5000

struct http_server {
	struct MHD_Daemon *mhd;
	int listen_fd;
	bool ipv6;
	const struct web_config *web; /* NULL: plain HTTP, anyone */
	http_metrics_fn metrics;
	void *ctx;
};

static const char index_page[] =
	"<!DOCTYPE html>\n<html><head><title>procscope</title></head><body>\n"
	"<h1>procscope</h1>\n<p>Who reads and writes /proc and /sys.</p>\n"
	"<p><a href=\"/metrics\">Metrics</a></p>\n</body></html>\n";

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status, const char *type,
			     const char *body, size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, mode);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned int status, const char *text)
{
	return reply(c, status, "text/plain; charset=utf-8", text, strlen(text),
		     MHD_RESPMEM_PERSISTENT);
}

/* client_auth_type: libmicrohttpd asks for a certificate when given a trust list, and leaves
 * its verification to the application; a connection without one, or with one that does not
 * verify against client_ca_file, gets 403. */
static bool client_cert_ok(const struct web_config *web, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *info;
	gnutls_session_t tls;
	unsigned int status, n = 0;

	if (!web->tls || web->client_auth == CLIENT_AUTH_NONE)
		return true;
	info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	if (!info || !info->tls_session)
		return false;
	tls = (gnutls_session_t)info->tls_session;
	if (!gnutls_certificate_get_peers(tls, &n) || !n)
		return web->client_auth == CLIENT_AUTH_VERIFY_IF_GIVEN;
	return gnutls_certificate_verify_peers2(tls, &status) == 0 && status == 0;
}

static bool user_ok(const struct web_config *web, struct MHD_Connection *c)
{
	char *password = NULL, *user = MHD_basic_auth_get_username_password(c, &password);
	bool ok = user && password && web_config__check_user(web, user, password);

	if (password) {
		explicit_bzero(password, strlen(password));
		MHD_free(password);
	}
	if (user)
		MHD_free(user);
	return ok;
}

static enum MHD_Result ask_for_password(struct MHD_Connection *c)
{
	static const char text[] = "authentication required\n";
	struct MHD_Response *r = MHD_create_response_from_buffer(sizeof(text) - 1, (void *)text,
								 MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	ret = MHD_queue_basic_auth_fail_response(c, "procscope", r);
	MHD_destroy_response(r);
	return ret;
}

/* libmicrohttpd calls this at least twice per request: first with the headers only. */
static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload_data,
			      size_t *upload_data_size, void **req_state)
{
	static int seen_headers;
	struct http_server *s = cls;
	char *body = NULL;
	size_t len = 0;

	(void)version;
	(void)upload_data;
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n");
	if (!*req_state) {
		*req_state = &seen_headers;
		return MHD_YES;
	}
	if (*upload_data_size)
		return reply_text(c, MHD_HTTP_BAD_REQUEST, "a GET has no body\n");
	if (s->web && !client_cert_ok(s->web, c))
		return reply_text(c, MHD_HTTP_FORBIDDEN,
				  "a verified client certificate is needed\n");
	if (s->web && s->web->nusers && !user_ok(s->web, c))
		return ask_for_password(c);
	if (!strcmp(url, "/metrics")) {
		int r = s->metrics(s->ctx, &body, &len);

		if (r)
			return reply_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
					  "cannot read the BPF maps\n");
		return reply(c, MHD_HTTP_OK, HTTP_METRICS_CONTENT_TYPE, body, len,
			     MHD_RESPMEM_MUST_FREE);
	}
	if (!strcmp(url, "/"))
		return reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", index_page,
			     sizeof(index_page) - 1, MHD_RESPMEM_PERSISTENT);
	if (!strcmp(url, "/healthz"))
		return reply_text(c, MHD_HTTP_OK, "ok\n");
	return reply_text(c, MHD_HTTP_NOT_FOUND, "not found: try /metrics\n");
}

static bool any_ipv6(const struct sockaddr_storage *addr)
{
	return addr->ss_family == AF_INET6 &&
	       IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)addr)->sin6_addr);
}

static int open_listener(const struct sockaddr_storage *addr, socklen_t len)
{
	int one = 1, v6only = !any_ipv6(addr),
	    fd = socket(addr->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (addr->ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only));
	if (bind(fd, (const struct sockaddr *)addr, len) || listen(fd, CONNECTION_LIMIT)) {
		int r = -errno;

		close(fd);
		return r;
	}
	return fd;
}

/* What libmicrohttpd would find out only once serving, after the BPF programs are attached:
 * the certificate and key load and match, the client CA holds a certificate, and GnuTLS knows
 * the priority string. */
static int check_tls(const struct web_config *web, char *err, size_t errlen)
{
	gnutls_certificate_credentials_t cred;
	gnutls_priority_t prio;
	gnutls_datum_t cert, key;
	int r;

	if (gnutls_certificate_allocate_credentials(&cred) < 0)
		return -ENOMEM;
	cert = (gnutls_datum_t){ (unsigned char *)web->cert_pem,
				 (unsigned int)strlen(web->cert_pem) };
	key = (gnutls_datum_t){ (unsigned char *)web->key_pem, (unsigned int)strlen(web->key_pem) };
	r = gnutls_certificate_set_x509_key_mem(cred, &cert, &key, GNUTLS_X509_FMT_PEM);
	if (r < 0) {
		snprintf(err, errlen, "the certificate %s and key %s do not load: %s",
			 web->cert_file, web->key_file, gnutls_strerror(r));
		goto out;
	}
	if (web->client_ca_pem) {
		gnutls_datum_t ca = { (unsigned char *)web->client_ca_pem,
				      (unsigned int)strlen(web->client_ca_pem) };

		r = gnutls_certificate_set_x509_trust_mem(cred, &ca, GNUTLS_X509_FMT_PEM);
		if (r <= 0) {
			snprintf(err, errlen, "the client CA %s holds no certificate%s%s",
				 web->client_ca_file, r < 0 ? ": " : "",
				 r < 0 ? gnutls_strerror(r) : "");
			r = -1;
			goto out;
		}
	}
	r = gnutls_priority_init(&prio, web_config__priorities(web), NULL);
	if (r < 0)
		snprintf(err, errlen, "GnuTLS refuses the TLS versions asked for: %s",
			 gnutls_strerror(r));
	else
		gnutls_priority_deinit(prio);
out:
	gnutls_certificate_free_credentials(cred);
	return r < 0 ? -EINVAL : 0;
}

int http_server__open(const struct sockaddr_storage *addr, socklen_t len,
		      const struct web_config *web, http_metrics_fn fn, void *ctx,
		      struct http_server **ret_server, char *err, size_t errlen)
{
	struct http_server *s;
	int r;

	if (web && web->tls) {
		r = check_tls(web, err, errlen);
		if (r)
			return r;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->web = web;
	s->metrics = fn;
	s->ctx = ctx;
	s->ipv6 = addr->ss_family == AF_INET6;
	s->listen_fd = open_listener(addr, len);
	if (s->listen_fd == -EAFNOSUPPORT && any_ipv6(addr)) {
		/* A host without IPv6: every address is then 0.0.0.0. */
		struct sockaddr_storage any4 = { .ss_family = AF_INET };

		((struct sockaddr_in *)&any4)->sin_port =
			((const struct sockaddr_in6 *)addr)->sin6_port;
		s->ipv6 = false;
		s->listen_fd = open_listener(&any4, sizeof(struct sockaddr_in));
	}
	if (s->listen_fd < 0) {
		r = s->listen_fd;
		free(s);
		return r;
	}
	*ret_server = s;
	return 0;
}

int http_server__run(struct http_server *s)
{
	/* One polling thread serves every connection in turn, so /metrics handlers never run
	 * concurrently with each other. */
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_AUTO;
	struct MHD_OptionItem opts[12] = {
		{ MHD_OPTION_LISTEN_SOCKET, s->listen_fd, NULL },
		{ MHD_OPTION_CONNECTION_LIMIT, CONNECTION_LIMIT, NULL },
		{ MHD_OPTION_CONNECTION_TIMEOUT, CONNECTION_TIMEOUT_S, NULL },
		{ MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t)REQUEST_MEMORY_LIMIT, NULL },
	};
	int n = 4;

	if (s->ipv6)
		flags |= MHD_USE_IPv6;
	if (s->web && s->web->tls) {
		flags |= MHD_USE_TLS;
		opts[n++] =
			(struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, s->web->cert_pem };
		opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, s->web->key_pem };
		opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_PRIORITIES, 0,
						     (void *)web_config__priorities(s->web) };
		/* With a trust list, libmicrohttpd asks clients for a certificate. */
		if (s->web->client_ca_pem)
			opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_TRUST, 0,
							     s->web->client_ca_pem };
	}
	opts[n] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	s->mhd = MHD_start_daemon(flags, 0, NULL, NULL, handle, s, MHD_OPTION_ARRAY, opts,
				  MHD_OPTION_END);
	return s->mhd ? 0 : -EIO;
}

/* Stops accepting, lets scrapes in flight finish (at most DRAIN_TIMEOUT_MS), then stops. */
void http_server__stop(struct http_server *s)
{
	struct timespec tick = { .tv_nsec = 10L * 1000 * 1000 };
	MHD_socket fd;

	if (!s)
		return;
	if (!s->mhd) { /* never ran */
		close(s->listen_fd);
		free(s);
		return;
	}
	fd = MHD_quiesce_daemon(s->mhd);
	for (int waited = 0; waited < DRAIN_TIMEOUT_MS; waited += 10) {
		const union MHD_DaemonInfo *info =
			MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);

		if (!info || !info->num_connections)
			break;
		nanosleep(&tick, NULL);
	}
	MHD_stop_daemon(s->mhd);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	free(s);
}
