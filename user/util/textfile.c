// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "textfile.h"

int textfile__read(const char *path, size_t max, char **ret_text, size_t *ret_len)
{
	FILE *f = fopen(path, "re");
	char *text;
	size_t n;

	if (!f)
		return -errno;
	text = malloc(max + 1);
	if (!text) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(text, 1, max + 1, f);
	if (ferror(f) || n > max) {
		int r = ferror(f) ? -errno : -EFBIG; /* EISDIR for a directory */

		fclose(f);
		free(text);
		return r;
	}
	fclose(f);
	text[n] = '\0';
	*ret_text = text;
	if (ret_len)
		*ret_len = n;
	return 0;
}
