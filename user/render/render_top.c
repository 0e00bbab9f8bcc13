// SPDX-License-Identifier: GPL-2.0-only
#include <inttypes.h>
#include <string.h>
#include "core/fsinfo.h"
#include "core/pathfmt.h"
#include "render_top.h"

static size_t shown_rows(const struct top_view *v)
{
	return v->max_rows && v->max_rows < v->delta->nrows ? v->max_rows : v->delta->nrows;
}

void render_top__table(FILE *out, const struct top_view *v)
{
	const struct snapshot *d = v->delta;
	char clock[16];

	render__clock_time(&v->info->wall, clock, sizeof(clock));
	fprintf(out, "%s mode=%s interval=%.2fs files=%zu dropped=%" PRIu64 " missed=%" PRIu64,
		clock, v->info->mode, v->info->interval_s, d->nrows, d->counters[PS_CNT_FILES_FULL],
		d->prog_misses);
	if (d->cost_enabled) {
		uint64_t run_ns, runs;

		/* --self-cost: what procscope's programs took, of the CPU time of the interval */
		snapshot__total_cost(d, &run_ns, &runs);
		fprintf(out, " bpf=%.3fms runs=%" PRIu64, run_ns / 1e6, runs);
	}
	fputc('\n', out);
	if (v->per_process)
		fprintf(out, "%7s %-16s ", "PID", "COMM");
	fprintf(out, "%9s %10s %9s %10s %9s %9s %7s %7s %7s %7s %-10s %s\n", "READS", "R_KiB",
		"WRITES", "W_KiB", "AVG_LAT", "MAX_LAT", "OPENS", "DIRS", "LINKS", "STATS", "FS",
		"PATH");
	for (size_t i = 0; i < shown_rows(v); i++) {
		const struct file_row *r = &d->rows[i];
		char path[PS_DISPLAY_PATH_LEN], avg[16], max[16];

		pathfmt__display(&r->key, path, sizeof(path));
		render__latency(stats__avg_lat_ns(&r->st), avg, sizeof(avg));
		render__latency(r->st.lat_max_ns, max, sizeof(max));
		if (v->per_process) {
			fprintf(out, "%7u ", r->key.tgid);
			render__text_padded(out, r->key.comm, sizeof(r->key.comm), 16);
			fputc(' ', out);
		}
		fprintf(out, "%9llu %10.1f %9llu %10.1f %9s %9s %7llu %7llu %7llu %7llu %-10s ",
			(unsigned long long)r->st.reads, r->st.read_bytes / 1024.0,
			(unsigned long long)r->st.writes, r->st.write_bytes / 1024.0, avg, max,
			(unsigned long long)r->st.walk[PS_WALK_OPEN].calls,
			(unsigned long long)r->st.walk[PS_WALK_READDIR].calls,
			(unsigned long long)r->st.walk[PS_WALK_READLINK].calls,
			(unsigned long long)r->st.walk[PS_WALK_STAT].calls,
			fsinfo__name(r->key.fs));
		render__text(out, path, sizeof(path));
		fputc('\n', out);
	}
	fputc('\n', out);
}

void render_top__json(FILE *out, const struct top_view *v)
{
	const struct snapshot *d = v->delta;
	struct json_writer w;

	json__init(&w, out);
	json__begin_object(&w);
	render__json_interval(&w, v->info);
	json__key(&w, "files");
	json__begin_array(&w);
	for (size_t i = 0; i < shown_rows(v); i++) {
		const struct file_row *r = &d->rows[i];
		char path[PS_DISPLAY_PATH_LEN];

		pathfmt__display(&r->key, path, sizeof(path));
		json__begin_object(&w);
		json__key(&w, "path");
		json__string(&w, path);
		json__key(&w, "fs");
		json__string(&w, fsinfo__name(r->key.fs));
		if (v->per_process) {
			json__key(&w, "pid");
			json__u64(&w, r->key.tgid);
			json__key(&w, "comm");
			json__string_n(&w, r->key.comm, sizeof(r->key.comm));
		}
		json__key(&w, "reads");
		json__u64(&w, r->st.reads);
		json__key(&w, "read_bytes");
		json__u64(&w, r->st.read_bytes);
		json__key(&w, "writes");
		json__u64(&w, r->st.writes);
		json__key(&w, "write_bytes");
		json__u64(&w, r->st.write_bytes);
		json__key(&w, "errors");
		json__u64(&w, r->st.errors);
		/* null, not 0, when no read of the interval was timed (--no-latency) */
		json__key(&w, "avg_lat_ns");
		if (r->st.lat_count)
			json__u64(&w, stats__avg_lat_ns(&r->st));
		else
			json__null(&w);
		json__key(&w, "max_lat_ns");
		if (r->st.lat_count)
			json__u64(&w, r->st.lat_max_ns);
		else
			json__null(&w);
		json__key(&w, "opens");
		json__u64(&w, r->st.walk[PS_WALK_OPEN].calls);
		json__key(&w, "dir_reads");
		json__u64(&w, r->st.walk[PS_WALK_READDIR].calls);
		json__key(&w, "dir_entries");
		json__u64(&w, r->st.dir_entries);
		json__key(&w, "link_reads");
		json__u64(&w, r->st.walk[PS_WALK_READLINK].calls);
		json__key(&w, "stats");
		json__u64(&w, r->st.walk[PS_WALK_STAT].calls);
		json__end_object(&w);
	}
	json__end_array(&w);
	json__key(&w, "dropped");
	json__u64(&w, d->counters[PS_CNT_FILES_FULL]);
	json__key(&w, "unmatched");
	json__u64(&w, d->counters[PS_CNT_UNMATCHED_EXIT]);
	json__key(&w, "truncated");
	json__u64(&w, d->counters[PS_CNT_PATH_TRUNCATED]);
	json__key(&w, "missed");
	json__u64(&w, d->prog_misses);
	if (d->cost_enabled) {
		uint64_t run_ns, runs;

		snapshot__total_cost(d, &run_ns, &runs);
		json__key(&w, "bpf");
		json__begin_object(&w);
		json__key(&w, "run_ns");
		json__u64(&w, run_ns);
		json__key(&w, "runs");
		json__u64(&w, runs);
		json__end_object(&w);
	}
	json__end_object(&w);
	json__end_record(&w);
}
