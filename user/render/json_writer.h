/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small streaming JSON writer in the manner of bpftool's: it tracks nesting and commas, escapes
 * every string (control characters, quotes, invalid UTF-8), and writes to a FILE* it is given.
 */
#ifndef PS_JSON_WRITER_H
#define PS_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json_writer {
	FILE *out;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
	bool after_key;
};

void json__init(struct json_writer *w, FILE *out);
void json__begin_object(struct json_writer *w);
void json__end_object(struct json_writer *w);
void json__begin_array(struct json_writer *w);
void json__end_array(struct json_writer *w);
void json__key(struct json_writer *w, const char *key);
void json__string(struct json_writer *w, const char *s);
/* A string of at most @len bytes (stops at a NUL). */
void json__string_n(struct json_writer *w, const char *s, size_t len);
void json__u64(struct json_writer *w, uint64_t v);
void json__s64(struct json_writer *w, int64_t v);
void json__double(struct json_writer *w, double v);
void json__bool(struct json_writer *w, bool v);
void json__null(struct json_writer *w);
/* Ends a top-level value with a newline (one NDJSON record). */
void json__end_record(struct json_writer *w);

#endif
