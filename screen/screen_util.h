/*
 * screen_util.h - small pieces shared by the screening sub-commands (review, resolve,
 * agree, export): exclusion reason lists, log warnings, ledger keys.
 */
#ifndef WINNOW_SCREEN_UTIL_H
#define WINNOW_SCREEN_UTIL_H

#include <stddef.h>
#include "winnow/cli.h"
#include "winnow/declog.h"
#include "winnow/err.h"
#include "winnow/ledger.h"

#define SCREEN_REASONS_MAX 99

struct screen_reasons {
	char **items;
	size_t n, cap;
};

/* Read exclusion reasons, one a line ('#' comments and blank lines skipped, duplicates
 * dropped, at most SCREEN_REASONS_MAX). A criteria file of `winnow-screen filter` works
 * too: its lines "reason: NAME" / "reason = NAME" give the names. -1 with err. */
int screen_reasons_load(struct screen_reasons *r, const char *path, struct wn_err *err);
void screen_reasons_release(struct screen_reasons *r);

/* Warn about a torn last line that a reader skipped or a writer moved aside. */
void screen_warn_torn(struct wn_io *io, const char *path, const struct wn_declog_scan *scan);


/* Add the logs' paths as the ledger array "logs" and the reviewers as "reviewers". */
int screen_ledger_strings(json_object *entry, const char *key, const char *const *items,
			  size_t n, struct wn_err *err);

#endif
