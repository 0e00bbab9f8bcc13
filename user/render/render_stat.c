// SPDX-License-Identifier: GPL-2.0-only
#include <inttypes.h>
#include <string.h>
#include "core/fsinfo.h"
#include "render_stat.h"

/* Each column is as wide as its heading, at least 9. */
static int column_width(const char *heading)
{
	int n = (int)strlen(heading);

	return n < 9 ? 9 : n;
}

static bool fs_shown(const struct stat_view *v, unsigned int fs)
{
	return v->fs_mask & (1u << fs);
}

static double per_second(uint64_t n, double seconds)
{
	return seconds > 0 ? (double)n / seconds : 0;
}

void render_stat__header(FILE *out, const struct stat_view *v)
{
	char h[64];

	fprintf(out, "%-8s", "TIME");
	for (unsigned int fs = 0; fs < PS_FS_COUNT; fs++) {
		if (!fs_shown(v, fs))
			continue;
		snprintf(h, sizeof(h), "%s:R/s", fsinfo__name(fs));
		fprintf(out, " %*s", column_width(h), h);
		snprintf(h, sizeof(h), "%s:RKiB/s", fsinfo__name(fs));
		fprintf(out, " %*s", column_width(h), h);
		snprintf(h, sizeof(h), "%s:W/s", fsinfo__name(fs));
		fprintf(out, " %*s", column_width(h), h);
		if (v->walks) {
			snprintf(h, sizeof(h), "%s:OPEN/s", fsinfo__name(fs));
			fprintf(out, " %*s", column_width(h), h);
			snprintf(h, sizeof(h), "%s:DIR/s", fsinfo__name(fs));
			fprintf(out, " %*s", column_width(h), h);
			snprintf(h, sizeof(h), "%s:LINK/s", fsinfo__name(fs));
			fprintf(out, " %*s", column_width(h), h);
			snprintf(h, sizeof(h), "%s:STAT/s", fsinfo__name(fs));
			fprintf(out, " %*s", column_width(h), h);
		}
	}
	/* Functions not attached in this mode get no column; the JSON says null for them. */
	for (unsigned int hk = 0; hk < PS_HOOK_COUNT; hk++)
		if (v->delta->fn_available[hk])
			fprintf(out, " %*s", column_width(hook__name(hk)), hook__name(hk));
	fputc('\n', out);
}

void render_stat__row(FILE *out, const struct stat_view *v)
{
	struct fs_totals t[PS_FS_COUNT];
	double secs = v->info->interval_s;
	char clock[16], h[64];

	snapshot__fs_totals(v->delta, t);
	render__clock_time(&v->info->wall, clock, sizeof(clock));
	fprintf(out, "%-8s", clock);
	for (unsigned int fs = 0; fs < PS_FS_COUNT; fs++) {
		if (!fs_shown(v, fs))
			continue;
		snprintf(h, sizeof(h), "%s:R/s", fsinfo__name(fs));
		fprintf(out, " %*.1f", column_width(h), per_second(t[fs].reads, secs));
		snprintf(h, sizeof(h), "%s:RKiB/s", fsinfo__name(fs));
		fprintf(out, " %*.1f", column_width(h), per_second(t[fs].read_bytes, secs) / 1024);
		snprintf(h, sizeof(h), "%s:W/s", fsinfo__name(fs));
		fprintf(out, " %*.1f", column_width(h), per_second(t[fs].writes, secs));
		if (v->walks) {
			snprintf(h, sizeof(h), "%s:OPEN/s", fsinfo__name(fs));
			fprintf(out, " %*.1f", column_width(h), per_second(t[fs].opens, secs));
			snprintf(h, sizeof(h), "%s:DIR/s", fsinfo__name(fs));
			fprintf(out, " %*.1f", column_width(h), per_second(t[fs].dir_reads, secs));
			snprintf(h, sizeof(h), "%s:LINK/s", fsinfo__name(fs));
			fprintf(out, " %*.1f", column_width(h), per_second(t[fs].link_reads, secs));
			snprintf(h, sizeof(h), "%s:STAT/s", fsinfo__name(fs));
			fprintf(out, " %*.1f", column_width(h), per_second(t[fs].stats, secs));
		}
	}
	for (unsigned int hk = 0; hk < PS_HOOK_COUNT; hk++)
		if (v->delta->fn_available[hk])
			fprintf(out, " %*.1f", column_width(hook__name(hk)),
				per_second(v->delta->fn_hits[hk], secs));
	fputc('\n', out);
}

void render_stat__json(FILE *out, const struct stat_view *v)
{
	struct fs_totals t[PS_FS_COUNT];
	double secs = v->info->interval_s;
	struct json_writer w;

	snapshot__fs_totals(v->delta, t);
	json__init(&w, out);
	json__begin_object(&w);
	render__json_interval(&w, v->info);
	json__key(&w, "fs");
	json__begin_object(&w);
	for (unsigned int fs = 0; fs < PS_FS_COUNT; fs++) {
		if (!fs_shown(v, fs))
			continue;
		json__key(&w, fsinfo__name(fs));
		json__begin_object(&w);
		json__key(&w, "reads");
		json__u64(&w, t[fs].reads);
		json__key(&w, "read_bytes");
		json__u64(&w, t[fs].read_bytes);
		json__key(&w, "writes");
		json__u64(&w, t[fs].writes);
		json__key(&w, "write_bytes");
		json__u64(&w, t[fs].write_bytes);
		json__key(&w, "errors");
		json__u64(&w, t[fs].errors);
		json__key(&w, "reads_per_s");
		json__double(&w, per_second(t[fs].reads, secs));
		json__key(&w, "read_bytes_per_s");
		json__double(&w, per_second(t[fs].read_bytes, secs));
		json__key(&w, "writes_per_s");
		json__double(&w, per_second(t[fs].writes, secs));
		json__key(&w, "write_bytes_per_s");
		json__double(&w, per_second(t[fs].write_bytes, secs));
		if (v->walks) {
			json__key(&w, "opens");
			json__u64(&w, t[fs].opens);
			json__key(&w, "open_errors");
			json__u64(&w, t[fs].open_errors);
			json__key(&w, "dir_reads");
			json__u64(&w, t[fs].dir_reads);
			json__key(&w, "link_reads");
			json__u64(&w, t[fs].link_reads);
			json__key(&w, "link_errors");
			json__u64(&w, t[fs].link_errors);
			json__key(&w, "stats");
			json__u64(&w, t[fs].stats);
			json__key(&w, "stat_errors");
			json__u64(&w, t[fs].stat_errors);
			json__key(&w, "opens_per_s");
			json__double(&w, per_second(t[fs].opens, secs));
			json__key(&w, "dir_reads_per_s");
			json__double(&w, per_second(t[fs].dir_reads, secs));
			json__key(&w, "link_reads_per_s");
			json__double(&w, per_second(t[fs].link_reads, secs));
			json__key(&w, "stats_per_s");
			json__double(&w, per_second(t[fs].stats, secs));
		}
		json__end_object(&w);
	}
	json__end_object(&w);
	/* null, not 0, for a function that is not attached: unavailable is not idle. */
	json__key(&w, "functions");
	json__begin_object(&w);
	for (unsigned int hk = 0; hk < PS_HOOK_COUNT; hk++) {
		json__key(&w, hook__name(hk));
		if (!v->delta->fn_available[hk]) {
			json__null(&w);
			continue;
		}
		json__begin_object(&w);
		json__key(&w, "calls");
		json__u64(&w, v->delta->fn_hits[hk]);
		json__key(&w, "per_s");
		json__double(&w, per_second(v->delta->fn_hits[hk], secs));
		json__end_object(&w);
	}
	json__end_object(&w);
	json__key(&w, "dropped");
	json__u64(&w, v->delta->counters[PS_CNT_FILES_FULL]);
	/* as top's: runs of our programs the kernel skipped, calls counted nowhere */
	json__key(&w, "missed");
	json__u64(&w, v->delta->prog_misses);
	json__end_object(&w);
	json__end_record(&w);
}
