/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * --web.config.file: the daemon's TLS and basic authentication, in the format of the Prometheus
 * exporter-toolkit (what node_exporter and every official exporter read):
 *
 *   tls_server_config:
 *     cert_file: server.crt          # PEM; a relative path is relative to the config file
 *     key_file: server.key
 *     client_auth_type: RequireAndVerifyClientCert   # or NoClientCert (default),
 *     client_ca_file: ca.crt                         #   VerifyClientCertIfGiven
 *     min_version: TLS12             # TLS10..TLS13 (default TLS12)
 *   basic_auth_users:
 *     prometheus: $2y$10$...         # bcrypt hashes (htpasswd -nBC 10 "" | tr -d ':\n')
 *
 * Parsing is pure (no I/O); web_config__load reads the files it names.
 */
#ifndef PS_WEB_CONFIG_H
#define PS_WEB_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

enum client_auth {
	CLIENT_AUTH_NONE,		/* NoClientCert */
	CLIENT_AUTH_VERIFY_IF_GIVEN,	/* VerifyClientCertIfGiven */
	CLIENT_AUTH_REQUIRE_AND_VERIFY, /* RequireAndVerifyClientCert */
};

enum tls_version { TLS_10, TLS_11, TLS_12, TLS_13 };

struct web_user {
	char *name;
	char *hash; /* a crypt(3) hash: bcrypt "$2y$..." as exporter-toolkit takes */
};

struct web_config {
	bool tls;
	char *cert_file, *key_file, *client_ca_file; /* paths as resolved, NULL: none */
	char *cert_pem, *key_pem, *client_ca_pem;    /* their contents (web_config__load) */
	enum client_auth client_auth;
	enum tls_version min_version;
	struct web_user *users;
	size_t nusers;
};

/*
 * Parses the YAML @text of the file @name (relative paths are taken from @name's directory).
 * Returns 0, -ENOMEM, or -EINVAL with "NAME:LINE: problem" in @err.
 */
int web_config__parse(const char *text, size_t len, const char *name, struct web_config *ret_cfg,
		      char *err, size_t errlen);
/* Reads and parses @path, then the PEM files it names. Returns 0 or -errno with @err set. */
int web_config__load(const char *path, struct web_config *ret_cfg, char *err, size_t errlen);
/* Whether @user may in with @password (crypt(3) of the password against the stored hash). */
bool web_config__check_user(const struct web_config *cfg, const char *user, const char *password);
/* The GnuTLS priority string of the minimum version. */
const char *web_config__priorities(const struct web_config *cfg);
/* Accepts NULL. */
void web_config__free(struct web_config *cfg);

#endif
