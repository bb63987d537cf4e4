/*
 * ris_map.c - one RIS record's fields -> a winnow record (see ris.h).
 *
 * Vendors disagree on which tag carries what (research/formats.md 3.1): TI or T1 for
 * the title, AB or N2 for the abstract, AU or A1 for authors, JF, T2 or JO for the
 * journal, PY, Y1 or DA for the date. Each record field therefore takes the first tag
 * of a priority list that is present; every value not used that way is kept in
 * `extra` under its tag, in file order, so nothing is lost.
 *
 * Choices worth knowing:
 *   - `source` is DB as the export writes it ("APA PsycInfo <2021>", "Embase",
 *     "Medline" inside an Embase export, EBSCO's short codes such as "aph"), else DP
 *     ("EBSCOhost", "NLM"). Ovid's segment qualifiers are not stripped: the export's
 *     own words are the record of where it came from; --source names the database
 *     when a file should count as one.
 *   - `source_id` is AN, else ID (RefWorks' RefID, Ovid's accession number).
 *   - SN holds ISSNs and ISBNs, sometimes several run together ("0964-6906
 *     (Print)0964-6906"): every ISSN-shaped number goes to `issn`, ISBN-shaped ones to
 *     `isbn`.
 *   - `pages` is SP, SP-EP, or the article number (C7) when there is no SP.
 *   - A DOI comes from DO, else from a doi.org link or a bare "10." value in the link
 *     and note tags; a PMID from a PubMed link, Cochrane's "PUBMED 123" (C3) or AN
 *     when the database is PubMed/MEDLINE.
 */
#include <string.h>
#include "winnow/ascii.h"
#include "medline_util.h"
#include "ris.h"

#define VAL(r, i) ((r)->vals.data + (r)->f[i].off)
#define LEN(r, i) ((r)->f[i].len)

static int is(const struct ris_field *f, const char *tag)
{
	return f->tag[0] == tag[0] && f->tag[1] == tag[1];
}

/* Index of the first non-empty field with the tag, or -1. */
static long first(const struct ris_rec *r, const char *tag)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		if (is(&r->f[i], tag) && r->f[i].len)
			return (long)i;
	}
	return -1;
}

/* The first present tag of a NULL-terminated priority list. */
static long first_of(const struct ris_rec *r, const char *const *tags)
{
	size_t k;

	for (k = 0; tags[k]; k++) {
		long i = first(r, tags[k]);
		if (i >= 0)
			return i;
	}
	return -1;
}

/* Mark every other field among `tags` whose value equals field i's as used too. */
static void use_same(struct ris_rec *r, long i, const char *const *tags)
{
	size_t j, k;

	r->f[i].used = 1;
	for (j = 0; j < r->n; j++) {
		for (k = 0; tags[k]; k++) {
			if (is(&r->f[j], tags[k]) && LEN(r, j) == LEN(r, i) &&
			    memcmp(VAL(r, j), VAL(r, i), LEN(r, i)) == 0)
				r->f[j].used = 1;
		}
	}
}

static int set_from(struct ris_rec *r, struct wn_recb *b, const char *field, long i,
		    unsigned flags, struct wn_err *err)
{
	if (i < 0)
		return 0;
	r->f[i].used = 1;
	return wn_recb_text(b, field, VAL(r, i), LEN(r, i), flags, err) < 0 ? -1 : 0;
}

/* ---- dates: "2014", "2014//", "1948/07//", "2019/08/20/", "2019-08-20", "1 Jan.-Feb. 2019" */

static int digits(const char *s, size_t n, size_t *i, int max)
{
	int v = 0, k = 0;

	while (*i < n && wn_isdigit((unsigned char)s[*i]) && k < max) {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		k++;
	}
	return k ? v : -1;
}

/* Returns how precise the date is: 0 nothing, 1 year, 2 month, 3 day. */
static int ris_date(const char *s, size_t n, int *y, int *m, int *d)
{
	size_t i = 0;
	int v;

	*y = *m = *d = 0;
	wn_text_trim(&s, &n);
	if (n >= 4 && wn_isdigit((unsigned char)s[0]) && wn_isdigit((unsigned char)s[3]) &&
	    (n == 4 || !wn_isdigit((unsigned char)s[4]))) {
		*y = digits(s, n, &i, 4);
		if (*y < 1000 || *y > 2999) {
			*y = 0;
			return 0;
		}
		if (i < n && (s[i] == '/' || s[i] == '-')) {
			i++;
			v = digits(s, n, &i, 2);
			if (v >= 1 && v <= 12) {
				*m = v;
				if (i < n && (s[i] == '/' || s[i] == '-')) {
					i++;
					v = digits(s, n, &i, 2);
					if (v >= 1 && v <= 31)
						*d = v;
				}
			}
		} else if (i < n && s[i] == ' ') {
			/* "2019 Jan 5" (PubMed style) */
			int yy, mm, dd;
			wn_medline_parse_date(s, n, &yy, &mm, &dd);
			*m = mm;
			*d = mm ? dd : 0;
		}
		return *d ? 3 : *m ? 2 : 1;
	}
	*y = wn_text_find_year(s, n);
	return *y ? 1 : 0;
}

static int map_dates(struct ris_rec *r, struct wn_recb *b, struct wn_err *err)
{
	static const char *const tags[] = { "PY", "Y1", "DA", NULL };
	int best = 0, by = 0, bm = 0, bd = 0, year = 0;
	size_t k;

	for (k = 0; tags[k]; k++) {
		size_t i;
		for (i = 0; i < r->n; i++) {
			int y, m, d, p;
			if (!is(&r->f[i], tags[k]) || !LEN(r, i))
				continue;
			p = ris_date(VAL(r, i), LEN(r, i), &y, &m, &d);
			if (!p)
				continue; /* "Spring", "Jun": kept in extra */
			if (!year)
				year = y;
			if (y != year)
				continue; /* a different year (e.g. online vs print): kept in extra */
			r->f[i].used = 1;
			if (p > best) {
				best = p;
				by = y;
				bm = m;
				bd = d;
			}
		}
	}
	if (!year)
		return 0;
	return wn_medline_set_date(b, by, bm, bd, err) < 0 ? -1 : 0;
}

/* ---- SN: ISSNs and ISBNs ---- */

static int is_issn_at(const char *s, size_t n, size_t i)
{
	size_t k;

	if (i + 9 > n || (i > 0 && (wn_isdigit((unsigned char)s[i - 1]) || s[i - 1] == '-')))
		return 0;
	for (k = 0; k < 4; k++) {
		if (!wn_isdigit((unsigned char)s[i + k]))
			return 0;
	}
	if (s[i + 4] != '-')
		return 0;
	for (k = 5; k < 8; k++) {
		if (!wn_isdigit((unsigned char)s[i + k]))
			return 0;
	}
	if (!wn_isdigit((unsigned char)s[i + 8]) && s[i + 8] != 'X' && s[i + 8] != 'x')
		return 0;
	return i + 9 == n || !(wn_isdigit((unsigned char)s[i + 9]) || s[i + 9] == '-');
}

static int map_sn(struct ris_rec *r, struct wn_recb *b, size_t fi, struct wn_err *err)
{
	const char *s = VAL(r, fi);
	size_t n = LEN(r, fi), i, start;
	int found = 0;

	for (i = 0; i + 9 <= n; i++) {
		if (is_issn_at(s, n, i)) {
			if (wn_recb_list(b, WN_F_ISSN, s + i, 9, WN_RECB_UNIQUE, err) < 0)
				return -1;
			found = 1;
			i += 8;
		}
	}
	/* ISBNs: tokens of 10 or 13 digits (hyphens and spaces inside allowed, X last) */
	for (i = 0; i < n;) {
		size_t nd = 0, end;
		while (i < n && !wn_isdigit((unsigned char)s[i]))
			i++;
		start = i;
		end = i;
		while (i < n && (wn_isdigit((unsigned char)s[i]) || s[i] == '-' ||
				 ((s[i] == 'X' || s[i] == 'x') && nd == 9))) {
			nd++;
			if (s[i] == '-')
				nd--;
			i++;
			end = i;
		}
		if ((nd == 10 || nd == 13) && !is_issn_at(s, n, start)) {
			if (wn_recb_list(b, WN_F_ISBN, s + start, end - start, WN_RECB_UNIQUE, err) < 0)
				return -1;
			found = 1;
		}
		if (i == start)
			i++;
	}
	/* an ISSN written without its hyphen, alone ("19326203", "20411723 (ISSN)") */
	if (!found) {
		const char *t = s;
		size_t tn = n, k;
		const char *par = memchr(s, '(', n);
		if (par)
			tn = (size_t)(par - s);
		wn_text_trim(&t, &tn);
		if (tn == 8) {
			for (k = 0; k < 8; k++) {
				if (!wn_isdigit((unsigned char)t[k]) && !(k == 7 && (t[k] == 'X' || t[k] == 'x')))
					break;
			}
			if (k == 8) {
				if (wn_recb_list(b, WN_F_ISSN, t, 8, WN_RECB_UNIQUE, err) < 0)
					return -1;
				found = 1;
			}
		}
	}
	if (found)
		r->f[fi].used = 1;
	return 0;
}

/* ---- identifiers hidden in links and notes ---- */

/* A DOI in a doi.org link, or a value that is a bare DOI. */
static int doi_in(const char *s, size_t n)
{
	size_t i;

	wn_text_trim(&s, &n);
	if (n > 3 && s[0] == '1' && s[1] == '0' && s[2] == '.')
		return 1;
	for (i = 0; i + 8 <= n; i++) {
		if (memcmp(s + i, "doi.org/", 8) == 0)
			return 1;
	}
	return 0;
}

/* Digits after `key` in s (e.g. "pubmed/", "PUBMED "); 0 when absent. */
static size_t digits_after(const char *s, size_t n, const char *key, const char **out)
{
	size_t k = strlen(key), i, j;

	for (i = 0; i + k < n; i++) {
		if (!wn_text_ieq(s + i, k, key))
			continue;
		j = i + k;
		while (j < n && wn_isdigit((unsigned char)s[j]))
			j++;
		if (j > i + k && j - (i + k) <= 9 && (j == n || !wn_isalnum((unsigned char)s[j]))) {
			*out = s + i + k;
			return j - (i + k);
		}
	}
	return 0;
}

static int all_digits(const char *s, size_t n)
{
	size_t i;

	wn_text_trim(&s, &n);
	if (!n || n > 9)
		return 0;
	for (i = 0; i < n; i++) {
		if (!wn_isdigit((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

static int contains_ci(const char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit), i;

	for (i = 0; i + k <= n; i++) {
		if (wn_text_ieq(s + i, k, lit))
			return 1;
	}
	return 0;
}

/* A source that is PubMed or MEDLINE (where AN is the PMID). */
static int pubmed_like(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return n && (contains_ci(s, n, "pubmed") || contains_ci(s, n, "medline") ||
		     wn_text_ieq(s, n, "NLM"));
}

static int find_pmid(struct ris_rec *r, struct wn_recb *b, long an, struct wn_err *err)
{
	static const char *const link_tags[] = { "UR", "L1", "L2", "L3", "L4", "LK", NULL };
	const char *src = wn_record_get(wn_recb_peek(b), WN_F_SOURCE);
	size_t i, k, dn;
	const char *d;

	if (an >= 0 && pubmed_like(src) && all_digits(VAL(r, an), LEN(r, an)))
		return wn_recb_text(b, WN_F_PMID, VAL(r, an), LEN(r, an), WN_RECB_KEEP, err) < 0 ? -1 : 0;
	for (i = 0; i < r->n; i++) {
		const char *s = VAL(r, i);
		size_t n = LEN(r, i);
		dn = 0;
		if (is(&r->f[i], "C3")) {
			dn = digits_after(s, n, "PUBMED ", &d);
		} else {
			for (k = 0; link_tags[k] && !dn; k++) {
				if (is(&r->f[i], link_tags[k])) {
					dn = digits_after(s, n, "pubmed.ncbi.nlm.nih.gov/", &d);
					if (!dn)
						dn = digits_after(s, n, "ncbi.nlm.nih.gov/pubmed/", &d);
				}
			}
		}
		if (dn)
			return wn_recb_text(b, WN_F_PMID, d, dn, WN_RECB_KEEP, err) < 0 ? -1 : 0;
	}
	return 0;
}

/* ---- the record ---- */

static int pages(struct ris_rec *r, struct wn_recb *b, struct wn_err *err)
{
	long sp = first(r, "SP"), ep = first(r, "EP");
	struct wn_buf *t = &r->tmp;

	if (sp < 0) {
		/* no start page: an article number (C7 in Scopus, WoS and EndNote exports) is
		 * what MEDLINE would give as the pages ("e0209483"); an end page alone says
		 * little and stays in extra */
		long an = first(r, "C7");
		if (an >= 0)
			return set_from(r, b, WN_F_PAGES, an, 0, err);
		return 0;
	}
	r->f[sp].used = 1;
	wn_buf_reset(t);
	if (wn_buf_add(t, VAL(r, sp), LEN(r, sp), err) < 0)
		return -1;
	if (ep >= 0 && !memchr(VAL(r, sp), '-', LEN(r, sp))) {
		r->f[ep].used = 1;
		if (!(LEN(r, ep) == LEN(r, sp) && memcmp(VAL(r, ep), VAL(r, sp), LEN(r, sp)) == 0) &&
		    (wn_buf_addc(t, '-', err) < 0 || wn_buf_add(t, VAL(r, ep), LEN(r, ep), err) < 0))
			return -1;
	}
	return wn_recb_text(b, WN_F_PAGES, t->data, t->len, 0, err) < 0 ? -1 : 0;
}

static int is_chapter(const char *type)
{
	return type && (strcmp(type, "CHAP") == 0 || strcmp(type, "CHAPTER") == 0 ||
			strcmp(type, "ECHAP") == 0);
}

static int is_book(const char *type)
{
	return type && (strcmp(type, "BOOK") == 0 || strcmp(type, "EBOOK") == 0 ||
			strcmp(type, "EDBOOK") == 0);
}

int ris_map(struct ris_rec *r, struct wn_recb *b, struct wn_err *err)
{
	static const char *const title_tags[] = { "TI", "T1", "CT", NULL };
	static const char *const abstract_tags[] = { "AB", "N2", NULL };
	static const char *const journal_tags[] = { "JF", "T2", "JO", NULL };
	static const char *const abbrev_tags[] = { "J2", "JA", "J1", "JO", NULL };
	static const char *const issue_vol[] = { "VL", "VO", NULL };
	static const char *const source_tags[] = { "DB", "DP", NULL };
	static const char *const id_tags[] = { "AN", "ID", NULL };
	static const char *const doi_tags[] = { "L3", "L2", "UR", "L1", "L4", "LK", "M3", "N1", NULL };
	const char *type;
	long i;
	size_t k;

	if (wn_recb_begin(b, err) < 0)
		return -1;
	if (set_from(r, b, WN_F_TYPE, first(r, "TY"), 0, err) < 0)
		return -1;
	type = wn_record_get(wn_recb_peek(b), WN_F_TYPE);

	i = first_of(r, title_tags);
	if (i < 0 && is_book(type))
		i = first(r, "BT");
	if (i >= 0) {
		use_same(r, i, title_tags);
		if (set_from(r, b, WN_F_TITLE, i, 0, err) < 0)
			return -1;
	}
	i = first_of(r, abstract_tags);
	if (i >= 0) {
		use_same(r, i, abstract_tags);
		if (set_from(r, b, WN_F_ABSTRACT, i, WN_RECB_MULTILINE, err) < 0)
			return -1;
	}
	for (k = 0; k < r->n; k++) {
		if ((is(&r->f[k], "AU") || is(&r->f[k], "A1")) && LEN(r, k)) {
			r->f[k].used = 1;
			if (wn_recb_list(b, WN_F_AUTHORS, VAL(r, k), LEN(r, k), 0, err) < 0)
				return -1;
		}
	}
	if (map_dates(r, b, err) < 0)
		return -1;
	/* journal (the book, for a chapter) and its abbreviation */
	i = is_chapter(type) ? first(r, "T2") : -1;
	if (i < 0 && is_chapter(type))
		i = first(r, "BT");
	if (i < 0)
		i = first_of(r, journal_tags);
	if (i >= 0) {
		use_same(r, i, journal_tags);
		if (set_from(r, b, WN_F_JOURNAL, i, 0, err) < 0)
			return -1;
	}
	for (k = 0; abbrev_tags[k]; k++) {
		i = first(r, abbrev_tags[k]);
		if (i >= 0 && !r->f[i].used) {
			use_same(r, i, abbrev_tags);
			if (set_from(r, b, WN_F_JOURNAL_ABBREV, i, 0, err) < 0)
				return -1;
			/* no full title (Cochrane writes the journal as JA only): the journal is
			 * known by this name */
			if (!json_object_object_get_ex(wn_recb_peek(b), WN_F_JOURNAL, NULL) &&
			    wn_recb_text(b, WN_F_JOURNAL, VAL(r, i), LEN(r, i), 0, err) < 0)
				return -1;
			break;
		}
	}
	if (set_from(r, b, WN_F_VOLUME, first_of(r, issue_vol), 0, err) < 0 ||
	    set_from(r, b, WN_F_ISSUE, first(r, "IS"), 0, err) < 0 ||
	    pages(r, b, err) < 0)
		return -1;
	/* DOI */
	i = first(r, "DO");
	if (i >= 0) {
		int rc = wn_recb_doi(b, VAL(r, i), LEN(r, i), err);
		if (rc < 0)
			return -1;
		if (rc > 0)
			use_same(r, i, (const char *const[]){ "DO", NULL });
	}
	for (k = 0; k < r->n && !json_object_object_get_ex(wn_recb_peek(b), WN_F_DOI, NULL); k++) {
		size_t t;
		for (t = 0; doi_tags[t]; t++) {
			if (is(&r->f[k], doi_tags[t]) && doi_in(VAL(r, k), LEN(r, k))) {
				if (wn_recb_doi(b, VAL(r, k), LEN(r, k), err) < 0)
					return -1;
				break;
			}
		}
	}
	for (k = 0; k < r->n; k++) {
		if (is(&r->f[k], "SN") && LEN(r, k) && map_sn(r, b, k, err) < 0)
			return -1;
		if (is(&r->f[k], "BN") && LEN(r, k)) {
			r->f[k].used = 1;
			if (wn_recb_list(b, WN_F_ISBN, VAL(r, k), LEN(r, k), WN_RECB_UNIQUE, err) < 0)
				return -1;
		}
		if (is(&r->f[k], "KW") && LEN(r, k)) {
			r->f[k].used = 1;
			if (wn_recb_list(b, WN_F_KEYWORDS, VAL(r, k), LEN(r, k), WN_RECB_UNIQUE, err) < 0)
				return -1;
		}
	}
	if (set_from(r, b, WN_F_URL, first(r, "UR"), 0, err) < 0 ||
	    set_from(r, b, WN_F_LANGUAGE, first(r, "LA"), 0, err) < 0 ||
	    set_from(r, b, WN_F_PUBLISHER, first(r, "PB"), 0, err) < 0 ||
	    set_from(r, b, WN_F_SOURCE, first_of(r, source_tags), 0, err) < 0)
		return -1;
	i = first_of(r, id_tags);
	if (set_from(r, b, WN_F_SOURCE_ID, i, 0, err) < 0)
		return -1;
	if (find_pmid(r, b, first(r, "AN"), err) < 0)
		return -1;
	/* everything else, by tag, in file order */
	for (k = 0; k < r->n; k++) {
		const struct ris_field *f = &r->f[k];
		unsigned flags = (is(f, "N1") || is(f, "AB") || is(f, "N2")) ? WN_RECB_MULTILINE : 0;
		if (f->used || !f->len || is(f, "TY"))
			continue;
		if (wn_recb_extra(b, f->tag, VAL(r, k), LEN(r, k), flags, err) < 0)
			return -1;
	}
	return 0;
}
