// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the verifier did for each BPF program a process holds: the benchmark's measure of load
 * cost, steadier than the wall time it takes (which TCG multiplies tens of times over).
 *
 *   progcost PID
 *
 * Finds the programs through /proc/PID/fdinfo ("prog_id:"; a program held by several descriptors,
 * a tail-call array's entries say, is printed once) and prints one JSON object per program:
 * {"name", "verified_insns", "xlated_insns"}. verified_insns is what the verifier processed
 * (Linux 5.16 and later report it; 0 before), xlated_insns the program's size.
 */
#include <bpf/bpf.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The program id a descriptor's fdinfo names, 0 for any other descriptor. */
static unsigned int fdinfo_prog_id(const char *path)
{
	char line[256];
	unsigned int id = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "prog_id: %u", &id) == 1)
			break;
	fclose(f);
	return id;
}

static int print_prog(unsigned int id)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);
	int fd = bpf_prog_get_fd_by_id(id);

	if (fd < 0)
		return -1;
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		close(fd);
		return -1;
	}
	close(fd);
	printf("{\"name\": \"%s\", \"verified_insns\": %u, \"xlated_insns\": %u}\n", info.name,
	       info.verified_insns, info.xlated_prog_len / 8);
	return 0;
}

#define MAX_PROGS 1024

int main(int argc, char **argv)
{
	unsigned int seen[MAX_PROGS], nseen = 0;
	char dir_path[64], path[320];
	struct dirent *de;
	DIR *dir;

	if (argc != 2) {
		fprintf(stderr, "usage: progcost PID\n");
		return 2;
	}
	snprintf(dir_path, sizeof(dir_path), "/proc/%s/fdinfo", argv[1]);
	dir = opendir(dir_path);
	if (!dir) {
		perror(dir_path);
		return 1;
	}
	while ((de = readdir(dir))) {
		unsigned int id;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir_path, de->d_name);
		id = fdinfo_prog_id(path);
		for (unsigned int i = 0; id && i < nseen; i++)
			if (seen[i] == id)
				id = 0;
		if (!id || nseen == MAX_PROGS)
			continue;
		seen[nseen++] = id;
		if (print_prog(id)) {
			fprintf(stderr, "progcost: program %u: cannot read its information\n", id);
			closedir(dir);
			return 1;
		}
	}
	closedir(dir);
	return 0;
}
