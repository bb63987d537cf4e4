/*
 * bibtex.c - BibTeX and BibLaTeX (.bib) exports: Scopus, Web of Science, Zotero, JabRef,
 * Mendeley, Google Scholar and hand-kept files.
 *
 * Grammar (as BibTeX reads it, with the leniency of biber): text outside entries is a
 * comment; an entry is @type{key, name = value, ...} or with parentheses; a value is
 * {...} with nested braces, "..." (braces inside allowed), a number or an @string
 * macro name, joined with #. @comment and @preamble are skipped, @string defines macros
 * (the month macros jan..dec are predefined). Field names and types are
 * case-insensitive.
 *
 * Damage control: a missing closing brace would make one entry swallow the rest of the
 * file, so a line starting with "@word{" inside a braced value ends the damaged entry
 * there (it is skipped and counted) and parsing resumes at that line. Any other syntax
 * error skips to the next line that starts with '@'.
 *
 * Values go through wn_latex_to_utf8 (accents, escapes, dashes, braces); names are put
 * in "Surname, Given" order before that, while braces still group corporate names
 * ({World Health Organization}) and particles.
 */
#include <stdio.h>
#include <string.h>
#include "winnow/ascii.h"
#include "winnow/input.h"
#include "winnow/text.h"
#include "bibtex.h"
#include "csv_util.h"
#include "formats.h"

static const char *const entry_types[] = {
	"article", "book", "booklet", "inbook", "incollection", "inproceedings", "conference",
	"manual", "mastersthesis", "misc", "phdthesis", "proceedings", "techreport",
	"unpublished", "online", "report", "thesis", "collection", "mvbook", "bookinbook",
	"suppbook", "periodical", "suppperiodical", "reference", "inreference", "patent",
	"dataset", "software", "electronic", "www", "string", "comment", "preamble", "set",
	"xdata", "letter", "review", "standard", "artwork", "audio", "video", "image", "movie",
	"music", "performance", "legislation", "legal", "jurisdiction", NULL
};

static int known_type(const char *s, size_t n)
{
	size_t i;

	for (i = 0; entry_types[i]; i++)
		if (wn_text_ieq(s, n, entry_types[i]))
			return 1;
	return 0;
}

static int bib_detect(const unsigned char *head, size_t n)
{
	char text[8192];
	size_t len = wn_fu_head_text(head, n, text, sizeof(text)), i = 0;
	int first = 1;

	while (i < len) {
		size_t j, k;
		/* skip blank space and % comment lines before the first entry */
		while (i < len && wn_isspace((unsigned char)text[i]))
			i++;
		if (i >= len)
			break;
		if (text[i] == '@') {
			j = i + 1;
			while (j < len && wn_isspace((unsigned char)text[j]))
				j++;
			k = j;
			while (k < len && wn_isalpha((unsigned char)text[k]))
				k++;
			if (k > j) {
				size_t t = k;
				while (t < len && (text[t] == ' ' || text[t] == '\t'))
					t++;
				if (t < len && (text[t] == '{' || text[t] == '(')) {
					if (known_type(text + j, k - j))
						return first ? 92 : 85;
					return first ? 60 : 40;
				}
			}
		}
		first = 0;
		/* next line */
		while (i < len && text[i] != '\n' && text[i] != '\r')
			i++;
	}
	return 0;
}

/* ---- the parser ---- */

struct bib {
	struct wn_import *imp;
	const char *s;
	size_t n, i;
	size_t line_pos;          /* position up to which newlines are counted */
	unsigned long line;       /* line number at line_pos (1-based) */
	json_object *macros;      /* lower-case name -> string */
	struct wn_buf val, name, tmp, dec;
	char errmsg[256];
	size_t err_at;            /* where a syntax error was found */
	/* per entry */
	struct wn_buf month, day, artno, eprint, eprinttype;
	int have_year;
	struct wn_fu_weak weak;
};

static unsigned long line_at(struct bib *b, size_t pos)
{
	if (pos < b->line_pos) {
		b->line_pos = 0;
		b->line = 1;
	}
	for (; b->line_pos < pos && b->line_pos < b->n; b->line_pos++)
		if (b->s[b->line_pos] == '\n')
			b->line++;
	return b->line;
}

static void skip_ws(struct bib *b)
{
	while (b->i < b->n && (wn_isspace((unsigned char)b->s[b->i])))
		b->i++;
}

static int syntax(struct bib *b, const char *what)
{
	snprintf(b->errmsg, sizeof(b->errmsg), "%s (line %lu)", what, line_at(b, b->i));
	b->err_at = b->i;
	return -2;
}

/* "\n@word{" or "\n@word(" at position p (p at the newline). */
static int entry_starts_at(const struct bib *b, size_t p)
{
	size_t j = p + 1, k;

	while (j < b->n && (b->s[j] == ' ' || b->s[j] == '\t'))
		j++;
	if (j >= b->n || b->s[j] != '@')
		return 0;
	k = ++j;
	while (k < b->n && wn_isalpha((unsigned char)b->s[k]))
		k++;
	if (k == j)
		return 0;
	while (k < b->n && (b->s[k] == ' ' || b->s[k] == '\t'))
		k++;
	return k < b->n && (b->s[k] == '{' || b->s[k] == '(');
}

/* A {...} group at b->i; appends its inside (inner braces kept) to out. -2 on a syntax
 * error (unbalanced), -1 on allocation failure. */
static int braced(struct bib *b, struct wn_buf *out, struct wn_err *err)
{
	size_t start = ++b->i;
	int depth = 1;

	while (b->i < b->n) {
		char c = b->s[b->i];
		if (c == '\\' && b->i + 1 < b->n) {
			b->i += 2;
			continue;
		}
		if (c == '{') {
			depth++;
		} else if (c == '}') {
			if (--depth == 0) {
				if (wn_buf_add(out, b->s + start, b->i - start, err) < 0)
					return -1;
				b->i++;
				return 0;
			}
		} else if (c == '\n' && entry_starts_at(b, b->i)) {
			b->i++;
			return syntax(b, "missing closing brace: a new entry starts inside this value");
		}
		b->i++;
	}
	return syntax(b, "missing closing brace at the end of the file");
}

static int quoted(struct bib *b, struct wn_buf *out, struct wn_err *err)
{
	size_t start = ++b->i;
	int depth = 0;

	while (b->i < b->n) {
		char c = b->s[b->i];
		if (c == '\\' && b->i + 1 < b->n) {
			b->i += 2;
			continue;
		}
		if (c == '{')
			depth++;
		else if (c == '}' && depth > 0)
			depth--;
		else if (c == '"' && depth == 0) {
			if (wn_buf_add(out, b->s + start, b->i - start, err) < 0)
				return -1;
			b->i++;
			return 0;
		} else if (c == '\n' && entry_starts_at(b, b->i)) {
			b->i++;
			return syntax(b, "missing closing quote: a new entry starts inside this value");
		}
		b->i++;
	}
	return syntax(b, "missing closing quote at the end of the file");
}

static int is_name_char(char c)
{
	return !(wn_isspace((unsigned char)c) || strchr("=,{}()\"#%'", c) || c == '\0');
}

static const char *const month_names[12] = {
	"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December"
};

/* A value: parts joined with '#'. Appends the raw text (macros expanded) to out. */
static int value(struct bib *b, struct wn_buf *out, struct wn_err *err)
{
	for (;;) {
		int rc;
		skip_ws(b);
		if (b->i >= b->n)
			return syntax(b, "value missing at the end of the file");
		if (b->s[b->i] == '{') {
			rc = braced(b, out, err);
		} else if (b->s[b->i] == '"') {
			rc = quoted(b, out, err);
		} else if (wn_isdigit((unsigned char)b->s[b->i])) {
			size_t st = b->i;
			while (b->i < b->n && wn_isalnum((unsigned char)b->s[b->i]))
				b->i++;
			rc = wn_buf_add(out, b->s + st, b->i - st, err);
		} else if (is_name_char(b->s[b->i])) {
			size_t st = b->i, k;
			json_object *m;
			char lname[128];
			while (b->i < b->n && is_name_char(b->s[b->i]))
				b->i++;
			k = b->i - st;
			if (k >= sizeof(lname))
				k = sizeof(lname) - 1;
			for (size_t q = 0; q < k; q++)
				lname[q] = (char)wn_tolower((unsigned char)b->s[st + q]);
			lname[k] = '\0';
			if (json_object_object_get_ex(b->macros, lname, &m)) {
				rc = wn_buf_add(out, json_object_get_string(m),
						(size_t)json_object_get_string_len(m), err);
			} else if (k == 3 && wn_fu_month(lname, 3)) {
				rc = wn_buf_adds(out, month_names[wn_fu_month(lname, 3) - 1], err);
			} else {
				/* an undefined macro: BibTeX warns and uses ""; its name is safer */
				wn_import_diag(b->imp, WN_DIAG_NOTE, wn_import_next_index(b->imp),
					       line_at(b, st), "undefined @string macro '%.*s' kept as text",
					       (int)k, lname);
				rc = wn_buf_add(out, b->s + st, b->i - st, err);
			}
		} else {
			return syntax(b, "a value must be {...}, \"...\", a number or a macro name");
		}
		if (rc)
			return rc;
		skip_ws(b);
		if (b->i < b->n && b->s[b->i] == '#') {
			b->i++;
			continue;
		}
		return 0;
	}
}

/* Skip a balanced {...} or (...) group (@comment, @preamble). */
static void skip_balanced(struct bib *b)
{
	char open = b->s[b->i], close = open == '{' ? '}' : ')';
	int depth = 0;

	for (; b->i < b->n; b->i++) {
		char c = b->s[b->i];
		if (c == open)
			depth++;
		else if (c == close && --depth == 0) {
			b->i++;
			return;
		}
	}
}

/* Resume after a syntax error: the next line that starts with '@'. */
static void resync(struct bib *b)
{
	size_t p = b->err_at > b->i ? b->err_at : b->i;

	if (p > 0 && p <= b->n && b->s[p - 1] == '\n' && p < b->n && b->s[p] == '@') {
		b->i = p;
		return;
	}
	while (p < b->n) {
		if (b->s[p] == '\n') {
			size_t q = p + 1;
			while (q < b->n && (b->s[q] == ' ' || b->s[q] == '\t'))
				q++;
			if (q < b->n && b->s[q] == '@') {
				b->i = q;
				return;
			}
		}
		p++;
	}
	b->i = b->n;
}

/* ---- fields ---- */

static int decode(struct bib *b, const char *s, size_t n, unsigned flags, struct wn_err *err)
{
	wn_buf_reset(&b->dec);
	return wn_latex_to_utf8(&b->dec, s, n, flags, err);
}

static int add_authors(struct bib *b, struct wn_recb *rb, const char *s, size_t n,
		       struct wn_err *err)
{
	size_t i = 0;
	int depth = 0;

	/* split on " and " at brace depth 0 */
	while (i <= n) {
		size_t j = i, k = n;
		for (; j < n; j++) {
			if (s[j] == '{')
				depth++;
			else if (s[j] == '}' && depth > 0)
				depth--;
			else if (!depth && wn_isspace((unsigned char)s[j])) {
				size_t a = j;
				while (a < n && wn_isspace((unsigned char)s[a]))
					a++;
				if (a + 3 < n && wn_text_ieq(s + a, 3, "and") && wn_isspace((unsigned char)s[a + 3])) {
					k = j;
					j = a + 3;
					break;
				}
			}
		}
		if (k == n)
			j = n;
		{
			const char *p = s + i;
			size_t len = k - i;
			wn_text_trim(&p, &len);
			if (len && !wn_text_ieq(p, len, "others")) {
				if (wn_fu_name(&b->name, p, len, WN_NAME_GUESS, 1, err) < 0 ||
				    decode(b, b->name.data, b->name.len, 0, err) < 0 ||
				    wn_recb_list(rb, WN_F_AUTHORS, b->dec.data, b->dec.len, 0, err) < 0)
					return -1;
			}
		}
		if (j >= n)
			break;
		i = j;
	}
	return 0;
}

/* In BibTeX a line break is a space; only an empty line (or \par) ends a paragraph. */
static void unwrap(struct wn_buf *t)
{
	size_t i, o = 0;

	for (i = 0; i < t->len; i++) {
		char c = t->data[i];
		if (c == '\r')
			c = '\n';
		if (c == '\n') {
			size_t j = i + 1;
			int para = 0;
			while (j < t->len && (t->data[j] == ' ' || t->data[j] == '\t' || t->data[j] == '\r' ||
					      t->data[j] == '\n')) {
				if (t->data[j] == '\n')
					para = 1;
				j++;
			}
			t->data[o++] = para ? '\n' : ' ';
			i = j - 1;
			continue;
		}
		t->data[o++] = c;
	}
	wn_buf_truncate(t, o);
}

enum fkind {
	F_EXTRA, F_TEXT, F_ABSTRACT, F_AUTHORS, F_YEAR, F_DATE, F_MONTH, F_DAY, F_PAGES,
	F_DOI, F_PMID, F_PMCID, F_ISSN, F_ISBN, F_URL, F_KEYWORDS, F_SOURCE, F_UNIQUE_ID,
	F_ARTNO, F_EPRINT, F_EPRINTTYPE, F_BOOKTITLE, F_PUBTYPES, F_MESH
};

static const struct { const char *name; enum fkind kind; const char *field; } fields[] = {
	{ "title", F_TEXT, WN_F_TITLE },
	{ "author", F_AUTHORS, NULL },
	{ "journal", F_TEXT, WN_F_JOURNAL },
	{ "journaltitle", F_TEXT, WN_F_JOURNAL },
	{ "booktitle", F_BOOKTITLE, NULL },
	{ "shortjournal", F_TEXT, WN_F_JOURNAL_ABBREV },
	{ "journal-iso", F_TEXT, WN_F_JOURNAL_ABBREV },
	{ "journalabbrev", F_TEXT, WN_F_JOURNAL_ABBREV },
	{ "abbrev_source_title", F_TEXT, WN_F_JOURNAL_ABBREV },
	{ "year", F_YEAR, NULL },
	{ "date", F_DATE, NULL },
	{ "month", F_MONTH, NULL },
	{ "day", F_DAY, NULL },
	{ "volume", F_TEXT, WN_F_VOLUME },
	{ "number", F_TEXT, WN_F_ISSUE },
	{ "issue", F_TEXT, WN_F_ISSUE },
	{ "pages", F_PAGES, NULL },
	{ "doi", F_DOI, NULL },
	{ "pmid", F_PMID, NULL },
	{ "pmcid", F_PMCID, NULL },
	{ "issn", F_ISSN, NULL },
	{ "eissn", F_ISSN, NULL },
	{ "isbn", F_ISBN, NULL },
	{ "url", F_URL, NULL },
	{ "abstract", F_ABSTRACT, WN_F_ABSTRACT },
	{ "keywords", F_KEYWORDS, NULL },
	{ "keyword", F_KEYWORDS, NULL },
	{ "author_keywords", F_KEYWORDS, NULL },
	{ "language", F_TEXT, WN_F_LANGUAGE },
	{ "langid", F_TEXT, WN_F_LANGUAGE },
	{ "publisher", F_TEXT, WN_F_PUBLISHER },
	{ "source", F_SOURCE, NULL },
	{ "database", F_SOURCE, NULL },
	{ "document_type", F_PUBTYPES, NULL },
	{ "unique-id", F_UNIQUE_ID, NULL },
	{ "accession-number", F_UNIQUE_ID, NULL },
	{ "mesh", F_MESH, NULL },
	{ "art_number", F_ARTNO, NULL },
	{ "article-number", F_ARTNO, NULL },
	{ "eid", F_ARTNO, NULL },
	{ "eprint", F_EPRINT, NULL },
	{ "eprinttype", F_EPRINTTYPE, NULL },
	{ NULL, F_EXTRA, NULL }
};

static int field(struct bib *b, struct wn_recb *rb, const char *name, const char *v, size_t n,
		 struct wn_err *err)
{
	size_t k;
	json_object *rec = wn_recb_peek(rb);

	for (k = 0; fields[k].name; k++)
		if (!strcmp(fields[k].name, name))
			break;
	switch (fields[k].kind) {
	case F_AUTHORS:
		return add_authors(b, rb, v, n, err);
	case F_TEXT:
	case F_ABSTRACT:
		if (decode(b, v, n, 0, err) < 0)
			return -1;
		if (fields[k].kind == F_ABSTRACT)
			unwrap(&b->dec);
		if (json_object_object_get_ex(rec, fields[k].field, NULL))
			return wn_recb_extra(rb, name, b->dec.data, b->dec.len, 0, err) < 0 ? -1 : 0;
		return wn_recb_text(rb, fields[k].field, b->dec.data, b->dec.len,
				    fields[k].kind == F_ABSTRACT ? WN_RECB_MULTILINE : 0, err) < 0 ? -1 : 0;
	case F_BOOKTITLE:
		if (decode(b, v, n, 0, err) < 0)
			return -1;
		if (json_object_object_get_ex(rec, WN_F_JOURNAL, NULL))
			return wn_recb_extra(rb, name, b->dec.data, b->dec.len, 0, err) < 0 ? -1 : 0;
		return wn_recb_text(rb, WN_F_JOURNAL, b->dec.data, b->dec.len, 0, err) < 0 ? -1 : 0;
	case F_YEAR:
		if (decode(b, v, n, 0, err) < 0)
			return -1;
		if (wn_recb_year(rb, b->dec.data, b->dec.len, err) < 0)
			return -1;
		if (!json_object_object_get_ex(rec, WN_F_YEAR, NULL) || b->dec.len != 4)
			return wn_recb_extra(rb, name, b->dec.data, b->dec.len, 0, err) < 0 ? -1 : 0;
		b->have_year = 1;
		return 0;
	case F_DATE:
		if (decode(b, v, n, WN_LATEX_VERBATIM, err) < 0)
			return -1;
		if (wn_fu_date(rb, b->dec.data, b->dec.len, 0, err) < 0)
			return -1;
		return 0;
	case F_MONTH:
		return decode(b, v, n, 0, err) < 0 ? -1 : wn_buf_add(&b->month, b->dec.data, b->dec.len, err);
	case F_DAY:
		return decode(b, v, n, 0, err) < 0 ? -1 : wn_buf_add(&b->day, b->dec.data, b->dec.len, err);
	case F_ARTNO:
		return decode(b, v, n, WN_LATEX_VERBATIM, err) < 0 ? -1
			: wn_buf_add(&b->artno, b->dec.data, b->dec.len, err);
	case F_EPRINT:
		return decode(b, v, n, WN_LATEX_VERBATIM, err) < 0 ? -1
			: wn_buf_add(&b->eprint, b->dec.data, b->dec.len, err);
	case F_EPRINTTYPE:
		return decode(b, v, n, 0, err) < 0 ? -1
			: wn_buf_add(&b->eprinttype, b->dec.data, b->dec.len, err);
	case F_PAGES: {
		/* "123--130" -> "123-130" */
		size_t i, o = 0;
		if (decode(b, v, n, WN_LATEX_VERBATIM, err) < 0)
			return -1;
		for (i = 0; i < b->dec.len; i++) {
			if (b->dec.data[i] == '-' && o && b->dec.data[o - 1] == '-')
				continue;
			b->dec.data[o++] = b->dec.data[i];
		}
		return wn_recb_text(rb, WN_F_PAGES, b->dec.data, o, WN_RECB_KEEP, err) < 0 ? -1 : 0;
	}
	case F_DOI: {
		int rc;
		if (decode(b, v, n, WN_LATEX_VERBATIM, err) < 0)
			return -1;
		rc = wn_recb_doi(rb, b->dec.data, b->dec.len, err);
		if (rc < 0)
			return -1;
		return rc ? 0 : (wn_recb_extra(rb, name, b->dec.data, b->dec.len, 0, err) < 0 ? -1 : 0);
	}
	case F_PMID: {
		const char *p;
		size_t len;
		if (decode(b, v, n, WN_LATEX_VERBATIM, err) < 0)
			return -1;
		p = b->dec.data;
		len = b->dec.len;
		wn_text_trim(&p, &len);
		return wn_recb_text(rb, WN_F_PMID, p, len, WN_RECB_KEEP, err) < 0 ? -1 : 0;
	}
	case F_PMCID:
		if (decode(b, v, n, WN_LATEX_VERBATIM, err) < 0)
			return -1;
		return wn_recb_text(rb, WN_F_PMCID, b->dec.data, b->dec.len, WN_RECB_KEEP, err) < 0 ? -1 : 0;
	case F_ISSN:
	case F_ISBN:
		if (decode(b, v, n, WN_LATEX_VERBATIM, err) < 0)
			return -1;
		return wn_fu_split(rb, fields[k].kind == F_ISSN ? WN_F_ISSN : WN_F_ISBN, b->dec.data,
				   b->dec.len, ",; ", WN_RECB_UNIQUE, err) < 0 ? -1 : 0;
	case F_URL:
		if (decode(b, v, n, WN_LATEX_VERBATIM, err) < 0)
			return -1;
		if (json_object_object_get_ex(rec, WN_F_URL, NULL))
			return wn_recb_extra(rb, name, b->dec.data, b->dec.len, 0, err) < 0 ? -1 : 0;
		return wn_recb_text(rb, WN_F_URL, b->dec.data, b->dec.len, 0, err) < 0 ? -1 : 0;
	case F_KEYWORDS:
		if (decode(b, v, n, 0, err) < 0)
			return -1;
		return wn_fu_split(rb, WN_F_KEYWORDS, b->dec.data, b->dec.len, memchr(b->dec.data, ';', b->dec.len) ? ";" : ",",
				   WN_RECB_UNIQUE, err) < 0 ? -1 : 0;
	case F_PUBTYPES:
	case F_MESH:
		if (decode(b, v, n, 0, err) < 0)
			return -1;
		return wn_fu_split(rb, fields[k].kind == F_MESH ? WN_F_MESH : WN_F_PUBTYPES, b->dec.data,
				   b->dec.len, ";", WN_RECB_UNIQUE, err) < 0 ? -1 : 0;
	case F_SOURCE:
		if (decode(b, v, n, 0, err) < 0)
			return -1;
		return wn_recb_text(rb, WN_F_SOURCE, b->dec.data, b->dec.len, WN_RECB_KEEP, err) < 0 ? -1 : 0;
	case F_UNIQUE_ID:
		if (decode(b, v, n, WN_LATEX_VERBATIM, err) < 0)
			return -1;
		if (wn_recb_text(rb, WN_F_SOURCE_ID, b->dec.data, b->dec.len, WN_RECB_KEEP, err) < 0)
			return -1;
		/* Web of Science writes its accession number here */
		if (wn_text_startswith(b->dec.data, b->dec.len, "WOS:") &&
		    wn_recb_text(rb, WN_F_SOURCE, "Web of Science", 14, WN_RECB_KEEP, err) < 0)
			return -1;
		return 0;
	case F_EXTRA:
	default:
		if (decode(b, v, n, 0, err) < 0)
			return -1;
		return wn_recb_extra(rb, name, b->dec.data, b->dec.len, WN_RECB_MULTILINE, err) < 0 ? -1 : 0;
	}
}

/* What needs the whole entry: the date from year/month/day, article numbers as pages,
 * PubMed ids given as eprint. */
static int finish(struct bib *b, struct wn_recb *rb, struct wn_err *err)
{
	json_object *rec = wn_recb_peek(rb);

	if (b->month.len) {
		int64_t y = wn_record_get_int(rec, WN_F_YEAR, 0);
		int m = wn_fu_month(b->month.data, b->month.len), d = 0, exact = m != 0;
		size_t k;
		if (!m) {
			int v = 0;
			for (k = 0; k < b->month.len && k < 3 && wn_isdigit((unsigned char)b->month.data[k]); k++)
				v = v * 10 + (b->month.data[k] - '0');
			if (k == b->month.len && v >= 1 && v <= 12)
				m = v, exact = 1;
		}
		for (k = 0; k < b->day.len && k < 3 && wn_isdigit((unsigned char)b->day.data[k]); k++)
			d = d * 10 + (b->day.data[k] - '0');
		if (k != b->day.len || d > 31)
			d = 0;
		if (y > 0 && y < 10000 && m && !json_object_object_get_ex(rec, WN_F_DATE, NULL)) {
			char buf[32];
			if (d)
				snprintf(buf, sizeof(buf), "%04d-%02d-%02d", (int)y, m, d);
			else
				snprintf(buf, sizeof(buf), "%04d-%02d", (int)y, m);
			if (wn_recb_text(rb, WN_F_DATE, buf, strlen(buf), 0, err) < 0)
				return -1;
		} else if (y > 0 && !m && !json_object_object_get_ex(rec, WN_F_DATE, NULL)) {
			/* "MAR 1" (Web of Science), "May-Jun": read with the year */
			if (wn_fu_date(rb, b->month.data, b->month.len, (int)y, err) < 0)
				return -1;
		}
		/* a month that was not simply a month name or number stays in extra */
		if (!exact && wn_recb_extra(rb, "month", b->month.data, b->month.len, 0, err) < 0)
			return -1;
		if (b->day.len && !d && wn_recb_extra(rb, "day", b->day.data, b->day.len, 0, err) < 0)
			return -1;
	} else if (b->day.len && wn_recb_extra(rb, "day", b->day.data, b->day.len, 0, err) < 0) {
		return -1;
	}
	if (b->artno.len) {
		if (json_object_object_get_ex(rec, WN_F_PAGES, NULL)) {
			if (wn_recb_extra(rb, "art_number", b->artno.data, b->artno.len, 0, err) < 0)
				return -1;
		} else if (wn_recb_text(rb, WN_F_PAGES, b->artno.data, b->artno.len, 0, err) < 0) {
			return -1;
		}
	}
	if (b->eprint.len) {
		if (wn_text_ieq(b->eprinttype.data, b->eprinttype.len, "pubmed")) {
			if (wn_recb_text(rb, WN_F_PMID, b->eprint.data, b->eprint.len, WN_RECB_KEEP, err) < 0)
				return -1;
		} else {
			if (wn_recb_extra(rb, "eprint", b->eprint.data, b->eprint.len, 0, err) < 0 ||
			    (b->eprinttype.len &&
			     wn_recb_extra(rb, "eprinttype", b->eprinttype.data, b->eprinttype.len, 0, err) < 0))
				return -1;
		}
	} else if (b->eprinttype.len &&
		   wn_recb_extra(rb, "eprinttype", b->eprinttype.data, b->eprinttype.len, 0, err) < 0) {
		return -1;
	}
	return 0;
}


/* Fields of an entry or @string, after the opening brace (and the key for entries).
 * For @string (rb == NULL) the fields define macros. -2 on a syntax error. */
static int fields_list(struct bib *b, struct wn_recb *rb, char close, struct wn_err *err)
{
	for (;;) {
		size_t st, k;
		char lname[128];
		int rc;

		skip_ws(b);
		while (b->i < b->n && b->s[b->i] == ',') {
			b->i++;
			skip_ws(b);
		}
		if (b->i >= b->n)
			return syntax(b, "entry not closed at the end of the file");
		if (b->s[b->i] == close || b->s[b->i] == '}' || b->s[b->i] == ')') {
			b->i++;
			return 0;
		}
		st = b->i;
		while (b->i < b->n && is_name_char(b->s[b->i]))
			b->i++;
		if (b->i == st)
			return syntax(b, "field name expected");
		k = b->i - st;
		if (k >= sizeof(lname))
			return syntax(b, "field name too long");
		for (size_t q = 0; q < k; q++)
			lname[q] = (char)wn_tolower((unsigned char)b->s[st + q]);
		lname[k] = '\0';
		skip_ws(b);
		if (b->i >= b->n || b->s[b->i] != '=') {
			char what[200];
			snprintf(what, sizeof(what), "'=' expected after field '%s'", lname);
			return syntax(b, what);
		}
		b->i++;
		wn_buf_reset(&b->val);
		rc = value(b, &b->val, err);
		if (rc == -1 && err && err->code == WN_ELIMIT) {
			/* a value over the size limit spoils its entry, not the file */
			char what[200];
			wn_err_clear(err);
			snprintf(what, sizeof(what), "the value of field '%s' is longer than %zu bytes",
				 lname, b->val.max);
			return syntax(b, what);
		}
		if (rc)
			return rc;
		if (!rb) {
			json_object *s = json_object_new_string_len(b->val.data, (int)b->val.len);
			if (!s || json_object_object_add(b->macros, lname, s)) {
				json_object_put(s);
				return wn_err_set(err, WN_ENOMEM, "out of memory");
			}
		} else if (field(b, rb, lname, b->val.data, b->val.len, err) < 0) {
			return -1;
		}
		skip_ws(b);
		if (b->i < b->n && b->s[b->i] != ',' && b->s[b->i] != close && b->s[b->i] != '}' &&
		    b->s[b->i] != ')')
			return syntax(b, "',' expected between fields");
	}
}

static int entry(struct bib *b, const char *type, size_t tlen, char close, unsigned long line,
		 struct wn_err *err)
{
	struct wn_recb *rb = wn_import_recb(b->imp);
	size_t st;
	int rc;

	wn_buf_reset(&b->month);
	wn_buf_reset(&b->day);
	wn_buf_reset(&b->artno);
	wn_buf_reset(&b->eprint);
	wn_buf_reset(&b->eprinttype);
	b->have_year = 0;
	if (wn_recb_begin(rb, err) < 0)
		return -1;
	wn_buf_reset(&b->tmp);
	for (size_t q = 0; q < tlen; q++)
		if (wn_buf_addc(&b->tmp, (char)wn_tolower((unsigned char)type[q]), err) < 0)
			return -1;
	if (wn_recb_text(rb, WN_F_TYPE, b->tmp.data, b->tmp.len, 0, err) < 0)
		return -1;
	/* the key: up to ',' (may be empty: "@article{,") */
	skip_ws(b);
	st = b->i;
	while (b->i < b->n && b->s[b->i] != ',' && b->s[b->i] != close && b->s[b->i] != '\n' &&
	       b->s[b->i] != '=')
		b->i++;
	if (b->i < b->n && b->s[b->i] == '=') {
		/* no key at all: "@article{title = ..." - read it as fields */
		b->i = st;
	} else {
		const char *k = b->s + st;
		size_t kn = b->i - st;
		wn_text_trim(&k, &kn);
		if (kn && wn_recb_extra(rb, "bibtex_key", k, kn, 0, err) < 0)
			return -1;
	}
	rc = fields_list(b, rb, close, err);
	if (rc == -1)
		return -1;
	if (rc == -2) {
		rc = wn_import_skip(b->imp, line, "malformed BibTeX entry", err, "%s", b->errmsg);
		resync(b);
		return rc;
	}
	if (finish(b, rb, err) < 0)
		return -1;
	switch (wn_fu_content(wn_recb_peek(rb))) {
	case 0:
		return wn_import_skip(b->imp, line, "no bibliographic fields", err,
				      "the entry has no title, author, identifier, journal, year or abstract");
	case 1:
		wn_fu_weak_add(&b->weak, b->imp, line);
		break;
	default:
		break;
	}
	return wn_import_emit(b->imp, line, err);
}

static int bib_parse(struct wn_import *imp, struct wn_input *in, struct wn_err *err)
{
	struct wn_buf all;
	struct bib b;
	int rc = 0;

	wn_buf_init(&all, 0);
	if (wn_input_text_mode(in, 1, err) < 0 || wn_input_slurp(in, &all, err) < 0) {
		wn_buf_release(&all);
		return -1;
	}
	memset(&b, 0, sizeof(b));
	b.imp = imp;
	b.s = all.data;
	b.n = all.len;
	b.line = 1;
	b.macros = json_object_new_object();
	if (!b.macros) {
		wn_buf_release(&all);
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	}
	wn_buf_init(&b.val, wn_import_max_line(imp) ? wn_import_max_line(imp) : WN_LINES_DEFAULT_MAX);
	wn_buf_init(&b.name, 0);
	wn_buf_init(&b.tmp, 0);
	wn_buf_init(&b.dec, 0);
	wn_buf_init(&b.month, 0);
	wn_buf_init(&b.day, 0);
	wn_buf_init(&b.artno, 0);
	wn_buf_init(&b.eprint, 0);
	wn_buf_init(&b.eprinttype, 0);
	while (rc == 0 && b.i < b.n) {
		const char *p = memchr(b.s + b.i, '@', b.n - b.i);
		size_t ts, te;
		unsigned long line;
		char close;

		if (!p)
			break;
		b.i = (size_t)(p - b.s) + 1;
		line = line_at(&b, b.i - 1);
		skip_ws(&b);
		ts = b.i;
		while (b.i < b.n && (wn_isalnum((unsigned char)b.s[b.i]) || b.s[b.i] == '_' || b.s[b.i] == '-'))
			b.i++;
		te = b.i;
		skip_ws(&b);
		if (te == ts || b.i >= b.n || (b.s[b.i] != '{' && b.s[b.i] != '('))
			continue; /* an '@' in a comment or an e-mail address */
		close = b.s[b.i] == '{' ? '}' : ')';
		if (wn_text_ieq(b.s + ts, te - ts, "comment") || wn_text_ieq(b.s + ts, te - ts, "preamble")) {
			skip_balanced(&b);
			continue;
		}
		b.i++;
		if (wn_text_ieq(b.s + ts, te - ts, "string")) {
			int r = fields_list(&b, NULL, close, err);
			if (r == -1) {
				rc = -1;
			} else if (r == -2) {
				wn_import_diag(imp, WN_DIAG_WARNING, 0, line, "malformed @string: %s", b.errmsg);
				resync(&b);
			}
			continue;
		}
		rc = entry(&b, b.s + ts, te - ts, close, line, err);
	}
	if (rc == 0)
		wn_fu_weak_report(&b.weak, imp);
	json_object_put(b.macros);
	wn_buf_release(&b.val);
	wn_buf_release(&b.name);
	wn_buf_release(&b.tmp);
	wn_buf_release(&b.dec);
	wn_buf_release(&b.month);
	wn_buf_release(&b.day);
	wn_buf_release(&b.artno);
	wn_buf_release(&b.eprint);
	wn_buf_release(&b.eprinttype);
	wn_buf_release(&all);
	return rc;
}

const struct wn_format wn_format_bibtex = {
	"bibtex",
	"BibTeX / BibLaTeX (.bib; Scopus, Web of Science, Zotero, JabRef, Mendeley ...)",
	NULL,
	bib_detect,
	bib_parse,
	NULL
};
