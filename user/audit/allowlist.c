// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "allowlist.h"
#include "audit_rules.h"
#include "util/numparse.h"
#include "util/yamldoc.h"

struct parse {
	yaml_document_t *doc;
	const char *name;
	char *err;
	size_t errlen;
	char msg[160]; /* a message being formatted */
};

/* "NAME:LINE: msg" into the caller's buffer; libyaml counts lines from 0. Not variadic: messages
 * with values are formatted by the caller (clang's analyzer loses va_start in an inlined
 * variadic function). */
static int fail(struct parse *p, const yaml_node_t *node, const char *msg)
{
	return yamldoc__fail(p->err, p->errlen, p->name, node, msg);
}

static int add_rule(struct parse *p, const yaml_node_t *n, struct allow_entry *e)
{
	const char *id = yamldoc__scalar(n);
	unsigned int rule;

	if (!id)
		return fail(p, n, "a rule id must be a string");
	if (audit_rule__parse(id, &rule)) {
		snprintf(p->msg, sizeof(p->msg),
			 "unknown rule '%.64s' (see 'procscope audit --list-rules')", id);
		return fail(p, n, p->msg);
	}
	e->rules |= 1u << rule;
	return 0;
}

static int parse_rules(struct parse *p, const yaml_node_t *n, struct allow_entry *e)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return add_rule(p, n, e);
	if (n->data.sequence.items.top == n->data.sequence.items.start)
		return fail(p, n, "'rules' is an empty list");
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		int r = add_rule(p, yaml_document_get_node(p->doc, *it), e);

		if (r)
			return r;
	}
	return 0;
}

/* The non-empty string value of @key, at most @max bytes; NULL after saying what is wrong. */
static const char *text_of(struct parse *p, const yaml_node_t *n, const char *key, size_t max)
{
	const char *v = yamldoc__scalar(n);

	if (!v || !*v) {
		snprintf(p->msg, sizeof(p->msg), "'%s' wants a non-empty string", key);
		fail(p, n, p->msg);
		return NULL;
	}
	if (strlen(v) > max) {
		snprintf(p->msg, sizeof(p->msg), "'%s' is longer than %zu bytes", key, max);
		fail(p, n, p->msg);
		return NULL;
	}
	return v;
}

static int dup_text(struct parse *p, const yaml_node_t *n, const char *key, char **ret_copy)
{
	const char *v = text_of(p, n, key, PS_PATH_LEN - 1);

	if (!v)
		return -EINVAL;
	*ret_copy = strdup(v);
	return *ret_copy ? 0 : -ENOMEM;
}

static int parse_member(struct parse *p, const char *key, const yaml_node_t *v,
			struct allow_entry *e)
{
	const char *text = NULL;
	uint64_t uid;
	int r;

	if (!strcmp(key, "rules"))
		return parse_rules(p, v, e);
	if (!strcmp(key, "exe"))
		return dup_text(p, v, key, &e->exe);
	if (!strcmp(key, "cgroup")) {
		r = dup_text(p, v, key, &e->cgroup);
		if (!r && e->cgroup[0] != '/')
			return fail(p, v,
				    "'cgroup' is a path from the cgroup root: it starts with /");
		return r;
	}
	if (!strcmp(key, "comm")) {
		text = text_of(p, v, key, PS_COMM_LEN - 1);
		if (!text)
			return -EINVAL;
		snprintf(e->comm, sizeof(e->comm), "%s", text);
		e->comm_set = true;
		return 0;
	}
	if (!strcmp(key, "uid")) {
		text = yamldoc__scalar(v);
		if (!text || numparse__u64(text, 0, UINT32_MAX - 1, &uid))
			return fail(p, v, "'uid' wants a numeric user id");
		e->uid = (uint32_t)uid;
		e->uid_set = true;
		return 0;
	}
	snprintf(p->msg, sizeof(p->msg),
		 "unknown key '%.64s' (known: rules, exe, uid, cgroup, comm)", key);
	return fail(p, v, p->msg);
}

static int parse_entry(struct parse *p, const yaml_node_t *n, struct allow_entry *e)
{
	uint32_t seen = 0;
	static const char *const keys[] = { "rules", "exe", "cgroup", "comm", "uid" };

	e->line = (int)n->start_mark.line + 1;
	if (n->type != YAML_MAPPING_NODE)
		return fail(p, n, "an allow entry is a mapping of rules and matchers");
	for (yaml_node_pair_t *pair = n->data.mapping.pairs.start; pair < n->data.mapping.pairs.top;
	     pair++) {
		const yaml_node_t *k = yaml_document_get_node(p->doc, pair->key);
		const yaml_node_t *v = yaml_document_get_node(p->doc, pair->value);
		const char *key = yamldoc__scalar(k);
		int r;

		if (!key)
			return fail(p, k, "a key must be a string");
		for (unsigned int i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			if (strcmp(key, keys[i]) != 0)
				continue;
			if (seen & (1u << i)) {
				snprintf(p->msg, sizeof(p->msg), "'%s' is given twice", key);
				return fail(p, k, p->msg);
			}
			seen |= 1u << i;
		}
		r = parse_member(p, key, v, e);
		if (r)
			return r;
	}
	if (!e->rules)
		return fail(p, n, "an allow entry needs 'rules'");
	if (!e->exe && !e->cgroup && !e->comm_set && !e->uid_set)
		return fail(p, n,
			    "an allow entry needs at least one of exe, uid, cgroup, comm (an "
			    "entry allowing everyone would turn its rules off: use --severity)");
	return 0;
}

/* servers: a list of executables' path globs. */
static int parse_servers(struct parse *p, const yaml_node_t *n, struct allowlist *l)
{
	if (n->type == YAML_SCALAR_NODE && !n->data.scalar.length)
		return 0; /* "servers:" with nothing */
	if (n->type != YAML_SEQUENCE_NODE)
		return fail(p, n, "'servers' must be a list of executables' paths (globs)");
	l->nservers = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	l->servers = calloc(l->nservers ? l->nservers : 1, sizeof(*l->servers));
	if (!l->servers)
		return -ENOMEM;
	for (size_t i = 0; i < l->nservers; i++) {
		const yaml_node_t *item =
			yaml_document_get_node(p->doc, n->data.sequence.items.start[i]);
		int r = dup_text(p, item, "servers", &l->servers[i]);

		if (r)
			return r;
		if (l->servers[i][0] != '/')
			return fail(p, item, "a server is an absolute path (a glob)");
	}
	return 0;
}

static int parse_document(struct parse *p, struct allowlist *l)
{
	const yaml_node_t *root = yaml_document_get_root_node(p->doc), *list = NULL,
			  *servers = NULL;

	if (!root)
		return 0; /* an empty file */
	if (root->type != YAML_MAPPING_NODE)
		return fail(p, root, "the top level must be a mapping with the key 'allow'");
	for (yaml_node_pair_t *pair = root->data.mapping.pairs.start;
	     pair < root->data.mapping.pairs.top; pair++) {
		const yaml_node_t *k = yaml_document_get_node(p->doc, pair->key);
		const char *key = yamldoc__scalar(k);
		const yaml_node_t **slot = !key			     ? NULL
					   : !strcmp(key, "allow")   ? &list
					   : !strcmp(key, "servers") ? &servers
								     : NULL;

		if (!slot) {
			snprintf(p->msg, sizeof(p->msg),
				 "unknown top-level key '%.64s' (known: allow, servers)",
				 key ? key : "?");
			return fail(p, k, p->msg);
		}
		if (*slot) {
			snprintf(p->msg, sizeof(p->msg), "'%s' is given twice", key);
			return fail(p, k, p->msg);
		}
		*slot = yaml_document_get_node(p->doc, pair->value);
	}
	if (servers) {
		int r = parse_servers(p, servers, l);

		if (r)
			return r;
	}
	if (!list || (list->type == YAML_SCALAR_NODE && !list->data.scalar.length))
		return 0; /* "allow:" with nothing */
	if (list->type != YAML_SEQUENCE_NODE)
		return fail(p, list, "'allow' must be a list of entries");
	l->n = (size_t)(list->data.sequence.items.top - list->data.sequence.items.start);
	l->entries = calloc(l->n ? l->n : 1, sizeof(*l->entries));
	if (!l->entries)
		return -ENOMEM;
	for (size_t i = 0; i < l->n; i++) {
		int r = parse_entry(
			p, yaml_document_get_node(p->doc, list->data.sequence.items.start[i]),
			&l->entries[i]);

		if (r)
			return r;
	}
	return 0;
}

int allowlist__parse(const char *text, size_t len, const char *name, struct allowlist *ret_list,
		     char *err, size_t errlen)
{
	struct parse p = { .name = name, .err = err, .errlen = errlen };
	yaml_document_t doc;
	int r;

	memset(ret_list, 0, sizeof(*ret_list));
	r = yamldoc__load(text, len, name, &doc, err, errlen);
	if (r)
		return r;
	p.doc = &doc;
	r = parse_document(&p, ret_list);
	if (r == -ENOMEM)
		snprintf(err, errlen, "%s: out of memory", name);
	yaml_document_delete(&doc);
	if (r)
		allowlist__free(ret_list);
	return r;
}

/* A cgroup path prefix of whole components: /a/b matches /a/b and /a/b/c, not /a/bc. */
static bool cgroup_has_prefix(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	if (n > 1 && prefix[n - 1] == '/')
		n--;
	if (n == 1) /* "/" */
		return true;
	return !strncmp(path, prefix, n) && (path[n] == '\0' || path[n] == '/');
}

const struct allow_entry *allowlist__match(const struct allowlist *l, const struct allow_subject *s)
{
	for (size_t i = 0; l && i < l->n; i++) {
		const struct allow_entry *e = &l->entries[i];

		if (!(e->rules & (1u << s->rule)))
			continue;
		if (e->exe && (!s->exe[0] || fnmatch(e->exe, s->exe, 0)))
			continue;
		if (e->cgroup && (!s->cgroup || !cgroup_has_prefix(s->cgroup, e->cgroup)))
			continue;
		if (e->comm_set && strncmp(e->comm, s->comm, PS_COMM_LEN) != 0)
			continue;
		if (e->uid_set && e->uid != s->uid)
			continue;
		return e;
	}
	return NULL;
}

void allowlist__free(struct allowlist *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->entries[i].exe);
		free(l->entries[i].cgroup);
	}
	free(l->entries);
	l->entries = NULL;
	l->n = 0;
	for (size_t i = 0; i < l->nservers; i++)
		free(l->servers[i]);
	free(l->servers);
	l->servers = NULL;
	l->nservers = 0;
}
