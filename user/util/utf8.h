/* SPDX-License-Identifier: GPL-2.0-only */
/* UTF-8 validation for output formats that require it (JSON, Prometheus label values). */
#ifndef PS_UTF8_H
#define PS_UTF8_H

#include <stddef.h>

/* Length of the valid UTF-8 sequence at @s (at most @left bytes), or 0 when it is invalid:
 * truncated, overlong, a surrogate or past U+10FFFF. */
size_t utf8__sequence(const unsigned char *s, size_t left);

#endif
