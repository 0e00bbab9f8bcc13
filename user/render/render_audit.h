/* SPDX-License-Identifier: GPL-2.0-only */
/* Audit events as a table line or one NDJSON record. No I/O besides the FILE* given. */
#ifndef PS_RENDER_AUDIT_H
#define PS_RENDER_AUDIT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "audit/audit_record.h"

void render_audit__header(FILE *out);
/* The rules: a table, or one NDJSON record each ({"rule", "severity", "summary"}). */
void render_audit__rules(FILE *out, bool json);
void render_audit__table(FILE *out, const struct audit_view *v);
void render_audit__json(FILE *out, const struct audit_view *v);
/* The closing record of --json: {"received":N,"lost":N,"allowed":N}, in calls. */
/* The closing summary, in calls; denied: refused by --enforce (with --enforce-dry-run: would
 * have been). */
void render_audit__json_summary(FILE *out, uint64_t received, uint64_t lost, uint64_t allowed,
				uint64_t denied);

#endif
