// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
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

static int open_listener(const struct sockaddr_storage *addr, socklen_t len)
{
	int one = 1, fd = socket(addr->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (addr->ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)addr, len) || listen(fd, CONNECTION_LIMIT)) {
		int r = -errno;

		close(fd);
		return r;
	}
	return fd;
}

int http_server__open(const struct sockaddr_storage *addr, socklen_t len, http_metrics_fn fn,
		      void *ctx, struct http_server **ret_server)
{
	struct http_server *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->metrics = fn;
	s->ctx = ctx;
	s->ipv6 = addr->ss_family == AF_INET6;
	s->listen_fd = open_listener(addr, len);
	if (s->listen_fd < 0) {
		int r = s->listen_fd;

		free(s);
		return r;
	}
	*ret_server = s;
	return 0;
}

int http_server__run(struct http_server *s)
{
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_AUTO;

	if (s->ipv6)
		flags |= MHD_USE_IPv6;
	/* One polling thread serves every connection in turn, so /metrics handlers never run
	 * concurrently with each other. */
	s->mhd = MHD_start_daemon(flags, 0, NULL, NULL, handle, s, MHD_OPTION_LISTEN_SOCKET,
				  s->listen_fd, MHD_OPTION_CONNECTION_LIMIT, CONNECTION_LIMIT,
				  MHD_OPTION_CONNECTION_TIMEOUT, CONNECTION_TIMEOUT_S,
				  MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)REQUEST_MEMORY_LIMIT,
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
