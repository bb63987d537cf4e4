/*
 * ris.c - the RIS format: reading the tagged lines of every vendor's export.
 *
 * The RIS specification (a two-character tag, two spaces, "-", a space, the value; TY
 * first, ER last) is followed loosely in practice, and research/formats.md section 3.1
 * lists how: a BOM; CRLF, LF or both; Ovid's record numbers ("6.") and Cochrane's
 * "Record #3 of 18" headers between records; "TY  -  JOUR" with two spaces after the
 * dash; a leading space or blank lines before the first TY; values continued on
 * untagged lines (EndNote puts one keyword per line after "KW  - "); empty tags;
 * a missing ER. The reader accepts all of that:
 *   - a tag line is [A-Z][A-Z0-9], one or two spaces (or a tab), "-", then the value
 *     (trimmed); white space before the tag is allowed outside a record and for TY/ER;
 *   - TY starts a record (ending one left open); ER ends it; a tag line outside a
 *     record starts one too (an export that lost its TY);
 *   - an untagged line inside a record continues the last field: for keyword and
 *     link tags each such line is one more value, otherwise it is joined on;
 *   - lines outside records are dropped, and counted in one note per file.
 * A line longer than the limit spoils its record, which is skipped and reported.
 */
#include <stdio.h>
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/import.h"
#include "formats.h"
#include "medline_util.h"
#include "ris.h"

/* ---- the field store ---- */

void ris_rec_init(struct ris_rec *r)
{
	memset(r, 0, sizeof(*r));
	wn_buf_init(&r->vals, 0);
	wn_buf_init(&r->tmp, 0);
}

void ris_rec_release(struct ris_rec *r)
{
	wn_free(r->f);
	wn_buf_release(&r->vals);
	wn_buf_release(&r->tmp);
	memset(r, 0, sizeof(*r));
}

void ris_rec_reset(struct ris_rec *r)
{
	r->n = 0;
	wn_buf_reset(&r->vals);
}

int ris_rec_add(struct ris_rec *r, const char tag[2], const char *v, size_t n,
		unsigned long line, struct wn_err *err)
{
	struct ris_field *f;

	if (r->n == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 64;
		struct ris_field *nf = wn_reallocarray(r->f, ncap, sizeof(*nf));
		if (!nf)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		r->f = nf;
		r->cap = ncap;
	}
	f = &r->f[r->n];
	f->tag[0] = tag[0];
	f->tag[1] = tag[1];
	f->tag[2] = '\0';
	f->off = r->vals.len;
	f->len = n;
	f->line = line;
	f->used = 0;
	if (wn_buf_add(&r->vals, v, n, err) < 0)
		return -1;
	r->n++;
	return 0;
}

int ris_rec_append(struct ris_rec *r, char sep, const char *v, size_t n, struct wn_err *err)
{
	struct ris_field *f = &r->f[r->n - 1];

	if (f->len && wn_buf_addc(&r->vals, sep, err) < 0)
		return -1;
	if (wn_buf_add(&r->vals, v, n, err) < 0)
		return -1;
	f->len = r->vals.len - f->off;
	return 0;
}

/* ---- lines ---- */

/* A tag line? Sets tag and the (trimmed) value. White space before the tag is
 * allowed only when `indent` (a continuation line may start with "  IL - 6 ..."). */
static int tag_line(const char *s, size_t n, int indent, char tag[2], const char **v, size_t *vn)
{
	size_t i = 0, k;

	while (indent && i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (n - i < 3 || !wn_isupper((unsigned char)s[i]) ||
	    !(wn_isupper((unsigned char)s[i + 1]) || wn_isdigit((unsigned char)s[i + 1])))
		return 0;
	k = i + 2;
	while (k < n && k < i + 4 && (s[k] == ' ' || s[k] == '\t'))
		k++;
	if (k == i + 2 || k >= n || s[k] != '-')
		return 0;
	/* "-" then a space, or the end of the line (an empty tag) */
	if (k + 1 < n && s[k + 1] != ' ' && s[k + 1] != '\t')
		return 0;
	tag[0] = s[i];
	tag[1] = s[i + 1];
	*v = s + k + 1;
	*vn = n - k - 1;
	wn_text_trim(v, vn);
	return 1;
}

/* Tags whose continuation lines are further values (EndNote's keywords and database
 * lists, link lists). */
static int list_tag(const char tag[2])
{
	static const char *const lists[] = { "KW", "UR", "L1", "L2", "L3", "L4", "LK", "DB", NULL };
	size_t i;

	for (i = 0; lists[i]; i++) {
		if (tag[0] == lists[i][0] && tag[1] == lists[i][1])
			return 1;
	}
	return 0;
}

/* Known furniture between records: Ovid's "12." and Cochrane's header lines. */
static int known_junk(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && wn_isdigit((unsigned char)s[i]))
		i++;
	if (i > 0 && i < n && s[i] == '.') {
		for (i++; i < n && wn_isspace((unsigned char)s[i]); i++)
			;
		if (i == n)
			return 1;
	}
	return wn_text_startswith(s, n, "Record #") || wn_text_startswith(s, n, "Provider:") ||
	       wn_text_startswith(s, n, "Content:");
}

/*
 * Record boundaries. Records end at ER (the export's own count of records is its ER
 * lines). A TY inside an open record that already has content does not split it: it
 * is reported (a missing ER?) and kept as a field. Tag lines after an ER form a
 * provisional record: when an ER closes it, it is a record of its own (an export that
 * lost its TY); when a blank line, a record number or the next TY comes first, its
 * fields belong to the record before (Ovid writes "NL  - " after ER).
 */
struct ris_run {
	struct wn_import *imp;
	struct ris_rec a, b;
	struct ris_rec *prev, *cur; /* prev: closed by ER, not yet emitted; cur: open */
	int prev_held, cur_open, cur_has_ty;
	unsigned long prev_line, cur_line;
	const char *prev_bad, *cur_bad;
	char prev_detail[256], cur_detail[256];
	unsigned long junk, junk_first;
	unsigned long bare, bare_first, bare_line; /* records without title, authors, ids */
};

static int emit(struct ris_run *rr, struct ris_rec *rec, unsigned long line, const char *bad,
		const char *detail, struct wn_err *err)
{
	struct wn_recb *b = wn_import_recb(rr->imp);
	json_object *o;

	if (bad)
		return wn_import_skip(rr->imp, line, bad, err, "%s", detail);
	if (ris_map(rec, b, err) < 0)
		return -1;
	o = wn_recb_peek(b);
	if (!json_object_object_get_ex(o, WN_F_TITLE, NULL) && !json_object_object_get_ex(o, WN_F_DOI, NULL) &&
	    !json_object_object_get_ex(o, WN_F_SOURCE_ID, NULL) && !json_object_object_get_ex(o, WN_F_AUTHORS, NULL)) {
		/* kept (it is in the export), but worth a word: reported once per file */
		if (!rr->bare++) {
			rr->bare_first = wn_import_next_index(rr->imp);
			rr->bare_line = line;
		}
	}
	return wn_import_emit(rr->imp, line, err);
}

static int flush_prev(struct ris_run *rr, struct wn_err *err)
{
	int rc = 0;

	if (rr->prev_held)
		rc = emit(rr, rr->prev, rr->prev_line, rr->prev_bad, rr->prev_detail, err);
	rr->prev_held = 0;
	ris_rec_reset(rr->prev);
	return rc;
}

/* A provisional record that did not end with ER: its fields go to the record before. */
static int resolve_provisional(struct ris_run *rr, struct wn_err *err)
{
	size_t i;

	if (!rr->cur_open || rr->cur_has_ty || !rr->prev_held)
		return 0;
	for (i = 0; i < rr->cur->n; i++) {
		const struct ris_field *f = &rr->cur->f[i];
		if (ris_rec_add(rr->prev, f->tag, rr->cur->vals.data + f->off, f->len, f->line, err) < 0)
			return -1;
	}
	if (rr->cur_bad && !rr->prev_bad) {
		rr->prev_bad = rr->cur_bad;
		memcpy(rr->prev_detail, rr->cur_detail, sizeof(rr->prev_detail));
	}
	rr->cur_open = 0;
	ris_rec_reset(rr->cur);
	return flush_prev(rr, err);
}

static void open_cur(struct ris_run *rr, unsigned long line, int has_ty)
{
	ris_rec_reset(rr->cur);
	rr->cur_open = 1;
	rr->cur_has_ty = has_ty;
	rr->cur_line = line;
	rr->cur_bad = NULL;
	rr->cur_detail[0] = '\0';
}

/* ER: the open record is complete; it waits (prev) for what may follow it. */
static int close_cur(struct ris_run *rr, struct wn_err *err)
{
	struct ris_rec *t;

	if (!rr->cur_open)
		return 0;
	if (flush_prev(rr, err) < 0)
		return -1;
	t = rr->prev;
	rr->prev = rr->cur;
	rr->cur = t;
	rr->prev_held = 1;
	rr->prev_line = rr->cur_line;
	rr->prev_bad = rr->cur_bad;
	memcpy(rr->prev_detail, rr->cur_detail, sizeof(rr->prev_detail));
	rr->cur_open = 0;
	ris_rec_reset(rr->cur);
	return 0;
}

/* Continuation of AB/N2/N1: a paragraph break when the line before ended a sentence
 * and this one starts a new one; otherwise a wrapped line, joined with a space. */
static char join_char(const struct ris_rec *r, const char *s, size_t n)
{
	const struct ris_field *f = &r->f[r->n - 1];
	const char *v = r->vals.data + f->off;
	char last = f->len ? v[f->len - 1] : ' ';

	if (f->tag[0] == 'N' && f->tag[1] == '1')
		return '\n';
	if (!((f->tag[0] == 'A' && f->tag[1] == 'B') || (f->tag[0] == 'N' && f->tag[1] == '2')))
		return ' ';
	if ((last == '.' || last == ':' || last == '?' || last == '!') && n &&
	    (wn_isupper((unsigned char)s[0]) || wn_isdigit((unsigned char)s[0])))
		return '\n';
	return ' ';
}

static int only_ty(const struct ris_rec *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		if (!(r->f[i].tag[0] == 'T' && r->f[i].tag[1] == 'Y'))
			return 0;
	}
	return 1;
}

static int on_tag(struct ris_run *rr, const char tag[2], const char *v, size_t vn,
		  unsigned long lineno, struct wn_err *err)
{
	int ty = tag[0] == 'T' && tag[1] == 'Y', er = tag[0] == 'E' && tag[1] == 'R';

	if (er)
		return close_cur(rr, err);
	if (ty) {
		if (resolve_provisional(rr, err) < 0)
			return -1;
		if (rr->cur_open && !rr->cur_has_ty) {
			/* a record that had lost its TY gets it late */
			rr->cur_has_ty = 1;
		} else if (rr->cur_open && !only_ty(rr->cur)) {
			wn_import_diag(rr->imp, WN_DIAG_WARNING, wn_import_next_index(rr->imp) + rr->prev_held,
				       lineno, "a TY line inside a record (no ER before it?): kept in the record that started at line %lu",
				       rr->cur_line);
		} else if (!rr->cur_open) {
			if (flush_prev(rr, err) < 0)
				return -1;
			open_cur(rr, lineno, 1);
		}
	} else if (!rr->cur_open) {
		open_cur(rr, lineno, 0);
	}
	return ris_rec_add(rr->cur, tag, v, vn, lineno, err);
}

static int parse(struct wn_import *imp, struct wn_input *in, struct wn_err *err)
{
	struct wn_lines lines;
	struct ris_run rr;
	const char *line;
	size_t len;
	int r, rc = 0;

	if (wn_input_text_mode(in, 1, err) < 0 || wn_lines_init(&lines, in, wn_import_max_line(imp), err) < 0)
		return -1;
	memset(&rr, 0, sizeof(rr));
	rr.imp = imp;
	ris_rec_init(&rr.a);
	ris_rec_init(&rr.b);
	rr.prev = &rr.a;
	rr.cur = &rr.b;
	while ((r = wn_lines_next(&lines, &line, &len, err)) != 0) {
		char tag[2];
		const char *v, *s = line;
		size_t vn, n = len;

		if (r < 0) {
			rc = -1;
			break;
		}
		if (r == 2) {
			/* an over-long line spoils the record it is in */
			if (!rr.cur_open) {
				wn_import_diag(imp, WN_DIAG_WARNING, 0, lines.lineno, "a line longer than %zu bytes outside any record ignored",
				       lines.max_line);
				continue;
			}
			if (!rr.cur_bad) {
				rr.cur_bad = "line too long";
				snprintf(rr.cur_detail, sizeof(rr.cur_detail), "line %lu is longer than %zu bytes (--max-line-bytes)",
					 lines.lineno, lines.max_line);
			}
			continue;
		}
		wn_text_trim(&s, &n);
		if (tag_line(line, len, 0, tag, &v, &vn) ||
		    (s != line && tag_line(line, len, 1, tag, &v, &vn) &&
		     (!rr.cur_open || (tag[0] == 'T' && tag[1] == 'Y') || (tag[0] == 'E' && tag[1] == 'R')))) {
			if (on_tag(&rr, tag, v, vn, lines.lineno, err) < 0) {
				rc = -1;
				break;
			}
			continue;
		}
		if (n == 0 || (known_junk(s, n) && !(rr.cur_open && rr.cur_has_ty))) {
			/* a blank line, or a record number or header between records, ends a
			 * provisional record (inside a record, "Content: ..." is just text) */
			if (resolve_provisional(&rr, err) < 0) {
				rc = -1;
				break;
			}
			continue;
		}
		if (rr.cur_open && rr.cur->n) {
			/* the tag is copied: adding a field may move the field array */
			const struct ris_field *last = &rr.cur->f[rr.cur->n - 1];
			char ltag[2] = { last->tag[0], last->tag[1] };
			int ok = list_tag(ltag) && last->len
				? ris_rec_add(rr.cur, ltag, s, n, lines.lineno, err)
				: ris_rec_append(rr.cur, join_char(rr.cur, s, n), s, n, err);
			if (ok < 0) {
				rc = -1;
				break;
			}
			continue;
		}
		if (!rr.junk)
			rr.junk_first = lines.lineno;
		rr.junk++;
	}
	if (rc == 0 && (resolve_provisional(&rr, err) < 0 || flush_prev(&rr, err) < 0))
		rc = -1;
	if (rc == 0 && rr.cur_open) {
		/* the last record has no ER: forgiven */
		rr.cur_open = 0;
		if (emit(&rr, rr.cur, rr.cur_line, rr.cur_bad, rr.cur_detail, err) < 0)
			rc = -1;
	}
	if (rc == 0 && rr.bare)
		wn_import_diag(imp, WN_DIAG_WARNING, rr.bare_first, rr.bare_line,
			       "%lu record%s with no title, authors or identifier (imported as they are)",
			       rr.bare, rr.bare == 1 ? "" : "s");
	if (rc == 0 && rr.junk)
		wn_import_diag(imp, WN_DIAG_NOTE, 0, rr.junk_first,
			       "%lu line%s outside any record ignored (not RIS tags)", rr.junk,
			       rr.junk == 1 ? "" : "s");
	wn_lines_release(&lines);
	ris_rec_release(&rr.a);
	ris_rec_release(&rr.b);
	return rc;
}

/* ---- detection ---- */

static int detect(const unsigned char *head, size_t n)
{
	size_t i = 0, lines = 0, tags = 0;
	int ty = 0, er = 0, first_tag_ty = 0;
	unsigned char proj[16384];

	wn_medline_detect_view(head, n, proj, sizeof(proj), &head, &n);

	if (n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
		i = 3;
	while (i < n && lines < 400) {
		const char *s = (const char *)head + i;
		const char *nl = memchr(s, '\n', n - i);
		size_t len = nl ? (size_t)(nl - s) : n - i;
		char tag[2];
		const char *v;
		size_t vn;

		if (len && s[len - 1] == '\r')
			len--;
		lines++;
		if (tag_line(s, len, 1, tag, &v, &vn)) {
			if (!tags && tag[0] == 'T' && tag[1] == 'Y')
				first_tag_ty = 1;
			tags++;
			if (tag[0] == 'T' && tag[1] == 'Y')
				ty++;
			if (tag[0] == 'E' && tag[1] == 'R')
				er++;
		}
		if (!nl)
			break;
		i += (size_t)(nl - s) + 1;
	}
	if (!ty)
		return er && tags >= 3 ? 50 : 0; /* a file that lost its TY lines */
	if (first_tag_ty && er)
		return 95;
	return first_tag_ty ? 90 : 60;
}

const struct wn_format wn_format_ris = {
	.name = "ris",
	.description = "RIS (Scopus, Embase, Ovid, EBSCO, ProQuest, Cochrane, EndNote, Zotero, ...)",
	.default_source = NULL,
	.detect = detect,
	.parse = parse,
	.count = NULL,
};
