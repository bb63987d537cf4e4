/*
 * cmd_filter.c - winnow-screen filter: placeholder until it is implemented.
 */
#include "screen.h"

int cmd_screen_filter(int argc, char **argv, struct wn_io *io)
{
	(void)argc;
	(void)argv;
	wn_error(io, "'winnow-screen filter' is not available in this build yet");
	return WN_EXIT_FAILURE;
}
