/* winnow-screen: see cmd_screen.c. */
#include "screen.h"

int main(int argc, char **argv)
{
	return wn_main("winnow-screen", cmd_screen, WN_SIGPIPE_DEFAULT, argc, argv);
}
