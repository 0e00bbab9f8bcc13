// SPDX-License-Identifier: GPL-2.0-only
#include <math.h>
#include <string.h>
#include "json_writer.h"
#include "util/utf8.h"

void json__init(struct json_writer *w, FILE *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
}

/* Separates a value from the previous one in the current container. */
static void value_prefix(struct json_writer *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->need_comma[w->depth])
		fputc(',', w->out);
	w->need_comma[w->depth] = true;
}

static void open_container(struct json_writer *w, char c)
{
	value_prefix(w);
	fputc(c, w->out);
	if (w->depth < JSON_MAX_DEPTH - 1)
		w->depth++;
	w->need_comma[w->depth] = false;
}

static void close_container(struct json_writer *w, char c)
{
	if (w->depth > 0)
		w->depth--;
	fputc(c, w->out);
}

void json__begin_object(struct json_writer *w)
{
	open_container(w, '{');
}

void json__end_object(struct json_writer *w)
{
	close_container(w, '}');
}

void json__begin_array(struct json_writer *w)
{
	open_container(w, '[');
}

void json__end_array(struct json_writer *w)
{
	close_container(w, ']');
}

static void write_escaped(FILE *out, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	fputc('"', out);
	while (i < len && s[i]) {
		unsigned char c = s[i];
		size_t n;

		switch (c) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		default:
			if (c < 0x20 || c == 0x7f) {
				fprintf(out, "\\u%04x", c);
				break;
			}
			n = utf8__sequence(s + i, len - i);
			if (!n) {
				fputs("\\ufffd", out); /* a byte that is not UTF-8 */
				break;
			}
			fwrite(s + i, 1, n, out);
			i += n;
			continue;
		}
		i++;
	}
	fputc('"', out);
}

void json__key(struct json_writer *w, const char *key)
{
	value_prefix(w);
	write_escaped(w->out, key, strlen(key));
	fputc(':', w->out);
	w->after_key = true;
}

void json__string_n(struct json_writer *w, const char *s, size_t len)
{
	value_prefix(w);
	write_escaped(w->out, s, len);
}

void json__string(struct json_writer *w, const char *s)
{
	json__string_n(w, s, strlen(s));
}

void json__u64(struct json_writer *w, uint64_t v)
{
	value_prefix(w);
	fprintf(w->out, "%llu", (unsigned long long)v);
}

void json__s64(struct json_writer *w, int64_t v)
{
	value_prefix(w);
	fprintf(w->out, "%lld", (long long)v);
}

void json__double(struct json_writer *w, double v)
{
	value_prefix(w);
	if (!isfinite(v))
		fputs("null", w->out);
	else
		fprintf(w->out, "%.6g", v);
}

void json__bool(struct json_writer *w, bool v)
{
	value_prefix(w);
	fputs(v ? "true" : "false", w->out);
}

void json__null(struct json_writer *w)
{
	value_prefix(w);
	fputs("null", w->out);
}

void json__end_record(struct json_writer *w)
{
	fputc('\n', w->out);
	w->depth = 0;
	w->need_comma[0] = false;
	w->after_key = false;
}
