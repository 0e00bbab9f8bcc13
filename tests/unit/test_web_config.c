// SPDX-License-Identifier: GPL-2.0-only
/* --web.config.file (exporter-toolkit's format) and --listen's every-address form. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "util/listen_addr.h"
#include "daemon/web_config.h"

/* bcrypt of "secret" at cost 4, as htpasswd -B writes it ($2y$) */
#define SECRET_HASH "$2y$04$KYtCSl1v23V9sU3xEXQ9teAi1rPtO22zw6AfjLxJwOsfR3TR7fpWW"

static char err[512];

static int parse(const char *text, struct web_config *c)
{
	err[0] = '\0';
	return web_config__parse(text, strlen(text), "/etc/procscope/web.yml", c, err, sizeof(err));
}

static void test_full(void **state)
{
	struct web_config c;

	(void)state;
	assert_int_equal(parse("tls_server_config:\n"
			       "  cert_file: server.crt\n"
			       "  key_file: /keys/server.key\n"
			       "  client_auth_type: RequireAndVerifyClientCert\n"
			       "  client_ca_file: ca.crt\n"
			       "  min_version: TLS13\n"
			       "basic_auth_users:\n"
			       "  prometheus: " SECRET_HASH "\n",
			       &c),
			 0);
	assert_true(c.tls);
	assert_string_equal(c.cert_file, "/etc/procscope/server.crt");
	assert_string_equal(c.key_file, "/keys/server.key");
	assert_string_equal(c.client_ca_file, "/etc/procscope/ca.crt");
	assert_int_equal(c.client_auth, CLIENT_AUTH_REQUIRE_AND_VERIFY);
	assert_int_equal(c.min_version, TLS_13);
	assert_string_equal(web_config__priorities(&c), "NORMAL:-VERS-ALL:+VERS-TLS1.3");
	assert_int_equal(c.nusers, 1);
	assert_true(web_config__check_user(&c, "prometheus", "secret"));
	assert_false(web_config__check_user(&c, "prometheus", "Secret"));
	assert_false(web_config__check_user(&c, "prometheus", ""));
	assert_false(web_config__check_user(&c, "other", "secret"));
	web_config__free(&c);
	web_config__free(NULL);
}

static void test_defaults(void **state)
{
	struct web_config c;

	(void)state;
	assert_int_equal(parse("", &c), 0); /* empty: plain HTTP, as exporter-toolkit */
	assert_false(c.tls);
	assert_int_equal(c.nusers, 0);
	web_config__free(&c);
	assert_int_equal(parse("basic_auth_users:\n  a: " SECRET_HASH "\n", &c), 0);
	assert_false(c.tls);
	web_config__free(&c);
	assert_int_equal(parse("tls_server_config:\n  cert_file: a\n  key_file: b\n", &c), 0);
	assert_int_equal(c.min_version, TLS_12);
	assert_int_equal(c.client_auth, CLIENT_AUTH_NONE);
	web_config__free(&c);
}

static void expect_error(const char *text, const char *message)
{
	struct web_config c;

	assert_int_equal(parse(text, &c), -EINVAL);
	if (!strstr(err, message))
		fail_msg("'%s' does not say '%s'", err, message);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("tls_server_config: [\n", "/etc/procscope/web.yml:2:");
	expect_error("tls_config:\n  cert_file: a\n", "web.yml:1: unknown key 'tls_config'");
	expect_error("tls_server_config:\n  cert_file: a\n  key_file: b\n  cipher: x\n",
		     "web.yml:4: unknown key 'cipher' in tls_server_config");
	expect_error("tls_server_config:\n  cert_file: a\n", "needs both cert_file and key_file");
	expect_error("tls_server_config:\n  cert_file: a\n  key_file: b\n  min_version: TLS14\n",
		     "'min_version' must be one of TLS10, TLS11, TLS12, TLS13");
	expect_error("tls_server_config:\n  cert_file: a\n  key_file: b\n"
		     "  client_auth_type: RequireAndVerifyClientCert\n",
		     "needs client_ca_file");
	expect_error("tls_server_config:\n  cert_file: a\n  key_file: b\n"
		     "  client_auth_type: RequireAnyClientCert\n  client_ca_file: c\n",
		     "accepts unverified certificates");
	expect_error("basic_auth_users:\n  alice: hunter2\n",
		     "web.yml:2: the password of 'alice' is not a bcrypt hash");
	expect_error("basic_auth_users:\n  a: " SECRET_HASH "\n  a: " SECRET_HASH "\n",
		     "listed twice");
	expect_error("- a\n", "expected a mapping");
	/* found by fuzz_web_config: a second section read the first one's user count */
	expect_error("basic_auth_users:\n  a: " SECRET_HASH "\nbasic_auth_users:\n  b: " SECRET_HASH
		     "\n",
		     "web.yml:3: 'basic_auth_users' is given twice");
}

static void test_listen_every_address(void **state)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char text[64];

	(void)state;
	assert_int_equal(listen_addr__parse(":9110", &ss, &len, err, sizeof(err)), 0);
	assert_int_equal(ss.ss_family, AF_INET6);
	assert_int_equal(ntohs(((struct sockaddr_in6 *)&ss)->sin6_port), 9110);
	inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, text, sizeof(text));
	assert_string_equal(text, "::");
	assert_int_not_equal(listen_addr__parse(":", &ss, &len, err, sizeof(err)), 0);
	assert_int_not_equal(listen_addr__parse(":0", &ss, &len, err, sizeof(err)), 0);
	/* an unbracketed IPv6 address is still told to use brackets */
	assert_int_not_equal(listen_addr__parse("::1:80", &ss, &len, err, sizeof(err)), 0);
	assert_string_equal(err, "'::1' is not an IPv4 address (IPv6 goes in brackets)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_listen_every_address),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
