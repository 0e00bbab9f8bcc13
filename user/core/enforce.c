// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <bpf/bpf.h>
#include "enforce.h"
#include "loader.h"
#include "util/textfile.h"

#define LSM_FILE "/sys/kernel/security/lsm"

/* securityfs's lsm file, from a mount made for the question when securityfs is not mounted
 * (on a temporary directory, gone after). Returns 0 or -errno. */
static int read_lsm_file(char **ret_text)
{
	char dir[] = "/tmp/procscope-securityfs.XXXXXX", path[64];
	size_t len;
	int r = textfile__read(LSM_FILE, 4096, ret_text, &len);

	if (r != -ENOENT)
		return r;
	if (!mkdtemp(dir))
		return -errno;
	if (mount("securityfs", dir, "securityfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)) {
		r = -errno;
		rmdir(dir);
		return r;
	}
	snprintf(path, sizeof(path), "%s/lsm", dir);
	r = textfile__read(path, 4096, ret_text, &len);
	umount2(dir, MNT_DETACH);
	rmdir(dir);
	return r;
}

/* The active LSMs ("lockdown,capability,bpf") into @buf; "" when they cannot be read. */
static void active_lsms(char *buf, size_t len)
{
	char *text;

	buf[0] = '\0';
	if (read_lsm_file(&text))
		return;
	snprintf(buf, len, "%.*s", (int)strcspn(text, "\n"), text);
	free(text);
}

static bool lsm_active(const char *list, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = list; (p = strstr(p, name)); p += len)
		if ((p == list || p[-1] == ',') &&
		    (p[len] == ',' || p[len] == '\0' || p[len] == '\n'))
			return true;
	return false;
}

/* Loads a program returning 0 (allow, or: the function runs as ever) at the kernel function
 * @func as @type/@attach, attaches it for a moment and closes it: arm64 before 6.4 loads such a
 * program but cannot attach it (no trampolines on its functions). 0 or -errno. */
static int probe_attach(const struct btf *btf, const char *func, enum bpf_prog_type type,
			enum bpf_attach_type attach)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int id = btf__find_by_name_kind(btf, func, BTF_KIND_FUNC), fd, link, r;

	if (id <= 0)
		return -ENOENT;
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = attach,
		    .attach_btf_id = (__u32)id);
	fd = bpf_prog_load(type, NULL, "GPL", insns, 2, &opts);
	if (fd < 0)
		return -errno;
	link = bpf_raw_tracepoint_open(NULL, fd);
	r = link < 0 ? -errno : 0;
	if (link >= 0)
		close(link);
	close(fd);
	return r;
}

enum enforce_kind enforce__pick(const struct btf *btf, char *why, size_t whylen)
{
	char lsms[256], lsm_why[160];
	int r;

	active_lsms(lsms, sizeof(lsms));
	if (!lsm_active(lsms, "bpf")) {
		snprintf(lsm_why, sizeof(lsm_why),
			 "bpf is not an active LSM (%s; boot with lsm=%s%sbpf)",
			 lsms[0] ? lsms : "the active LSMs cannot be read", lsms,
			 lsms[0] ? "," : "");
	} else {
		r = probe_attach(btf, "bpf_lsm_file_permission", BPF_PROG_TYPE_LSM, BPF_LSM_MAC);
		if (!r)
			return ENFORCE_LSM;
		snprintf(lsm_why, sizeof(lsm_why), "the kernel refuses BPF LSM programs (%s)",
			 loader__attach_strerror(r));
	}
	r = probe_attach(btf, "security_file_permission", BPF_PROG_TYPE_TRACING, BPF_MODIFY_RETURN);
	if (!r)
		return ENFORCE_FMOD_RET;
	snprintf(why, whylen, "%s, and fmod_ret programs on security_file_permission (%s)", lsm_why,
		 r == -ENOENT ? "not in the kernel's BTF" : loader__attach_strerror(r));
	return ENFORCE_NONE;
}

const char *enforce__name(enum enforce_kind kind)
{
	return kind == ENFORCE_LSM ? "lsm" : kind == ENFORCE_FMOD_RET ? "fmod_ret" : "none";
}
