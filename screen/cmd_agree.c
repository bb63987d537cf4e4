/*
 * cmd_agree.c - winnow-screen agree: placeholder until it is implemented.
 */
#include "screen.h"

int cmd_screen_agree(int argc, char **argv, struct wn_io *io)
{
	(void)argc;
	(void)argv;
	wn_error(io, "'winnow-screen agree' is not available in this build yet");
	return WN_EXIT_FAILURE;
}
