/* winnow-fetch: see cmd_fetch.c. SIGPIPE is ignored because libcurl's sockets must not
 * kill the process; EPIPE on stdout is turned into a quiet exit by wn_report. */
#include "fetch.h"

int main(int argc, char **argv)
{
	return wn_main("winnow-fetch", cmd_fetch, WN_SIGPIPE_IGNORE, argc, argv);
}
