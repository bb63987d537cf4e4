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
#include "prompt_int.h"

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

void set_status(struct prompt *p, const char *fmt, ...)
{
	va_list ap;

	wn_buf_reset(&p->status);
	va_start(ap, fmt);
	wn_buf_vaddf(&p->status, NULL, fmt, ap);
	va_end(ap);
}

size_t item_row(const struct prompt *p, size_t item)
{
	return p->c->items[item];
}

int own_vote(const struct prompt *p, size_t item, struct wn_vote *v)
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

const char *action_word(enum wn_action a)
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
		size_t foot = prompt_count_rows(&p->foot, p->t.width);
		size_t step = avail > foot + 5 ? avail - foot - 4 : 3;
		p->scroll += step;
		if (p->scroll >= prompt_count_lines(&p->body))
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
		return prompt_help(p, err);
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
		if (prompt_draw(&p, item, err) < 0) {
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
