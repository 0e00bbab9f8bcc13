// SPDX-License-Identifier: GPL-2.0-only
#include <inttypes.h>
#include "core/pathfmt.h"
#include "render_impact.h"

void render_impact__table(FILE *out, const struct impact_view *v)
{
	const struct impact_set *s = &v->delta->impact;
	char clock[16];

	render__clock_time(&v->info->wall, clock, sizeof(clock));
	fprintf(out, "%s mode=%s interval=%.2fs rows=%zu dropped=%" PRIu64 " missed=%" PRIu64 "\n",
		clock, v->info->mode, v->info->interval_s, s->nrows,
		v->delta->counters[PS_CNT_IMPACT_FULL], v->delta->prog_misses);
	fprintf(out, "%7s %-16s %7s %-16s %7s %7s %9s %7s %9s %9s %s\n", "READER", "R_COMM",
		"TARGET", "T_COMM", "READS", "HOLDS", "HELD", "WAITS", "WAIT", "MAX_WAIT", "FILE");
	for (size_t i = 0; i < s->nrows; i++) {
		const struct impact_row *r = &s->rows[i];
		char path[PS_DISPLAY_PATH_LEN], held[16], wait[16], max[16];

		impact_row__path(r, path, sizeof(path));
		render__latency(r->st.hold_ns, held, sizeof(held));
		render__latency(r->st.wait_ns, wait, sizeof(wait));
		render__latency(r->wait_max_ns, max, sizeof(max));
		fprintf(out, "%7u ", r->key.reader_tgid);
		render__text_padded(out, r->key.reader_comm, sizeof(r->key.reader_comm), 16);
		fprintf(out, " %7u ", r->key.target_tgid);
		render__text_padded(out, r->st.target_comm, sizeof(r->st.target_comm), 16);
		fprintf(out, " %7llu %7llu %9s %7llu %9s %9s ", (unsigned long long)r->st.reads,
			(unsigned long long)r->st.holds, held, (unsigned long long)r->st.waits,
			wait, max);
		render__text(out, path, sizeof(path));
		fputc('\n', out);
	}
	if (s->ntargets) {
		fprintf(out, "%7s %-16s %7s %9s %9s %9s %9s\n", "TARGET", "T_COMM", "WAITS", "WAIT",
			"READERS", "OTHER", "MAX_WAIT");
		for (size_t i = 0; i < s->ntargets; i++) {
			const struct impact_target *t = &s->targets[i];
			char wait[16], charged[16], other[16], max[16];

			render__latency(t->w.wait_ns, wait, sizeof(wait));
			render__latency(t->w.charged_ns, charged, sizeof(charged));
			render__latency(impact_target__uncharged_ns(t), other, sizeof(other));
			render__latency(t->wait_max_ns, max, sizeof(max));
			fprintf(out, "%7u ", t->tgid);
			render__text_padded(out, t->w.comm, sizeof(t->w.comm), 16);
			fprintf(out, " %7llu %9s %9s %9s %9s\n", (unsigned long long)t->w.waits,
				wait, charged, other, max);
		}
	}
	fputc('\n', out);
}

static void json_process(struct json_writer *w, const char *key, uint32_t pid,
			 const char comm[PS_COMM_LEN])
{
	json__key(w, key);
	json__begin_object(w);
	json__key(w, "pid");
	json__u64(w, pid);
	json__key(w, "comm");
	json__string_n(w, comm, PS_COMM_LEN);
	json__end_object(w);
}

void render_impact__json(FILE *out, const struct impact_view *v)
{
	const struct impact_set *s = &v->delta->impact;
	struct json_writer w;

	json__init(&w, out);
	json__begin_object(&w);
	render__json_interval(&w, v->info);
	json__key(&w, "rows");
	json__begin_array(&w);
	for (size_t i = 0; i < s->nrows; i++) {
		const struct impact_row *r = &s->rows[i];
		char path[PS_DISPLAY_PATH_LEN];

		impact_row__path(r, path, sizeof(path));
		json__begin_object(&w);
		json_process(&w, "reader", r->key.reader_tgid, r->key.reader_comm);
		json_process(&w, "target", r->key.target_tgid, r->st.target_comm);
		json__key(&w, "file");
		json__string(&w, path);
		json__key(&w, "reads");
		json__u64(&w, r->st.reads);
		json__key(&w, "holds");
		json__u64(&w, r->st.holds);
		json__key(&w, "hold_ns");
		json__u64(&w, r->st.hold_ns);
		json__key(&w, "waits");
		json__u64(&w, r->st.waits);
		json__key(&w, "wait_ns");
		json__u64(&w, r->st.wait_ns);
		json__key(&w, "wait_max_ns");
		json__u64(&w, r->wait_max_ns);
		json__end_object(&w);
	}
	json__end_array(&w);
	json__key(&w, "targets");
	json__begin_array(&w);
	for (size_t i = 0; i < s->ntargets; i++) {
		const struct impact_target *t = &s->targets[i];

		json__begin_object(&w);
		json__key(&w, "pid");
		json__u64(&w, t->tgid);
		json__key(&w, "comm");
		json__string_n(&w, t->w.comm, sizeof(t->w.comm));
		json__key(&w, "waits");
		json__u64(&w, t->w.waits);
		json__key(&w, "wait_ns");
		json__u64(&w, t->w.wait_ns);
		json__key(&w, "readers_wait_ns");
		json__u64(&w, t->w.charged_ns);
		json__key(&w, "other_wait_ns");
		json__u64(&w, impact_target__uncharged_ns(t));
		json__key(&w, "wait_max_ns");
		json__u64(&w, t->wait_max_ns);
		json__end_object(&w);
	}
	json__end_array(&w);
	json__key(&w, "dropped");
	json__u64(&w, v->delta->counters[PS_CNT_IMPACT_FULL]);
	json__key(&w, "missed");
	json__u64(&w, v->delta->prog_misses);
	json__end_object(&w);
	json__end_record(&w);
}
