// SPDX-License-Identifier: GPL-2.0-only
#define _GNU_SOURCE /* qsort_r */
#include <errno.h>
#include <stdio_ext.h> /* __fsetlocking */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "core/fsinfo.h"
#include "core/pathfmt.h"
#include "audit/audit_rules.h"
#include "prom.h"
#include "render.h"
#include "util/utf8.h"

void prom__label_value(FILE *out, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run = 0; /* s[run..i) is plain text not yet written: one fwrite per run */

	while (i < len && s[i]) {
		const char *escape;
		size_t n;

		switch (s[i]) {
		case '\\':
			escape = "\\\\";
			break;
		case '"':
			escape = "\\\"";
			break;
		case '\n':
			escape = "\\n";
			break;
		default:
			n = utf8__sequence(s + i, len - i);
			if (n) {
				i += n;
				continue;
			}
			escape = "\xef\xbf\xbd"; /* U+FFFD for a byte that is not UTF-8 */
		}
		fwrite(s + run, 1, i - run, out);
		fputs(escape, out);
		run = ++i;
	}
	fwrite(s + run, 1, i - run, out);
}

/* " <value>\n" without printf's format parsing: the per-series counters are most of a scrape. */
static void put_value(FILE *out, uint64_t value)
{
	char buf[24];
	char *p = buf + sizeof(buf);

	*--p = '\n';
	do {
		*--p = (char)('0' + value % 10);
		value /= 10;
	} while (value);
	*--p = ' ';
	fwrite(p, 1, (size_t)(buf + sizeof(buf) - p), out);
}

static void header(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static const struct file_metric {
	const char *name;
	const char *help;
	size_t offset; /* of the __u64 in struct ps_file_stats */
} file_metrics[] = {
	{ "procscope_file_reads_total", "Read calls on a pseudo-file, failed ones included.",
	  offsetof(struct ps_file_stats, reads) },
	{ "procscope_file_read_bytes_total", "Bytes returned by reads of a pseudo-file.",
	  offsetof(struct ps_file_stats, read_bytes) },
	{ "procscope_file_writes_total", "Write calls on a pseudo-file, failed ones included.",
	  offsetof(struct ps_file_stats, writes) },
	{ "procscope_file_write_bytes_total", "Bytes accepted by writes to a pseudo-file.",
	  offsetof(struct ps_file_stats, write_bytes) },
	{ "procscope_file_errors_total", "Reads and writes of a pseudo-file that failed.",
	  offsetof(struct ps_file_stats, errors) },
	{ "procscope_file_opens_total",
	  "Successful opens of a pseudo-file (failures: procscope_failed_calls_total).",
	  offsetof(struct ps_file_stats, walk[PS_WALK_OPEN].calls) },
	{ "procscope_dir_reads_total",
	  "Successful listing calls (getdents64, getdents) of a pseudo-filesystem directory.",
	  offsetof(struct ps_file_stats, walk[PS_WALK_READDIR].calls) },
	{ "procscope_dir_entries_total", "Directory entries the listing calls returned.",
	  offsetof(struct ps_file_stats, dir_entries) },
	{ "procscope_link_reads_total",
	  "Successful link reads (readlink, readlinkat) of a pseudo-file, by the name given.",
	  offsetof(struct ps_file_stats, walk[PS_WALK_READLINK].calls) },
	{ "procscope_stat_calls_total",
	  "Successful stat-family calls (stat, lstat, fstat, newfstatat, statx) on a pseudo-file.",
	  offsetof(struct ps_file_stats, walk[PS_WALK_STAT].calls) },
};

#define FILE_METRICS (sizeof(file_metrics) / sizeof(file_metrics[0]))

/* One series per (fs, path[, comm]): per-process rows of several pids with one name merge.
 * Only the counters: the latency histogram is per filesystem, summed from the rows. */
struct series {
	const struct ps_file_key *key;
	uint64_t value[FILE_METRICS]; /* per file_metrics[] */
};

static int series_cmp(const void *a, const void *b, void *per_process)
{
	const struct ps_file_key *x = ((const struct series *)a)->key;
	const struct ps_file_key *y = ((const struct series *)b)->key;
	int r;

	if (x->fs != y->fs)
		return x->fs < y->fs ? -1 : 1;
	r = strncmp(x->path, y->path, PS_PATH_LEN);
	if (r || !*(bool *)per_process)
		return r ? r : (int)x->truncated - (int)y->truncated;
	r = (int)x->truncated - (int)y->truncated;
	return r ? r : strncmp(x->comm, y->comm, PS_COMM_LEN);
}

static struct series *merge_series(const struct snapshot *s, bool per_process, size_t *ret_n)
{
	struct series *v = calloc(s->nrows ? s->nrows : 1, sizeof(*v));
	size_t n = 0;

	if (!v)
		return NULL;
	for (size_t i = 0; i < s->nrows; i++) {
		v[i].key = &s->rows[i].key;
		for (size_t m = 0; m < FILE_METRICS; m++)
			memcpy(&v[i].value[m],
			       (const char *)&s->rows[i].st + file_metrics[m].offset,
			       sizeof(v[i].value[m]));
	}
	if (s->nrows)
		qsort_r(v, s->nrows, sizeof(*v), series_cmp, &per_process);
	for (size_t i = 0; i < s->nrows; i++) {
		if (n && !series_cmp(&v[n - 1], &v[i], &per_process)) {
			for (size_t m = 0; m < FILE_METRICS; m++)
				v[n - 1].value[m] += v[i].value[m];
			continue;
		}
		v[n++] = v[i];
	}
	*ret_n = n;
	return v;
}

static void file_labels(FILE *out, const struct series *sr, bool per_process)
{
	char path[PS_DISPLAY_PATH_LEN];
	bool other = pathfmt__is_other(sr->key);

	pathfmt__display(sr->key, path, sizeof(path));
	fprintf(out, "{fs=\"%s\",path=\"", fsinfo__name(sr->key->fs));
	prom__label_value(out, path, sizeof(path));
	if (per_process) {
		fputs("\",comm=\"", out);
		if (other)
			fputs(PS_OTHER_PATH, out);
		else
			prom__label_value(out, sr->key->comm, sizeof(sr->key->comm));
	}
	fputs("\"}", out);
}

/* Each series' label set, rendered once for the five counters that share it: text[end[i - 1]..
 * end[i]) (from 0 for the first). */
struct label_sets {
	char *text;
	size_t len;
	size_t *end;
};

static int label_sets__render(struct label_sets *ls, const struct series *v, size_t n,
			      bool per_process)
{
	FILE *out;

	memset(ls, 0, sizeof(*ls));
	ls->end = calloc(n ? n : 1, sizeof(*ls->end));
	out = ls->end ? open_memstream(&ls->text, &ls->len) : NULL;
	if (!out) {
		free(ls->end);
		return -ENOMEM;
	}
	__fsetlocking(out, FSETLOCKING_BYCALLER);
	for (size_t i = 0; i < n; i++) {
		file_labels(out, &v[i], per_process);
		ls->end[i] = (size_t)ftello(out);
	}
	if (fclose(out)) {
		free(ls->end);
		return -ENOMEM;
	}
	return 0;
}

static void label_sets__free(struct label_sets *ls)
{
	free(ls->text);
	free(ls->end);
}

static void render_files(FILE *out, const struct series *v, size_t n, const struct label_sets *ls)
{
	for (size_t m = 0; m < FILE_METRICS; m++) {
		size_t name_len = strlen(file_metrics[m].name);

		header(out, file_metrics[m].name, "counter", file_metrics[m].help);
		for (size_t i = 0; i < n; i++) {
			size_t begin = i ? ls->end[i - 1] : 0;

			fwrite(file_metrics[m].name, 1, name_len, out);
			fwrite(ls->text + begin, 1, ls->end[i] - begin, out);
			put_value(out, v[i].value[m]);
		}
	}
}

/* Cumulative buckets of 2^(i+1) ns, in seconds, per filesystem with any measured read. */
static void render_latency(FILE *out, const struct snapshot *s)
{
	static const char name[] = "procscope_read_latency_seconds";
	struct ps_file_stats per_fs[PS_FS_COUNT];

	memset(per_fs, 0, sizeof(per_fs));
	for (size_t i = 0; i < s->nrows; i++)
		if (s->rows[i].key.fs < PS_FS_COUNT)
			stats__accumulate(&per_fs[s->rows[i].key.fs], &s->rows[i].st, 0);
	header(out, name, "histogram",
	       "Time from entry to return of reads of pseudo-files, per filesystem.");
	for (unsigned int fs = 0; fs < PS_FS_COUNT; fs++) {
		const struct ps_file_stats *st = &per_fs[fs];
		uint64_t cumulative = 0;

		if (!st->lat_count)
			continue;
		for (int b = 0; b < PS_LAT_BUCKETS - 1; b++) {
			cumulative += st->lat_hist[b];
			fprintf(out, "%s_bucket{fs=\"%s\",le=\"%.10g\"} %llu\n", name,
				fsinfo__name(fs), (double)(1ULL << (b + 1)) / 1e9,
				(unsigned long long)cumulative);
		}
		fprintf(out, "%s_bucket{fs=\"%s\",le=\"+Inf\"} %llu\n", name, fsinfo__name(fs),
			(unsigned long long)st->lat_count);
		fprintf(out, "%s_sum{fs=\"%s\"} %.9f\n", name, fsinfo__name(fs),
			(double)st->lat_sum_ns / 1e9);
		fprintf(out, "%s_count{fs=\"%s\"} %llu\n", name, fsinfo__name(fs),
			(unsigned long long)st->lat_count);
	}
}

/* Failed opens and listings: they have no file, so by filesystem and errno. */
static void render_failed_calls(FILE *out, const struct snapshot *s)
{
	static const char *const call_names[PS_WALK_COUNT] = { [PS_WALK_OPEN] = "open",
							       [PS_WALK_READDIR] = "readdir",
							       [PS_WALK_READLINK] = "readlink",
							       [PS_WALK_STAT] = "stat" };

	header(out, "procscope_failed_calls_total", "counter",
	       "Opens, listings, link reads and stat calls on a pseudo-filesystem that failed, by "
	       "errno (a failed call by name is charged to the filesystem its name points at).");
	for (unsigned int fs = 0; fs < PS_FS_COUNT; fs++)
		for (int w = 0; w < PS_WALK_COUNT; w++)
			for (int e = 1; e < PS_ERRNO_SLOTS; e++) {
				const char *name =
					e < PS_ERRNO_SLOTS - 1 ? strerrorname_np(e) : NULL;

				if (!s->walk_errors[fs][w][e])
					continue;
				fprintf(out,
					"procscope_failed_calls_total{fs=\"%s\",call=\"%s\","
					"errno=\"%s\"} %llu\n",
					fsinfo__name(fs), call_names[w], name ? name : "other",
					(unsigned long long)s->walk_errors[fs][w][e]);
			}
}

static void render_functions(FILE *out, const struct snapshot *s)
{
	header(out, "procscope_function_calls_total", "counter",
	       "Calls of a kernel function on traced pseudo-files; functions not attached in this "
	       "mode have no series.");
	for (unsigned int h = 0; h < PS_HOOK_COUNT; h++)
		if (s->fn_available[h])
			fprintf(out, "procscope_function_calls_total{function=\"%s\"} %llu\n",
				hook__name(h), (unsigned long long)s->fn_hits[h]);
}

static void render_self(FILE *out, const struct snapshot *s, const struct prom_info *info,
			size_t tracked)
{
	header(out, "procscope_build_info", "gauge",
	       "Always 1; the labels say which procscope runs how, on which kernel.");
	fputs("procscope_build_info{version=\"", out);
	prom__label_value(out, info->version, strlen(info->version));
	fprintf(out, "\",mode=\"%s\",kernel=\"", info->mode);
	prom__label_value(out, info->kernel, strlen(info->kernel));
	fputs("\"} 1\n", out);

	header(out, "procscope_dropped_total", "counter",
	       "Calls not counted in an entry of their own: files_full went to the [other] entry "
	       "of their filesystem, inflight_full lost their latency, dirents_uncounted are "
	       "listings whose records past 2,048 went uncounted, name_unread are calls by name "
	       "whose name could not be read, impact_full went to the [other] "
	       "reader of --impact (or, past 4,096 targets, a wait went uncounted).");
	fprintf(out, "procscope_dropped_total{reason=\"files_full\"} %llu\n",
		(unsigned long long)s->counters[PS_CNT_FILES_FULL]);
	fprintf(out, "procscope_dropped_total{reason=\"inflight_full\"} %llu\n",
		(unsigned long long)s->counters[PS_CNT_INFLIGHT_FULL]);
	fprintf(out, "procscope_dropped_total{reason=\"dirents_uncounted\"} %llu\n",
		(unsigned long long)s->counters[PS_CNT_DIRENTS_UNCOUNTED]);
	fprintf(out, "procscope_dropped_total{reason=\"name_unread\"} %llu\n",
		(unsigned long long)s->counters[PS_CNT_NAME_UNREAD]);
	if (info->impact)
		fprintf(out, "procscope_dropped_total{reason=\"impact_full\"} %llu\n",
			(unsigned long long)s->counters[PS_CNT_IMPACT_FULL]);
	header(out, "procscope_missed_runs_total", "counter",
	       "Runs of procscope's programs the kernel skipped because the same program was "
	       "already running on that CPU (preempted): calls not seen at all.");
	fprintf(out, "procscope_missed_runs_total %llu\n", (unsigned long long)s->prog_misses);
	header(out, "procscope_unmatched_returns_total", "counter",
	       "Returns seen without their entry, counted without a latency.");
	fprintf(out, "procscope_unmatched_returns_total %llu\n",
		(unsigned long long)s->counters[PS_CNT_UNMATCHED_EXIT]);
	header(out, "procscope_truncated_paths_total", "counter",
	       "Calls on files whose path was too deep or too long and is shown cut.");
	fprintf(out, "procscope_truncated_paths_total %llu\n",
		(unsigned long long)s->counters[PS_CNT_PATH_TRUNCATED]);
	header(out, "procscope_tracked_files", "gauge",
	       "Files with a statistics slot of their own.");
	fprintf(out, "procscope_tracked_files %zu\n", tracked);
	header(out, "procscope_max_files", "gauge", "Statistics slots for files (--max-files).");
	fprintf(out, "procscope_max_files %u\n", info->max_files);

	if (s->cost_enabled) {
		header(out, "procscope_bpf_run_seconds_total", "counter",
		       "Time procscope's BPF programs ran, by the kernel's accounting "
		       "(--self-cost).");
		for (int i = 0; i < s->nprograms; i++)
			fprintf(out, "procscope_bpf_run_seconds_total{program=\"%s\"} %.9f\n",
				s->programs[i].name, s->programs[i].run_ns / 1e9);
		header(out, "procscope_bpf_runs_total", "counter",
		       "Runs of procscope's BPF programs, by the kernel's accounting "
		       "(--self-cost).");
		for (int i = 0; i < s->nprograms; i++)
			fprintf(out, "procscope_bpf_runs_total{program=\"%s\"} %llu\n",
				s->programs[i].name, (unsigned long long)s->programs[i].runs);
	}
	header(out, "process_cpu_seconds_total", "counter", "User and system CPU time spent.");
	fprintf(out, "process_cpu_seconds_total %.6f\n", info->self.cpu_seconds);
	header(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
	fprintf(out, "process_resident_memory_bytes %llu\n",
		(unsigned long long)info->self.resident_bytes);
	header(out, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.");
	fprintf(out, "process_virtual_memory_bytes %llu\n",
		(unsigned long long)info->self.virtual_bytes);
	header(out, "process_open_fds", "gauge", "Number of open file descriptors.");
	fprintf(out, "process_open_fds %llu\n", (unsigned long long)info->self.open_fds);
	header(out, "process_max_fds", "gauge", "Maximum number of open file descriptors.");
	fprintf(out, "process_max_fds %llu\n", (unsigned long long)info->self.max_fds);
	header(out, "process_start_time_seconds", "gauge",
	       "Start time of the process since the epoch, in seconds.");
	fprintf(out, "process_start_time_seconds %.3f\n", info->self.start_time_seconds);
}

static void render_audit_counts(FILE *out, const char *name, const uint64_t *per_rule,
				uint32_t enabled)
{
	/* The rule's severity rides along (a label of the rule, so no new series): alerts select
	 * on it without copying the rule table. */
	for (unsigned int r = PS_RULE_NONE + 1; r < PS_RULE_COUNT; r++)
		if (enabled & (1u << r))
			fprintf(out, "%s{rule=\"%s\",severity=\"%s\"} %llu\n", name,
				audit_rule__info(r)->id,
				audit_severity__name(audit_rule__info(r)->severity),
				(unsigned long long)__atomic_load_n(&per_rule[r],
								    __ATOMIC_RELAXED));
}

/* Every enabled rule has its series from the start, at 0: a rate() over a counter that appears
 * with its first event would miss that event. */
static void render_audit(FILE *out, const struct snapshot *s, const struct prom_info *info)
{
	header(out, "procscope_audit_events_total", "counter",
	       "Accesses that matched an audit rule and no allowlist entry.");
	render_audit_counts(out, "procscope_audit_events_total", info->audit_reported,
			    info->audit_rules);
	header(out, "procscope_audit_allowed_total", "counter",
	       "Accesses that matched an audit rule and an allowlist entry.");
	render_audit_counts(out, "procscope_audit_allowed_total", info->audit_allowed,
			    info->audit_rules);
	header(out, "procscope_audit_lost_events_total", "counter",
	       "Audit events dropped because their ring buffer was full (--ringbuf-size).");
	fprintf(out, "procscope_audit_lost_events_total %llu\n",
		(unsigned long long)s->counters[PS_CNT_AUDIT_LOST]);
}

/* daemon --impact: one series per (reader name, file), merged over the kernel's rows (one per
 * file slot: with --per-process a path has a slot per process name). */
static const struct impact_metric {
	const char *name, *help;
	size_t offset; /* of the __u64 in struct ps_impact_stats */
	bool seconds;  /* nanoseconds, shown in seconds */
} impact_metrics[] = {
	{ "procscope_impact_reads_total",
	  "Reads of another process's /proc file through which the reader took that process's "
	  "mmap_lock, by reader name and file.",
	  offsetof(struct ps_impact_stats, reads), false },
	{ "procscope_impact_hold_seconds_total",
	  "Time readers of this name held the mmap_lock of the processes whose file they read.",
	  offsetof(struct ps_impact_stats, hold_ns), true },
	{ "procscope_impact_waits_total",
	  "Waits of the read processes' threads for their own mmap_lock while readers of this "
	  "name held it through this file.",
	  offsetof(struct ps_impact_stats, waits), false },
	{ "procscope_impact_wait_seconds_total",
	  "The readers' share of those waits: the time the read processes' threads waited for "
	  "their mmap_lock because these readers held it.",
	  offsetof(struct ps_impact_stats, wait_ns), true },
};

#define IMPACT_METRICS (sizeof(impact_metrics) / sizeof(impact_metrics[0]))

struct impact_series {
	char comm[PS_COMM_LEN];
	char file[PS_DISPLAY_PATH_LEN];
	uint64_t value[IMPACT_METRICS]; /* per impact_metrics[] */
};

static int impact_series_cmp(const void *a, const void *b)
{
	const struct impact_series *x = a, *y = b;
	int r = strncmp(x->comm, y->comm, sizeof(x->comm));

	return r ? r : strcmp(x->file, y->file);
}

static struct impact_series *merge_impact(const struct impact_set *s, size_t *ret_n)
{
	struct impact_series *v = calloc(s->nrows ? s->nrows : 1, sizeof(*v));
	size_t n = 0;

	if (!v)
		return NULL;
	for (size_t i = 0; i < s->nrows; i++) {
		const struct impact_row *r = &s->rows[i];

		memcpy(v[i].comm, r->key.reader_comm, sizeof(v[i].comm));
		impact_row__path(r, v[i].file, sizeof(v[i].file));
		for (size_t m = 0; m < IMPACT_METRICS; m++)
			memcpy(&v[i].value[m], (const char *)&r->st + impact_metrics[m].offset,
			       sizeof(v[i].value[m]));
	}
	qsort(v, s->nrows, sizeof(*v), impact_series_cmp);
	for (size_t i = 0; i < s->nrows; i++) {
		if (n && !impact_series_cmp(&v[n - 1], &v[i])) {
			for (size_t m = 0; m < IMPACT_METRICS; m++)
				v[n - 1].value[m] += v[i].value[m];
			continue;
		}
		v[n++] = v[i];
	}
	*ret_n = n;
	return v;
}

static void impact_counter(FILE *out, const struct impact_metric *m, const struct impact_series *sr,
			   uint64_t value)
{
	fprintf(out, "%s{reader_comm=\"", m->name);
	prom__label_value(out, sr->comm, sizeof(sr->comm));
	fputs("\",file=\"", out);
	prom__label_value(out, sr->file, sizeof(sr->file));
	if (m->seconds)
		fprintf(out, "\"} %.9f\n", (double)value / 1e9);
	else
		fprintf(out, "\"} %llu\n", (unsigned long long)value);
}

static int render_impact(FILE *out, const struct snapshot *s)
{
	uint64_t waits = 0, wait_ns = 0;
	size_t n;
	struct impact_series *v = merge_impact(&s->impact, &n);

	if (!v)
		return -ENOMEM;
	for (size_t m = 0; m < IMPACT_METRICS; m++) {
		header(out, impact_metrics[m].name, "counter", impact_metrics[m].help);
		for (size_t i = 0; i < n; i++)
			impact_counter(out, &impact_metrics[m], &v[i], v[i].value[m]);
	}
	free(v);
	for (size_t i = 0; i < s->impact.ntargets; i++) {
		waits += s->impact.targets[i].w.waits;
		wait_ns += s->impact.targets[i].w.wait_ns;
	}
	header(out, "procscope_impact_target_waits_total", "counter",
	       "Waits of threads of read processes for their own mmap_lock, whoever held it.");
	fprintf(out, "procscope_impact_target_waits_total %llu\n", (unsigned long long)waits);
	header(out, "procscope_impact_target_wait_seconds_total", "counter",
	       "Time threads of read processes waited for their own mmap_lock, whoever held it: "
	       "the part readers caused is the sum of procscope_impact_wait_seconds_total.");
	fprintf(out, "procscope_impact_target_wait_seconds_total %.9f\n", (double)wait_ns / 1e9);
	return 0;
}

int prom__render(FILE *out, const struct snapshot *cumulative, const struct prom_info *info)
{
	size_t n, tracked = 0;
	struct series *v = merge_series(cumulative, info->per_process, &n);
	struct label_sets ls;

	if (!v)
		return -ENOMEM;
	if (label_sets__render(&ls, v, n, info->per_process)) {
		free(v);
		return -ENOMEM;
	}
	for (size_t i = 0; i < cumulative->nrows; i++)
		tracked += !pathfmt__is_other(&cumulative->rows[i].key);
	render_files(out, v, n, &ls);
	label_sets__free(&ls);
	render_latency(out, cumulative);
	render_functions(out, cumulative);
	render_failed_calls(out, cumulative);
	if (info->impact && render_impact(out, cumulative)) {
		free(v);
		return -ENOMEM;
	}
	if (info->audit_reported && info->audit_allowed)
		render_audit(out, cumulative, info);
	render_self(out, cumulative, info, tracked);
	free(v);
	return 0;
}

void prom__scrape_duration(FILE *out, double seconds)
{
	header(out, "procscope_scrape_duration_seconds", "gauge",
	       "Time taken to read the maps and render this scrape.");
	fprintf(out, "procscope_scrape_duration_seconds %.6f\n", seconds);
}
