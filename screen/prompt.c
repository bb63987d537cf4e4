/*
 * prompt.c - the screening prompt loop (see prompt.h).
 *
 * Navigation model:
 *   queue   items in session order; "skip" appends the item again so it comes back;
 *   front   items to show before the queue continues (an undone decision's record);
 *   hist    items left behind (decided or skipped), oldest first - "back" walks it, and
 *           a resumed session starts with the earlier sessions' decisions in it.
 * The record on screen is hist[hpos] while walking back, else the front item, else the
 * next undecided queue item. Each key is answered by one append (write + fdatasync) and
 * one redraw built in memory and written at once; neither depends on how many records
 * are loaded, so the prompt stays fast with 100,000 of them.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/render.h"
#include "winnow/timefmt.h"
#include "winnow/utf8.h"
#include "prompt.h"
#include "term.h"

#define LINE_MAX_INPUT 4000

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

static int push(size_t **arr, size_t *n, size_t *cap, size_t v, struct wn_err *err)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		size_t *p = wn_reallocarray(*arr, ncap, sizeof(*p));
		if (!p)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		*arr = p;
		*cap = ncap;
	}
	(*arr)[(*n)++] = v;
	return 0;
}

static void set_status(struct prompt *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set_status(struct prompt *p, const char *fmt, ...)
{
	va_list ap;

	wn_buf_reset(&p->status);
	va_start(ap, fmt);
	wn_buf_vaddf(&p->status, NULL, fmt, ap);
	va_end(ap);
}

static size_t item_row(const struct prompt *p, size_t item)
{
	return p->c->items[item];
}

static int own_vote(const struct prompt *p, size_t item, struct wn_vote *v)
{
	return wn_votes_get(p->c->votes, item_row(p, item), (size_t)p->c->mycol, 0, v);
}

/* Count of own decisions, by action, among items (recomputed around each change). */
static void count_item(struct prompt *p, size_t item, int sign)
{
	struct wn_vote v;

	if (!own_vote(p, item, &v))
		return;
	if (sign > 0) {
		p->count[v.decision]++;
		p->done++;
	} else {
		p->count[v.decision]--;
		p->done--;
	}
}

int prompt_record_event(const struct prompt_cfg *cfg, const struct wn_declog_event *ev,
			uint64_t *seq_out, struct wn_err *err)
{
	struct wn_declog_entry e;
	uint64_t seq;

	if (wn_declog_append(cfg->log, ev, &seq, err) < 0)
		return -1;
	memset(&e, 0, sizeof(e));
	e.seq = seq;
	e.time = wn_time_now();
	e.reviewer = cfg->reviewer;
	e.record = ev->record;
	e.record_len = strlen(ev->record);
	e.action = ev->action;
	e.reason = ev->reason && *ev->reason ? ev->reason : NULL;
	e.labels = ev->labels && *ev->labels ? ev->labels : NULL;
	e.note = ev->note && *ev->note ? ev->note : NULL;
	e.ref = ev->ref;
	if (seq_out)
		*seq_out = seq;
	return wn_votes_apply(cfg->votes, cfg->mycol, &e, err);
}

/* The item on screen, or -1 when everything is decided. */
static long current(struct prompt *p)
{
	if (p->hpos >= 0)
		return (long)p->hist[p->hpos];
	while (p->nfront) {
		size_t it = p->front[p->nfront - 1];
		struct wn_vote v;
		if (!own_vote(p, it, &v))
			return (long)it;
		p->nfront--; /* decided meanwhile (e.g. by walking back to it) */
	}
	while (p->qpos < p->nq) {
		struct wn_vote v;
		if (!own_vote(p, p->queue[p->qpos], &v))
			return (long)p->queue[p->qpos];
		p->qpos++;
	}
	return -1;
}

/* The current item is done with (decided or skipped): move on. */
static int leave_current(struct prompt *p, size_t item, int skipped, struct wn_err *err)
{
	if (p->hpos >= 0) {
		if (skipped) {
			p->hpos++;
			if ((size_t)p->hpos >= p->nhist)
				p->hpos = -1;
		} else {
			p->hpos = -1; /* a changed decision: back to where the reviewer was */
		}
		return 0;
	}
	if (p->nfront && p->front[p->nfront - 1] == item)
		p->nfront--;
	else if (p->qpos < p->nq && p->queue[p->qpos] == item)
		p->qpos++;
	if (skipped && push(&p->queue, &p->nq, &p->qcap, item, err) < 0)
		return -1;
	/* history holds each item once, at its latest position */
	if (p->nhist && p->hist[p->nhist - 1] == item)
		return 0;
	return push(&p->hist, &p->nhist, &p->hcap, item, err);
}

static const char *action_word(enum wn_action a)
{
	return wn_action_name(a);
}

static int decide(struct prompt *p, size_t item, enum wn_action a, const char *reason,
		  struct wn_err *err)
{
	const struct prompt_cfg *c = p->c;
	struct wn_declog_event ev;
	struct wn_vote old;
	uint64_t seq;
	int had = own_vote(p, item, &old);

	if (had && old.decision == a && wn_reason_eq(old.reason, reason)) {
		set_status(p, "unchanged: already %s (#%llu)", action_word(a), (unsigned long long)old.seq);
		return leave_current(p, item, 0, err);
	}
	memset(&ev, 0, sizeof(ev));
	ev.record = wn_votes_record_id(c->votes, item_row(p, item));
	ev.action = a;
	ev.reason = reason;
	count_item(p, item, -1);
	if (prompt_record_event(c, &ev, &seq, err) < 0) {
		count_item(p, item, +1);
		return -1;
	}
	count_item(p, item, +1);
	p->res->decisions++;
	if (had)
		p->res->changes++;
	if (reason)
		set_status(p, "saved #%llu: %s (%s)%s", (unsigned long long)seq, action_word(a), reason,
			   had ? " - changed" : "");
	else
		set_status(p, "saved #%llu: %s%s", (unsigned long long)seq, action_word(a),
			   had ? " - changed" : "");
	return leave_current(p, item, 0, err);
}

static int undo(struct prompt *p, struct wn_err *err)
{
	const struct prompt_cfg *c = p->c;
	struct wn_declog_event ev;
	struct wn_vote v;
	size_t row;
	uint64_t seq, useq;
	long item;

	if (!wn_votes_last_decision(c->votes, (size_t)c->mycol, &row, &seq)) {
		set_status(p, "nothing to undo");
		return 0;
	}
	item = row < p->nrows ? p->row_item[row] : -1;
	wn_votes_get(c->votes, row, (size_t)c->mycol, 0, &v);
	memset(&ev, 0, sizeof(ev));
	ev.record = wn_votes_record_id(c->votes, row);
	ev.action = WN_ACT_UNDO;
	ev.ref = seq;
	if (item >= 0)
		count_item(p, (size_t)item, -1);
	if (prompt_record_event(c, &ev, &useq, err) < 0) {
		if (item >= 0)
			count_item(p, (size_t)item, +1);
		return -1;
	}
	if (item >= 0)
		count_item(p, (size_t)item, +1);
	p->res->undos++;
	if (item < 0) {
		set_status(p, "undone #%llu (%s on %s, not among these records)", (unsigned long long)seq,
			   action_word(v.decision), ev.record);
		return 0;
	}
	p->hpos = -1;
	/* the record is in front again, not behind: "back" must not show it a second time */
	{
		size_t k = p->nhist;
		while (k > 0 && p->hist[k - 1] != (size_t)item)
			k--;
		if (k > 0) {
			memmove(p->hist + k - 1, p->hist + k, (p->nhist - k) * sizeof(*p->hist));
			p->nhist--;
		}
	}
	if (!(p->nfront && p->front[p->nfront - 1] == (size_t)item) &&
	    push(&p->front, &p->nfront, &p->fcap, (size_t)item, err) < 0)
		return -1;
	if (own_vote(p, (size_t)item, &v))
		set_status(p, "undone #%llu: back to %s (#%llu)", (unsigned long long)seq,
			   action_word(v.decision), (unsigned long long)v.seq);
	else
		set_status(p, "undone #%llu: decide this record again", (unsigned long long)seq);
	return 0;
}

/* ---- drawing ---- */

struct note_ctx {
	struct wn_buf *out;
	int n;
};

static int add_note(const char *note, time_t t, void *data)
{
	struct note_ctx *nc = data;

	(void)t;
	nc->n++;
	return wn_buf_addf(nc->out, NULL, "%s%s", nc->n > 1 ? " | " : "", note) < 0;
}

/* One line about a column's view of a record: vote, reason, labels, notes. */
static int column_line(struct prompt *p, size_t row, size_t col, const char *who,
		       const struct wn_render_opts *ro, struct wn_err *err)
{
	struct wn_vote v;
	struct wn_buf line, labels;
	struct note_ctx nc;
	int rc = -1;

	wn_buf_init(&line, 1 << 20);
	wn_buf_init(&labels, 1 << 20);
	if (wn_votes_get(p->c->votes, row, col, 0, &v)) {
		if (wn_buf_addf(&line, err, "%s (#%llu)", action_word(v.decision), (unsigned long long)v.seq) < 0 ||
		    (v.reason && wn_buf_addf(&line, err, " - %s", v.reason) < 0))
			goto out;
	} else if (wn_buf_adds(&line, "not decided", err) < 0) {
		goto out;
	}
	if (wn_votes_labels(p->c->votes, row, col, &labels, err) < 0)
		goto out;
	if (labels.len && wn_buf_addf(&line, err, "; labels: %s", labels.data) < 0)
		goto out;
	nc.out = &labels;
	nc.n = 0;
	wn_buf_reset(&labels);
	wn_votes_notes(p->c->votes, row, col, add_note, &nc);
	if (nc.n && wn_buf_addf(&line, err, "; notes: %s", labels.data) < 0)
		goto out;
	if (wn_buf_addf(&p->t.out, err, "%s: ", who) < 0)
		goto out;
	rc = wn_render_text(&p->t.out, line.data, line.len, (int)wn_utf8_width(who, strlen(who)) + 2,
			    4, 0, NULL, ro, err);
out:
	wn_buf_release(&line);
	wn_buf_release(&labels);
	return rc;
}

static int keys_line(struct prompt *p, const struct wn_render_opts *ro, struct wn_err *err)
{
	static const enum wn_key_action order[] = {
		WN_KEY_INCLUDE, WN_KEY_EXCLUDE, WN_KEY_MAYBE, WN_KEY_NOT_RETRIEVED, WN_KEY_REASON,
		WN_KEY_NOTE, WN_KEY_LABEL, WN_KEY_UNDO, WN_KEY_BACK, WN_KEY_SKIP, WN_KEY_HELP, WN_KEY_QUIT
	};
	struct wn_buf line;
	size_t i;
	int rc;

	wn_buf_init(&line, 0);
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		enum wn_key_action a = order[i];
		char k = p->c->keys.key[a];
		if (!k)
			continue;
		if (a == WN_KEY_MAYBE && (p->c->stage != WN_STAGE_TA || p->c->mode == PROMPT_RESOLVE))
			continue;
		if (a == WN_KEY_NOT_RETRIEVED && p->c->stage != WN_STAGE_FT)
			continue;
		if (a == WN_KEY_LABEL && p->c->mode == PROMPT_RESOLVE)
			continue;
		wn_buf_addf(&line, NULL, "%s%c %s", line.len ? "  " : "", k, wn_key_action_name(a));
	}
	(void)ro;
	rc = wn_buf_addf(&p->t.out, err, "%s\n", line.data);
	wn_buf_release(&line);
	return rc;
}

static size_t count_lines(const struct wn_buf *b)
{
	size_t n = 0, i;

	for (i = 0; i < b->len; i++)
		n += b->data[i] == '\n';
	return n;
}

/* Terminal rows b takes at width cols: a line wider than the terminal wraps. */
static size_t count_rows(const struct wn_buf *b, int cols)
{
	size_t rows = 0, i = 0, start = 0;

	if (cols < 1)
		cols = 80;
	for (i = 0; i <= b->len; i++) {
		if (i < b->len && b->data[i] != '\n')
			continue;
		if (i < b->len || i > start) {
			size_t w = 0, j = start;
			while (j < i) {
				size_t k = j;
				if (b->data[j] == '\033') { /* an SGR sequence takes no room */
					while (j < i && b->data[j] != 'm')
						j++;
					j++;
					continue;
				}
				while (k < i && b->data[k] != '\033')
					k++;
				w += wn_utf8_width(b->data + j, k - j);
				j = k;
			}
			rows += w == 0 ? 1 : (w + (size_t)cols - 1) / (size_t)cols;
		}
		start = i + 1;
	}
	return rows;
}

/* Append lines [from, from + count) of b to out. */
static int copy_lines(struct wn_buf *out, const struct wn_buf *b, size_t from, size_t count,
		      struct wn_err *err)
{
	size_t i = 0, line = 0, start = 0;

	for (i = 0; i < b->len && line < from + count; i++) {
		if (b->data[i] != '\n')
			continue;
		if (line >= from && wn_buf_add(out, b->data + start, i + 1 - start, err) < 0)
			return -1;
		line++;
		start = i + 1;
	}
	return 0;
}

/* The record (or what is known of it) into p->body. */
static int draw_record(struct prompt *p, long item, const struct wn_render_opts *ro,
		       struct wn_err *err)
{
	const struct prompt_cfg *c = p->c;
	struct wn_buf *o = &p->body;
	size_t base = c->hl ? c->hl->n : 0, row = item_row(p, (size_t)item);
	json_object *rec;
	int rc;

	if (p->item_rec[item] < 0) {
		const char *id = wn_votes_record_id(c->votes, row);
		if (wn_buf_adds(o, "record ", err) < 0 ||
		    wn_render_text(o, id, strlen(id), 7, 0, 0, "1", ro, err) < 0 ||
		    wn_buf_adds(o, c->ri ? "(not in the records file)\n" : "(give --records to see it)\n", err) < 0)
			return -1;
		return 0;
	}
	rec = wn_recindex_get(c->ri, (size_t)p->item_rec[item], err);
	if (!rec)
		return -1;
	/* the terms filter --explain found in this record, on top of --highlight's */
	rc = c->hl ? wn_hl_add_record(c->hl, rec, err) : 0;
	if (rc >= 0)
		rc = wn_render_record(o, rec, ro, err);
	if (c->hl)
		wn_hl_truncate(c->hl, base);
	json_object_put(rec);
	return rc < 0 ? -1 : 0;
}

/* Everything below the record into p->foot: votes, own decision, status, progress, keys. */
static int draw_footer(struct prompt *p, long item, const struct wn_render_opts *ro,
		       struct wn_err *err)
{
	const struct prompt_cfg *c = p->c;
	struct wn_buf *o = &p->foot, save;
	unsigned long waiting = (unsigned long)c->nitems - p->done;
	size_t col, row;
	int rc = 0;

	/* column_line and keys_line write to the terminal buffer: point it at the footer */
	save = p->t.out;
	p->t.out = *o;
	if (item >= 0) {
		row = item_row(p, (size_t)item);
		if (wn_buf_adds(&p->t.out, "\n", err) < 0)
			rc = -1;
		for (col = 0; rc == 0 && c->mode == PROMPT_RESOLVE && col < wn_votes_columns(c->votes); col++) {
			/* the votes to settle: every reviewer's decision, reason, labels, notes */
			const struct wn_votes_column *vc = wn_votes_column(c->votes, col);
			char who[WN_REVIEWER_MAX + 32];
			if ((int)col == c->mycol)
				continue;
			snprintf(who, sizeof(who), "%s%s", vc->header.role == WN_ROLE_RESOLUTION
				 ? "resolution by " : "", vc->header.reviewer);
			rc = column_line(p, row, col, who, ro, err);
		}
		if (rc == 0)
			rc = column_line(p, row, (size_t)c->mycol,
					 c->mode == PROMPT_RESOLVE ? "your resolution" : "your decision", ro, err);
	}
	if (rc == 0 && wn_buf_adds(&p->t.out, "\n", err) < 0)
		rc = -1;
	if (rc == 0 && p->status.len)
		rc = wn_render_text(&p->t.out, p->status.data, p->status.len, 0, 2, 0, NULL, ro, err);
	/* the progress line: done/total, this reviewer's counts, and what is still waiting */
	if (rc == 0) {
		struct wn_buf pl;
		wn_buf_init(&pl, 0);
		if (wn_buf_addf(&pl, err, "[%lu/%zu %s: include %lu, exclude %lu", p->done, c->nitems,
				c->mode == PROMPT_RESOLVE ? "resolved" : "done", p->count[WN_ACT_INCLUDE],
				p->count[WN_ACT_EXCLUDE]) < 0 ||
		    (c->stage == WN_STAGE_TA && c->mode == PROMPT_REVIEW &&
		     wn_buf_addf(&pl, err, ", maybe %lu", p->count[WN_ACT_MAYBE]) < 0) ||
		    (c->stage == WN_STAGE_FT &&
		     wn_buf_addf(&pl, err, ", not retrieved %lu", p->count[WN_ACT_NOT_RETRIEVED]) < 0) ||
		    wn_buf_addf(&pl, err, " | %lu waiting]", waiting) < 0 ||
		    wn_render_text(&p->t.out, pl.data, pl.len, 0, 1, 0, NULL, ro, err) < 0)
			rc = -1;
		wn_buf_release(&pl);
	}
	if (rc == 0)
		rc = keys_line(p, ro, err);
	if (rc == 0 && wn_buf_adds(&p->t.out, "> ", err) < 0)
		rc = -1;
	*o = p->t.out;
	p->t.out = save;
	return rc;
}

static int draw(struct prompt *p, long item, struct wn_err *err)
{
	const struct prompt_cfg *c = p->c;
	struct wn_render_opts ro;
	struct wn_buf *o = &p->t.out;
	size_t body_lines, foot_lines, avail;

	term_size(&p->t);
	memset(&ro, 0, sizeof(ro));
	ro.width = p->t.width > 2 ? p->t.width - 1 : 79;
	ro.color = p->t.color;
	ro.hl = c->hl;
	if (item != p->shown) {
		p->shown = item;
		p->scroll = 0;
	}
	wn_buf_reset(o);
	wn_buf_reset(&p->body);
	wn_buf_reset(&p->foot);
	if (p->t.clear && wn_buf_adds(o, "\033[H\033[2J", err) < 0)
		return -1;
	if (item < 0) {
		if (wn_buf_addf(o, err, "%s: all %zu %s decided (%s, %s).\n", c->mode == PROMPT_RESOLVE
				? "resolve" : "review", c->nitems,
				c->mode == PROMPT_RESOLVE ? "conflicts are" : "records are",
				wn_stage_title(c->stage), c->reviewer) < 0)
			return -1;
	} else {
		if (wn_buf_addf(o, err, "%s - %s - %s%s\n\n",
				c->mode == PROMPT_RESOLVE ? "resolve conflict" : "screen",
				wn_stage_title(c->stage), c->reviewer,
				p->hpos >= 0 ? " - looking back (s goes forward)" : "") < 0)
			return -1;
		if (draw_record(p, item, &ro, err) < 0)
			return -1;
	}
	if (draw_footer(p, item, &ro, err) < 0)
		return -1;
	/* a record taller than the screen is shown a screenful at a time (Space) */
	body_lines = count_lines(&p->body);
	foot_lines = count_rows(&p->foot, p->t.width) + 1;
	avail = (size_t)(p->t.height > 0 ? p->t.height : 24);
	avail = avail > foot_lines + 2 + 3 ? avail - foot_lines - 2 : 3;
	if (body_lines <= avail) {
		p->scroll = 0;
		if (wn_buf_add(o, p->body.data, p->body.len, err) < 0)
			return -1;
	} else {
		size_t show = avail - 1;
		if (p->scroll >= body_lines)
			p->scroll = 0;
		if (copy_lines(o, &p->body, p->scroll, show, err) < 0 ||
		    wn_buf_addf(o, err, "-- lines %zu-%zu of %zu: Space shows more --\n", p->scroll + 1,
				p->scroll + show < body_lines ? p->scroll + show : body_lines, body_lines) < 0)
			return -1;
	}
	if (wn_buf_add(o, p->foot.data, p->foot.len, err) < 0)
		return -1;
	return term_flush(&p->t, err);
}

static int help(struct prompt *p, struct wn_err *err)
{
	static const struct {
		enum wn_key_action a;
		const char *what;
	} lines[] = {
		{ WN_KEY_INCLUDE, "include the record" },
		{ WN_KEY_EXCLUDE, "exclude it (full text: asks for the reason)" },
		{ WN_KEY_MAYBE, "maybe (title/abstract only; counts as include when votes are combined)" },
		{ WN_KEY_NOT_RETRIEVED, "the report could not be retrieved (full text only)" },
		{ WN_KEY_REASON, "exclude with a reason: pick one by number or type it" },
		{ WN_KEY_NOTE, "add a note (saved at once, never shown to the other reviewer)" },
		{ WN_KEY_LABEL, "add labels, comma-separated; -name removes one" },
		{ WN_KEY_UNDO, "retract your last decision and show that record again" },
		{ WN_KEY_BACK, "look at the previous record (and change its decision)" },
		{ WN_KEY_SKIP, "leave this record for later (when looking back: go forward)" },
		{ WN_KEY_HELP, "this help" },
		{ WN_KEY_QUIT, "stop; every decision is already saved, the next session resumes" },
	};
	size_t i;
	int k;

	wn_buf_reset(&p->t.out);
	if (p->t.clear)
		wn_buf_adds(&p->t.out, "\033[H\033[2J", NULL);
	wn_buf_addf(&p->t.out, NULL, "Keys (%s stage; change them with --keys ACTION=KEY,...):\n\n",
		    wn_stage_title(p->c->stage));
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		char k2 = p->c->keys.key[lines[i].a];
		if (k2)
			wn_buf_addf(&p->t.out, NULL, "  %c  %-14s %s\n", k2, wn_key_action_name(lines[i].a),
				    lines[i].what);
	}
	wn_buf_adds(&p->t.out, "\n  Left/Right arrows: back/skip.  Ctrl-C, Ctrl-D: quit.  Ctrl-L: redraw.\n"
		    "  Each decision is written and synced to the log before \"saved\" appears.\n\n"
		    "Press any key to go back to the record.", NULL);
	if (term_flush(&p->t, err) < 0)
		return -1;
	k = term_key(&p->t);
	return k == TERM_KEY_EOF ? 1 : 0;
}

/* Ask for an exclusion reason. 1 with p->line set, 0 if cancelled, -1 if the terminal
 * went away. */
static int ask_reason(struct prompt *p, int required)
{
	const struct prompt_cfg *c = p->c;
	size_t i;
	int r;
	char prompt[96];

	if (c->nreasons) {
		wn_buf_adds(&p->t.out, "\r\n", NULL);
		for (i = 0; i < c->nreasons; i++) {
			struct wn_buf safe;
			wn_buf_init(&safe, 0);
			wn_render_safe(&safe, c->reasons[i], strlen(c->reasons[i]), 0, NULL);
			wn_buf_addf(&p->t.out, NULL, "  %2zu  %s\r\n", i + 1, safe.data);
			wn_buf_release(&safe);
		}
		term_flush(&p->t, NULL);
	}
	snprintf(prompt, sizeof(prompt), "reason (%s%s, Esc cancels): ",
		 c->nreasons ? "a number or type one" : "type it", required ? "" : "");
	r = term_line(&p->t, prompt, &p->line, WN_DECLOG_REASON_MAX);
	if (r <= 0)
		return r;
	if (p->line.len == 0)
		return 0;
	if (c->nreasons) {
		size_t k = 0;
		for (i = 0; i < p->line.len && i < 6; i++) {
			if (p->line.data[i] < '0' || p->line.data[i] > '9')
				break;
			k = k * 10 + (size_t)(p->line.data[i] - '0');
		}
		if (i == p->line.len && k >= 1 && k <= c->nreasons) {
			wn_buf_reset(&p->line);
			wn_buf_adds(&p->line, c->reasons[k - 1], NULL);
		} else if (i == p->line.len) {
			return 2; /* a number that names no reason */
		}
	}
	return 1;
}

static int annotate(struct prompt *p, size_t item, enum wn_action a, struct wn_err *err)
{
	struct wn_declog_event ev;
	uint64_t seq;
	int r = term_line(&p->t, a == WN_ACT_NOTE ? "note (Enter saves, Esc cancels): "
				 : "labels (comma-separated, -name removes; Esc cancels): ",
			  &p->line, a == WN_ACT_NOTE ? WN_DECLOG_NOTE_MAX : WN_DECLOG_REASON_MAX);

	if (r < 0)
		return 1;
	if (r == 0 || p->line.len == 0) {
		set_status(p, "%s not saved (cancelled)", a == WN_ACT_NOTE ? "note" : "labels");
		return 0;
	}
	memset(&ev, 0, sizeof(ev));
	ev.record = wn_votes_record_id(p->c->votes, item_row(p, item));
	ev.action = a;
	if (a == WN_ACT_NOTE)
		ev.note = p->line.data;
	else
		ev.labels = p->line.data;
	if (prompt_record_event(p->c, &ev, &seq, err) < 0)
		return -1;
	if (a == WN_ACT_NOTE)
		p->res->notes++;
	else
		p->res->labels++;
	set_status(p, "saved #%llu: %s", (unsigned long long)seq, a == WN_ACT_NOTE ? "note" : "labels");
	return 0;
}

/* Handle one key. 1 = quit, 0 = go on, -1 = error. */
static int handle(struct prompt *p, int key, struct wn_err *err)
{
	const struct prompt_cfg *c = p->c;
	long item = current(p);
	enum wn_key_action a;
	int r;

	if (key == TERM_KEY_EOF || key == 0x03 || key == 0x04)
		return 1;
	if (key == TERM_KEY_RESIZE || key == 0x0C || key == TERM_KEY_ESC)
		return 0;
	if (key == ' ') {
		size_t avail = (size_t)(p->t.height > 0 ? p->t.height : 24);
		size_t foot = count_rows(&p->foot, p->t.width);
		size_t step = avail > foot + 5 ? avail - foot - 4 : 3;
		p->scroll += step;
		if (p->scroll >= count_lines(&p->body))
			p->scroll = 0;
		return 0;
	}
	if (key == 0x1A) {
		raise(SIGTSTP); /* Ctrl-Z: the handler restores the terminal and stops */
		return 0;
	}
	a = key == TERM_KEY_LEFT ? WN_KEY_BACK : key == TERM_KEY_RIGHT ? WN_KEY_SKIP
	    : key >= 0 && key < 0x100 ? wn_keymap_lookup(&c->keys, key) : WN_KEY_NONE;
	wn_buf_reset(&p->status);
	switch (a) {
	case WN_KEY_QUIT:
		return 1;
	case WN_KEY_HELP:
		return help(p, err);
	case WN_KEY_UNDO:
		return undo(p, err) < 0 ? -1 : 0;
	case WN_KEY_BACK:
		if (p->hpos < 0) {
			if (p->nhist == 0)
				set_status(p, "nothing to go back to");
			else
				p->hpos = (long)p->nhist - 1;
		} else if (p->hpos > 0) {
			p->hpos--;
		} else {
			set_status(p, "this is the first record decided");
		}
		return 0;
	case WN_KEY_NONE:
		if (key >= 0x20 && key < 0x7F)
			set_status(p, "'%c' is not a key here; press %c for help", key,
				   c->keys.key[WN_KEY_HELP] ? c->keys.key[WN_KEY_HELP] : '?');
		return 0;
	default:
		break;
	}
	if (item < 0) {
		set_status(p, "everything is decided: %c goes back, %c undoes, %c quits",
			   c->keys.key[WN_KEY_BACK], c->keys.key[WN_KEY_UNDO], c->keys.key[WN_KEY_QUIT]);
		return 0;
	}
	switch (a) {
	case WN_KEY_SKIP:
		set_status(p, p->hpos >= 0 ? "forward" : "skipped: it comes back later");
		return leave_current(p, (size_t)item, 1, err) < 0 ? -1 : 0;
	case WN_KEY_INCLUDE:
		return decide(p, (size_t)item, WN_ACT_INCLUDE, NULL, err) < 0 ? -1 : 0;
	case WN_KEY_MAYBE:
		if (c->mode == PROMPT_RESOLVE) {
			set_status(p, "a resolution decides: include or exclude");
			return 0;
		}
		if (c->stage != WN_STAGE_TA) {
			set_status(p, "maybe is a title/abstract decision: at full text include, exclude (with a reason) or mark not retrieved");
			return 0;
		}
		return decide(p, (size_t)item, WN_ACT_MAYBE, NULL, err) < 0 ? -1 : 0;
	case WN_KEY_NOT_RETRIEVED:
		if (c->stage != WN_STAGE_FT) {
			set_status(p, "not retrieved is a full-text decision");
			return 0;
		}
		return decide(p, (size_t)item, WN_ACT_NOT_RETRIEVED, NULL, err) < 0 ? -1 : 0;
	case WN_KEY_EXCLUDE:
	case WN_KEY_REASON:
		/* a full-text exclusion needs its reason; at title/abstract it is optional */
		if (a == WN_KEY_EXCLUDE && c->stage == WN_STAGE_TA)
			return decide(p, (size_t)item, WN_ACT_EXCLUDE, NULL, err) < 0 ? -1 : 0;
		r = ask_reason(p, c->stage == WN_STAGE_FT);
		if (r < 0)
			return 1;
		if (r == 0) {
			set_status(p, c->stage == WN_STAGE_FT ? "not excluded: a full-text exclusion needs a reason"
							      : "cancelled");
			return 0;
		}
		if (r == 2) {
			set_status(p, "no reason has that number (1 to %zu)", c->nreasons);
			return 0;
		}
		return decide(p, (size_t)item, WN_ACT_EXCLUDE, p->line.data, err) < 0 ? -1 : 0;
	case WN_KEY_NOTE:
		return annotate(p, (size_t)item, WN_ACT_NOTE, err);
	case WN_KEY_LABEL:
		if (c->mode == PROMPT_RESOLVE)
			return 0;
		return annotate(p, (size_t)item, WN_ACT_LABEL, err);
	default:
		return 0;
	}
}

struct seq_item {
	uint64_t seq;
	size_t item;
};

static int by_seq(const void *a, const void *b)
{
	const struct seq_item *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int setup(struct prompt *p, struct wn_err *err)
{
	const struct prompt_cfg *c = p->c;
	struct seq_item *si = NULL;
	size_t i, nsi = 0;

	p->nrows = wn_votes_records(c->votes);
	p->item_rec = wn_reallocarray(NULL, c->nitems + 1, sizeof(*p->item_rec));
	p->row_item = wn_reallocarray(NULL, p->nrows + 1, sizeof(*p->row_item));
	p->queue = wn_reallocarray(NULL, c->nitems + 1, sizeof(*p->queue));
	si = wn_reallocarray(NULL, c->nitems + 1, sizeof(*si));
	if (!p->item_rec || !p->row_item || !p->queue || !si) {
		wn_free(si);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	p->qcap = c->nitems + 1;
	for (i = 0; i < p->nrows; i++)
		p->row_item[i] = -1;
	for (i = 0; i < c->nitems; i++) {
		const char *id = wn_votes_record_id(c->votes, c->items[i]);
		struct wn_vote v;
		p->item_rec[i] = c->ri ? wn_recindex_find(c->ri, id, strlen(id)) : -1;
		p->row_item[c->items[i]] = (long)i;
		p->queue[p->nq++] = i;
		count_item(p, i, +1);
		if (own_vote(p, i, &v)) {
			si[nsi].seq = v.seq;
			si[nsi++].item = i;
		}
	}
	/* a resumed session can go back over the earlier sessions' decisions */
	qsort(si, nsi, sizeof(*si), by_seq);
	for (i = 0; i < nsi; i++) {
		if (push(&p->hist, &p->nhist, &p->hcap, si[i].item, err) < 0) {
			wn_free(si);
			return -1;
		}
	}
	wn_free(si);
	p->hpos = -1;
	return 0;
}

int prompt_run(const struct prompt_cfg *cfg, struct prompt_result *res, struct wn_err *err)
{
	struct prompt p;
	int rc = 0, r;

	memset(res, 0, sizeof(*res));
	memset(&p, 0, sizeof(p));
	p.c = cfg;
	p.res = res;
	wn_buf_init(&p.status, 4096);
	wn_buf_init(&p.line, 1 << 16);
	wn_buf_init(&p.body, 0);
	wn_buf_init(&p.foot, 0);
	p.shown = -2;
	if (setup(&p, err) < 0) {
		rc = -1;
		goto out;
	}
	if (term_open(&p.t, cfg->color_ok, err) < 0) {
		rc = -1;
		goto out;
	}
	p.t.clear = p.t.clear && cfg->clear;
	if (p.done)
		set_status(&p, "resuming: %lu of %zu already decided by %s", p.done, cfg->nitems,
			   cfg->reviewer);
	for (;;) {
		long item = current(&p);
		if (draw(&p, item, err) < 0) {
			rc = -1;
			break;
		}
		r = handle(&p, term_key(&p.t), err);
		if (r < 0) {
			rc = -1;
			break;
		}
		if (r > 0)
			break;
	}
	res->remaining = (unsigned long)cfg->nitems - p.done;
	if (p.t.fd >= 0) {
		wn_buf_adds(&p.t.out, "\r\n", NULL);
		term_flush(&p.t, NULL);
	}
	term_close(&p.t);
out:
	wn_free(p.item_rec);
	wn_free(p.row_item);
	wn_free(p.queue);
	wn_free(p.front);
	wn_free(p.hist);
	wn_buf_release(&p.status);
	wn_buf_release(&p.line);
	wn_buf_release(&p.body);
	wn_buf_release(&p.foot);
	return rc;
}
