/*
 * winnow.c - the front: `winnow CMD ARGS...` runs `winnow-CMD ARGS...`, as git does.
 *
 * The program is looked for first next to this executable (so a build tree or an install
 * prefix works without PATH changes), then on PATH. argv[0] of the child is its own name
 * so its messages say "winnow-dedup: ...".
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "winnow/cli.h"
#include "winnow/version.h"

static const char *const commands[][2] = {
	{ "fetch", "records in: export files of any database, or a PubMed search" },
	{ "export", "records out: RIS, CSV or BibTeX for reference managers" },
	{ "dedup", "find and merge duplicate records across databases" },
	{ "screen", "filter by search string and criteria; screen; agree; resolve" },
	{ "prisma", "PRISMA 2020 counts, checks, CSV and SVG flow diagram" },
	{ NULL, NULL }
};

static void help(FILE *fp)
{
	int i;

	fprintf(fp, "usage: winnow COMMAND [ARGS...]\n"
		    "       winnow --version\n\n"
		    "Commands (each is also a program of its own, winnow-COMMAND):\n");
	for (i = 0; commands[i][0]; i++)
		fprintf(fp, "  %-8s %s\n", commands[i][0], commands[i][1]);
	fprintf(fp, "\n'winnow COMMAND --help' shows a command's options.\n");
}

int main(int argc, char **argv)
{
	char self[PATH_MAX], path[PATH_MAX + 256], name[128];
	ssize_t n;

	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		help(argc < 2 ? stderr : stdout);
		return argc < 2 ? WN_EXIT_USAGE : WN_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("winnow %s\n", WINNOW_VERSION);
		return WN_EXIT_OK;
	}
	if (argv[1][0] == '-' || strchr(argv[1], '/') || strlen(argv[1]) > 64) {
		fprintf(stderr, "winnow: error: '%s' is not a command (see 'winnow --help')\n", argv[1]);
		return WN_EXIT_USAGE;
	}
	snprintf(name, sizeof(name), "winnow-%s", argv[1]);
	argv[1] = name;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		char *slash;
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			snprintf(path, sizeof(path), "%s/%s", self, name);
			if (access(path, X_OK) == 0) {
				execv(path, argv + 1);
				fprintf(stderr, "winnow: error: cannot run '%s': %s\n", path, strerror(errno));
				return WN_EXIT_FAILURE;
			}
		}
	}
	execvp(name, argv + 1);
	if (errno == ENOENT)
		fprintf(stderr, "winnow: error: '%s' is not a winnow command (see 'winnow --help')\n", name + 7);
	else
		fprintf(stderr, "winnow: error: cannot run '%s': %s\n", name, strerror(errno));
	return WN_EXIT_FAILURE;
}
