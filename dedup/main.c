/* winnow-dedup: see cmd_dedup.c. SIGPIPE keeps its default: `winnow-dedup | head` ends
 * quietly, as the other stream tools do. */
#include "dedup_cmd.h"

int main(int argc, char **argv)
{
	return wn_main("winnow-dedup", cmd_dedup, WN_SIGPIPE_DEFAULT, argc, argv);
}
