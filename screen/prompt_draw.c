/*
 * prompt_draw.c - what the prompt shows: the record, the votes (resolve), the reviewer's
 * own decision, labels and notes, the status, the progress line and the keys.
 *
 * A screen is built whole in memory (the record in p->body, the rest in p->foot) and
 * written with one write, so it never flickers and never depends on how many records
 * are loaded. A record taller than the terminal is shown a screenful at a time (Space);
 * rows are counted after wrapping, so the header never scrolls away.
 */
#include <stdio.h>
#include <string.h>
#include "winnow/render.h"
#include "winnow/utf8.h"
#include "prompt_int.h"

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

size_t prompt_count_lines(const struct wn_buf *b)
{
	size_t n = 0, i;

	for (i = 0; i < b->len; i++)
		n += b->data[i] == '\n';
	return n;
}

/* Terminal rows b takes at width cols: a line wider than the terminal wraps. */
size_t prompt_count_rows(const struct wn_buf *b, int cols)
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

int prompt_draw(struct prompt *p, long item, struct wn_err *err)
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
	body_lines = prompt_count_lines(&p->body);
	foot_lines = prompt_count_rows(&p->foot, p->t.width) + 1;
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

int prompt_help(struct prompt *p, struct wn_err *err)
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

