/*
 * prompt.h - the interactive screening prompt (review and resolve).
 *
 * One record at a time, one key per action (keymap.h), every decision appended to the
 * reviewer's decision log and synced before the screen says "saved" (declog.h). The same
 * loop serves `review` (a reviewer screens records) and `resolve` (a third reviewer, or
 * the pair together, decides conflicts while seeing every reviewer's vote, reason,
 * labels and notes).
 *
 * Items are rows of the votes (votes.h); the column being written is `mycol`. What the
 * prompt shows of a record comes from the records index (recindex.h) when there is one.
 */
#ifndef WINNOW_SCREEN_PROMPT_H
#define WINNOW_SCREEN_PROMPT_H

#include <stddef.h>
#include "winnow/cli.h"
#include "winnow/declog.h"
#include "winnow/highlight.h"
#include "winnow/keymap.h"
#include "winnow/recindex.h"
#include "winnow/votes.h"

enum prompt_mode { PROMPT_REVIEW, PROMPT_RESOLVE };

struct prompt_cfg {
	struct wn_io *io;
	enum prompt_mode mode;
	enum wn_stage stage;
	const char *reviewer;
	const struct wn_recindex *ri;   /* may be NULL (resolve without --records) */
	struct wn_votes *votes;
	int mycol;                      /* column of the log being written */
	struct wn_declog *log;
	const size_t *items;            /* votes rows, in the order to show */
	size_t nitems;
	struct wn_keymap keys;
	struct wn_hl *hl;               /* terms to highlight (record terms are added per record) */
	const char *const *reasons;     /* exclusion reasons to pick from by number */
	size_t nreasons;
	int color_ok;
	int clear;                      /* clear the screen between records */
};

struct prompt_result {
	unsigned long decisions;  /* decisions appended (including changed ones) */
	unsigned long changes;    /* ... of which changed an earlier decision */
	unsigned long undos, notes, labels;
	unsigned long remaining;  /* items still without a decision of mycol at the end */
};

/* Run the prompt until the reviewer quits or the terminal goes away. -1 with err on a
 * failure that must stop the session (no terminal, a decision that could not be saved). */
int prompt_run(const struct prompt_cfg *cfg, struct prompt_result *res, struct wn_err *err);

/* Append a decision/undo/note/label event to cfg->log and fold it into cfg->votes (the
 * write path shared by the prompt and --answers). *seq_out may be NULL. */
int prompt_record_event(const struct prompt_cfg *cfg, const struct wn_declog_event *ev,
			uint64_t *seq_out, struct wn_err *err);

#endif
