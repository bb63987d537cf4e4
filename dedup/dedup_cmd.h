/*
 * dedup_cmd.h - the command of winnow-dedup, callable in-process (tests, fuzzers).
 */
#ifndef WINNOW_DEDUP_CMD_H
#define WINNOW_DEDUP_CMD_H

#include "winnow/cli.h"

int cmd_dedup(int argc, char **argv, struct wn_io *io);

#endif
