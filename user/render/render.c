// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>
#include "render.h"

#define HOOK_NAME(NAME, function, renamed, accounting, required) PS_STR(function),
static const char *const hook_names[PS_HOOK_COUNT] = { PS_HOOKS(HOOK_NAME) };
#undef HOOK_NAME

const char *hook__name(unsigned int hook)
{
	return hook < PS_HOOK_COUNT ? hook_names[hook] : "?";
}

void render__iso_time(const struct timespec *wall, char *buf, size_t len)
{
	struct tm tm;
	char base[32];

	gmtime_r(&wall->tv_sec, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%03ldZ", base, wall->tv_nsec / 1000000);
}

void render__clock_time(const struct timespec *wall, char *buf, size_t len)
{
	struct tm tm;

	localtime_r(&wall->tv_sec, &tm);
	strftime(buf, len, "%H:%M:%S", &tm);
}

void render__latency(uint64_t ns, char *buf, size_t len)
{
	if (!ns)
		snprintf(buf, len, "-");
	else if (ns < 1000)
		snprintf(buf, len, "%lluns", (unsigned long long)ns);
	else if (ns < 1000000)
		snprintf(buf, len, "%.1fus", ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, len, "%.1fms", ns / 1e6);
	else
		snprintf(buf, len, "%.2fs", ns / 1e9);
}

/* Writes @s escaped and returns the number of columns it took. */
static int write_text(FILE *out, const char *s, size_t len)
{
	int cols = 0;

	for (size_t i = 0; i < len && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f || c == '\\') {
			fprintf(out, "\\x%02x", c);
			cols += 4;
		} else {
			fputc(c, out);
			cols += (c & 0xc0) != 0x80; /* count UTF-8 lead bytes only */
		}
	}
	return cols;
}

void render__text(FILE *out, const char *s, size_t len)
{
	write_text(out, s, len);
}

void render__text_padded(FILE *out, const char *s, size_t len, int width)
{
	for (int cols = write_text(out, s, len); cols < width; cols++)
		fputc(' ', out);
}

void render__json_interval(struct json_writer *w, const struct interval_info *info)
{
	char time[48];

	render__iso_time(&info->wall, time, sizeof(time));
	json__key(w, "time");
	json__string(w, time);
	json__key(w, "interval_s");
	json__double(w, info->interval_s);
	json__key(w, "mode");
	json__string(w, info->mode);
}

void render__json_counts(FILE *out, const char *const *keys, const uint64_t *values, int n)
{
	struct json_writer w;

	json__init(&w, out);
	json__begin_object(&w);
	for (int i = 0; i < n; i++) {
		json__key(&w, keys[i]);
		json__u64(&w, values[i]);
	}
	json__end_object(&w);
	json__end_record(&w);
}

void render__json_process(struct json_writer *w, uint32_t pid, uint32_t tid,
			  const char comm[PS_COMM_LEN], uint32_t uid)
{
	json__key(w, "pid");
	json__u64(w, pid);
	json__key(w, "tid");
	json__u64(w, tid);
	json__key(w, "comm");
	json__string_n(w, comm, PS_COMM_LEN);
	json__key(w, "uid");
	json__u64(w, uid);
}
