// SPDX-License-Identifier: GPL-2.0-only
#define _GNU_SOURCE /* crypt_r */
#include <crypt.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/textfile.h"
#include "web_config.h"
#include "util/yamldoc.h"

#define MAX_FILE_BYTES ((size_t)1 << 20) /* a config, a certificate chain or a key */

struct parse {
	yaml_document_t *doc;
	const char *name;
	char dir[4096]; /* the config file's directory, for relative paths */
	char *err;
	size_t errlen;
	char msg[256];
};

static int fail(struct parse *p, const yaml_node_t *node, const char *msg)
{
	return yamldoc__fail(p->err, p->errlen, p->name, node, msg);
}

static const char *const client_auth_names[] = {
	[CLIENT_AUTH_NONE] = "NoClientCert",
	[CLIENT_AUTH_VERIFY_IF_GIVEN] = "VerifyClientCertIfGiven",
	[CLIENT_AUTH_REQUIRE_AND_VERIFY] = "RequireAndVerifyClientCert",
};

static const char *const tls_version_names[] = {
	[TLS_10] = "TLS10",
	[TLS_11] = "TLS11",
	[TLS_12] = "TLS12",
	[TLS_13] = "TLS13",
};

/* A path from the file: absolute, or relative to the file's directory (as exporter-toolkit). */
static int path_value(struct parse *p, const yaml_node_t *v, const char *key, char **ret_path)
{
	const char *text = yamldoc__scalar(v);

	if (!text || !text[0]) {
		snprintf(p->msg, sizeof(p->msg), "'%s' must be a file name", key);
		return fail(p, v, p->msg);
	}
	free(*ret_path);
	if (text[0] == '/')
		*ret_path = strdup(text);
	else if (asprintf(ret_path, "%s/%s", p->dir, text) < 0)
		*ret_path = NULL;
	return *ret_path ? 0 : -ENOMEM;
}

static int enum_value(struct parse *p, const yaml_node_t *v, const char *key,
		      const char *const *names, unsigned int count, unsigned int *ret_value)
{
	const char *text = yamldoc__scalar(v);
	size_t used = 0;

	for (unsigned int i = 0; text && i < count; i++) {
		if (!strcmp(text, names[i])) {
			*ret_value = i;
			return 0;
		}
	}
	used = (size_t)snprintf(p->msg, sizeof(p->msg), "'%s' must be one of", key);
	for (unsigned int i = 0; i < count && used < sizeof(p->msg); i++)
		used += (size_t)snprintf(p->msg + used, sizeof(p->msg) - used, "%s %s",
					 i ? "," : "", names[i]);
	return fail(p, v, p->msg);
}

/* exporter-toolkit's other client_auth_type values hand the certificate to a Go handler
 * without verifying it; procscope has no such handler, so it says so rather than guess. */
static int client_auth_value(struct parse *p, const yaml_node_t *v, struct web_config *c)
{
	const char *text = yamldoc__scalar(v);
	unsigned int value;

	if (text && (!strcmp(text, "RequestClientCert") || !strcmp(text, "RequireAnyClientCert"))) {
		snprintf(
			p->msg, sizeof(p->msg),
			"client_auth_type %s accepts unverified certificates, which procscope does "
			"not: use RequireAndVerifyClientCert or VerifyClientCertIfGiven",
			text);
		return fail(p, v, p->msg);
	}
	if (enum_value(p, v, "client_auth_type", client_auth_names, 3, &value))
		return -EINVAL;
	c->client_auth = (enum client_auth)value;
	return 0;
}

static int parse_tls(struct parse *p, const yaml_node_t *n, struct web_config *c)
{
	if (n->type != YAML_MAPPING_NODE)
		return fail(p, n, "'tls_server_config' must be a mapping");
	c->tls = true;
	for (yaml_node_pair_t *pair = n->data.mapping.pairs.start; pair < n->data.mapping.pairs.top;
	     pair++) {
		const yaml_node_t *k = yaml_document_get_node(p->doc, pair->key);
		const yaml_node_t *v = yaml_document_get_node(p->doc, pair->value);
		const char *key = yamldoc__scalar(k);
		unsigned int value = 0;
		int r;

		if (!key)
			return fail(p, k, "a key must be a string");
		if (!strcmp(key, "cert_file"))
			r = path_value(p, v, key, &c->cert_file);
		else if (!strcmp(key, "key_file"))
			r = path_value(p, v, key, &c->key_file);
		else if (!strcmp(key, "client_ca_file"))
			r = path_value(p, v, key, &c->client_ca_file);
		else if (!strcmp(key, "client_auth_type"))
			r = client_auth_value(p, v, c);
		else if (!strcmp(key, "min_version")) {
			r = enum_value(p, v, key, tls_version_names, 4, &value);
			c->min_version = (enum tls_version)value;
		} else {
			snprintf(p->msg, sizeof(p->msg),
				 "unknown key '%.64s' in tls_server_config (known: cert_file, "
				 "key_file, client_auth_type, client_ca_file, min_version)",
				 key);
			return fail(p, k, p->msg);
		}
		if (r)
			return r;
	}
	if (!c->cert_file || !c->key_file)
		return fail(p, n, "tls_server_config needs both cert_file and key_file");
	if (c->client_auth != CLIENT_AUTH_NONE && !c->client_ca_file)
		return fail(p, n, "client_auth_type other than NoClientCert needs client_ca_file");
	if (c->client_auth == CLIENT_AUTH_NONE && c->client_ca_file)
		return fail(p, n,
			    "client_ca_file needs a client_auth_type that verifies "
			    "certificates");
	return 0;
}

static bool is_bcrypt(const char *hash)
{
	return !strncmp(hash, "$2a$", 4) || !strncmp(hash, "$2b$", 4) || !strncmp(hash, "$2y$", 4);
}

static int parse_users(struct parse *p, const yaml_node_t *n, struct web_config *c)
{
	size_t count;

	if (n->type != YAML_MAPPING_NODE)
		return fail(p, n, "'basic_auth_users' must map user names to bcrypt hashes");
	count = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	c->users = calloc(count ? count : 1, sizeof(*c->users));
	if (!c->users)
		return -ENOMEM;
	for (size_t i = 0; i < count; i++) {
		const yaml_node_pair_t *pair = &n->data.mapping.pairs.start[i];
		const yaml_node_t *k = yaml_document_get_node(p->doc, pair->key);
		const yaml_node_t *v = yaml_document_get_node(p->doc, pair->value);
		const char *user = yamldoc__scalar(k), *hash = yamldoc__scalar(v);

		if (!user || !user[0] || strchr(user, ':'))
			return fail(p, k, "a user name must be a non-empty string without ':'");
		if (!hash || !is_bcrypt(hash)) {
			snprintf(p->msg, sizeof(p->msg),
				 "the password of '%.64s' is not a bcrypt hash ($2y$...): store "
				 "the output of 'htpasswd -nBC 10 \"\" | tr -d :', not a password",
				 user);
			return fail(p, v, p->msg);
		}
		for (size_t j = 0; j < c->nusers; j++) {
			if (c->users[j].name && !strcmp(c->users[j].name, user)) {
				snprintf(p->msg, sizeof(p->msg), "user '%.64s' is listed twice",
					 user);
				return fail(p, k, p->msg);
			}
		}
		c->users[i].name = strdup(user);
		c->users[i].hash = strdup(hash);
		if (!c->users[i].name || !c->users[i].hash) {
			free(c->users[i].name);
			free(c->users[i].hash);
			return -ENOMEM;
		}
		c->nusers = i + 1;
	}
	return 0;
}

static int parse_document(struct parse *p, struct web_config *c)
{
	const yaml_node_t *root = yaml_document_get_root_node(p->doc);

	if (!root) /* an empty file: plain HTTP, no authentication, as exporter-toolkit */
		return 0;
	if (root->type != YAML_MAPPING_NODE)
		return fail(p, root,
			    "expected a mapping with tls_server_config and/or "
			    "basic_auth_users");
	for (yaml_node_pair_t *pair = root->data.mapping.pairs.start;
	     pair < root->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = yaml_document_get_node(p->doc, pair->key);
		const yaml_node_t *v = yaml_document_get_node(p->doc, pair->value);
		const char *key = yamldoc__scalar(k);
		int r;

		if (key && ((!strcmp(key, "tls_server_config") && c->tls) ||
			    (!strcmp(key, "basic_auth_users") && c->users))) {
			snprintf(p->msg, sizeof(p->msg), "'%s' is given twice", key);
			return fail(p, k, p->msg);
		}
		if (key && !strcmp(key, "tls_server_config"))
			r = parse_tls(p, v, c);
		else if (key && !strcmp(key, "basic_auth_users"))
			r = parse_users(p, v, c);
		else {
			snprintf(p->msg, sizeof(p->msg),
				 "unknown key '%.64s' (procscope knows tls_server_config and "
				 "basic_auth_users)",
				 key ? key : "?");
			return fail(p, k, p->msg);
		}
		if (r)
			return r;
	}
	return 0;
}

int web_config__parse(const char *text, size_t len, const char *name, struct web_config *ret_cfg,
		      char *err, size_t errlen)
{
	struct parse p = { .name = name, .err = err, .errlen = errlen };
	yaml_document_t doc;
	char copy[sizeof(p.dir)];
	int r;

	memset(ret_cfg, 0, sizeof(*ret_cfg));
	ret_cfg->min_version = TLS_12;
	snprintf(copy, sizeof(copy), "%s", name);
	snprintf(p.dir, sizeof(p.dir), "%s", dirname(copy));
	r = yamldoc__load(text, len, name, &doc, err, errlen);
	if (r)
		return r;
	p.doc = &doc;
	r = parse_document(&p, ret_cfg);
	if (r == -ENOMEM)
		snprintf(err, errlen, "%s: out of memory", name);
	yaml_document_delete(&doc);
	if (r)
		web_config__free(ret_cfg);
	return r;
}

int web_config__load(const char *path, struct web_config *ret_cfg, char *err, size_t errlen)
{
	struct {
		const char *path;
		char **pem;
	} files[3];
	char *text = NULL;
	size_t len = 0;
	int r = textfile__read(path, MAX_FILE_BYTES, &text, &len);

	if (r) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(-r));
		return r;
	}
	r = web_config__parse(text, len, path, ret_cfg, err, errlen);
	free(text);
	if (r)
		return r;
	files[0].path = ret_cfg->cert_file;
	files[0].pem = &ret_cfg->cert_pem;
	files[1].path = ret_cfg->key_file;
	files[1].pem = &ret_cfg->key_pem;
	files[2].path = ret_cfg->client_ca_file;
	files[2].pem = &ret_cfg->client_ca_pem;
	for (int i = 0; i < 3; i++) {
		if (!files[i].path)
			continue;
		r = textfile__read(files[i].path, MAX_FILE_BYTES, files[i].pem, NULL);
		if (r) {
			snprintf(err, errlen, "%s: cannot read %s: %s", path, files[i].path,
				 strerror(-r));
			web_config__free(ret_cfg);
			return r;
		}
	}
	return 0;
}

bool web_config__check_user(const struct web_config *cfg, const char *user, const char *password)
{
	struct crypt_data *data;
	const char *hash = NULL, *got;
	bool ok = false;

	for (size_t i = 0; i < cfg->nusers; i++)
		if (!strcmp(cfg->users[i].name, user))
			hash = cfg->users[i].hash;
	if (!hash)
		return false;
	data = calloc(1, sizeof(*data));
	if (!data)
		return false;
	got = crypt_r(password, hash, data);
	/* crypt_r returns a hash of the same setting: compare all of it, in constant time */
	if (got && got[0] != '*' && strlen(got) == strlen(hash)) {
		unsigned char diff = 0;

		for (size_t i = 0; hash[i]; i++)
			diff |= (unsigned char)(got[i] ^ hash[i]);
		ok = !diff;
	}
	explicit_bzero(data, sizeof(*data));
	free(data);
	return ok;
}

const char *web_config__priorities(const struct web_config *cfg)
{
	switch (cfg->min_version) {
	case TLS_13:
		return "NORMAL:-VERS-ALL:+VERS-TLS1.3";
	case TLS_12:
		return "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2";
	case TLS_11:
		return "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:+VERS-TLS1.1";
	default:
		return "NORMAL";
	}
}

void web_config__free(struct web_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->nusers; i++) {
		free(cfg->users[i].name);
		free(cfg->users[i].hash);
	}
	free(cfg->users);
	free(cfg->cert_file);
	free(cfg->key_file);
	free(cfg->client_ca_file);
	free(cfg->cert_pem);
	if (cfg->key_pem)
		explicit_bzero(cfg->key_pem, strlen(cfg->key_pem));
	free(cfg->key_pem);
	free(cfg->client_ca_pem);
	memset(cfg, 0, sizeof(*cfg));
}
