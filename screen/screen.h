/*
 * screen.h - the sub-commands of winnow-screen, callable in-process.
 */
#ifndef WINNOW_SCREEN_CMDS_H
#define WINNOW_SCREEN_CMDS_H

#include "winnow/cli.h"

int cmd_screen(int argc, char **argv, struct wn_io *io);
int cmd_screen_query(int argc, char **argv, struct wn_io *io);   /* lint, translate, explain a search string */
int cmd_screen_filter(int argc, char **argv, struct wn_io *io);  /* apply search string + criteria to records */
int cmd_screen_review(int argc, char **argv, struct wn_io *io);  /* one reviewer screens at the prompt */
int cmd_screen_agree(int argc, char **argv, struct wn_io *io);   /* agreement statistics over decision logs */
int cmd_screen_resolve(int argc, char **argv, struct wn_io *io); /* a third reviewer settles conflicts */
int cmd_screen_export(int argc, char **argv, struct wn_io *io);  /* records in a given screening state */

#endif
