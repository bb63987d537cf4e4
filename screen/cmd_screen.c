/*
 * cmd_screen.c - winnow-screen: dispatch to the sub-commands.
 */
#include <string.h>
#include "screen.h"

static const struct {
	const char *name;
	int (*fn)(int, char **, struct wn_io *);
	const char *help;
} subs[] = {
	{ "query", cmd_screen_query, "check (--lint), translate (--to) or explain a search string" },
	{ "filter", cmd_screen_filter, "keep the records that match a search string and the criteria" },
	{ "review", cmd_screen_review, "screen records at the prompt, one reviewer, one log" },
	{ "agree", cmd_screen_agree, "agreement between reviewers (kappa, PABAK, AC1, Fleiss)" },
	{ "resolve", cmd_screen_resolve, "settle conflicts between reviewers" },
	{ "export", cmd_screen_export, "records included, excluded, maybe or in conflict, for the next stage" },
	{ NULL, NULL, NULL }
};

static const char *const usage[] = {
	"winnow-screen SUB-COMMAND [options] ...",
	"winnow-screen --version",
	NULL
};

int cmd_screen(int argc, char **argv, struct wn_io *io)
{
	int version = 0, n, i;
	struct wn_option opts[] = {
		WN_OPT_FLAG_(0, "version", &version, "print version information and exit"),
		WN_OPT_END_()
	};

	n = wn_parse_options(io, argc, argv, opts, usage, WN_PARSE_STOP_AT_ARG);
	if (n == WN_PARSE_HELP) {
		fprintf(io->out, "\nSub-commands:\n");
		for (i = 0; subs[i].name; i++)
			fprintf(io->out, "  %-9s %s\n", subs[i].name, subs[i].help);
		return WN_EXIT_OK;
	}
	if (n < 0)
		return WN_EXIT_USAGE;
	if (version) {
		wn_print_version(io, NULL);
		return WN_EXIT_OK;
	}
	if (n == 0) {
		wn_error(io, "a sub-command is required (query, filter, review, agree, resolve, export)");
		wn_print_usage_short(io, usage);
		return WN_EXIT_USAGE;
	}
	for (i = 0; subs[i].name; i++) {
		if (strcmp(argv[0], subs[i].name) == 0)
			return subs[i].fn(n, argv, io);
	}
	wn_error(io, "unknown sub-command '%s' (query, filter, review, agree, resolve, export)", argv[0]);
	return WN_EXIT_USAGE;
}
