/*
 * fetch.h - the commands of winnow-fetch (and winnow-export), callable in-process.
 */
#ifndef WINNOW_FETCH_CMDS_H
#define WINNOW_FETCH_CMDS_H

#include "winnow/cli.h"

int cmd_fetch(int argc, char **argv, struct wn_io *io);
int cmd_fetch_file(int argc, char **argv, struct wn_io *io);
int cmd_fetch_pubmed(int argc, char **argv, struct wn_io *io);
int cmd_export(int argc, char **argv, struct wn_io *io);

#endif
