/*
 * cmd_fetch.c - winnow-fetch: dispatch to the sub-commands `file` and `pubmed`.
 */
#include <string.h>
#include <libxml/parser.h>
#include <libxml/xmlversion.h>
#include <stdio.h>
#include "fetch.h"
#ifdef WINNOW_HAVE_NET
#include "winnow/http.h"
#endif

static const char *const usage[] = {
	"winnow-fetch file [options] PATH...",
	"winnow-fetch pubmed [options] (QUERY | --query-file FILE | --pmids FILE)",
	"winnow-fetch --version",
	NULL
};

int cmd_fetch(int argc, char **argv, struct wn_io *io)
{
	int version = 0, n;
	struct wn_option opts[] = {
		WN_OPT_FLAG_(0, "version", &version, "print version information and exit"),
		WN_OPT_END_()
	};

	n = wn_parse_options(io, argc, argv, opts, usage, WN_PARSE_STOP_AT_ARG);
	if (n == WN_PARSE_HELP)
		return WN_EXIT_OK;
	if (n < 0)
		return WN_EXIT_USAGE;
	if (version) {
		char curl[64];
		const char *extra[] = { "libxml2 " LIBXML_DOTTED_VERSION, curl, NULL };
#ifdef WINNOW_HAVE_NET
		snprintf(curl, sizeof(curl), "%s", wn_http_version());
#else
		extra[1] = NULL;
#endif
		wn_print_version(io, extra);
		return WN_EXIT_OK;
	}
	if (n == 0) {
		wn_error(io, "a sub-command is required: 'file' or 'pubmed'");
		wn_print_usage_short(io, usage);
		return WN_EXIT_USAGE;
	}
	/* argv[0..n) are the positional args; argv[0] is the sub-command */
	if (strcmp(argv[0], "file") == 0)
		return cmd_fetch_file(n, argv, io);
	if (strcmp(argv[0], "pubmed") == 0)
		return cmd_fetch_pubmed(n, argv, io);
	wn_error(io, "unknown sub-command '%s' (expected 'file' or 'pubmed')", argv[0]);
	wn_print_usage_short(io, usage);
	return WN_EXIT_USAGE;
}
