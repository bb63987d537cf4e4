/*
 * answers.h - scripted and imported decisions: a TSV file of
 *
 *   record_id <TAB> decision [<TAB> reason [<TAB> note]]
 *
 * with decision one of include, exclude, maybe (title/abstract), not-retrieved (full
 * text). Tests and the bundled example script reviews with it, and it brings in
 * decisions made in Rayyan or Covidence (see winnow-screen-review(1) for how to make
 * one from their exports). Blank lines and lines starting with '#' are skipped, and so
 * is a first line that is a header ("record_id<TAB>decision..." or "id<TAB>decision...").
 * CRLF line ends and a UTF-8 BOM are accepted.
 *
 * Each line is checked on its own (decision known and allowed at the stage, a full-text
 * exclusion has a reason, a reason only with exclude, valid UTF-8, lengths within the
 * decision log's limits); a bad line is reported as "FILE:LINE: why" through the bad
 * callback, never silently dropped. Whether a record id exists is for the caller to
 * check (it has the records); each answer carries its line number for that message.
 */
#ifndef WINNOW_ANSWERS_H
#define WINNOW_ANSWERS_H

#include <stddef.h>
#include "winnow/declog.h"
#include "winnow/err.h"

struct wn_answer {
	const char *id;        /* borrowed: valid during the callback */
	size_t id_len;
	enum wn_action decision;
	const char *reason;    /* NULL when none */
	const char *note;      /* NULL when none */
	unsigned long lineno;
};

struct wn_answers_stats {
	unsigned long lines;   /* lines read */
	unsigned long answers; /* good answers passed to fn */
	unsigned long bad;     /* lines reported to bad_fn */
};

/* fn: a good answer; return 0 to go on, non-zero to stop (returned). bad_fn: a bad line,
 * with a message "FILE:LINE: why" (may be NULL: then the first bad line is an error,
 * WN_EFORMAT). Returns 0, fn's value, or -1 (err: I/O, or the bad line). */
typedef int (*wn_answers_fn)(const struct wn_answer *a, void *data);
typedef void (*wn_answers_bad_fn)(const char *msg, unsigned long lineno, void *data);
int wn_answers_read(const char *path, enum wn_stage stage, wn_answers_fn fn,
		    wn_answers_bad_fn bad_fn, void *data, struct wn_answers_stats *stats,
		    struct wn_err *err);

#endif
