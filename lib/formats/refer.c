/*
 * refer.c - the EndNote/refer tagged format (.enw, "EndNote Import" from PubMed, Google
 * Scholar, publishers' "Download citation"): a record starts at "%0 Type"; every line
 * "%X value" is a field, a line without a tag continues the previous field.
 *
 * Tags (EndNote's refer dialect): %A author, %T title, %J journal, %B secondary title,
 * %D year, %8 date, %V volume, %N issue, %P pages, %R DOI, %@ ISSN/ISBN, %U URL,
 * %X abstract, %K keywords, %G language, %I publisher, %M accession number, %~ name
 * of database (the source), %9 type of work; the others are kept in extra under the
 * tag ("%C", "%Z" ...).
 *
 * A record is whatever a %0 line opens, even one with nothing but its type (a note
 * says so): the export delimits records explicitly. Lines before the first %0 belong to
 * no record and are reported, never guessed into one.
 */
#include <string.h>
#include "winnow/ascii.h"
#include "winnow/input.h"
#include "winnow/text.h"
#include "csv_util.h"
#include "formats.h"

static int tag_line(const char *s, size_t n)
{
	return n >= 2 && s[0] == '%' && s[1] > ' ' && s[1] < 0x7F && (n == 2 || s[2] == ' ');
}

static int refer_detect(const unsigned char *head, size_t n)
{
	char text[4096];
	size_t len = wn_fu_head_text(head, n, text, sizeof(text)), pos = 0, ln;
	const char *line;
	int tags = 0, first = 1;

	while (wn_fu_next_line(text, len, &pos, &line, &ln)) {
		const char *p = line;
		size_t k = ln;
		wn_text_trim(&p, &k);
		if (!k)
			continue;
		if (first && wn_text_startswith(p, k, "%0") && (k == 2 || p[2] == ' '))
			return 95;
		first = 0;
		if (!tag_line(p, k))
			return tags >= 2 ? 50 : 0;
		if (p[1] == '0')
			return 90;
		tags++;
	}
	return tags >= 2 ? 50 : 0;
}

struct refer {
	struct wn_import *imp;
	struct wn_recb *b;
	char tag;                 /* current field's tag character, 0 none */
	struct wn_buf cur, name, date;
	int in_rec, damaged;
	unsigned long rec_line, outside, first_outside;
	struct wn_fu_weak weak;
};

static int flush(struct refer *r, struct wn_err *err)
{
	struct wn_recb *b = r->b;
	const char *v = r->cur.data;
	size_t n = r->cur.len;
	char t = r->tag;
	int rc = 0;

	r->tag = 0;
	wn_text_trim(&v, &n);
	if (!t || !n) {
		wn_buf_reset(&r->cur);
		return 0;
	}
	switch (t) {
	case '0':
		rc = wn_recb_text(b, WN_F_TYPE, v, n, WN_RECB_KEEP, err);
		break;
	case 'A':
		if (wn_fu_name(&r->name, v, n, WN_NAME_GUESS, 0, err) < 0)
			return -1;
		rc = wn_recb_list(b, WN_F_AUTHORS, r->name.data, r->name.len, 0, err);
		break;
	case 'T':
		rc = json_object_object_get_ex(wn_recb_peek(b), WN_F_TITLE, NULL)
			? wn_recb_extra(b, "%T", v, n, 0, err) : wn_recb_text(b, WN_F_TITLE, v, n, 0, err);
		break;
	case 'J':
		rc = json_object_object_get_ex(wn_recb_peek(b), WN_F_JOURNAL, NULL)
			? wn_recb_extra(b, "%J", v, n, 0, err) : wn_recb_text(b, WN_F_JOURNAL, v, n, 0, err);
		break;
	case 'B':
		rc = json_object_object_get_ex(wn_recb_peek(b), WN_F_JOURNAL, NULL)
			? wn_recb_extra(b, "%B", v, n, 0, err) : wn_recb_text(b, WN_F_JOURNAL, v, n, 0, err);
		break;
	case 'D':
		rc = wn_recb_year(b, v, n, err);
		if (rc == 0 || (rc > 0 && n != 4))
			rc = wn_recb_extra(b, "%D", v, n, 0, err);
		break;
	case '8':
		wn_buf_reset(&r->date);
		rc = wn_buf_add(&r->date, v, n, err);
		break;
	case 'V':
		rc = wn_recb_text(b, WN_F_VOLUME, v, n, WN_RECB_KEEP, err);
		break;
	case 'N':
		rc = wn_recb_text(b, WN_F_ISSUE, v, n, WN_RECB_KEEP, err);
		break;
	case 'P':
		rc = wn_recb_text(b, WN_F_PAGES, v, n, WN_RECB_KEEP, err);
		break;
	case 'R':
		rc = wn_recb_doi(b, v, n, err);
		if (rc == 0)
			rc = wn_recb_extra(b, "%R", v, n, 0, err);
		break;
	case '@': {
		/* ISSN (8 digits) or ISBN */
		size_t i, d = 0;
		for (i = 0; i < n; i++)
			if (wn_isdigit((unsigned char)v[i]) || v[i] == 'X' || v[i] == 'x')
				d++;
		rc = wn_fu_list(b, d == 8 ? WN_F_ISSN : WN_F_ISBN, v, n, WN_RECB_UNIQUE, err);
		break;
	}
	case 'U':
		rc = json_object_object_get_ex(wn_recb_peek(b), WN_F_URL, NULL)
			? wn_recb_extra(b, "%U", v, n, 0, err) : wn_recb_text(b, WN_F_URL, v, n, 0, err);
		break;
	case 'X':
		rc = wn_recb_text(b, WN_F_ABSTRACT, v, n, WN_RECB_MULTILINE | WN_RECB_APPEND, err);
		break;
	case 'K':
		rc = wn_fu_split(b, WN_F_KEYWORDS, v, n, ";\n", WN_RECB_UNIQUE, err);
		break;
	case 'G':
		rc = wn_recb_text(b, WN_F_LANGUAGE, v, n, WN_RECB_KEEP, err);
		break;
	case 'I':
		rc = wn_recb_text(b, WN_F_PUBLISHER, v, n, WN_RECB_KEEP, err);
		break;
	case 'M':
		rc = wn_recb_text(b, WN_F_SOURCE_ID, v, n, WN_RECB_KEEP, err);
		break;
	case '~':
		rc = wn_recb_text(b, WN_F_SOURCE, v, n, WN_RECB_KEEP, err);
		break;
	case '9':
		rc = wn_fu_list(b, WN_F_PUBTYPES, v, n, WN_RECB_UNIQUE, err);
		break;
	default: {
		char key[3] = { '%', t, '\0' };
		rc = wn_recb_extra(b, key, v, n, WN_RECB_MULTILINE, err);
		break;
	}
	}
	wn_buf_reset(&r->cur);
	return rc < 0 ? -1 : 0;
}

static int end_record(struct refer *r, struct wn_err *err)
{
	json_object *rec;

	if (!r->in_rec)
		return 0;
	r->in_rec = 0;
	if (flush(r, err) < 0)
		return -1;
	if (r->damaged)
		return wn_import_skip(r->imp, r->rec_line, "line too long", err,
				      "a line of the record is longer than the limit (--max-line-bytes)");
	rec = wn_recb_peek(r->b);
	if (r->date.len) {
		int y = (int)wn_record_get_int(rec, WN_F_YEAR, 0);
		if (wn_fu_date(r->b, r->date.data, r->date.len, y, err) < 0)
			return -1;
		if (!json_object_object_get_ex(rec, WN_F_DATE, NULL) &&
		    wn_recb_extra(r->b, "%8", r->date.data, r->date.len, 0, err) < 0)
			return -1;
	}
	/* %0 opens a record: one with little in it is still kept, and counted */
	if (wn_fu_content(rec) < 2)
		wn_fu_weak_add(&r->weak, r->imp, r->rec_line);
	return wn_import_emit(r->imp, r->rec_line, err);
}

static int refer_parse(struct wn_import *imp, struct wn_input *in, struct wn_err *err)
{
	struct refer r;
	struct wn_lines lines;
	const char *s;
	size_t n;
	int rc = 0, x;

	if (wn_input_text_mode(in, 1, err) < 0 ||
	    wn_lines_init(&lines, in, wn_import_max_line(imp), err) < 0)
		return -1;
	memset(&r, 0, sizeof(r));
	r.imp = imp;
	r.b = wn_import_recb(imp);
	wn_buf_init(&r.cur, 0);
	wn_buf_init(&r.name, 0);
	wn_buf_init(&r.date, 0);
	while (rc == 0 && (x = wn_lines_next(&lines, &s, &n, err)) != 0) {
		if (x < 0) {
			rc = -1;
			break;
		}
		if (x == 2) {
			wn_import_diag(imp, WN_DIAG_WARNING, r.in_rec ? wn_import_next_index(imp) : 0,
				       lines.lineno, "%s", err->msg);
			wn_err_clear(err);
			r.damaged |= r.in_rec;
			continue;
		}
		if (tag_line(s, n)) {
			if (s[1] == '0') {
				if (end_record(&r, err) < 0) {
					rc = -1;
					break;
				}
				r.in_rec = 1;
				r.damaged = 0;
				r.rec_line = lines.lineno;
				wn_buf_reset(&r.date);
				if (wn_recb_begin(r.b, err) < 0) {
					rc = -1;
					break;
				}
			} else if (!r.in_rec) {
				if (!r.outside++)
					r.first_outside = lines.lineno;
				continue;
			} else if (flush(&r, err) < 0) {
				rc = -1;
				break;
			}
			r.tag = s[1];
			if (n > 3 && wn_buf_add(&r.cur, s + 3, n - 3, err) < 0)
				rc = -1;
			continue;
		}
		{
			const char *t = s;
			size_t tn = n;
			wn_text_trim(&t, &tn);
			if (!tn) {
				/* a blank line ends the field; in the abstract, a paragraph */
				if (r.tag == 'X' && wn_buf_addc(&r.cur, '\n', err) < 0)
					rc = -1;
				else if (r.tag != 'X' && r.in_rec && flush(&r, err) < 0)
					rc = -1;
				continue;
			}
			if (!r.in_rec || !r.tag) {
				if (!r.in_rec) {
					if (!r.outside++)
						r.first_outside = lines.lineno;
				} else if (wn_recb_extra(r.b, "text", t, tn, 0, err) < 0) {
					rc = -1;
				}
				continue;
			}
			if (wn_buf_addc(&r.cur, ' ', err) < 0 ||
			    wn_buf_add(&r.cur, t, tn, err) < 0)
				rc = -1;
		}
	}
	if (rc == 0 && end_record(&r, err) < 0)
		rc = -1;
	if (rc == 0)
		wn_fu_weak_report(&r.weak, imp);
	if (rc == 0 && r.outside)
		wn_import_diag(imp, WN_DIAG_WARNING, 0, r.first_outside,
			       "%lu line%s before any %%0 line (no record type): not read as records",
			       r.outside, r.outside == 1 ? "" : "s");
	wn_buf_release(&r.cur);
	wn_buf_release(&r.name);
	wn_buf_release(&r.date);
	wn_lines_release(&lines);
	return rc;
}

const struct wn_format wn_format_refer = {
	"refer",
	"EndNote/refer tagged text (%0 %A %T ...; .enw)",
	NULL,
	refer_detect,
	refer_parse,
	NULL
};
