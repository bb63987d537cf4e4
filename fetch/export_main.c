/* winnow-export: records out (RIS, CSV, BibTeX); see cmd_export.c. A closed pipe ends
 * quietly (SIGPIPE's default), as `winnow-export ... | head` should. */
#include "fetch.h"

int main(int argc, char **argv)
{
	return wn_main("winnow-export", cmd_export, WN_SIGPIPE_DEFAULT, argc, argv);
}
