/*
 * cmd_review.c - winnow-screen review: placeholder until it is implemented.
 */
#include "screen.h"

int cmd_screen_review(int argc, char **argv, struct wn_io *io)
{
	(void)argc;
	(void)argv;
	wn_error(io, "'winnow-screen review' is not available in this build yet");
	return WN_EXIT_FAILURE;
}
