/*
 * cmd_export.c - winnow-screen export: placeholder until it is implemented.
 */
#include "screen.h"

int cmd_screen_export(int argc, char **argv, struct wn_io *io)
{
	(void)argc;
	(void)argv;
	wn_error(io, "'winnow-screen export' is not available in this build yet");
	return WN_EXIT_FAILURE;
}
