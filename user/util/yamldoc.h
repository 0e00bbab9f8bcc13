/* SPDX-License-Identifier: GPL-2.0-only */
/* Loading a YAML document with libyaml, and the error line every file format of ours prints. */
#ifndef PS_YAMLDOC_H
#define PS_YAMLDOC_H

#include <stddef.h>
#include <yaml.h>

/*
 * Parses @text into @ret_doc (free it with yaml_document_delete). Returns 0, -ENOMEM, or
 * -EINVAL with "NAME:LINE: problem[, CONTEXT started on line N]" in @err.
 */
int yamldoc__load(const char *text, size_t len, const char *name, yaml_document_t *ret_doc,
		  char *err, size_t errlen);

/* "NAME:LINE: msg" into @err, LINE that of @node (1 without one); returns -EINVAL. */
int yamldoc__fail(char *err, size_t errlen, const char *name, const yaml_node_t *node,
		  const char *msg);

/* A scalar node's text; NULL for a missing node or one of another type. */
const char *yamldoc__scalar(const yaml_node_t *n);

#endif
