/* SPDX-License-Identifier: GPL-2.0-only */
/* The commands main.c dispatches to; each returns the process exit status. */
#ifndef PS_COMMANDS_H
#define PS_COMMANDS_H

int cmd_audit(int argc, char **argv);
int cmd_daemon(int argc, char **argv);
int cmd_impact(int argc, char **argv);
int cmd_stat(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_trace(int argc, char **argv);

#endif
