/*
 * cmd_pubmed.c - winnow-fetch pubmed: placeholder until the E-utilities client lands.
 */
#include "fetch.h"

int cmd_fetch_pubmed(int argc, char **argv, struct wn_io *io)
{
	(void)argc;
	(void)argv;
	wn_error(io, "'winnow-fetch pubmed' is not available in this build yet");
	return WN_EXIT_FAILURE;
}
