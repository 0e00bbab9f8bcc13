/* SPDX-License-Identifier: GPL-2.0-only */
/* Small files read whole: the audit allowlist, the web config and the PEM files it names. */
#ifndef PS_TEXTFILE_H
#define PS_TEXTFILE_H

#include <stddef.h>

/*
 * Reads @path whole into a malloc'd, NUL-terminated buffer. Returns 0, -EFBIG for a file over
 * @max bytes, or the -errno of the open or read (-EISDIR for a directory).
 */
int textfile__read(const char *path, size_t max, char **ret_text, size_t *ret_len);

#endif
