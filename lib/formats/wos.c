/*
 * wos.c - Web of Science tagged plain text ("Other file formats" / "Other reference
 * software": .txt, .ciw, .isi), detected by content, so a WoS file saved as .ris is
 * still read as WoS.
 *
 * Layout (research/formats.md 3.3): "FN ..." and "VR 1.0" header lines; each record from
 * "PT" to "ER"; "EF" at the end (files joined with cat have several FN...EF blocks).
 * A tag is two characters and a space; a line starting with spaces continues the
 * previous tag - as a new item for the list tags (AU, AF, CR, C1 ...), as more text for
 * the others.
 *
 * Tolerance: a missing ER is forgiven when the next PT arrives or the file ends (the
 * record is kept, with a warning); a record that starts without PT starts at its first
 * tag; text outside records is counted and reported once. A record with neither a title
 * nor an identifier is skipped and counted.
 */
#include <string.h>
#include "winnow/ascii.h"
#include "winnow/input.h"
#include "winnow/text.h"
#include "csv_util.h"
#include "formats.h"
#include "wos.h"

static int is_tag_line(const char *s, size_t n)
{
	return n >= 2 && wn_isupper((unsigned char)s[0]) &&
	       (wn_isupper((unsigned char)s[1]) || wn_isdigit((unsigned char)s[1])) &&
	       (n == 2 || s[2] == ' ' || s[2] == '\t');
}

static int wos_detect(const unsigned char *head, size_t n)
{
	char text[4096];
	size_t len = wn_fu_head_text(head, n, text, sizeof(text)), pos = 0, ln;
	const char *line;
	int first = 1, tags = 0, pt = 0;

	while (wn_fu_next_line(text, len, &pos, &line, &ln)) {
		const char *p = line;
		size_t k = ln;

		wn_text_trim(&p, &k);
		if (!k)
			continue;
		if (first) {
			first = 0;
			if (wn_text_startswith(p, k, "FN ") &&
			    (strstr(text, "\nPT ") || strstr(text, "\nVR ") || k < 80))
				return 95;
			if (!wn_text_startswith(p, k, "PT "))
				return 0;
			pt = 1;
			continue;
		}
		if (p != line)
			continue; /* continuation line */
		if (!is_tag_line(line, ln))
			return 0;
		if (ln == 2 && line[0] == 'E' && line[1] == 'R')
			return pt ? 80 : 0;
		tags++;
	}
	return pt && tags >= 2 ? 60 : 0;
}

struct wos_parse {
	struct wn_import *imp;
	struct wn_wos_rec rec;
	struct wn_buf cur;        /* value of the current (non-item) tag */
	char tag[3];              /* current tag, "" when none */
	int in_rec, damaged;
	unsigned long rec_line;   /* line where the record started */
	unsigned long outside;    /* non-blank lines outside records */
	unsigned long first_outside;
	struct wn_fu_weak weak;
};

static int flush_field(struct wos_parse *p, struct wn_err *err)
{
	int rc = 0;

	if (p->tag[0] && p->cur.len)
		rc = wn_wos_rec_field(&p->rec, p->tag, p->cur.data, p->cur.len, 0, err);
	wn_buf_reset(&p->cur);
	return rc;
}

static int begin_record(struct wos_parse *p, unsigned long line, struct wn_err *err)
{
	p->in_rec = 1;
	p->damaged = 0;
	p->rec_line = line;
	p->tag[0] = '\0';
	wn_buf_reset(&p->cur);
	return wn_wos_rec_begin(&p->rec, err);
}

/* End the record: emit it, or skip it when it is unusable or was damaged. */
static int end_record(struct wos_parse *p, int closed, struct wn_err *err)
{
	if (!p->in_rec)
		return 0;
	p->in_rec = 0;
	if (flush_field(p, err) < 0)
		return -1;
	p->tag[0] = '\0';
	if (p->damaged)
		return wn_import_skip(p->imp, p->rec_line, "line too long", err,
				      "a line of the record is longer than the limit (--max-line-bytes)");
	if (wn_wos_rec_finish(&p->rec, err) < 0)
		return -1;
	switch (wn_fu_content(wn_recb_peek(p->rec.b))) {
	case 0:
		return wn_import_skip(p->imp, p->rec_line, "no bibliographic fields", err,
				      "the record has no TI, AU, UT, DI, SO, PY or AB field");
	case 1:
		wn_fu_weak_add(&p->weak, p->imp, p->rec_line);
		break;
	default:
		break;
	}
	if (!closed)
		wn_import_diag(p->imp, WN_DIAG_WARNING, wn_import_next_index(p->imp), p->rec_line,
			       "record not closed by ER (truncated file?); kept");
	return wn_import_emit(p->imp, p->rec_line, err);
}

static int wos_line(struct wos_parse *p, const char *s, size_t n, unsigned long lineno,
		    struct wn_err *err)
{
	const char *v;
	size_t vn;

	if (n == 0 || (s[0] == ' ' || s[0] == '\t')) {
		const char *t = s;
		size_t tn = n;
		wn_text_trim(&t, &tn);
		if (!tn) {
			/* a blank line ends the field, not the record */
			if (p->in_rec && flush_field(p, err) < 0)
				return -1;
			p->tag[0] = '\0';
			return 0;
		}
		if (!p->in_rec || !p->tag[0]) {
			if (p->in_rec && !p->tag[0]) {
				/* continuation after a blank line: the tag before it goes on */
				wn_import_diag(p->imp, WN_DIAG_NOTE, wn_import_next_index(p->imp), lineno,
					       "continuation line without a tag, kept in extra");
				return wn_recb_extra(wn_import_recb(p->imp), "text", t, tn, 0, err) < 0 ? -1 : 0;
			}
			if (!p->outside++)
				p->first_outside = lineno;
			return 0;
		}
		if (wn_wos_item_tag(p->tag))
			return wn_wos_rec_field(&p->rec, p->tag, t, tn, 0, err);
		if (p->cur.len && wn_buf_addc(&p->cur, ' ', err) < 0)
			return -1;
		return wn_buf_add(&p->cur, t, tn, err);
	}
	if (!is_tag_line(s, n)) {
		if (p->in_rec) {
			/* stray text inside a record: keep it, do not guess a field */
			if (flush_field(p, err) < 0)
				return -1;
			p->tag[0] = '\0';
			wn_import_diag(p->imp, WN_DIAG_NOTE, wn_import_next_index(p->imp), lineno,
				       "line without a field tag, kept in extra");
			return wn_recb_extra(wn_import_recb(p->imp), "text", s, n, 0, err) < 0 ? -1 : 0;
		}
		if (!p->outside++)
			p->first_outside = lineno;
		return 0;
	}
	v = n > 3 ? s + 3 : "";
	vn = n > 3 ? n - 3 : 0;
	if ((s[0] == 'F' && s[1] == 'N') || (s[0] == 'E' && s[1] == 'F'))
		return p->in_rec ? end_record(p, 0, err) : 0;
	if (s[0] == 'V' && s[1] == 'R' && !p->in_rec)
		return 0;
	if (s[0] == 'E' && s[1] == 'R')
		return p->in_rec ? end_record(p, 1, err) : 0;
	if (s[0] == 'P' && s[1] == 'T' && p->in_rec && end_record(p, 0, err) < 0)
		return -1;
	if (!p->in_rec && begin_record(p, lineno, err) < 0)
		return -1;
	if (flush_field(p, err) < 0)
		return -1;
	p->tag[0] = s[0];
	p->tag[1] = s[1];
	p->tag[2] = '\0';
	if (wn_wos_item_tag(p->tag))
		return wn_wos_rec_field(&p->rec, p->tag, v, vn, 0, err);
	return wn_buf_add(&p->cur, v, vn, err);
}

static int wos_parse(struct wn_import *imp, struct wn_input *in, struct wn_err *err)
{
	struct wos_parse p;
	struct wn_lines lines;
	const char *s;
	size_t n;
	int rc = 0, r;

	if (wn_input_text_mode(in, 1, err) < 0 ||
	    wn_lines_init(&lines, in, wn_import_max_line(imp), err) < 0)
		return -1;
	memset(&p, 0, sizeof(p));
	p.imp = imp;
	wn_wos_rec_init(&p.rec, wn_import_recb(imp));
	wn_buf_init(&p.cur, 0);
	while ((r = wn_lines_next(&lines, &s, &n, err)) != 0) {
		if (r < 0) {
			rc = -1;
			break;
		}
		if (r == 2) {
			/* over-long line: the record it belongs to cannot be trusted */
			wn_import_diag(imp, WN_DIAG_WARNING, p.in_rec ? wn_import_next_index(imp) : 0,
				       lines.lineno, "%s", err->msg);
			wn_err_clear(err);
			if (p.in_rec)
				p.damaged = 1;
			continue;
		}
		if (wos_line(&p, s, n, lines.lineno, err) < 0) {
			rc = -1;
			break;
		}
	}
	if (rc == 0 && p.in_rec && end_record(&p, 0, err) < 0)
		rc = -1;
	if (rc == 0)
		wn_fu_weak_report(&p.weak, imp);
	if (rc == 0 && p.outside)
		wn_import_diag(imp, WN_DIAG_NOTE, 0, p.first_outside,
			       "%lu line%s outside any record (PT ... ER) ignored", p.outside,
			       p.outside == 1 ? "" : "s");
	wn_buf_release(&p.cur);
	wn_wos_rec_release(&p.rec);
	wn_lines_release(&lines);
	return rc;
}

const struct wn_format wn_format_wos = {
	"wos",
	"Web of Science tagged text (FN/VR, PT ... ER; .txt, .ciw, .isi)",
	"Web of Science",
	wos_detect,
	wos_parse,
	NULL
};
