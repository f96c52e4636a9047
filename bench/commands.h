/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands of pinbench; each returns an exit status (enum pb_exit). */
#ifndef PB_COMMANDS_H
#define PB_COMMANDS_H

int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_summary(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_sweep(int argc, char **argv);

#endif
