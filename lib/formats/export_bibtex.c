/*
 * export_bibtex.c - records as BibTeX (see include/winnow/export.h).
 *
 * Keys: the key a record was imported with (extra.bibtex_key) when it is a valid,
 * not yet used key; else the first author's surname folded to ASCII letters (utf8proc
 * decomposition drops the accents: "Müller" -> "Muller"), the year, and "a", "b", ...
 * when that key is taken. BibTeX compares keys without regard to case, so uniqueness is
 * checked in lower case.
 *
 * Values: braces around every value; the characters LaTeX treats specially (\ { } & %
 * $ # _ ~ ^) written as commands the reader turns back into the same characters; UTF-8
 * as is (biber and bibtex8 read it; classic BibTeX with inputenc). url and doi are
 * verbatim fields and go out raw. Names are "Surname, Given" already; a name without
 * a comma (a group author) or with two is braced whole so BibTeX keeps it as one name.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/record.h"
#include "winnow/text.h"
#include "export_int.h"

static const char *bib_type(json_object *rec)
{
	static const char *const types[] = {
		"article", "book", "booklet", "inbook", "incollection", "inproceedings",
		"conference", "manual", "mastersthesis", "misc", "phdthesis", "proceedings",
		"techreport", "unpublished", "online", "report", "thesis", "collection", "patent",
		"dataset", "software", NULL
	};
	const char *t = wn_record_get(rec, WN_F_TYPE);
	size_t i;

	if (t)
		for (i = 0; types[i]; i++)
			if (!strcmp(types[i], t))
				return t;
	switch (wn_export_kind(rec)) {
	case WN_KIND_ARTICLE:
	case WN_KIND_ABSTRACT: return "article";
	case WN_KIND_BOOK: return "book";
	case WN_KIND_CHAPTER: return "incollection";
	case WN_KIND_CONFERENCE: return "inproceedings";
	case WN_KIND_THESIS: return "phdthesis";
	case WN_KIND_REPORT: return "techreport";
	case WN_KIND_PATENT: return "patent";
	case WN_KIND_WEB: return "online";
	case WN_KIND_DATA: return "dataset";
	case WN_KIND_UNKNOWN: return wn_record_get(rec, WN_F_JOURNAL) ? "article" : "misc";
	default: return "misc";
	}
}

/* Escape LaTeX specials; line breaks become paragraph breaks (a blank line). */
static int tex(struct wn_buf *b, const char *s, size_t n, struct wn_err *err)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *rep = NULL;
		switch (s[i]) {
		case '\\': rep = "\\textbackslash{}"; break;
		case '{': rep = "\\{"; break;
		case '}': rep = "\\}"; break;
		case '&': rep = "\\&"; break;
		case '%': rep = "\\%"; break;
		case '$': rep = "\\$"; break;
		case '#': rep = "\\#"; break;
		case '_': rep = "\\_"; break;
		case '~': rep = "\\textasciitilde{}"; break;
		case '^': rep = "\\textasciicircum{}"; break;
		case '\n': rep = "\n\n"; break;
		default: break;
		}
		if (rep ? wn_buf_adds(b, rep, err) < 0 : wn_buf_addc(b, s[i], err) < 0)
			return -1;
	}
	return 0;
}

/* Verbatim fields (url, doi): raw, with unbalanced braces made harmless. */
static int verbatim(struct wn_buf *b, const char *s, size_t n, struct wn_err *err)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *rep = s[i] == '{' ? "%7B" : s[i] == '}' ? "%7D" : NULL;
		if (rep ? wn_buf_adds(b, rep, err) < 0 : wn_buf_addc(b, s[i], err) < 0)
			return -1;
	}
	return 0;
}

static int field_start(struct wn_buf *b, const char *name, struct wn_err *err)
{
	return wn_buf_addf(b, err, ",\n  %s = {", name);
}

static int field(struct wn_buf *b, const char *name, const char *v, int verb, struct wn_err *err)
{
	if (!v || !*v)
		return 0;
	if (field_start(b, name, err) < 0 ||
	    (verb ? verbatim(b, v, strlen(v), err) : tex(b, v, strlen(v), err)) < 0)
		return -1;
	return wn_buf_addc(b, '}', err);
}

static int list_field(struct wn_buf *b, const char *name, json_object *rec, const char *f,
		      const char *sep, struct wn_err *err)
{
	size_t i, n = wn_record_count(rec, f);
	int comma = 0;

	if (!n)
		return 0;
	if (field_start(b, name, err) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const char *s = wn_record_item(rec, f, i);
		if (!s)
			continue;
		if (strchr(s, ','))
			comma = 1;
		if ((i && wn_buf_adds(b, sep, err) < 0) || tex(b, s, strlen(s), err) < 0)
			return -1;
	}
	/* a single item with a comma: a trailing ';' tells the reader not to split on ',' */
	if (n == 1 && comma && sep[0] == ';' && wn_buf_addc(b, ';', err) < 0)
		return -1;
	return wn_buf_addc(b, '}', err);
}

static int count_commas(const char *s)
{
	int k = 0;

	for (; *s; s++)
		if (*s == ',')
			k++;
	return k;
}

static int has_and(const char *s)
{
	size_t i, n = strlen(s);

	for (i = 0; i + 5 <= n; i++)
		if (wn_isspace((unsigned char)s[i]) && wn_text_ieq(s + i + 1, 3, "and") &&
		    wn_isspace((unsigned char)s[i + 4]))
			return 1;
	return 0;
}

static int authors(struct wn_buf *b, json_object *rec, struct wn_err *err)
{
	size_t i, n = wn_record_count(rec, WN_F_AUTHORS);

	if (!n)
		return 0;
	if (field_start(b, "author", err) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		const char *a = wn_record_item(rec, WN_F_AUTHORS, i);
		int brace;
		if (!a)
			continue;
		brace = (count_commas(a) != 1 && strchr(a, ' ')) || count_commas(a) > 1 || has_and(a);
		if ((i && wn_buf_adds(b, " and ", err) < 0) || (brace && wn_buf_addc(b, '{', err) < 0) ||
		    tex(b, a, strlen(a), err) < 0 || (brace && wn_buf_addc(b, '}', err) < 0))
			return -1;
	}
	return wn_buf_addc(b, '}', err);
}

static int valid_key(const char *k)
{
	size_t i;

	if (!*k || strlen(k) > 200)
		return 0;
	for (i = 0; k[i]; i++) {
		unsigned char c = (unsigned char)k[i];
		if (!(wn_isalnum(c) || strchr("_-:./+", c)))
			return 0;
	}
	return 1;
}

/* ASCII letters of s (accents dropped by NFKD decomposition), at most max. */
static int ascii_fold(struct wn_buf *out, const char *s, size_t max, struct wn_err *err)
{
	utf8proc_uint8_t *d = NULL;
	utf8proc_ssize_t len;
	size_t i, k = 0;

	if (wn_alloc_should_fail())
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	len = utf8proc_map((const utf8proc_uint8_t *)s, 0, &d,
			   UTF8PROC_NULLTERM | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_STRIPMARK);
	if (len < 0) {
		if (len == UTF8PROC_ERROR_NOMEM)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		/* invalid UTF-8 cannot be in a record; fall back to the ASCII bytes */
		for (i = 0; s[i] && k < max; i++)
			if (wn_isalnum((unsigned char)s[i]) && (k++, wn_buf_addc(out, s[i], err) < 0))
				return -1;
		return 0;
	}
	for (i = 0; i < (size_t)len && k < max; i++) {
		if (wn_isalnum(d[i])) {
			if (wn_buf_addc(out, (char)d[i], err) < 0) {
				free(d);
				return -1;
			}
			k++;
		}
	}
	free(d);
	return 0;
}

static int key_used(struct wn_exporter *x, const char *k)
{
	char low[256];
	size_t i;

	for (i = 0; k[i] && i + 1 < sizeof(low); i++)
		low[i] = (char)wn_tolower((unsigned char)k[i]);
	low[i] = '\0';
	return json_object_object_get_ex(x->keys, low, NULL);
}

static int use_key(struct wn_exporter *x, const char *k, struct wn_err *err)
{
	char low[256];
	size_t i;
	json_object *one = json_object_new_int(1);

	for (i = 0; k[i] && i + 1 < sizeof(low); i++)
		low[i] = (char)wn_tolower((unsigned char)k[i]);
	low[i] = '\0';
	if (!one || json_object_object_add(x->keys, low, one)) {
		json_object_put(one);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	return 0;
}

static int make_key(struct wn_exporter *x, json_object *rec, struct wn_buf *key, struct wn_err *err)
{
	json_object *extra, *k;
	const char *a;
	int64_t y;
	size_t base, suffix;

	wn_buf_reset(key);
	if (json_object_object_get_ex(rec, WN_F_EXTRA, &extra) &&
	    json_object_object_get_ex(extra, "bibtex_key", &k) && json_object_is_type(k, json_type_string) &&
	    valid_key(json_object_get_string(k)) && !key_used(x, json_object_get_string(k))) {
		if (wn_buf_adds(key, json_object_get_string(k), err) < 0)
			return -1;
		return use_key(x, key->data, err);
	}
	a = wn_record_item(rec, WN_F_AUTHORS, 0);
	if (a) {
		/* the surname: up to the comma */
		const char *c = strchr(a, ',');
		char sur[256];
		size_t n = c ? (size_t)(c - a) : strlen(a);
		if (n >= sizeof(sur))
			n = sizeof(sur) - 1;
		memcpy(sur, a, n);
		sur[n] = '\0';
		if (ascii_fold(key, sur, 24, err) < 0)
			return -1;
	}
	if (!key->len && (a = wn_record_get(rec, WN_F_TITLE)) != NULL) {
		/* no author: the first word of the title */
		char w[256];
		size_t n = 0;
		while (a[n] && a[n] != ' ' && n + 1 < sizeof(w))
			n++;
		memcpy(w, a, n);
		w[n] = '\0';
		if (ascii_fold(key, w, 24, err) < 0)
			return -1;
	}
	if (!key->len && wn_buf_adds(key, "ref", err) < 0)
		return -1;
	y = wn_record_get_int(rec, WN_F_YEAR, 0);
	if (y > 0 && wn_buf_addf(key, err, "%lld", (long long)y) < 0)
		return -1;
	base = key->len;
	/* where the suffixes of this base went on last time ("#base" can never be a key):
	 * thousands of Smith2020s stay linear */
	{
		char memo[300];
		json_object *v;
		size_t q;
		memo[0] = '#';
		for (q = 0; q < key->len && q + 2 < sizeof(memo); q++)
			memo[q + 1] = (char)wn_tolower((unsigned char)key->data[q]);
		memo[q + 1] = '\0';
		suffix = json_object_object_get_ex(x->keys, memo, &v) ? (size_t)json_object_get_int64(v) : 0;
		if (key_used(x, key->data)) {
			json_object *next;
			size_t found = suffix;
			for (;; found++) {
				/* a, b, ..., z, aa, ab, ... */
				char probe[64];
				long s = (long)found;
				size_t k2 = 0, j;
				char rev[16];
				do {
					rev[k2++] = (char)('a' + s % 26);
					s = s / 26 - 1;
				} while (s >= 0 && k2 < sizeof(rev) - 1);
				for (j = 0; j < k2; j++)
					probe[j] = rev[k2 - 1 - j];
				probe[k2] = '\0';
				wn_buf_truncate(key, base);
				if (wn_buf_adds(key, probe, err) < 0)
					return -1;
				if (!key_used(x, key->data))
					break;
			}
			next = json_object_new_int64((int64_t)found + 1);
			if (!next || json_object_object_add(x->keys, memo, next)) {
				json_object_put(next);
				return wn_err_set(err, WN_ENOMEM, "out of memory");
			}
		}
	}
	return use_key(x, key->data, err);
}

/* Fields this writer produces: extra values with these names are not written again. */
static int written_field(const char *k)
{
	static const char *const f[] = {
		"author", "title", "journal", "booktitle", "year", "month", "day", "volume", "number",
		"pages", "doi", "url", "issn", "isbn", "abstract", "keywords", "language",
		"publisher", "pmid", "pmcid", "source", "accession-number", "shortjournal",
		"document_type", "mesh", "annote", "bibtex_key", "date", NULL
	};
	size_t i;

	for (i = 0; f[i]; i++)
		if (!strcmp(f[i], k))
			return 1;
	return 0;
}

/* A BibTeX field name from an extra key: letters, digits, - _ : . (lower case). */
static int field_name(char *out, size_t cap, const char *k)
{
	size_t i, o = 0;

	for (i = 0; k[i] && o + 1 < cap; i++) {
		unsigned char c = (unsigned char)k[i];
		if (wn_isalnum(c) || c == '-' || c == '_' || c == ':' || c == '.')
			out[o++] = (char)wn_tolower(c);
		else if (o && out[o - 1] != '-')
			out[o++] = '-';
	}
	while (o && out[o - 1] == '-')
		o--;
	out[o] = '\0';
	return o && wn_isalpha((unsigned char)out[0]);
}

static int extra_written(const char *k)
{
	char name[128];

	return field_name(name, sizeof(name), k) && !written_field(name);
}

static int add_note(void *data, const char *text, size_t n, struct wn_err *err)
{
	struct wn_buf *t = data;

	if (t->len && wn_buf_addc(t, '\n', err) < 0)
		return -1;
	return wn_buf_add(t, text, n, err);
}

int wn_export_bibtex(struct wn_exporter *x, json_object *rec, struct wn_err *err)
{
	struct wn_buf *b = &x->buf, *key = &x->tmp;
	const char *type = bib_type(rec), *v;
	int64_t y;
	json_object *extra;
	int inbook = !strcmp(type, "inproceedings") || !strcmp(type, "incollection") ||
		     !strcmp(type, "inbook") || !strcmp(type, "conference");

	if (make_key(x, rec, key, err) < 0)
		return -1;
	if (wn_buf_addf(b, err, "@%s{%s", type, key->data) < 0 || authors(b, rec, err) < 0 ||
	    field(b, "title", wn_record_get(rec, WN_F_TITLE), 0, err) < 0 ||
	    field(b, inbook ? "booktitle" : "journal", wn_record_get(rec, WN_F_JOURNAL), 0, err) < 0 ||
	    field(b, "shortjournal", wn_record_get(rec, WN_F_JOURNAL_ABBREV), 0, err) < 0)
		return -1;
	y = wn_record_get_int(rec, WN_F_YEAR, 0);
	if (y > 0 && wn_buf_addf(b, err, ",\n  year = {%lld}", (long long)y) < 0)
		return -1;
	v = wn_record_get(rec, WN_F_DATE);
	if (json_object_object_get_ex(rec, WN_F_EXTRA, &extra) &&
	    json_object_is_type(extra, json_type_object) && json_object_object_get_ex(extra, "month", NULL)) {
		/* a month the import could not reduce to a number ("MAR 1", "Spring"): as it
		 * was, with its day if any */
		json_object *mo, *dy;
		json_object_object_get_ex(extra, "month", &mo);
		if (json_object_is_type(mo, json_type_string) &&
		    field(b, "month", json_object_get_string(mo), 0, err) < 0)
			return -1;
		if (json_object_object_get_ex(extra, "day", &dy) && json_object_is_type(dy, json_type_string) &&
		    field(b, "day", json_object_get_string(dy), 0, err) < 0)
			return -1;
	} else if (v && strlen(v) >= 7 && v[4] == '-') {
		static const char *const mon[12] = {
			"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
		};
		int m = (v[5] - '0') * 10 + (v[6] - '0');
		if (m >= 1 && m <= 12 && wn_buf_addf(b, err, ",\n  month = %s", mon[m - 1]) < 0)
			return -1;
		if (strlen(v) >= 10 && wn_buf_addf(b, err, ",\n  day = {%.2s}", v + 8) < 0)
			return -1;
	}
	/* BibLaTeX's date holds the precision too ("2024", "2019-08-20") */
	if (field(b, "date", v, 1, err) < 0 ||
	    field(b, "volume", wn_record_get(rec, WN_F_VOLUME), 0, err) < 0 ||
	    field(b, "number", wn_record_get(rec, WN_F_ISSUE), 0, err) < 0 ||
	    field(b, "pages", wn_record_get(rec, WN_F_PAGES), 0, err) < 0 ||
	    field(b, "doi", wn_record_get(rec, WN_F_DOI), 1, err) < 0 ||
	    field(b, "url", wn_record_get(rec, WN_F_URL), 1, err) < 0 ||
	    list_field(b, "issn", rec, WN_F_ISSN, ", ", err) < 0 ||
	    list_field(b, "isbn", rec, WN_F_ISBN, ", ", err) < 0 ||
	    field(b, "abstract", wn_record_get(rec, WN_F_ABSTRACT), 0, err) < 0 ||
	    list_field(b, "keywords", rec, WN_F_KEYWORDS, "; ", err) < 0 ||
	    list_field(b, "mesh", rec, WN_F_MESH, "; ", err) < 0 ||
	    list_field(b, "document_type", rec, WN_F_PUBTYPES, "; ", err) < 0 ||
	    field(b, "language", wn_record_get(rec, WN_F_LANGUAGE), 0, err) < 0 ||
	    field(b, "publisher", wn_record_get(rec, WN_F_PUBLISHER), 0, err) < 0 ||
	    field(b, "pmid", wn_record_get(rec, WN_F_PMID), 1, err) < 0 ||
	    field(b, "pmcid", wn_record_get(rec, WN_F_PMCID), 1, err) < 0 ||
	    field(b, "accession-number", wn_record_get(rec, WN_F_SOURCE_ID), 1, err) < 0 ||
	    field(b, "source", wn_record_get(rec, WN_F_SOURCE), 0, err) < 0)
		return -1;
	if (json_object_object_get_ex(rec, WN_F_EXTRA, &extra) && json_object_is_type(extra, json_type_object)) {
		json_object_object_foreach(extra, k, val) {
			char name[128];
			if (!field_name(name, sizeof(name), k) || written_field(name))
				continue;
			if (json_object_is_type(val, json_type_string)) {
				if (field(b, name, json_object_get_string(val), 0, err) < 0)
					return -1;
			} else if (json_object_is_type(val, json_type_array)) {
				/* a field given several times: one field, values joined */
				size_t i, n = json_object_array_length(val);
				if (field_start(b, name, err) < 0)
					return -1;
				for (i = 0; i < n; i++) {
					json_object *it = json_object_array_get_idx(val, i);
					const char *s = json_object_is_type(it, json_type_string) ? json_object_get_string(it) : "";
					if ((i && wn_buf_adds(b, "; ", err) < 0) || tex(b, s, strlen(s), err) < 0)
						return -1;
				}
				if (wn_buf_addc(b, '}', err) < 0)
					return -1;
			}
		}
	}
	if (x->opts.with_notes) {
		struct wn_buf notes;
		int rc;
		wn_buf_init(&notes, 0);
		rc = wn_export_notes(x, rec, extra_written, add_note, &notes, err) < 0 ||
		     (notes.len && (field_start(b, "annote", err) < 0 || tex(b, notes.data, notes.len, err) < 0 ||
				    wn_buf_addc(b, '}', err) < 0));
		wn_buf_release(&notes);
		if (rc)
			return -1;
	}
	return wn_buf_adds(b, "\n}\n\n", err);
}
