/* winnow-prisma: see cmd_prisma.c. It writes only files and stdout: the default SIGPIPE
 * ends it quietly under `| head`. */
#include "prisma_cmd.h"

int main(int argc, char **argv)
{
	return wn_main("winnow-prisma", cmd_prisma, WN_SIGPIPE_DEFAULT, argc, argv);
}
