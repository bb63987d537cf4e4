/*
 * medline.c - the MEDLINE / PubMed tagged format (.nbib, .txt, efetch rettype=medline;
 * also the "PubMed" export some tools save as .ris).
 *
 * Layout (NLM "MEDLINE/PubMed Data Element (Field) Descriptions"): a tag of 2-4
 * capitals padded to 4 columns, "- ", the value; continuation lines start with spaces
 * (6 by the book); records are separated by blank lines and start with "PMID- ". Files
 * often begin with a blank line, sometimes with a leading space.
 *
 * Each field is gathered whole (continuation lines joined with a space), then mapped.
 * The mapping matches the PubMed XML importer's for the same citation (medline_util.c):
 * the same year and date, MeSH as MH lines give them, comment/correction links (CIN,
 * EIN, RIN, ...) as `notices` with the XML RefType names. Tags without a record field
 * go to `extra` under the tag.
 *
 * A record without a PMID is not a MEDLINE record (every one starts with it): it is
 * skipped and counted. A line over the length limit spoils its record, which is skipped
 * and reported with the line number; the other records are still imported.
 */
#include <stdio.h>
#include <string.h>
#include "winnow/ascii.h"
#include "winnow/import.h"
#include "formats.h"
#include "medline_util.h"

struct med {
	struct wn_import *imp;
	struct wn_recb *b;
	int in_rec;
	unsigned long rec_line;   /* line where the record started */
	char tag[5];              /* field being gathered ("" = none) */
	unsigned long tag_line;
	struct wn_buf val;        /* its value so far */
	struct wn_buf tmp;
	int have_pmid, prev_fau, nlang, has_bti, has_ti;
	const char *bad_reason;   /* set when the record cannot be used */
	char bad_detail[256];
};

/* The record-field tags, and the comment/correction tags with the XML RefType each
 * corresponds to. */
static const struct {
	const char *tag, *reftype;
} notice_tags[] = {
	{ "CIN", "CommentIn" }, { "CON", "CommentOn" },
	{ "CRI", "CorrectedandRepublishedIn" }, { "CRF", "CorrectedandRepublishedFrom" },
	{ "EIN", "ErratumIn" }, { "EFR", "ErratumFor" },
	{ "ECI", "ExpressionOfConcernIn" }, { "ECF", "ExpressionOfConcernFor" },
	{ "RPI", "RepublishedIn" }, { "RPF", "RepublishedFrom" },
	{ "RRI", "RetractedandRepublishedIn" }, { "RRF", "RetractedandRepublishedFrom" },
	{ "RIN", "RetractionIn" }, { "ROF", "RetractionOf" },
	{ "UIN", "UpdateIn" }, { "UOF", "UpdateOf" },
	{ "SPIN", "SummaryForPatientsIn" }, { "ORI", "OriginalReportIn" },
	{ "PRIN", "PartialRetractionIn" }, { "PROF", "PartialRetractionOf" },
	{ NULL, NULL }
};

/* Is line[0..n) a tag line? Sets the tag (2-4 capitals/digits, starting with a capital)
 * and where the value starts. */
static int tag_line(const char *s, size_t n, char tag[5], size_t *vstart)
{
	size_t i = 0, k;

	if (n < 5 || !wn_isupper((unsigned char)s[0]))
		return 0;
	while (i < 4 && i < n && (wn_isupper((unsigned char)s[i]) || wn_isdigit((unsigned char)s[i])))
		i++;
	if (i < 2)
		return 0;
	k = i;
	while (k < 4 && k < n && s[k] == ' ')
		k++;
	if (k != 4 || k >= n || s[k] != '-')
		return 0;
	memcpy(tag, s, i);
	tag[i] = '\0';
	/* "PMID- 1" by the book; "PMID-1" occurs too */
	*vstart = k + 1 < n && s[k + 1] == ' ' ? k + 2 : k + 1;
	return 1;
}

static int is_tag(const char *tag, const char *lit)
{
	return strcmp(tag, lit) == 0;
}

/* "0964-6906 (Print)" -> "0964-6906" */
static void strip_qualifier(const char **s, size_t *n)
{
	const char *p = memchr(*s, '(', *n);

	if (p)
		*n = (size_t)(p - *s);
	wn_text_trim(s, n);
}

/* "10.1371/x [doi]" -> type "doi", value "10.1371/x" */
static int bracket_type(const char *s, size_t n, const char **v, size_t *vn, const char **t, size_t *tn)
{
	const char *lb;

	wn_text_trim(&s, &n);
	if (!n || s[n - 1] != ']')
		return 0;
	lb = s + n - 1;
	while (lb > s && *lb != '[')
		lb--;
	if (*lb != '[')
		return 0;
	*t = lb + 1;
	*tn = (size_t)(s + n - 1 - *t);
	*v = s;
	*vn = (size_t)(lb - s);
	wn_text_trim(v, vn);
	return 1;
}

static int apply_notice(struct med *m, const char *reftype, const char *s, size_t n, struct wn_err *err)
{
	size_t pn = 0;
	const char *pmid = wn_medline_find_pmid(s, n, &pn);
	size_t rn = n;

	/* the reference text without its trailing "PMID: n" */
	if (pmid) {
		const char *p = pmid;
		while (p > s && p[-1] != 'P')
			p--;
		if (p > s)
			rn = (size_t)(p - 1 - s);
	}
	return wn_medline_notice(m->b, reftype, pmid, pn, s, rn, err);
}

static int languages(struct med *m, const char *s, size_t n, struct wn_err *err)
{
	size_t i;

	wn_buf_reset(&m->tmp);
	if (wn_buf_add(&m->tmp, s, n, err) < 0)
		return -1;
	for (i = 0; i < m->tmp.len; i++)
		m->tmp.data[i] = (char)wn_tolower((unsigned char)m->tmp.data[i]);
	if (++m->nlang == 1)
		return wn_recb_text(m->b, WN_F_LANGUAGE, m->tmp.data, m->tmp.len, WN_RECB_KEEP, err);
	if (m->nlang == 2) {
		const char *first = wn_record_get(wn_recb_peek(m->b), WN_F_LANGUAGE);
		if (first && wn_recb_extra(m->b, "LA", first, strlen(first), 0, err) < 0)
			return -1;
	}
	return wn_recb_extra(m->b, "LA", m->tmp.data, m->tmp.len, 0, err);
}

/* Map one whole field. */
static int apply(struct med *m, const char *tag, const char *s, size_t n, struct wn_err *err)
{
	struct wn_recb *b = m->b;
	int i, prev_fau = m->prev_fau;

	m->prev_fau = 0;
	wn_text_trim(&s, &n);
	if (is_tag(tag, "PMID")) {
		m->have_pmid = n > 0;
		if (wn_recb_text(b, WN_F_PMID, s, n, WN_RECB_KEEP, err) < 0)
			return -1;
		return wn_recb_text(b, WN_F_SOURCE_ID, s, n, WN_RECB_KEEP, err);
	}
	if (is_tag(tag, "TI")) {
		m->has_ti = 1;
		return wn_recb_text(b, WN_F_TITLE, s, n, WN_RECB_APPEND, err);
	}
	if (is_tag(tag, "AB"))
		return wn_recb_text(b, WN_F_ABSTRACT, s, n, WN_RECB_APPEND | WN_RECB_MULTILINE, err);
	if (is_tag(tag, "FAU")) {
		m->prev_fau = 1;
		return wn_recb_list(b, WN_F_AUTHORS, s, n, 0, err);
	}
	if (is_tag(tag, "AU")) {
		/* the short form of the FAU just before it: already there */
		if (prev_fau)
			return 0;
		return wn_recb_list(b, WN_F_AUTHORS, s, n, 0, err);
	}
	if (is_tag(tag, "CN"))
		return wn_recb_list(b, WN_F_AUTHORS, s, n, 0, err);
	if (is_tag(tag, "DP")) {
		int y, mo, d, exact = wn_medline_parse_date(s, n, &y, &mo, &d);
		if (wn_medline_set_date(b, y, mo, d, err) < 0)
			return -1;
		return exact ? 0 : wn_recb_extra(b, "DP", s, n, 0, err);
	}
	if (is_tag(tag, "JT"))
		return wn_recb_text(b, WN_F_JOURNAL, s, n, WN_RECB_KEEP, err);
	if (is_tag(tag, "TA"))
		return wn_recb_text(b, WN_F_JOURNAL_ABBREV, s, n, WN_RECB_KEEP, err);
	if (is_tag(tag, "IS")) {
		strip_qualifier(&s, &n);
		return wn_recb_list(b, WN_F_ISSN, s, n, WN_RECB_UNIQUE, err);
	}
	if (is_tag(tag, "ISBN")) {
		strip_qualifier(&s, &n);
		return wn_recb_list(b, WN_F_ISBN, s, n, WN_RECB_UNIQUE, err);
	}
	if (is_tag(tag, "VI"))
		return wn_recb_text(b, WN_F_VOLUME, s, n, WN_RECB_KEEP, err);
	if (is_tag(tag, "IP"))
		return wn_recb_text(b, WN_F_ISSUE, s, n, WN_RECB_KEEP, err);
	if (is_tag(tag, "PG"))
		return wn_recb_text(b, WN_F_PAGES, s, n, WN_RECB_KEEP, err);
	if (is_tag(tag, "LID") || is_tag(tag, "AID")) {
		const char *v, *t;
		size_t vn, tn;
		if (bracket_type(s, n, &v, &vn, &t, &tn)) {
			if (wn_text_ieq(t, tn, "doi"))
				return wn_recb_doi(b, v, vn, err) < 0 ? -1 : 0;
			if (wn_text_ieq(t, tn, "pii"))
				return wn_recb_extra(b, "pii", v, vn, WN_RECB_UNIQUE, err);
		} else if (n > 4 && wn_text_ieq(s, 4, "doi:")) {
			/* "doi:10.1016/..." without the [doi] mark */
			int rc = wn_recb_doi(b, s, n, err);
			if (rc != 0)
				return rc < 0 ? -1 : 0;
		}
		return wn_recb_extra(b, tag, s, n, 0, err);
	}
	if (is_tag(tag, "PMC"))
		return wn_recb_text(b, WN_F_PMCID, s, n, WN_RECB_KEEP, err);
	if (is_tag(tag, "LA"))
		return languages(m, s, n, err);
	if (is_tag(tag, "PT"))
		return wn_recb_list(b, WN_F_PUBTYPES, s, n, WN_RECB_UNIQUE, err);
	if (is_tag(tag, "MH"))
		return wn_recb_list(b, WN_F_MESH, s, n, 0, err);
	if (is_tag(tag, "OT"))
		return wn_recb_list(b, WN_F_KEYWORDS, s, n, WN_RECB_UNIQUE, err);
	if (is_tag(tag, "PB"))
		return wn_recb_text(b, WN_F_PUBLISHER, s, n, WN_RECB_KEEP, err);
	if (is_tag(tag, "BTI")) {
		m->has_bti = 1;
		return wn_recb_extra(b, "BTI", s, n, 0, err);
	}
	if (is_tag(tag, "FED") || is_tag(tag, "ED"))
		return wn_recb_extra(b, "editors", s, n, 0, err);
	for (i = 0; notice_tags[i].tag; i++) {
		if (is_tag(tag, notice_tags[i].tag))
			return apply_notice(m, notice_tags[i].reftype, s, n, err);
	}
	return wn_recb_extra(b, tag, s, n, 0, err);
}

static int flush_field(struct med *m, struct wn_err *err)
{
	int rc = 0;

	if (m->tag[0] && !m->bad_reason)
		rc = apply(m, m->tag, m->val.data, m->val.len, err) < 0 ? -1 : 0;
	m->tag[0] = '\0';
	wn_buf_reset(&m->val);
	return rc;
}

static int begin_record(struct med *m, unsigned long line, struct wn_err *err)
{
	if (wn_recb_begin(m->b, err) < 0 ||
	    wn_recb_text(m->b, WN_F_SOURCE, "PubMed", 6, 0, err) < 0)
		return -1;
	m->in_rec = 1;
	m->rec_line = line;
	m->have_pmid = m->prev_fau = m->nlang = m->has_bti = m->has_ti = 0;
	m->bad_reason = NULL;
	m->bad_detail[0] = '\0';
	return 0;
}

/* Book records: the book title is the title of a book, the container of a chapter. */
static int finish_book(struct med *m, struct wn_err *err)
{
	json_object *extra, *bti;
	const char *s;

	if (!m->has_bti || !json_object_object_get_ex(wn_recb_peek(m->b), WN_F_EXTRA, &extra) ||
	    !json_object_object_get_ex(extra, "BTI", &bti) || !json_object_is_type(bti, json_type_string))
		return wn_recb_text(m->b, WN_F_TYPE, "Journal Article", 15, 0, err);
	s = json_object_get_string(bti);
	if (wn_recb_text(m->b, m->has_ti ? WN_F_JOURNAL : WN_F_TITLE, s, strlen(s), WN_RECB_KEEP, err) < 0 ||
	    wn_recb_text(m->b, WN_F_TYPE, m->has_ti ? "Book Chapter" : "Book", m->has_ti ? 12 : 4, 0, err) < 0)
		return -1;
	json_object_object_del(extra, "BTI");
	if (json_object_object_length(extra) == 0)
		json_object_object_del(wn_recb_peek(m->b), WN_F_EXTRA);
	return 0;
}

static int end_record(struct med *m, struct wn_err *err)
{
	if (!m->in_rec)
		return 0;
	if (flush_field(m, err) < 0)
		return -1;
	m->in_rec = 0;
	if (m->bad_reason)
		return wn_import_skip(m->imp, m->rec_line, m->bad_reason, err, "%s", m->bad_detail);
	if (!m->have_pmid)
		return wn_import_skip(m->imp, m->rec_line, "no PMID", err,
				      "a MEDLINE record starts with its PMID line; this one has none");
	if (finish_book(m, err) < 0)
		return -1;
	return wn_import_emit(m->imp, m->rec_line, err);
}

static int parse(struct wn_import *imp, struct wn_input *in, struct wn_err *err)
{
	struct wn_lines lines;
	struct med m;
	const char *line;
	size_t len;
	int r, rc = 0;

	if (wn_input_text_mode(in, 1, err) < 0 || wn_lines_init(&lines, in, wn_import_max_line(imp), err) < 0)
		return -1;
	memset(&m, 0, sizeof(m));
	m.imp = imp;
	m.b = wn_import_recb(imp);
	wn_buf_init(&m.val, 0);
	wn_buf_init(&m.tmp, 0);
	while ((r = wn_lines_next(&lines, &line, &len, err)) != 0) {
		char tag[5];
		size_t vs;
		const char *s = line;
		size_t n = len;
		int is_tag_line;

		if (r < 0) {
			rc = -1;
			break;
		}
		if (r == 2) {
			/* an over-long line: it spoils the record it is in */
			if (!m.in_rec && begin_record(&m, lines.lineno, err) < 0) {
				rc = -1;
				break;
			}
			if (!m.bad_reason) {
				m.bad_reason = "line too long";
				snprintf(m.bad_detail, sizeof(m.bad_detail), "line %lu is longer than %zu bytes (--max-line-bytes)",
					 lines.lineno, lines.max_line);
			}
			m.tag[0] = '\0';
			continue;
		}
		wn_text_trim(&s, &n);
		if (n == 0) {
			if (end_record(&m, err) < 0) {
				rc = -1;
				break;
			}
			continue;
		}
		/* a tag line; one with leading space only where no field could continue */
		if (line[0] != ' ' && line[0] != '\t') {
			is_tag_line = tag_line(line, len, tag, &vs);
		} else if (!m.tag[0] && (is_tag_line = tag_line(s, n, tag, &vs)) != 0) {
			line = s;
			len = n;
		} else {
			is_tag_line = 0;
		}
		if (is_tag_line) {
			if (flush_field(&m, err) < 0) {
				rc = -1;
				break;
			}
			/* PMID starts a record even without a blank line before it */
			if (m.in_rec && is_tag(tag, "PMID") && m.have_pmid && end_record(&m, err) < 0) {
				rc = -1;
				break;
			}
			if (!m.in_rec && begin_record(&m, lines.lineno, err) < 0) {
				rc = -1;
				break;
			}
			memcpy(m.tag, tag, sizeof(tag));
			m.tag_line = lines.lineno;
			if (wn_buf_add(&m.val, line + vs, len - vs, err) < 0) {
				rc = -1;
				break;
			}
			continue;
		}
		if (m.tag[0]) {
			/* a continuation line */
			if (wn_buf_addc(&m.val, ' ', err) < 0 || wn_buf_add(&m.val, s, n, err) < 0) {
				rc = -1;
				break;
			}
			continue;
		}
		/* text that belongs to no field */
		if (m.in_rec) {
			if (!m.bad_reason && wn_recb_extra(m.b, "untagged", s, n, 0, err) < 0) {
				rc = -1;
				break;
			}
		} else
			wn_import_diag(imp, WN_DIAG_WARNING, 0, lines.lineno,
				       "ignored a line that is not part of a MEDLINE record");
	}
	if (rc == 0 && end_record(&m, err) < 0)
		rc = -1;
	wn_lines_release(&lines);
	wn_buf_release(&m.val);
	wn_buf_release(&m.tmp);
	return rc;
}

/* ---- detection ---- */

static int detect(const unsigned char *head, size_t n)
{
	size_t i = 0, tags = 0, lines = 0;
	int pmid_first = 0, ris = 0;
	unsigned char proj[16384];

	wn_medline_detect_view(head, n, proj, sizeof(proj), &head, &n);

	if (n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
		i = 3;
	while (i < n && lines < 200) {
		const char *s = (const char *)head + i;
		const char *nl = memchr(s, '\n', n - i);
		size_t len = nl ? (size_t)(nl - s) : n - i;
		const char *t = s;
		size_t tn = len;
		char tag[5];
		size_t vs;

		wn_text_trim(&t, &tn);
		if (tn) {
			lines++;
			if (tag_line(t, tn, tag, &vs)) {
				tags++;
				if (tags == 1 && is_tag(tag, "PMID"))
					pmid_first = 1;
				if (is_tag(tag, "TY") || is_tag(tag, "ER"))
					ris = 1;
			}
		}
		if (!nl)
			break;
		i += len + 1;
	}
	if (pmid_first && !ris)
		return 100;
	if (ris || tags < 2)
		return 0;
	/* tagged lines but no PMID first: weak (RIS, WoS score higher on their own files) */
	return tags * 2 >= lines ? 40 : 0;
}

const struct wn_format wn_format_medline = {
	.name = "medline",
	.description = "MEDLINE / PubMed tagged text (.nbib, PubMed \"Save\" format)",
	.default_source = "PubMed",
	.detect = detect,
	.parse = parse,
	.count = NULL,
};
