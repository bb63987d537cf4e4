/*
 * cmd_resolve.c - winnow-screen resolve: placeholder until it is implemented.
 */
#include "screen.h"

int cmd_screen_resolve(int argc, char **argv, struct wn_io *io)
{
	(void)argc;
	(void)argv;
	wn_error(io, "'winnow-screen resolve' is not available in this build yet");
	return WN_EXIT_FAILURE;
}
