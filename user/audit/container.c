// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>
#include "container.h"

#define ID_LEN 64
#define UID_LEN 36 /* 8-4-4-4-12 */

/* A component of the path: @s, @len bytes (no '/'). */
struct component {
	const char *s;
	size_t len;
};

static bool is_hex_id(const char *s, size_t len)
{
	if (len != ID_LEN)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static bool starts_with(const struct component *c, const char *prefix)
{
	size_t n = strlen(prefix);

	return c->len >= n && !memcmp(c->s, prefix, n);
}

/* @c without @suffix, when it ends with it (else unchanged). */
static struct component without(struct component c, const char *suffix)
{
	size_t n = strlen(suffix);

	if (c.len >= n && !memcmp(c.s + c.len - n, suffix, n))
		c.len -= n;
	return c;
}

/* "<prefix><64 hex>[.scope]": the id into @ret_id. */
static bool prefixed_id(const struct component *c, const char *prefix, char *ret_id)
{
	struct component rest = without(*c, ".scope");
	size_t n = strlen(prefix);

	if (!starts_with(&rest, prefix) || !is_hex_id(rest.s + n, rest.len - n))
		return false;
	memcpy(ret_id, rest.s + n, ID_LEN);
	ret_id[ID_LEN] = '\0';
	return true;
}

/* The container of one component, given its parent's; NULL runtime when none. */
static const char *component_container(const struct component *c, const struct component *parent,
				       char *ret_id)
{
	static const struct {
		const char *prefix, *runtime;
	} named[] = {
		{ "docker-", "docker" },
		{ "cri-containerd-", "containerd" },
		{ "crio-", "cri-o" },
		{ "libpod-", "podman" },
	};
	struct component unit = without(*c, ".service");

	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (prefixed_id(c, named[i].prefix, ret_id))
			return named[i].runtime;
	/* the cgroupfs drivers: /docker/<id>, /kubepods/<qos>/pod<uid>/<id> */
	if (is_hex_id(c->s, c->len) && parent) {
		memcpy(ret_id, c->s, ID_LEN);
		ret_id[ID_LEN] = '\0';
		if (parent->len == 6 && !memcmp(parent->s, "docker", 6))
			return "docker";
		if (starts_with(parent, "pod"))
			return "cri"; /* a Kubernetes container runtime that does not say which */
	}
	if (starts_with(&unit, "systemd-nspawn@") && unit.len > 15 && unit.len - 15 <= ID_LEN &&
	    unit.len < c->len) {
		memcpy(ret_id, unit.s + 15, unit.len - 15);
		ret_id[unit.len - 15] = '\0';
		return "systemd-nspawn";
	}
	return NULL;
}

/* "kubepods-burstable-pod<uid with _>.slice" (systemd driver), "pod<uid>" (cgroupfs). */
static bool pod_uid(const struct component *c, char *ret_uid)
{
	struct component s = without(*c, ".slice");
	const char *at = NULL;

	if (starts_with(&s, "kubepods") && s.len > UID_LEN + 3 &&
	    !memcmp(s.s + s.len - UID_LEN - 3, "pod", 3))
		at = s.s + s.len - UID_LEN;
	else if (s.len == UID_LEN + 3 && starts_with(&s, "pod"))
		at = s.s + 3;
	if (!at)
		return false;
	for (size_t i = 0; i < UID_LEN; i++)
		ret_uid[i] = at[i] == '_' ? '-' : at[i];
	ret_uid[UID_LEN] = '\0';
	return true;
}

bool container__from_cgroup(const char *cgroup_path, struct container_ref *ret)
{
	struct component parts[64];
	size_t n = 0;

	memset(ret, 0, sizeof(*ret));
	if (!cgroup_path)
		return false;
	for (const char *p = cgroup_path; *p && n < sizeof(parts) / sizeof(parts[0]);) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len)
			parts[n++] = (struct component){ p, len };
		p += len + (end ? 1 : 0);
	}
	for (size_t i = n; i-- > 0 && !ret->runtime;)
		ret->runtime = component_container(&parts[i], i ? &parts[i - 1] : NULL, ret->id);
	if (!ret->runtime) {
		ret->id[0] = '\0';
		return false;
	}
	for (size_t i = 0; i < n && !ret->pod_uid[0]; i++)
		pod_uid(&parts[i], ret->pod_uid);
	return true;
}
