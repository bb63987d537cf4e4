/*
 * prompt_int.h - the prompt's state, shared by its loop (prompt.c) and its drawing
 * (prompt_draw.c). Not used elsewhere.
 */
#ifndef WINNOW_SCREEN_PROMPT_INT_H
#define WINNOW_SCREEN_PROMPT_INT_H

#include "winnow/buf.h"
#include "prompt.h"
#include "term.h"

struct prompt {
	const struct prompt_cfg *c;
	struct term t;
	long *item_rec;        /* per item: records-index position, -1 if not loaded */
	long *row_item;        /* per votes row (at start): item, -1 if not an item */
	size_t nrows;
	size_t *queue, nq, qcap, qpos;
	size_t *front, nfront, fcap;
	size_t *hist, nhist, hcap;
	long hpos;             /* -1: not walking back */
	unsigned long count[WN_ACT_LABEL + 1]; /* own standing decisions among items */
	unsigned long done;
	struct wn_buf status;
	struct wn_buf line;
	struct prompt_result *res;
	long shown;            /* the item drawn last (to reset the scroll) */
	size_t scroll;         /* first record line shown, for records taller than the screen */
	struct wn_buf body;    /* the record part of the screen */
	struct wn_buf foot;    /* what follows it */
};

/* The votes row of an item. */
size_t item_row(const struct prompt *p, size_t item);
/* The column's own standing decision on item: 1 and *v, or 0. */
int own_vote(const struct prompt *p, size_t item, struct wn_vote *v);
/* "include", "not-retrieved", ... */
const char *action_word(enum wn_action a);
/* Set the message shown above the progress line on the next screen. */
void set_status(struct prompt *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Draw the screen for item (-1: everything decided) and write it out. */
int prompt_draw(struct prompt *p, long item, struct wn_err *err);
/* Show the keys until a key is pressed; 1 if the terminal went away. */
int prompt_help(struct prompt *p, struct wn_err *err);
/* Lines of b, and terminal rows of b at width cols (long lines wrap). */
size_t prompt_count_lines(const struct wn_buf *b);
size_t prompt_count_rows(const struct wn_buf *b, int cols);

#endif
