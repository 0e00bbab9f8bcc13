// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include "procmaps.h"

/*
 * The fields are parsed one by one rather than with sscanf: a field's shape is checked exactly
 * (sscanf skips blanks and signs where the kernel writes none), and a fuzzer can see each branch.
 */

/* Hex digits ending at @stop; *p moves past @stop. */
static int hex_field(const char **p, char stop, uint64_t *ret_value)
{
	const char *s = *p;
	uint64_t v = 0;

	if (!isxdigit((unsigned char)*s))
		return -EINVAL;
	for (; isxdigit((unsigned char)*s); s++) {
		if (v >> 60)
			return -ERANGE;
		v = v << 4 |
		    (uint64_t)(isdigit((unsigned char)*s) ? *s - '0' : (*s | 0x20) - 'a' + 10);
	}
	if (*s != stop)
		return -EINVAL;
	*p = s + 1;
	*ret_value = v;
	return 0;
}

/* "rwxp": each position its letter or '-', the last 'p' (private) or 's' (shared). */
static int perms_field(const char **p)
{
	static const char letters[] = "rwx";
	const char *s = *p;

	for (int i = 0; i < 3; i++)
		if (s[i] != letters[i] && s[i] != '-')
			return -EINVAL;
	if ((s[3] != 'p' && s[3] != 's') || s[4] != ' ')
		return -EINVAL;
	*p = s + 5;
	return 0;
}

/* The inode: decimal, ending the line or followed by blanks and the name. */
static int inode_field(const char **p)
{
	const char *s = *p;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	while (isdigit((unsigned char)*s))
		s++;
	if (*s != ' ' && *s != '\n' && *s != '\0')
		return -EINVAL;
	while (*s == ' ')
		s++;
	*p = s;
	return 0;
}

int procmaps__parse_line(const char *line, struct procmap *ret_map)
{
	static const char deleted[] = " (deleted)";
	uint64_t start, end, pgoff, major, minor;
	size_t len;

	if (hex_field(&line, '-', &start) || hex_field(&line, ' ', &end) || start > end ||
	    perms_field(&line) || hex_field(&line, ' ', &pgoff) || hex_field(&line, ':', &major) ||
	    hex_field(&line, ' ', &minor) || inode_field(&line))
		return -EINVAL;
	ret_map->start = start;
	ret_map->end = end;
	ret_map->pgoff = pgoff;
	ret_map->path[0] = '\0';
	if (line[0] != '/')
		return 0;
	len = strcspn(line, "\n");
	if (len >= sizeof(deleted) - 1 &&
	    !memcmp(line + len - (sizeof(deleted) - 1), deleted, sizeof(deleted) - 1))
		len -= sizeof(deleted) - 1;
	if (len >= sizeof(ret_map->path))
		return 0; /* a path this long is not worth a truncated guess */
	memcpy(ret_map->path, line, len);
	ret_map->path[len] = '\0';
	return 0;
}
