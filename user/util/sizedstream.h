/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A memory stream like open_memstream(3) whose buffer starts at a size the caller expects (the
 * daemon: its previous scrape's), so that a body of megabytes is neither copied at each doubling
 * nor leaves the halves it outgrew in the heap.
 */
#ifndef PS_SIZEDSTREAM_H
#define PS_SIZEDSTREAM_H

#include <stddef.h>
#include <stdio.h>

/*
 * Opens a stream writing to a malloc'd buffer of @expected bytes to start with, grown by half as
 * needed. At fclose() *@ret_buf holds what was written, NUL-terminated, and *@ret_len its length
 * (the caller frees the buffer); fclose() fails with ENOMEM if a write could not be stored.
 * Returns NULL with errno set on failure.
 */
FILE *sizedstream__open(size_t expected, char **ret_buf, size_t *ret_len);

#endif
