/* SPDX-License-Identifier: GPL-2.0-only */
/* Comma-separated lists of names into bit masks: --fs, trace --op. */
#ifndef PS_NAMELIST_H
#define PS_NAMELIST_H

#include <stddef.h>
#include <stdint.h>

/* The bits of one name of @len bytes (not NUL-terminated), 0 for an unknown name. */
typedef uint32_t (*namelist_mask_fn)(const char *name, size_t len);

/* Parses @list ("a,b,c") into the union of its names' bits. Returns 0, or -EINVAL with
 * *@ret_bad and *@ret_bad_len the first unknown (or empty) entry. */
int namelist__parse(const char *list, namelist_mask_fn mask_of, uint32_t *ret_mask,
		    const char **ret_bad, int *ret_bad_len);

/* The 1-based position of the entry at @at in @list, for messages. */
int namelist__entry(const char *list, const char *at);

#endif
