/*
 * prisma_cmd.h - the command of winnow-prisma, callable in-process (tests).
 */
#ifndef WINNOW_PRISMA_CMD_H
#define WINNOW_PRISMA_CMD_H

#include "winnow/cli.h"

int cmd_prisma(int argc, char **argv, struct wn_io *io);

#endif
