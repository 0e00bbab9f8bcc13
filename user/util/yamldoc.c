// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include "yamldoc.h"

int yamldoc__load(const char *text, size_t len, const char *name, yaml_document_t *ret_doc,
		  char *err, size_t errlen)
{
	yaml_parser_t parser;
	int r = 0;

	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, ret_doc)) {
		/* libyaml's context says what it was reading, and where that began */
		if (parser.context)
			snprintf(err, errlen, "%s:%zu: %s, %s started on line %zu", name,
				 parser.problem_mark.line + 1,
				 parser.problem ? parser.problem : "not valid YAML", parser.context,
				 parser.context_mark.line + 1);
		else
			snprintf(err, errlen, "%s:%zu: %s", name, parser.problem_mark.line + 1,
				 parser.problem ? parser.problem : "not valid YAML");
		r = parser.error == YAML_MEMORY_ERROR ? -ENOMEM : -EINVAL;
	}
	yaml_parser_delete(&parser);
	return r;
}

const char *yamldoc__scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

int yamldoc__fail(char *err, size_t errlen, const char *name, const yaml_node_t *node,
		  const char *msg)
{
	/* libyaml counts lines from 0 */
	snprintf(err, errlen, "%s:%zu: %s", name, node ? node->start_mark.line + 1 : 1, msg);
	return -EINVAL;
}
