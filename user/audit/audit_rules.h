/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The audit rules as users name them: stable ids, severities and one-line summaries of the
 * kernel's enum ps_rule, and the names of the relations an event carries. No I/O.
 */
#ifndef PS_AUDIT_RULES_H
#define PS_AUDIT_RULES_H

#include <stdint.h>
#include <stdbool.h>
#include "procscope.h"

enum audit_severity {
	SEV_INFO,
	SEV_LOW,
	SEV_MEDIUM,
	SEV_HIGH,
	SEV_CRITICAL,
};

#define SEV_DEFAULT SEV_LOW /* --severity: info rules are opt-in */

struct audit_rule_info {
	const char *id; /* stable: allowlists and metrics name rules by it */
	enum audit_severity severity;
	const char *summary;
	/* the MITRE ATT&CK technique, as SIEMs and Falco's rules tag events */
	const char *mitre;
};

/* The rule's description, or NULL for PS_RULE_NONE and out-of-range values. */
const struct audit_rule_info *audit_rule__info(unsigned int rule);
/* Whether @rule is a door that is a system call (ptrace attach, process_vm_readv/writev,
 * pidfd_getfd): its records have no path. */
bool audit_rule__is_door(unsigned int rule);
/* Why audit --enforce cannot deny what @rule matches, NULL when it can. */
const char *audit_rule__unenforceable(unsigned int rule);
/* An id into its enum ps_rule. Returns 0 or -ENOENT. */
int audit_rule__parse(const char *id, unsigned int *ret_rule);
/* The bit mask (1 << enum ps_rule) of every rule at or above @min. */
uint32_t audit_rule__mask(enum audit_severity min);

const char *audit_severity__name(enum audit_severity s);
/* "info", "low", "medium", "high", "critical". Returns 0 or -EINVAL. */
int audit_severity__parse(const char *name, enum audit_severity *ret_severity);

const char *audit_relation__name(unsigned int relation); /* enum ps_relation */
const char *audit_pidns__name(unsigned int pidns);	 /* enum ps_pidns_relation */
const char *audit_action__name(unsigned int action);	 /* enum ps_action */

#endif
