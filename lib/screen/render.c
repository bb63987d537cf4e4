/*
 * render.c - records as safe, highlighted, wrapped terminal text (see render.h).
 *
 * Layout is greedy word wrapping over display widths. Styles are tracked per byte (the
 * highlight marks) and turned into SGR sequences only at changes; every line that used a
 * style ends with a reset, so a wrapped highlight never bleeds into the prompt or the
 * next line.
 */
#include <stdio.h>
#include <string.h>
#include "winnow/ascii.h"
#include "winnow/render.h"
#include "winnow/alloc.h"
#include "winnow/record.h"
#include "winnow/utf8.h"

/* Invisible format characters that can disguise or reorder text on a terminal. */
static int is_format_danger(int32_t cp)
{
	return cp == 0x061C || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
	       (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x206F) || cp == 0xFEFF ||
	       (cp >= 0xFFF9 && cp <= 0xFFFB);
}

long wn_render_safe(struct wn_buf *out, const char *s, size_t n, int keep_nl, struct wn_err *err)
{
	struct wn_buf tmp;
	long replaced;
	size_t i = 0, adv;

	wn_buf_init(&tmp, 0);
	replaced = wn_utf8_sanitize(&tmp, s, n, keep_nl ? WN_SANITIZE_KEEP_NEWLINE : 0, err);
	if (replaced < 0) {
		wn_buf_release(&tmp);
		return -1;
	}
	while (i < tmp.len) {
		size_t j = i;
		/* copy runs of ASCII at once */
		while (j < tmp.len && (unsigned char)tmp.data[j] < 0x80)
			j++;
		if (j > i && wn_buf_add(out, tmp.data + i, j - i, err) < 0)
			goto oom;
		i = j;
		if (i >= tmp.len)
			break;
		{
			int32_t cp = wn_utf8_decode(tmp.data + i, tmp.len - i, &adv);
			if (is_format_danger(cp)) {
				if (wn_buf_addc(out, '?', err) < 0)
					goto oom;
				replaced++;
			} else if (wn_buf_add(out, tmp.data + i, adv, err) < 0) {
				goto oom;
			}
			i += adv;
		}
	}
	wn_buf_release(&tmp);
	return replaced;
oom:
	wn_buf_release(&tmp);
	return -1;
}

struct emitter {
	struct wn_buf *out;
	const struct wn_render_opts *o;
	const char *base;          /* SGR for the whole text, or NULL */
	const unsigned char *st;   /* highlight per byte */
	const char *t;             /* the safe text */
	size_t n;
	int cur;                   /* colour mode: style in effect, -1 = unknown/reset */
	int col, width, indent;
	int failed;
	struct wn_err *err;
};

static void put(struct emitter *e, const char *s, size_t n)
{
	if (!e->failed && wn_buf_add(e->out, s, n, e->err) < 0)
		e->failed = 1;
}

static void set_style(struct emitter *e, int kind)
{
	char sgr[32];

	if (!e->o->color || e->cur == kind)
		return;
	if (kind == 0 && !e->base) {
		put(e, "\033[0m", 4);
	} else {
		snprintf(sgr, sizeof(sgr), "\033[0%s%s%sm", e->base ? ";" : "", e->base ? e->base : "",
			 kind == WN_HL_INCLUDE ? ";1;32" : kind == WN_HL_EXCLUDE ? ";1;31" : "");
		put(e, sgr, strlen(sgr));
	}
	e->cur = kind;
}

static void newline(struct emitter *e)
{
	int i;

	if (e->o->color && e->cur != -1 && (e->cur != 0 || e->base))
		put(e, "\033[0m", 4);
	e->cur = -1;
	put(e, "\n", 1);
	for (i = 0; i < e->indent; i++)
		put(e, " ", 1);
	e->col = e->indent;
}

static int opens_at(const struct emitter *e, size_t i)
{
	return e->st[i] && (i == 0 || e->st[i - 1] != e->st[i]);
}

static int closes_at(const struct emitter *e, size_t last)
{
	return e->st[last] && (last + 1 >= e->n || e->st[last + 1] != e->st[last]);
}

/* Width of t[a..b) as it will be printed (markers included without colour). */
static int span_width(const struct emitter *e, size_t a, size_t b)
{
	size_t i = a, adv;
	int w = 0;

	while (i < b) {
		(void)wn_utf8_decode(e->t + i, b - i, &adv);
		w += (int)wn_utf8_width(e->t + i, adv);
		if (!e->o->color) {
			w += opens_at(e, i) ? 2 : 0;
			w += closes_at(e, i + adv - 1) ? 2 : 0;
		}
		i += adv;
	}
	return w;
}

/* Print one character at t[i] (adv bytes), with its markers or colour. */
static void put_char(struct emitter *e, size_t i, size_t adv)
{
	int cw = (int)wn_utf8_width(e->t + i, adv);
	int kind = e->st[i];

	if (e->o->color) {
		set_style(e, kind);
		put(e, e->t + i, adv);
	} else {
		if (opens_at(e, i)) {
			put(e, kind == WN_HL_INCLUDE ? "[+" : "[-", 2);
			e->col += 2;
		}
		put(e, e->t + i, adv);
		if (closes_at(e, i + adv - 1)) {
			put(e, kind == WN_HL_INCLUDE ? "+]" : "-]", 2);
			e->col += 2;
		}
	}
	e->col += cw;
}

static void put_word(struct emitter *e, size_t a, size_t b)
{
	size_t i = a, adv;

	while (i < b) {
		int need;
		(void)wn_utf8_decode(e->t + i, b - i, &adv);
		need = span_width(e, i, i + adv);
		if (e->col + need > e->width && e->col > e->indent)
			newline(e); /* a word longer than the line is broken */
		put_char(e, i, adv);
		i += adv;
	}
}

static void layout_paragraph(struct emitter *e, size_t p0, size_t p1, int line_start)
{
	size_t i = p0;
	int first = 1;

	while (i < p1) {
		size_t j = i, k;
		int w;

		while (j < p1 && e->t[j] == ' ')
			j++;
		if (j >= p1)
			break;
		for (k = j; k < p1 && e->t[k] != ' '; k++)
			;
		w = span_width(e, j, k);
		if (!first && e->col + 1 + w > e->width) {
			newline(e);
			line_start = e->col;
		} else if (!first) {
			/* a space inside a highlighted phrase keeps its colour */
			int kind = j > 0 && e->st[j - 1] && e->st[j - 1] == e->st[j] ? e->st[j] : 0;
			if (e->o->color)
				set_style(e, kind);
			put(e, " ", 1);
			e->col++;
		}
		if (first && e->col > line_start && e->col + w > e->width)
			newline(e);
		put_word(e, j, k);
		first = 0;
		i = k;
	}
}

int wn_render_text(struct wn_buf *out, const char *s, size_t n, int col, int indent,
		   int multiline, const char *style, const struct wn_render_opts *o,
		   struct wn_err *err)
{
	struct wn_buf safe;
	struct emitter e;
	unsigned char *st = NULL;
	size_t shown = n > WN_RENDER_FIELD_MAX ? WN_RENDER_FIELD_MAX : n, p0 = 0;
	int rc = 0;

	/* never cut a UTF-8 sequence in half */
	while (shown < n && shown > 0 && ((unsigned char)s[shown] & 0xC0) == 0x80)
		shown--;
	wn_buf_init(&safe, 0);
	if (wn_render_safe(&safe, s, shown, multiline, err) < 0)
		return -1;
	if (shown < n && wn_buf_addf(&safe, err, " ... (%zu more bytes not shown)", n - shown) < 0) {
		wn_buf_release(&safe);
		return -1;
	}
	st = wn_malloc(safe.len + 1);
	if (!st) {
		wn_buf_release(&safe);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	if (wn_hl_mark(o->hl, safe.data, safe.len, st, err) < 0) {
		rc = -1;
		goto out;
	}
	memset(&e, 0, sizeof(e));
	e.out = out;
	e.o = o;
	e.base = o->color ? style : NULL;
	e.st = st;
	e.t = safe.data;
	e.n = safe.len;
	e.cur = -1;
	e.col = col;
	e.width = o->width < 20 ? 20 : o->width;
	e.indent = indent < e.width / 2 ? indent : 0;
	e.err = err;
	while (p0 <= safe.len) {
		const char *nl = memchr(safe.data + p0, '\n', safe.len - p0);
		size_t p1 = nl ? (size_t)(nl - safe.data) : safe.len;
		layout_paragraph(&e, p0, p1, p0 == 0 ? col : e.indent);
		if (!nl)
			break;
		newline(&e);
		p0 = p1 + 1;
	}
	if (o->color && e.cur != -1 && (e.cur != 0 || e.base))
		put(&e, "\033[0m", 4);
	put(&e, "\n", 1);
	rc = e.failed ? -1 : 0;
out:
	wn_free(st);
	wn_buf_release(&safe);
	return rc;
}

static int label_line(struct wn_buf *out, const char *label, const char *value, int multiline,
		      const char *style, const struct wn_render_opts *o, struct wn_err *err)
{
	int col = (int)strlen(label);

	if (wn_buf_adds(out, label, err) < 0)
		return -1;
	return wn_render_text(out, value, strlen(value), col, col, multiline, style, o, err);
}

/* "a; b; c" from an array field (first max items, then "and N more"). */
static int join_list(struct wn_buf *b, json_object *rec, const char *field, size_t max,
		     const char *sep, struct wn_err *err)
{
	size_t n = wn_record_count(rec, field), i;

	for (i = 0; i < n && i < max; i++) {
		const char *s = wn_record_item(rec, field, i);
		if (!s)
			continue;
		if ((b->len && wn_buf_adds(b, sep, err) < 0) || wn_buf_adds(b, s, err) < 0)
			return -1;
	}
	if (n > max && wn_buf_addf(b, err, "%s... and %zu more", sep, n - max) < 0)
		return -1;
	return 0;
}

int wn_render_record(struct wn_buf *out, json_object *rec, const struct wn_render_opts *o,
		     struct wn_err *err)
{
	struct wn_buf line;
	const char *s;
	int64_t year = wn_record_get_int(rec, WN_F_YEAR, 0);
	int rc = -1;

	wn_buf_init(&line, 1 << 20);
	/* title first and bold: the one thing a reviewer reads on every record */
	s = wn_record_get(rec, WN_F_TITLE);
	if (wn_render_text(out, s ? s : "(no title)", s ? strlen(s) : 10, 0, 0, 0, "1", o, err) < 0)
		goto out;
	if (join_list(&line, rec, WN_F_AUTHORS, 12, "; ", err) < 0)
		goto out;
	if (line.len && label_line(out, "Authors:   ", line.data, 0, NULL, o, err) < 0)
		goto out;
	wn_buf_reset(&line);
	if (year > 0 && wn_buf_addf(&line, err, "%lld", (long long)year) < 0)
		goto out;
	if ((s = wn_record_get(rec, WN_F_JOURNAL)) || (s = wn_record_get(rec, WN_F_JOURNAL_ABBREV))) {
		if ((line.len && wn_buf_adds(&line, ". ", err) < 0) || wn_buf_adds(&line, s, err) < 0)
			goto out;
	}
	if ((s = wn_record_get(rec, WN_F_VOLUME))) {
		if (wn_buf_addf(&line, err, "%s%s", line.len ? ". " : "", s) < 0)
			goto out;
		if ((s = wn_record_get(rec, WN_F_ISSUE)) && wn_buf_addf(&line, err, "(%s)", s) < 0)
			goto out;
	}
	if ((s = wn_record_get(rec, WN_F_PAGES)) && wn_buf_addf(&line, err, "%s%s", line.len ? ": " : "", s) < 0)
		goto out;
	if (line.len && label_line(out, "Published: ", line.data, 0, NULL, o, err) < 0)
		goto out;
	wn_buf_reset(&line);
	if ((s = wn_record_get(rec, WN_F_SOURCE)) && wn_buf_adds(&line, s, err) < 0)
		goto out;
	if ((s = wn_record_get(rec, WN_F_ID)) && wn_buf_addf(&line, err, "%s[%s]", line.len ? " " : "", s) < 0)
		goto out;
	if ((s = wn_record_get(rec, WN_F_DOI)) && wn_buf_addf(&line, err, "%sdoi:%s", line.len ? " " : "", s) < 0)
		goto out;
	if (line.len && label_line(out, "Source:    ", line.data, 0, NULL, o, err) < 0)
		goto out;
	wn_buf_reset(&line);
	if (join_list(&line, rec, WN_F_KEYWORDS, 20, "; ", err) < 0)
		goto out;
	if (line.len && label_line(out, "Keywords:  ", line.data, 0, NULL, o, err) < 0)
		goto out;
	if (wn_buf_addc(out, '\n', err) < 0)
		goto out;
	s = wn_record_get(rec, WN_F_ABSTRACT);
	if (s) {
		if (wn_render_text(out, s, strlen(s), 0, 0, 1, NULL, o, err) < 0)
			goto out;
	} else if (wn_buf_adds(out, "(no abstract)\n", err) < 0) {
		goto out;
	}
	rc = 0;
out:
	wn_buf_release(&line);
	return rc;
}
