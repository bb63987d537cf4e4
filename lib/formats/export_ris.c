/*
 * export_ris.c - records as RIS (see include/winnow/export.h).
 *
 * What the importers of EndNote, Zotero, Rayyan and Covidence agree on: "XX  - value"
 * lines (two spaces, hyphen, space), CRLF, TY first and "ER  - " last, a blank line
 * between records, one line per author and keyword, T2 for the journal and J2 for its
 * abbreviation, SP/EP pages, PY year, DA full date as YYYY/MM/DD, DO, SN, AN, DB, UR,
 * KW, LA, PB, AB, N1 notes. UTF-8 with a BOM, which EndNote needs to recognise UTF-8 and
 * the others skip.
 *
 * Lossless RIS -> RIS: winnow-fetch's RIS reader keeps every tag it does not map in
 * extra under the tag; those are written back under the same tag, after the mapped
 * fields, so reading the output gives the same record. Abstract paragraphs go on
 * continuation lines (the reader joins them with a line break). Values never contain
 * a line break otherwise: they are record fields, already collapsed.
 */
#include <string.h>
#include "winnow/ascii.h"
#include "winnow/record.h"
#include "winnow/text.h"
#include "export_int.h"

#define CRLF "\r\n"

static int line(struct wn_buf *b, const char *tag, const char *v, size_t n, struct wn_err *err)
{
	if (wn_buf_add(b, tag, 2, err) < 0 || wn_buf_adds(b, "  - ", err) < 0)
		return -1;
	/* a value is one line: any line break left becomes a space */
	for (size_t i = 0; i < n; i++) {
		char c = v[i];
		if (c == '\r' || c == '\n')
			c = ' ';
		if (wn_buf_addc(b, c, err) < 0)
			return -1;
	}
	return wn_buf_adds(b, CRLF, err);
}

static int line_s(struct wn_buf *b, const char *tag, const char *v, struct wn_err *err)
{
	return v ? line(b, tag, v, strlen(v), err) : 0;
}

static int lines_of(struct wn_buf *b, const char *tag, json_object *rec, const char *field,
		    struct wn_err *err)
{
	size_t i, n = wn_record_count(rec, field);

	for (i = 0; i < n; i++) {
		const char *v = wn_record_item(rec, field, i);
		if (v && line_s(b, tag, v, err) < 0)
			return -1;
	}
	return 0;
}

/* The TY value: a RIS type code is kept as it is (also one this list lacks: "GRNT",
 * "OTHER"), a type written in words by another format ("Journal Article", "article",
 * WoS "J") becomes the code it means; a record without a type (CSV exports rarely
 * say) gets JOUR when it has a journal, else GEN - RIS readers need a TY. */
static const char *ris_type(json_object *rec)
{
	const char *t = wn_record_get(rec, WN_F_TYPE);
	size_t i, n;

	if (!t)
		return wn_record_get(rec, WN_F_JOURNAL) ? "JOUR" : "GEN";
	n = strlen(t);
	if (n >= 2 && n <= 8) {
		for (i = 0; i < n; i++)
			if (!wn_isupper((unsigned char)t[i]) && !wn_isdigit((unsigned char)t[i]))
				break;
		if (i == n)
			return t;
	}
	switch (wn_export_kind(rec)) {
	case WN_KIND_ARTICLE: return "JOUR";
	case WN_KIND_BOOK: return "BOOK";
	case WN_KIND_CHAPTER: return "CHAP";
	case WN_KIND_CONFERENCE: return "CPAPER";
	case WN_KIND_THESIS: return "THES";
	case WN_KIND_REPORT: return "RPRT";
	case WN_KIND_ABSTRACT: return "ABST";
	case WN_KIND_PATENT: return "PAT";
	case WN_KIND_WEB: return "ELEC";
	case WN_KIND_DATA: return "DATA";
	case WN_KIND_UNKNOWN: return t; /* a TY we cannot place, as the export had it */
	default: return "GEN";
	}
}

static int is_tag(const char *k)
{
	return strlen(k) == 2 && wn_isupper((unsigned char)k[0]) &&
	       (wn_isupper((unsigned char)k[1]) || wn_isdigit((unsigned char)k[1]));
}

/* Extra keys written back under their tag (the rest become notes with --with-notes).
 * TY, ER and the author tags never: they would start a record or add authors. */
static int written_extra(const char *k)
{
	return is_tag(k) && strcmp(k, "TY") && strcmp(k, "ER") && strcmp(k, "AU") &&
	       strcmp(k, "A1") && strcmp(k, "AF");
}

static int note_line(void *data, const char *text, size_t n, struct wn_err *err)
{
	return line(data, "N1", text, n, err);
}

/* Pages "123-130" as SP/EP; anything else whole in SP (the reader takes an SP with a
 * hyphen as it is). */
static int pages(struct wn_buf *b, const char *p, struct wn_err *err)
{
	const char *dash = strchr(p, '-');
	size_t i;

	if (dash && dash != p && dash[1] && !strchr(dash + 1, '-') && strcmp(dash + 1, p) != 0 &&
	    !(strlen(dash + 1) == (size_t)(dash - p) && !memcmp(dash + 1, p, (size_t)(dash - p)))) {
		for (i = 0; p[i]; i++)
			if (p[i] != '-' && !wn_isalnum((unsigned char)p[i]))
				break;
		if (!p[i])
			return line(b, "SP", p, (size_t)(dash - p), err) < 0 ? -1
				: line_s(b, "EP", dash + 1, err);
	}
	return line_s(b, "SP", p, err);
}

/* Abstracts and notes: first paragraph on the tag line, the others on continuation
 * lines (the reader joins them with a line break). */
static int paragraphs(struct wn_buf *b, const char *tag, const char *ab, struct wn_err *err)
{
	const char *nl = strchr(ab, '\n');

	if (!nl)
		return line_s(b, tag, ab, err);
	if (line(b, tag, ab, (size_t)(nl - ab), err) < 0)
		return -1;
	while (nl) {
		const char *p = nl + 1, *q = strchr(p, '\n');
		size_t k = q ? (size_t)(q - p) : strlen(p), t = 0;
		/* a paragraph that starts like a tag line ("N2 - ...") would be read as one:
		 * a tab before its hyphen keeps it a continuation (and reads back as a space) */
		while (t < k && p[t] == ' ')
			t++;
		if (k >= t + 3 && wn_isupper((unsigned char)p[t]) &&
		    (wn_isupper((unsigned char)p[t + 1]) || wn_isdigit((unsigned char)p[t + 1]))) {
			size_t d = t + 2, sp = 0;
			while (d < k && p[d] == ' ' && sp < 3)
				d++, sp++;
			if (d < k && p[d] == '-') {
				if (wn_buf_add(b, p, t + 2, err) < 0 || wn_buf_addc(b, '\t', err) < 0 ||
				    wn_buf_add(b, p + d, k - d, err) < 0 || wn_buf_adds(b, CRLF, err) < 0)
					return -1;
				nl = q;
				continue;
			}
		}
		if (k && (wn_buf_add(b, p, k, err) < 0 || wn_buf_adds(b, CRLF, err) < 0))
			return -1;
		nl = q;
	}
	return 0;
}

static int pubmed_source(const char *src)
{
	return src && (strstr(src, "PubMed") || strstr(src, "pubmed") || strstr(src, "PUBMED") ||
		       strstr(src, "MEDLINE") || strstr(src, "Medline") || strstr(src, "medline") ||
		       !strcmp(src, "NLM"));
}

static int all_digits(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (!wn_isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* "pubmed" in any letter case, and the PMID, in one value. */
static int names_pmid(const char *s, const char *pmid)
{
	const char *p;

	if (!s || !strstr(s, pmid))
		return 0;
	for (p = s; *p; p++)
		if (wn_tolower((unsigned char)p[0]) == 'p' && wn_text_ieq(p, 6, "pubmed"))
			return 1;
	return 0;
}

/* Does the record say its PMID in a way the RIS reader finds again - AN of a PubMed
 * source, a PubMed link, Cochrane's "PUBMED 123"? Then it needs no line of its own. */
static int carries_pmid(json_object *rec, const char *pmid)
{
	const char *sid = wn_record_get(rec, WN_F_SOURCE_ID);
	json_object *extra;

	if (sid && !strcmp(sid, pmid) && pubmed_source(wn_record_get(rec, WN_F_SOURCE)))
		return 1;
	if (names_pmid(wn_record_get(rec, WN_F_URL), pmid))
		return 1;
	if (json_object_object_get_ex(rec, WN_F_EXTRA, &extra) && json_object_is_type(extra, json_type_object)) {
		json_object_object_foreach(extra, k, v) {
			size_t i, n;
			if (!is_tag(k))
				continue;
			if (json_object_is_type(v, json_type_string) && names_pmid(json_object_get_string(v), pmid))
				return 1;
			if (!json_object_is_type(v, json_type_array))
				continue;
			n = json_object_array_length(v);
			for (i = 0; i < n; i++)
				if (names_pmid(json_object_get_string(json_object_array_get_idx(v, i)), pmid))
					return 1;
		}
	}
	return 0;
}

int wn_export_ris(struct wn_exporter *x, json_object *rec, struct wn_err *err)
{
	struct wn_buf *b = &x->buf;
	const char *v, *ty;
	json_object *extra, *notices;
	int64_t year;

	if (!x->started) {
		if (wn_buf_adds(b, "\xEF\xBB\xBF", err) < 0)
			return -1;
		x->started = 1;
	}
	if (line(b, "TY", ris_type(rec), strlen(ris_type(rec)), err) < 0 ||
	    line_s(b, "TI", wn_record_get(rec, WN_F_TITLE), err) < 0 ||
	    lines_of(b, "AU", rec, WN_F_AUTHORS, err) < 0)
		return -1;
	year = wn_record_get_int(rec, WN_F_YEAR, 0);
	if (year > 0) {
		char y[24];
		snprintf(y, sizeof(y), "%lld", (long long)year);
		if (line_s(b, "PY", y, err) < 0)
			return -1;
	}
	v = wn_record_get(rec, WN_F_DATE);
	if (v && strlen(v) > 4) {
		/* "2019-08-20" -> "2019/08/20/", "2019-08" -> "2019/08//" */
		char d[32];
		size_t k = strlen(v) < 16 ? strlen(v) : 16, i;
		memcpy(d, v, k);
		d[k] = '\0';
		for (i = 0; i < k; i++)
			if (d[i] == '-')
				d[i] = '/';
		snprintf(d + k, sizeof(d) - k, "%s", k == 7 ? "//" : "/");
		if (line_s(b, "DA", d, err) < 0)
			return -1;
	}
	/* JF is the specification's journal tag and the one winnow's reader prefers; the
	 * book a chapter is in goes under T2, where chapters keep it */
	ty = ris_type(rec);
	if (line_s(b, (!strcmp(ty, "CHAP") || !strcmp(ty, "ECHAP") || !strcmp(ty, "CHAPTER")) ? "T2" : "JF",
		   wn_record_get(rec, WN_F_JOURNAL), err) < 0 ||
	    line_s(b, "J2", wn_record_get(rec, WN_F_JOURNAL_ABBREV), err) < 0 ||
	    line_s(b, "VL", wn_record_get(rec, WN_F_VOLUME), err) < 0 ||
	    line_s(b, "IS", wn_record_get(rec, WN_F_ISSUE), err) < 0)
		return -1;
	if ((v = wn_record_get(rec, WN_F_PAGES)) && pages(b, v, err) < 0)
		return -1;
	if ((v = wn_record_get(rec, WN_F_ABSTRACT)) && paragraphs(b, "AB", v, err) < 0)
		return -1;
	if (line_s(b, "DO", wn_record_get(rec, WN_F_DOI), err) < 0 ||
	    lines_of(b, "SN", rec, WN_F_ISSN, err) < 0)
		return -1;
	{
		/* ISBNs the RIS reader recognises in SN (10 or 13 digits) go there, the odd
		 * others under BN, which it keeps as they are */
		size_t i, n = wn_record_count(rec, WN_F_ISBN);
		for (i = 0; i < n; i++) {
			const char *s = wn_record_item(rec, WN_F_ISBN, i);
			size_t d = 0, k;
			if (!s)
				continue;
			for (k = 0; s[k]; k++)
				if (wn_isdigit((unsigned char)s[k]) || s[k] == 'X' || s[k] == 'x')
					d++;
			if (line_s(b, (d == 10 || d == 13) ? "SN" : "BN", s, err) < 0)
				return -1;
		}
	}
	v = wn_record_get(rec, WN_F_SOURCE_ID);
	/* AN is the accession number; but an all-digit AN of a PubMed source reads back
	 * as a PMID, so such an identifier that is not the PMID goes under ID */
	if (line_s(b, (pubmed_source(wn_record_get(rec, WN_F_SOURCE)) && all_digits(v) &&
		       !(wn_record_get(rec, WN_F_PMID) && !strcmp(wn_record_get(rec, WN_F_PMID), v)))
			      ? "ID" : "AN", v, err) < 0 ||
	    line_s(b, "DB", wn_record_get(rec, WN_F_SOURCE), err) < 0 ||
	    lines_of(b, "KW", rec, WN_F_KEYWORDS, err) < 0 ||
	    lines_of(b, "KW", rec, WN_F_MESH, err) < 0 ||
	    line_s(b, "UR", wn_record_get(rec, WN_F_URL), err) < 0 ||
	    line_s(b, "LA", wn_record_get(rec, WN_F_LANGUAGE), err) < 0 ||
	    line_s(b, "PB", wn_record_get(rec, WN_F_PUBLISHER), err) < 0)
		return -1;
	if (wn_record_count(rec, WN_F_PUBTYPES)) {
		/* type of work (EndNote's M3) */
		size_t i, n = wn_record_count(rec, WN_F_PUBTYPES);
		struct wn_buf *t = &x->tmp;
		wn_buf_reset(t);
		for (i = 0; i < n; i++) {
			const char *s = wn_record_item(rec, WN_F_PUBTYPES, i);
			if (s && ((t->len && wn_buf_adds(t, "; ", err) < 0) || wn_buf_adds(t, s, err) < 0))
				return -1;
		}
		if (t->len && line(b, "M3", t->data, t->len, err) < 0)
			return -1;
	}
	if ((v = wn_record_get(rec, WN_F_PMID)) && !carries_pmid(rec, v)) {
		struct wn_buf *t = &x->tmp;
		wn_buf_reset(t);
		if (wn_buf_addf(t, err, "https://pubmed.ncbi.nlm.nih.gov/%s/", v) < 0 ||
		    line(b, "L2", t->data, t->len, err) < 0)
			return -1;
	}
	if (line_s(b, "C2", wn_record_get(rec, WN_F_PMCID), err) < 0)
		return -1;
	if (json_object_object_get_ex(rec, WN_F_NOTICES, &notices) &&
	    json_object_is_type(notices, json_type_array)) {
		/* errata and retractions: a reviewer must see them in any tool */
		size_t i, n = json_object_array_length(notices);
		for (i = 0; i < n; i++) {
			json_object *o = json_object_array_get_idx(notices, i), *f;
			struct wn_buf *t = &x->tmp;
			wn_buf_reset(t);
			if (wn_buf_adds(t, "Notice:", err) < 0)
				return -1;
			if (json_object_is_type(o, json_type_object)) {
				json_object_object_foreach(o, k, val) {
					(void)k;
					f = val;
					if (json_object_is_type(f, json_type_string) &&
					    (wn_buf_addc(t, ' ', err) < 0 ||
					     wn_buf_adds(t, json_object_get_string(f), err) < 0))
						return -1;
				}
			}
			if (line(b, "N1", t->data, t->len, err) < 0)
				return -1;
		}
	}
	/* the export's own tags, as they came */
	if (json_object_object_get_ex(rec, WN_F_EXTRA, &extra) && json_object_is_type(extra, json_type_object)) {
		json_object_object_foreach(extra, k, val) {
			if (!written_extra(k))
				continue;
			if (json_object_is_type(val, json_type_string)) {
				const char *s = json_object_get_string(val);
				/* multi-line notes (N1 as EndNote and Zotero write them) */
				if (paragraphs(b, k, s, err) < 0)
					return -1;
			} else if (json_object_is_type(val, json_type_array)) {
				size_t i, n = json_object_array_length(val);
				for (i = 0; i < n; i++) {
					json_object *it = json_object_array_get_idx(val, i);
					if (json_object_is_type(it, json_type_string) &&
					    paragraphs(b, k, json_object_get_string(it), err) < 0)
						return -1;
				}
			}
		}
	}
	if (x->opts.with_notes &&
	    wn_export_notes(x, rec, written_extra, note_line, b, err) < 0)
		return -1;
	return wn_buf_adds(b, "ER  - " CRLF CRLF, err);
}
