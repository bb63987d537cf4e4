/*
 * cmd_query.c - winnow-screen query: placeholder until it is implemented.
 */
#include "screen.h"

int cmd_screen_query(int argc, char **argv, struct wn_io *io)
{
	(void)argc;
	(void)argv;
	wn_error(io, "'winnow-screen query' is not available in this build yet");
	return WN_EXIT_FAILURE;
}
