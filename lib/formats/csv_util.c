/*
 * csv_util.c - dates, lists, pages, names and detection helpers shared by the WoS, CSV,
 * BibTeX, EndNote, refer and Ovid importers (see csv_util.h).
 *
 * Names: the one rule of the record stream is "Surname, Given". Exports give names in
 * three shapes - already "Surname, Given"; "Surname Initials" (Scopus, Embase, MEDLINE
 * AU, PubMed CSV); and natural order "Given Surname" (Lens, IEEE, BibTeX without a
 * comma). Natural order follows BibTeX's rule for "First von Last": a run of words that
 * start in lower case before the last word ("van", "de la") belongs to the surname, and
 * a trailing "Jr"/"III" is a suffix. Letter case of non-ASCII letters comes from
 * utf8proc, so "Ødegaard" is upper case and "ďurian" lower.
 */
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>
#include "winnow/ascii.h"
#include "winnow/text.h"
#include "winnow/utf8.h"
#include "csv_util.h"

/* ---- months and dates ---- */

int wn_fu_month(const char *s, size_t n)
{
	static const char *const names[12] = {
		"january", "february", "march", "april", "may", "june", "july", "august",
		"september", "october", "november", "december"
	};
	size_t i, k;

	if (n < 3 || n > 9)
		return 0;
	for (i = 0; i < 12; i++) {
		size_t len = strlen(names[i]);
		if (n > len)
			continue;
		for (k = 0; k < n; k++) {
			if (wn_tolower((unsigned char)s[k]) != names[i][k])
				break;
		}
		if (k < n)
			continue;
		/* a full name, a 3-letter abbreviation, or "Sept" */
		if (n == len || n == 3 || (i == 8 && n == 4))
			return (int)i + 1;
	}
	return 0;
}

struct tok {
	size_t start, len;
	int digits; /* all ASCII digits */
};

#define MAX_TOKS 24

static size_t date_tokens(const char *s, size_t n, struct tok *t, size_t max)
{
	size_t i = 0, nt = 0;

	while (i < n && nt < max) {
		size_t j;
		int dig;

		if (!wn_isalnum((unsigned char)s[i])) {
			i++;
			continue;
		}
		/* a run of digits or a run of letters: EBSCO writes "Jun2023" with no space */
		j = i;
		dig = wn_isdigit((unsigned char)s[i]) != 0;
		while (j < n && wn_isalnum((unsigned char)s[j]) &&
		       (wn_isdigit((unsigned char)s[j]) != 0) == dig)
			j++;
		t[nt].start = i;
		t[nt].len = j - i;
		t[nt].digits = dig;
		nt++;
		i = j;
	}
	return nt;
}

static int tok_num(const char *s, const struct tok *t)
{
	int v = 0;
	size_t i;

	if (!t->digits || t->len > 4)
		return -1;
	for (i = 0; i < t->len; i++)
		v = v * 10 + (s[t->start + i] - '0');
	return v;
}

int wn_fu_date(struct wn_recb *b, const char *s, size_t n, int year_hint, struct wn_err *err)
{
	struct tok t[MAX_TOKS];
	size_t nt = date_tokens(s, n, t, MAX_TOKS), i, yi = (size_t)-1, mi = (size_t)-1;
	int year = 0, month = 0, day = 0, rc = 0;
	char buf[16];

	for (i = 0; i < nt; i++) {
		int m;
		if (t[i].digits)
			continue;
		m = wn_fu_month(s + t[i].start, t[i].len);
		if (m) {
			month = m;
			mi = i;
			break;
		}
	}
	/* the year: next to the month name when there is one ("8(6):1048-1064, September
	 * 2015"), else the first 4-digit number; never one end of a page range */
	for (i = 0; i < nt; i++) {
		int v = tok_num(s, &t[i]);
		int range = (i + 1 < nt && t[i + 1].digits && t[i + 1].start == t[i].start + t[i].len + 1 &&
			     s[t[i].start + t[i].len] == '-' && tok_num(s, &t[i + 1]) > v && t[i + 1].len == t[i].len) ||
			    (i > 0 && t[i - 1].digits && t[i].start == t[i - 1].start + t[i - 1].len + 1 &&
			     s[t[i].start - 1] == '-' && tok_num(s, &t[i - 1]) < v && t[i - 1].len == t[i].len);
		if (t[i].len != 4 || v < 1000 || v > 2999 || range)
			continue;
		if (mi != (size_t)-1) {
			size_t d = i > mi ? i - mi : mi - i;
			size_t bd = yi == (size_t)-1 ? (size_t)-1 : (yi > mi ? yi - mi : mi - yi);
			if (d < bd || (d == bd && i > mi)) {
				year = v;
				yi = i;
			}
			continue;
		}
		year = v;
		yi = i;
		break;
	}
	if (!year)
		year = year_hint;
	if (year < 1000 || year > 2999)
		return 0;
	if (month) {
		/* a day number next to the month name: "JUN 14", "16 March 2015" */
		size_t cand[2] = { mi + 1, mi - 1 };
		int k;
		for (k = 0; k < 2; k++) {
			size_t c = cand[k];
			int v;
			if (c >= nt || c == yi || !t[c].digits || t[c].len > 2)
				continue;
			/* "28(2) April": an issue number in parentheses is no day */
			if ((t[c].start > 0 && s[t[c].start - 1] == '(') ||
			    (t[c].start + t[c].len < n && s[t[c].start + t[c].len] == ')'))
				continue;
			v = tok_num(s, &t[c]);
			if (v >= 1 && v <= 31) {
				day = v;
				break;
			}
		}
	} else if (yi == 0 && nt >= 2 && t[1].digits && t[1].len <= 2) {
		/* ISO-like: 2019/08/20, 2024-02-01, 1948/07// */
		int v = tok_num(s, &t[1]);
		if (v >= 1 && v <= 12) {
			month = v;
			if (nt >= 3 && t[2].digits && t[2].len <= 2) {
				v = tok_num(s, &t[2]);
				if (v >= 1 && v <= 31)
					day = v;
			}
		}
	}
	if (day)
		snprintf(buf, sizeof(buf), "%04d-%02d-%02d", year, month, day);
	else if (month)
		snprintf(buf, sizeof(buf), "%04d-%02d", year, month);
	else
		snprintf(buf, sizeof(buf), "%04d", year);
	if (!wn_recb_peek(b))
		return wn_err_set(err, WN_EUSAGE, "no record begun");
	if (!json_object_object_get_ex(wn_recb_peek(b), WN_F_YEAR, NULL)) {
		if (wn_record_set_int(wn_recb_peek(b), WN_F_YEAR, year, err) < 0)
			return -1;
		rc = 1;
	}
	if (!json_object_object_get_ex(wn_recb_peek(b), WN_F_DATE, NULL)) {
		if (wn_recb_text(b, WN_F_DATE, buf, strlen(buf), 0, err) < 0)
			return -1;
		rc = 1;
	}
	return rc;
}

/* ---- lists and pages ---- */

int wn_fu_list(struct wn_recb *b, const char *field, const char *s, size_t n, unsigned flags,
	       struct wn_err *err)
{
	if ((flags & WN_RECB_UNIQUE) && wn_record_count(wn_recb_peek(b), field) >= WN_FU_UNIQUE_MAX)
		flags &= ~(unsigned)WN_RECB_UNIQUE;
	return wn_recb_list(b, field, s, n, flags, err);
}

static int split_into(struct wn_recb *b, const char *field, int extra, const char *s,
		      size_t n, const char *seps, unsigned flags, struct wn_err *err)
{
	size_t i = 0;
	int added = 0;

	while (i <= n) {
		size_t j = i, len;
		const char *p;
		int rc;

		while (j < n && !strchr(seps, s[j]))
			j++;
		p = s + i;
		len = j - i;
		wn_text_trim(&p, &len);
		if (len) {
			rc = extra ? wn_recb_extra(b, field, p, len, flags, err)
				   : wn_fu_list(b, field, p, len, flags, err);
			if (rc < 0)
				return -1;
			added += rc;
		}
		i = j + 1;
	}
	return added;
}

int wn_fu_split(struct wn_recb *b, const char *field, const char *s, size_t n,
		const char *seps, unsigned flags, struct wn_err *err)
{
	return split_into(b, field, 0, s, n, seps, flags, err);
}

int wn_fu_split_extra(struct wn_recb *b, const char *tag, const char *s, size_t n,
		      const char *seps, struct wn_err *err)
{
	return split_into(b, tag, 1, s, n, seps, 0, err);
}

int wn_fu_pages(struct wn_recb *b, const char *sp, size_t spn, const char *ep, size_t epn,
		struct wn_err *err)
{
	struct wn_buf tmp;
	int rc;

	wn_text_trim(&sp, &spn);
	wn_text_trim(&ep, &epn);
	if (!spn && !epn)
		return 0;
	if (!spn)
		return wn_recb_text(b, WN_F_PAGES, ep, epn, WN_RECB_KEEP, err);
	if (!epn || (spn == epn && memcmp(sp, ep, spn) == 0) || memchr(sp, '-', spn))
		return wn_recb_text(b, WN_F_PAGES, sp, spn, WN_RECB_KEEP, err);
	wn_buf_init(&tmp, 0);
	rc = (wn_buf_add(&tmp, sp, spn, err) < 0 || wn_buf_addc(&tmp, '-', err) < 0 ||
	      wn_buf_add(&tmp, ep, epn, err) < 0) ? -1
		: wn_recb_text(b, WN_F_PAGES, tmp.data, tmp.len, WN_RECB_KEEP, err);
	wn_buf_release(&tmp);
	return rc;
}

/* ---- names ---- */

/* Case of the first letter of a word: 1 upper, -1 lower, 0 none (digits, punctuation).
 * Braces and TeX control words are skipped ("{\"o}rg" is lower, "{van}" is lower). */
static int word_case(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t adv;
		int32_t cp;

		if (c == '{' || c == '}' || c == '\'' || c == '"' || c == '(' || c == '.') {
			i++;
			continue;
		}
		if (c == '\\') {
			/* a control sequence: its argument decides ("\"o" -> o) */
			i++;
			if (i < n && wn_isalpha((unsigned char)s[i])) {
				size_t j = i;
				while (j < n && wn_isalpha((unsigned char)s[j]))
					j++;
				/* \ss, \o, \aa ... are letters themselves: lower case */
				if (j - i <= 2 && (j >= n || s[j] == '}' || s[j] == ' '))
					return wn_isupper((unsigned char)s[i]) ? 1 : -1;
				i = j;
			} else if (i < n) {
				i++;
			}
			continue;
		}
		cp = wn_utf8_decode(s + i, n - i, &adv);
		if (cp < 0)
			return 0;
		switch (utf8proc_category(cp)) {
		case UTF8PROC_CATEGORY_LU:
		case UTF8PROC_CATEGORY_LT:
			return 1;
		case UTF8PROC_CATEGORY_LL:
			return -1;
		default:
			if (utf8proc_category(cp) >= UTF8PROC_CATEGORY_LM &&
			    utf8proc_category(cp) <= UTF8PROC_CATEGORY_LO)
				return 1; /* letters without case (CJK): like upper */
			return 0;
		}
	}
	return 0;
}

int wn_fu_is_initials(const char *s, size_t n)
{
	size_t i = 0;
	int letters = 0;

	if (!n)
		return 0;
	while (i < n) {
		size_t adv;
		int32_t cp = wn_utf8_decode(s + i, n - i, &adv);
		if (cp == '.' || cp == '-') {
			i += adv;
			continue;
		}
		if (cp < 0)
			return 0;
		if (utf8proc_category(cp) != UTF8PROC_CATEGORY_LU)
			return 0;
		letters++;
		i += adv;
	}
	return letters >= 1 && letters <= 4;
}

struct word {
	const char *p;
	size_t n;
};

#define MAX_WORDS 64

/* Split on whitespace (and '~' in BibTeX), keeping {...} groups whole when braces. */
static size_t split_words(const char *s, size_t n, int braces, struct word *w, size_t max)
{
	size_t i = 0, nw = 0;

	while (i < n) {
		size_t j;
		int depth = 0;

		while (i < n && (wn_isspace((unsigned char)s[i]) || (braces && s[i] == '~')))
			i++;
		if (i >= n)
			break;
		j = i;
		while (j < n) {
			char c = s[j];
			if (braces && c == '{')
				depth++;
			else if (braces && c == '}' && depth > 0)
				depth--;
			else if (depth == 0 && (wn_isspace((unsigned char)c) || (braces && c == '~')))
				break;
			j++;
		}
		if (nw < max) {
			w[nw].p = s + i;
			w[nw].n = j - i;
			nw++;
		} else {
			/* more words than we track: glue the rest onto the last one */
			w[max - 1].n = (size_t)(s + j - w[max - 1].p);
		}
		i = j;
	}
	return nw;
}

static int is_suffix(const struct word *w)
{
	static const char *const sfx[] = { "Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV", "jr", "jr.", NULL };
	size_t i;

	for (i = 0; sfx[i]; i++) {
		if (strlen(sfx[i]) == w->n && memcmp(sfx[i], w->p, w->n) == 0)
			return 1;
	}
	return 0;
}

static int add_words(struct wn_buf *out, const struct word *w, size_t from, size_t to,
		     struct wn_err *err)
{
	size_t i;

	for (i = from; i < to; i++) {
		if (out->len && out->data[out->len - 1] != ' ' && wn_buf_addc(out, ' ', err) < 0)
			return -1;
		if (wn_buf_add(out, w[i].p, w[i].n, err) < 0)
			return -1;
	}
	return 0;
}

/* Comma at brace depth 0, from position `from`; n if none. */
static size_t find_comma(const char *s, size_t n, size_t from, int braces)
{
	size_t i;
	int depth = 0;

	for (i = from; i < n; i++) {
		if (braces && s[i] == '{')
			depth++;
		else if (braces && s[i] == '}' && depth > 0)
			depth--;
		else if (s[i] == ',' && depth == 0)
			return i;
	}
	return n;
}

static int is_null_word(const char *p, size_t n)
{
	return wn_text_ieq(p, n, "null") || wn_text_ieq(p, n, "n/a");
}

static int name_with_commas(struct wn_buf *out, const char *s, size_t n, int braces,
			    struct wn_err *err)
{
	size_t c1 = find_comma(s, n, 0, braces), c2 = find_comma(s, n, c1 + 1, braces);
	const char *last = s, *first, *jr = NULL;
	size_t lastn = c1, firstn, jrn = 0;

	if (c2 < n) {
		size_t c3 = find_comma(s, n, c2 + 1, braces);
		if (c3 < n) /* too many commas to be one name: keep as is */
			return wn_buf_add(out, s, n, err);
		jr = s + c1 + 1;
		jrn = c2 - c1 - 1;
		first = s + c2 + 1;
		firstn = n - c2 - 1;
	} else {
		first = s + c1 + 1;
		firstn = n - c1 - 1;
	}
	wn_text_trim(&last, &lastn);
	wn_text_trim(&first, &firstn);
	if (jr)
		wn_text_trim(&jr, &jrn);
	if (is_null_word(first, firstn))
		firstn = 0;
	if (!lastn)
		return wn_buf_add(out, first, firstn, err);
	if (wn_buf_add(out, last, lastn, err) < 0)
		return -1;
	if (firstn || jrn) {
		if (wn_buf_adds(out, ", ", err) < 0 || wn_buf_add(out, first, firstn, err) < 0)
			return -1;
		if (jrn && ((firstn && wn_buf_addc(out, ' ', err) < 0) ||
			    wn_buf_add(out, jr, jrn, err) < 0))
			return -1;
	}
	return 0;
}

static int name_natural(struct wn_buf *out, struct word *w, size_t nw, struct wn_err *err)
{
	size_t last_end = nw, von_start, i;
	int have_jr = 0;

	if (nw == 1)
		return add_words(out, w, 0, 1, err);
	if (nw >= 3 && is_suffix(&w[nw - 1])) {
		have_jr = 1;
		last_end = nw - 1;
	}
	/* the surname starts at the first word (other than the last) that begins in lower
	 * case - "van", "de la" - or else is the last word */
	von_start = last_end - 1;
	for (i = 0; i + 1 < last_end; i++) {
		if (word_case(w[i].p, w[i].n) < 0) {
			von_start = i;
			break;
		}
	}
	if (von_start == 0) {
		/* everything lower-case or a lone "von Last": no given names */
		if (add_words(out, w, 0, last_end, err) < 0)
			return -1;
	} else {
		if (add_words(out, w, von_start, last_end, err) < 0 || wn_buf_adds(out, ", ", err) < 0 ||
		    add_words(out, w, 0, von_start, err) < 0)
			return -1;
	}
	if (have_jr && (wn_buf_addc(out, ' ', err) < 0 || add_words(out, w, nw - 1, nw, err) < 0))
		return -1;
	return 0;
}

int wn_fu_name(struct wn_buf *out, const char *s, size_t n, enum wn_name_style style,
	       int braces, struct wn_err *err)
{
	struct word w[MAX_WORDS];
	size_t nw;

	wn_buf_reset(out);
	wn_text_trim(&s, &n);
	/* trailing punctuation from list exports: "O'Connor RE." keeps its dot, but a
	 * dangling comma or semicolon goes */
	while (n && (s[n - 1] == ',' || s[n - 1] == ';'))
		n--;
	wn_text_trim(&s, &n);
	if (!n)
		return 0;
	if (find_comma(s, n, 0, braces) < n)
		return name_with_commas(out, s, n, braces, err);
	nw = split_words(s, n, braces, w, MAX_WORDS);
	if (!nw)
		return 0;
	if (style != WN_NAME_NATURAL && nw >= 2 && wn_fu_is_initials(w[nw - 1].p, w[nw - 1].n) &&
	    !(nw >= 3 && is_suffix(&w[nw - 1]))) {
		/* "Wilson L.N." / "Griffin DK" / "van der Berg AJ" */
		if (add_words(out, w, 0, nw - 1, err) < 0 || wn_buf_adds(out, ", ", err) < 0 ||
		    add_words(out, w, nw - 1, nw, err) < 0)
			return -1;
		return 0;
	}
	return name_natural(out, w, nw, err);
}

/* Find the next separator from i: returns its start (n if none), *seplen its length. */
static size_t next_sep(const char *s, size_t n, size_t i, const char *sep, int braces,
		       size_t *seplen)
{
	int depth = 0;

	for (; i < n; i++) {
		char c = s[i];
		if (braces && c == '{') {
			depth++;
			continue;
		}
		if (braces && c == '}' && depth > 0) {
			depth--;
			continue;
		}
		if (depth)
			continue;
		if (sep[0] == ' ') {
			/* " and ": whitespace, "and" in any case, whitespace */
			size_t j = i;
			if (!wn_isspace((unsigned char)c))
				continue;
			while (j < n && wn_isspace((unsigned char)s[j]))
				j++;
			if (j + 3 < n && wn_tolower((unsigned char)s[j]) == 'a' &&
			    wn_tolower((unsigned char)s[j + 1]) == 'n' &&
			    wn_tolower((unsigned char)s[j + 2]) == 'd' && wn_isspace((unsigned char)s[j + 3])) {
				j += 3;
				while (j < n && wn_isspace((unsigned char)s[j]))
					j++;
				*seplen = j - i;
				return i;
			}
		} else if (c == sep[0]) {
			*seplen = 1;
			return i;
		}
	}
	*seplen = 0;
	return n;
}

static int has_and(const char *s, size_t n)
{
	size_t len;

	return next_sep(s, n, 0, " and ", 0, &len) < n;
}

/* "Liu R., Adler D.G." / "Phillips J.C., Braun R.": every comma-separated part ends in
 * initials and has a surname before them. */
static int comma_list_of_initials(const char *s, size_t n)
{
	size_t i = 0, parts = 0;

	while (i <= n) {
		size_t j = i, nw;
		struct word w[MAX_WORDS];

		while (j < n && s[j] != ',')
			j++;
		nw = split_words(s + i, j - i, 0, w, MAX_WORDS);
		if (nw) {
			if (nw < 2 || !wn_fu_is_initials(w[nw - 1].p, w[nw - 1].n))
				return 0;
			parts++;
		}
		i = j + 1;
	}
	return parts >= 2;
}

int wn_fu_authors(struct wn_recb *b, const char *s, size_t n, const char *sep,
		  enum wn_name_style style, struct wn_err *err)
{
	struct wn_buf name;
	size_t i = 0;
	int added = 0, braces = sep && strcmp(sep, " and ") == 0;

	wn_text_trim(&s, &n);
	if (!n)
		return 0;
	if (!sep) {
		if (memchr(s, ';', n))
			sep = ";";
		else if (has_and(s, n))
			sep = " and ";
		else if (memchr(s, '|', n))
			sep = "|";
		else if (memchr(s, ',', n) && comma_list_of_initials(s, n))
			sep = ",";
		else
			sep = "\n";
	}
	wn_buf_init(&name, 0);
	while (i <= n) {
		size_t seplen, j = next_sep(s, n, i, sep, braces, &seplen);
		if (wn_fu_name(&name, s + i, j - i, style, braces, err) < 0)
			goto fail;
		if (name.len) {
			int rc = wn_recb_list(b, WN_F_AUTHORS, name.data, name.len, 0, err);
			if (rc < 0)
				goto fail;
			added += rc;
		}
		if (j >= n)
			break;
		i = j + seplen;
	}
	wn_buf_release(&name);
	return added;
fail:
	wn_buf_release(&name);
	return -1;
}

/* ---- usable records ---- */

int wn_fu_content(json_object *rec)
{
	static const char *const strong[] = {
		WN_F_TITLE, WN_F_AUTHORS, WN_F_DOI, WN_F_PMID, WN_F_PMCID, WN_F_SOURCE_ID, NULL
	};
	static const char *const weak[] = {
		WN_F_ABSTRACT, WN_F_JOURNAL, WN_F_JOURNAL_ABBREV, WN_F_YEAR, WN_F_DATE, WN_F_ISSN,
		WN_F_ISBN, WN_F_VOLUME, WN_F_PAGES, WN_F_URL, WN_F_KEYWORDS, WN_F_MESH, NULL
	};
	size_t i;

	for (i = 0; strong[i]; i++)
		if (json_object_object_get_ex(rec, strong[i], NULL))
			return 2;
	for (i = 0; weak[i]; i++)
		if (json_object_object_get_ex(rec, weak[i], NULL))
			return 1;
	return 0;
}

void wn_fu_weak_add(struct wn_fu_weak *w, struct wn_import *imp, unsigned long line)
{
	if (!w->n++) {
		w->first_record = wn_import_next_index(imp);
		w->first_line = line;
	}
}

void wn_fu_weak_report(const struct wn_fu_weak *w, struct wn_import *imp)
{
	if (w->n)
		wn_import_diag(imp, WN_DIAG_WARNING, w->first_record, w->first_line,
			       "%lu record%s with no title, authors or identifier (imported as %s)",
			       w->n, w->n == 1 ? "" : "s", w->n == 1 ? "it is" : "they are");
}

/* ---- detection ---- */

size_t wn_fu_head_text(const unsigned char *head, size_t n, char *out, size_t cap)
{
	size_t i = 0, o = 0;
	int utf16 = 0; /* 1 LE, 2 BE */

	if (!cap)
		return 0;
	if (n >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) {
		i = 3;
	} else if (n >= 2 && head[0] == 0xFF && head[1] == 0xFE) {
		utf16 = 1;
		i = 2;
	} else if (n >= 2 && head[0] == 0xFE && head[1] == 0xFF) {
		utf16 = 2;
		i = 2;
	} else if (n >= 4 && head[0] && !head[1] && head[2] && !head[3]) {
		utf16 = 1;
	} else if (n >= 4 && !head[0] && head[1] && !head[2] && head[3]) {
		utf16 = 2;
	}
	if (utf16) {
		for (; i + 1 < n && o + 1 < cap; i += 2) {
			unsigned lo = utf16 == 1 ? head[i] : head[i + 1];
			unsigned hi = utf16 == 1 ? head[i + 1] : head[i];
			out[o++] = (char)(hi || !lo ? (lo ? '?' : ' ') : lo);
		}
	} else {
		for (; i < n && o + 1 < cap; i++)
			out[o++] = head[i] ? (char)head[i] : ' ';
	}
	out[o] = '\0';
	return o;
}

int wn_fu_next_line(const char *s, size_t n, size_t *pos, const char **line, size_t *len)
{
	size_t i = *pos, j;

	if (i >= n)
		return 0;
	j = i;
	while (j < n && s[j] != '\n' && s[j] != '\r')
		j++;
	*line = s + i;
	*len = j - i;
	if (j < n && s[j] == '\r')
		j++;
	if (j < n && s[j] == '\n')
		j++;
	*pos = j;
	return 1;
}
